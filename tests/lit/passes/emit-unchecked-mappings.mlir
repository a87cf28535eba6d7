// akida-emit-programs checks the mapping it reads from the IR (it may be
// hand-written): a convolution on an FNP, a dense layer on a CNP, or a
// software layer inside a hardware sequence is an error, not a program.
//
// RUN: not akida-opt %s -split-input-file -akida-emit-programs -o /dev/null 2>&1 | FileCheck %s
// CHECK: invalid mapping: layer 'conv_1' (Convolutional) cannot run on a FNP3 NP
// CHECK: invalid mapping: layer 'fc' (FullyConnected) cannot run on a CNP2 NP
// CHECK: invalid mapping: layer 'conv_2' (Convolutional) runs in software but is in a hardware sequence

module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"} {
  func.func @conv_on_fnp(%arg0: tensor<1x8x8x8xui8>) -> tensor<1x8x8x16xui4> {
    %0 = akida.input_data "input"(%arg0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, akida.nps = [], input_bits = 4} : (tensor<1x8x8x8xui8>) -> tensor<1x8x8x8xui4>
    %1 = akida.convolutional "conv_1"(%0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, akida.nps = [{col = 1, row = 3, id = 0, type = "FNP3", filters = 16}], filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x8x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x8xui4>) -> tensor<1x8x8x16xui4>
    return %1 : tensor<1x8x8x16xui4>
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"} {
  func.func @fc_on_cnp(%arg0: tensor<1x1x1x16xui8>) -> tensor<1x1x1x10xsi32> {
    %0 = akida.input_data "input"(%arg0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, akida.nps = [], input_bits = 4} : (tensor<1x1x1x16xui8>) -> tensor<1x1x1x16xui4>
    %1 = akida.fully_connected "fc"(%0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, akida.nps = [{col = 1, row = 3, id = 1, type = "CNP2", filters = 10}], units = 10, weights_bits = 4, activation = false, weights = dense<1> : tensor<1x1x16x10xsi8>, threshold = dense<0> : tensor<10xsi32>, act_step = dense<1.0> : tensor<10xf32>} : (tensor<1x1x1x16xui4>) -> tensor<1x1x1x10xsi32>
    return %1 : tensor<1x1x1x10xsi32>
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"} {
  func.func @software_in_hardware_sequence(%arg0: tensor<1x8x8x8xui8>) -> tensor<1x8x8x16xui4> {
    %0 = akida.input_data "input"(%arg0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, akida.nps = [], input_bits = 4} : (tensor<1x8x8x8xui8>) -> tensor<1x8x8x8xui4>
    %1 = akida.convolutional "conv_1"(%0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, akida.nps = [{col = 1, row = 3, id = 1, type = "CNP1", filters = 16}], filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x8x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x8xui4>) -> tensor<1x8x8x16xui4>
    %2 = akida.convolutional "conv_2"(%1) {akida.backend = "software", akida.sequence = 0, akida.pass = 0, akida.nps = [{col = 1, row = 3, id = 2, type = "CNP1", filters = 16}], filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x16x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x16xui4>) -> tensor<1x8x8x16xui4>
    return %2 : tensor<1x8x8x16xui4>
  }
}
