// The software part of an imported model (akida convert
// --software-fallback): akida.onnx_graph holds a serialized ONNX graph run on
// the host; it reads integer activations or a float (Dequantizer, OnnxGraph)
// output. Printing, re-parsing and the generic form keep it.
// RUN: akida-opt %s | akida-opt | FileCheck %s
// RUN: akida-opt %s -mlir-print-op-generic | akida-opt | FileCheck %s

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  // CHECK-LABEL: func.func @v2_onnx_graph
  func.func @v2_onnx_graph(%arg0: tensor<?x1x1x10xui8>) -> tensor<?x1x1x1xui8> {
    %0 = akida.input_data "input"(%arg0) {input_bits = 8}
        : (tensor<?x1x1x10xui8>) -> tensor<?x1x1x10xui8>
    // CHECK: akida.onnx_graph "softmax"
    // CHECK-SAME: graph = dense<[8, 7, 18]> : tensor<3xui8>
    // CHECK-SAME: (tensor<?x1x1x10xui8>) -> tensor<?x1x1x10xf32>
    %1 = akida.onnx_graph "softmax"(%0) {graph = dense<[8, 7, 18]> : tensor<3xui8>,
        output_rows = 1, output_columns = 1, output_channels = 10}
        : (tensor<?x1x1x10xui8>) -> tensor<?x1x1x10xf32>
    // CHECK: akida.onnx_graph "argmax"
    // CHECK-SAME: output_dtype = 0
    // CHECK-SAME: (tensor<?x1x1x10xf32>) -> tensor<?x1x1x1xui8>
    %2 = akida.onnx_graph "argmax"(%1) {graph = dense<[8, 7, 18]> : tensor<3xui8>,
        output_rows = 1, output_columns = 1, output_channels = 1, output_dtype = 0}
        : (tensor<?x1x1x10xf32>) -> tensor<?x1x1x1xui8>
    return %2 : tensor<?x1x1x1xui8>
  }
}
