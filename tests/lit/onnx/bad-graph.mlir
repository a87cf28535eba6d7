// An onnx_graph layer whose bytes are not an ONNX model: the dialect keeps
// them as they are; running the model names the layer and what is wrong.
// RUN: akida-translate --mlir-to-fbz %s -o %t.fbz
// RUN: not akida run -m %t.fbz 2>&1 | FileCheck %s
// CHECK: akida run: layer 'softmax' (OnnxGraph): its graph: not an ONNX model (the protobuf does not parse)
module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @main(%arg0: tensor<?x1x1x10xui8>) -> tensor<?x1x1x10xf32> {
    %0 = akida.input_data "input"(%arg0) {input_bits = 8}
        : (tensor<?x1x1x10xui8>) -> tensor<?x1x1x10xui8>
    %1 = akida.onnx_graph "softmax"(%0) {graph = dense<[8, 7, 18]> : tensor<3xui8>,
        output_rows = 1, output_columns = 1, output_channels = 10}
        : (tensor<?x1x1x10xui8>) -> tensor<?x1x1x10xf32>
    return %1 : tensor<?x1x1x10xf32>
  }
}
