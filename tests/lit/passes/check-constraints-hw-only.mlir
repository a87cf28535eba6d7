// RUN: akida-opt %s -split-input-file -verify-diagnostics -akida-check-constraints=hw-only=true | FileCheck %s
// RUN: akida-opt %s -split-input-file -verify-diagnostics -akida-check-constraints="hw-only=1" | FileCheck %s

// akida-check-constraints with hw-only: each violation is an error
// "hw-only: layer 'NAME' (Type): WHAT; allowed: WHAT [rule]", every layer is
// still checked (all errors of all layers are reported), and the pass fails.
// A model whose layers all pass is unchanged by the option.

// CHECK-LABEL: func.func @all_hardware
// CHECK: akida.input_convolutional "conv_0"
// CHECK-SAME: akida.backend = "hardware"
// CHECK: akida.separable_convolutional "sep_1"
// CHECK-SAME: akida.backend = "hardware"
// CHECK: akida.fully_connected "dense"
// CHECK-SAME: akida.backend = "hardware"
module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"} {
  func.func @all_hardware(%arg0: tensor<1x16x16x1xui8>) -> tensor<1x1x1x10xsi32> {
    %0 = akida.input_convolutional "conv_0"(%arg0) {filters = 8, kernel_size = array<i64: 3, 3>, kernel_stride = array<i64: 2, 2>, weights_bits = 8, act_bits = 4, weights = dense<1> : tensor<3x3x1x8xsi8>, threshold = dense<0> : tensor<8xsi32>, act_step = dense<1.0> : tensor<8xf32>} : (tensor<1x16x16x1xui8>) -> tensor<1x8x8x8xui4>
    %1 = akida.separable_convolutional "sep_1"(%0) {filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, pool_type = #akida.pool_type<average>, weights = dense<1> : tensor<3x3x8x1xsi8>, weights_pw = dense<1> : tensor<1x1x8x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x8xui4>) -> tensor<1x1x1x16xui4>
    %2 = akida.fully_connected "dense"(%1) {units = 10, weights_bits = 4, activation = false, weights = dense<1> : tensor<1x1x16x10xsi8>, threshold = dense<0> : tensor<10xsi32>, act_step = dense<1.0> : tensor<10xf32>} : (tensor<1x1x1x16xui4>) -> tensor<1x1x1x10xsi32>
    return %2 : tensor<1x1x1x10xsi32>
  }
}

// -----

// CHECK-NOT: func.func @v1_rules
module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"} {
  func.func @v1_rules(%arg0: tensor<1x16x16x2xui8>) -> tensor<1x6x6x8xui4> {
    // expected-error @+1 {{hw-only: layer 'conv_0' (InputConvolutional): input_channels 2 is not supported on the input convolution block; allowed: 1, 3 [input_channels]}}
    %0 = akida.input_convolutional "conv_0"(%arg0) {filters = 8, kernel_size = array<i64: 3, 3>, weights_bits = 8, act_bits = 4, weights = dense<1> : tensor<3x3x2x8xsi8>, threshold = dense<0> : tensor<8xsi32>, act_step = dense<1.0> : tensor<8xf32>} : (tensor<1x16x16x2xui8>) -> tensor<1x16x16x8xui4>
    // expected-error @+2 {{hw-only: layer 'conv_1' (Convolutional): kernel_size 9x9 is not supported on a CNP; allowed: 1x1, 3x3, 5x5, 7x7 [kernel_size]}}
    // expected-error @+1 {{hw-only: layer 'conv_1' (Convolutional): kernel_stride 3 is not supported; allowed: 1, 2 (the same on both axes; 2 only with 3x3 kernels) [stride]}}
    %1 = akida.convolutional "conv_1"(%0) {filters = 16, kernel_size = array<i64: 9, 9>, kernel_stride = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<9x9x8x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x16x16x8xui4>) -> tensor<1x6x6x16xui4>
    %2 = akida.convolutional "conv_2"(%1) {filters = 8, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x16x8xsi8>, threshold = dense<0> : tensor<8xsi32>, act_step = dense<1.0> : tensor<8xf32>} : (tensor<1x6x6x16xui4>) -> tensor<1x6x6x8xui4>
    return %2 : tensor<1x6x6x8xui4>
  }
}

// -----

// A layer with no hardware implementation is an error too.

module attributes {akida.ip_version = #akida.ip_version<v2>, akida.target = "SixNodesIPv2"} {
  func.func @v2_dequantizer(%arg0: tensor<1x1x1x32xui8>) -> tensor<1x1x1x10xf32> {
    %0 = akida.input_data "input"(%arg0) {input_bits = 8} : (tensor<1x1x1x32xui8>) -> tensor<1x1x1x32xui8>
    %1 = akida.dense1d "classifier"(%0) {units = 10, output_bits = 32, buffer_bits = 32, post_op_buffer_bits = 32, weights = dense<1> : tensor<32x10xsi8>} : (tensor<1x1x1x32xui8>) -> tensor<1x1x1x10xsi32>
    // expected-error @+1 {{hw-only: layer 'dequantizer' (Dequantizer) has no hardware implementation; allowed: software only [layer_type]}}
    %2 = akida.dequantizer "dequantizer"(%1) {scales = dense<0.125> : tensor<10xf32>} : (tensor<1x1x1x10xsi32>) -> tensor<1x1x1x10xf32>
    return %2 : tensor<1x1x1x10xf32>
  }
}

// -----

// expected-error @+1 {{the module has no 'akida.target' attribute; run akida-attach-target first}}
module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @no_target(%arg0: tensor<1x1x1x16xui8>) -> tensor<1x1x1x16xui4> {
    %0 = akida.input_data "input"(%arg0) {input_bits = 4} : (tensor<1x1x1x16xui8>) -> tensor<1x1x1x16xui4>
    return %0 : tensor<1x1x1x16xui4>
  }
}
