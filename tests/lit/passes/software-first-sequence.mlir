// A software layer right after the input: InputData goes with it into a
// software sequence 0, which gets neither NPs nor a program (regression: the
// sequence used to be read back as hardware).
//
// RUN: akida-opt %s -verify-diagnostics -akida-map | FileCheck %s

// Only the hardware sequence 1 has a program.
// CHECK: akida.programs = [{program = dense_resource<program_1> : tensor<{{[0-9]+}}xui8>, sequence = 1 : i64, size = {{[0-9]+}} : i64}]
// CHECK: akida.input_data "input"
// CHECK-SAME: akida.sequence = 0 : i64
// The software layer has no NPs and no pass.
// CHECK: akida.convolutional "conv_1"(%0) {act_bits = 4 : i64, act_step = dense<1.000000e+00> : tensor<16xf32>, akida.backend = "software", akida.sequence = 0 : i64, filters = 16 : i64
// CHECK: akida.convolutional "conv_2"
// CHECK-SAME: akida.backend = "hardware", akida.nps = [{{.+}}], akida.pass = 0 : i64, akida.sequence = 1 : i64
module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @software_first(%arg0: tensor<1x8x8x8xui8>) -> tensor<1x8x8x16xui4> {
    %0 = akida.input_data "input"(%arg0) {input_bits = 8} : (tensor<1x8x8x8xui8>) -> tensor<1x8x8x8xui8>
    // expected-remark @+1 {{layer 'conv_1' (Convolutional): input bits 8 is not supported on a CNP; allowed: 1, 2, 4 bits [bits]; the layer runs in software}}
    %1 = akida.convolutional "conv_1"(%0) {filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x8x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x8xui8>) -> tensor<1x8x8x16xui4>
    %2 = akida.convolutional "conv_2"(%1) {filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x16x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x16xui4>) -> tensor<1x8x8x16xui4>
    return %2 : tensor<1x8x8x16xui4>
  }
}
