// RUN: akida-opt %s -split-input-file -verify-diagnostics -akida-check-constraints | FileCheck %s

// akida-check-constraints: every layer gets akida.backend; a layer that breaks
// a rule of its device's constraint tables gets "software" and one remark per
// rule: "layer 'NAME' (Type): WHAT; allowed: WHAT [rule]; the layer runs in
// software". The hw-only mode is in check-constraints-hw-only.mlir, the
// statistics in statistics.mlir.

//===----------------------------------------------------------------------===//
// A v1 model whose layers all pass on AKD1000
//===----------------------------------------------------------------------===//

// CHECK-LABEL: module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"}
// CHECK-LABEL: func.func @all_hardware
// CHECK: akida.input_convolutional "conv_0"
// CHECK-SAME: akida.backend = "hardware"
// CHECK: akida.convolutional "conv_1"
// CHECK-SAME: akida.backend = "hardware"
// CHECK: akida.separable_convolutional "sep_2"
// CHECK-SAME: akida.backend = "hardware"
// CHECK: akida.fully_connected "dense"
// CHECK-SAME: akida.backend = "hardware"
// Only akida.backend is written: no sequence, pass or NPs yet.
// CHECK-NOT: akida.sequence
// CHECK-NOT: akida.nps
// CHECK: return
module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"} {
  func.func @all_hardware(%arg0: tensor<1x16x16x1xui8>) -> tensor<1x1x1x10xsi32> {
    %0 = akida.input_convolutional "conv_0"(%arg0) {filters = 8, kernel_size = array<i64: 3, 3>, kernel_stride = array<i64: 2, 2>, weights_bits = 8, act_bits = 4, weights = dense<1> : tensor<3x3x1x8xsi8>, threshold = dense<0> : tensor<8xsi32>, act_step = dense<1.0> : tensor<8xf32>} : (tensor<1x16x16x1xui8>) -> tensor<1x8x8x8xui4>
    %1 = akida.convolutional "conv_1"(%0) {filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, pool_type = #akida.pool_type<max>, pool_size = array<i64: 2, 2>, weights = dense<1> : tensor<3x3x8x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x8xui4>) -> tensor<1x4x4x16xui4>
    %2 = akida.separable_convolutional "sep_2"(%1) {filters = 32, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, pool_type = #akida.pool_type<average>, weights = dense<1> : tensor<3x3x16x1xsi8>, weights_pw = dense<1> : tensor<1x1x16x32xsi8>, threshold = dense<0> : tensor<32xsi32>, act_step = dense<1.0> : tensor<32xf32>} : (tensor<1x4x4x16xui4>) -> tensor<1x1x1x32xui4>
    // A model output may be unactivated (32-bit potentials read by the host).
    %3 = akida.fully_connected "dense"(%2) {units = 10, weights_bits = 4, activation = false, weights = dense<1> : tensor<1x1x32x10xsi8>, threshold = dense<0> : tensor<10xsi32>, act_step = dense<1.0> : tensor<10xf32>} : (tensor<1x1x1x32xui4>) -> tensor<1x1x1x10xsi32>
    return %3 : tensor<1x1x1x10xsi32>
  }
}

// -----

//===----------------------------------------------------------------------===//
// Akida 1.0 rules
//===----------------------------------------------------------------------===//

// An input convolution on 2 channels (the HRC takes 1 or 3), a 9x9 kernel
// with stride 3 on a CNP (two rules, two remarks). The other layers stay in
// hardware.

// CHECK-LABEL: func.func @v1_rules
// CHECK: akida.input_convolutional "conv_0"
// CHECK-SAME: akida.backend = "software"
// CHECK: akida.convolutional "conv_1"
// CHECK-SAME: akida.backend = "software"
// CHECK: akida.convolutional "conv_2"
// CHECK-SAME: akida.backend = "hardware"
module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"} {
  func.func @v1_rules(%arg0: tensor<1x16x16x2xui8>) -> tensor<1x6x6x8xui4> {
    // expected-remark @+1 {{layer 'conv_0' (InputConvolutional): input_channels 2 is not supported on the input convolution block; allowed: 1, 3 [input_channels]; the layer runs in software}}
    %0 = akida.input_convolutional "conv_0"(%arg0) {filters = 8, kernel_size = array<i64: 3, 3>, weights_bits = 8, act_bits = 4, weights = dense<1> : tensor<3x3x2x8xsi8>, threshold = dense<0> : tensor<8xsi32>, act_step = dense<1.0> : tensor<8xf32>} : (tensor<1x16x16x2xui8>) -> tensor<1x16x16x8xui4>
    // expected-remark @+2 {{layer 'conv_1' (Convolutional): kernel_size 9x9 is not supported on a CNP; allowed: 1x1, 3x3, 5x5, 7x7 [kernel_size]; the layer runs in software}}
    // expected-remark @+1 {{layer 'conv_1' (Convolutional): kernel_stride 3 is not supported; allowed: 1, 2 (the same on both axes; 2 only with 3x3 kernels) [stride]; the layer runs in software}}
    %1 = akida.convolutional "conv_1"(%0) {filters = 16, kernel_size = array<i64: 9, 9>, kernel_stride = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<9x9x8x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x16x16x8xui4>) -> tensor<1x6x6x16xui4>
    %2 = akida.convolutional "conv_2"(%1) {filters = 8, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x16x8xsi8>, threshold = dense<0> : tensor<8xsi32>, act_step = dense<1.0> : tensor<8xf32>} : (tensor<1x6x6x16xui4>) -> tensor<1x6x6x8xui4>
    return %2 : tensor<1x6x6x8xui4>
  }
}

// -----

// Stride 2 only with 3x3 kernels; 8-bit inputs and 8-bit weights do not fit a
// CNP; max pooling must feed a convolution.

// CHECK-LABEL: func.func @v1_more_rules
// CHECK: akida.input_data "input"
// CHECK-SAME: akida.backend = "hardware"
// CHECK: akida.convolutional "conv_0"
// CHECK-SAME: akida.backend = "software"
// CHECK: akida.convolutional "conv_1"
// CHECK-SAME: akida.backend = "software"
// CHECK: akida.fully_connected "fc"
// CHECK-SAME: akida.backend = "hardware"
module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1500"} {
  func.func @v1_more_rules(%arg0: tensor<1x16x16x4xui8>) -> tensor<1x1x1x10xsi32> {
    %0 = akida.input_data "input"(%arg0) {input_bits = 8} : (tensor<1x16x16x4xui8>) -> tensor<1x16x16x4xui8>
    // expected-remark @+3 {{layer 'conv_0' (Convolutional): kernel_stride 2 is only supported with 3x3 kernels, not 5x5; allowed: stride 1 with 5x5, stride 1 or 2 with 3x3 [stride]; the layer runs in software}}
    // expected-remark @+2 {{layer 'conv_0' (Convolutional): input bits 8 is not supported on a CNP; allowed: 1, 2, 4 bits [bits]; the layer runs in software}}
    // expected-remark @+1 {{layer 'conv_0' (Convolutional): weights_bits 8 is not supported on a CNP; allowed: 1, 2, 4 bits [bits]; the layer runs in software}}
    %1 = akida.convolutional "conv_0"(%0) {filters = 8, kernel_size = array<i64: 5, 5>, kernel_stride = array<i64: 2, 2>, weights_bits = 8, act_bits = 4, weights = dense<1> : tensor<5x5x4x8xsi8>, threshold = dense<0> : tensor<8xsi32>, act_step = dense<1.0> : tensor<8xf32>} : (tensor<1x16x16x4xui8>) -> tensor<1x8x8x8xui4>
    // expected-remark @+1 {{layer 'conv_1' (Convolutional): max pooling must be followed by a convolution but next is 'fc' (FullyConnected); allowed: next layer Convolutional, SeparableConvolutional [pooling]; the layer runs in software}}
    %2 = akida.convolutional "conv_1"(%1) {filters = 8, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, pool_type = #akida.pool_type<max>, pool_size = array<i64: 2, 2>, weights = dense<1> : tensor<3x3x8x8xsi8>, threshold = dense<0> : tensor<8xsi32>, act_step = dense<1.0> : tensor<8xf32>} : (tensor<1x8x8x8xui4>) -> tensor<1x4x4x8xui4>
    %3 = akida.fully_connected "fc"(%2) {units = 10, weights_bits = 4, activation = false, weights = dense<1> : tensor<1x1x128x10xsi8>, threshold = dense<0> : tensor<10xsi32>, act_step = dense<1.0> : tensor<10xf32>} : (tensor<1x4x4x8xui4>) -> tensor<1x1x1x10xsi32>
    return %3 : tensor<1x1x1x10xsi32>
  }
}

// -----

// A max pooling layer that is the model output has no convolution after it.

// CHECK-LABEL: func.func @v1_pool_output
// CHECK: akida.convolutional "conv_1"
// CHECK-SAME: akida.backend = "software"
module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "TwoNodesIP"} {
  func.func @v1_pool_output(%arg0: tensor<1x8x8x4xui8>) -> tensor<1x4x4x8xui4> {
    %0 = akida.input_data "input"(%arg0) {input_bits = 4} : (tensor<1x8x8x4xui8>) -> tensor<1x8x8x4xui4>
    // expected-remark @+1 {{layer 'conv_1' (Convolutional): max pooling must be followed by a convolution but it is a model output; allowed: next layer Convolutional, SeparableConvolutional [pooling]; the layer runs in software}}
    %1 = akida.convolutional "conv_1"(%0) {filters = 8, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, pool_type = #akida.pool_type<max>, pool_size = array<i64: 2, 2>, weights = dense<1> : tensor<3x3x4x8xsi8>, threshold = dense<0> : tensor<8xsi32>, act_step = dense<1.0> : tensor<8xf32>} : (tensor<1x8x8x4xui4>) -> tensor<1x4x4x8xui4>
    return %1 : tensor<1x4x4x8xui4>
  }
}

// -----

// The "activation off but feeds a hardware layer" rule [topology] cannot be
// reached from MLIR: the unactivated si32 output is refused by the next v1
// layer's verifier before any pass runs.

module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"} {
  func.func @v1_unactivated_hidden(%arg0: tensor<1x1x1x16xui8>) -> tensor<1x1x1x10xui4> {
    %0 = akida.input_data "input"(%arg0) {input_bits = 4} : (tensor<1x1x1x16xui8>) -> tensor<1x1x1x16xui4>
    %1 = akida.fully_connected "fc_1"(%0) {units = 32, weights_bits = 4, activation = false, weights = dense<1> : tensor<1x1x16x32xsi8>, threshold = dense<0> : tensor<32xsi32>, act_step = dense<1.0> : tensor<32xf32>} : (tensor<1x1x1x16xui4>) -> tensor<1x1x1x32xsi32>
    // expected-error @+1 {{'akida.fully_connected' op input element type 'si32' must be unsigned: Akida 1.0 activations are unsigned (ui1, ui2, ui4, ui8)}}
    %2 = akida.fully_connected "fc_2"(%1) {units = 10, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x32x10xsi8>, threshold = dense<0> : tensor<10xsi32>, act_step = dense<1.0> : tensor<10xf32>} : (tensor<1x1x1x32xsi32>) -> tensor<1x1x1x10xui4>
    return %2 : tensor<1x1x1x10xui4>
  }
}

// -----

//===----------------------------------------------------------------------===//
// The device's IP version and resources
//===----------------------------------------------------------------------===//

// A v1 model whose akida.target names a v2 device (set by hand: the attach
// pass refuses it): every layer is of the wrong IP version. InputData has no
// IP version and is never refused.

// CHECK-LABEL: func.func @v1_on_v2_device
// CHECK: akida.input_data "input"
// CHECK-SAME: akida.backend = "hardware"
// CHECK: akida.fully_connected "fc"
// CHECK-SAME: akida.backend = "software"
module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "TwoNodesIPv2"} {
  func.func @v1_on_v2_device(%arg0: tensor<1x1x1x16xui8>) -> tensor<1x1x1x10xui4> {
    %0 = akida.input_data "input"(%arg0) {input_bits = 4} : (tensor<1x1x1x16xui8>) -> tensor<1x1x1x16xui4>
    // expected-remark @+1 {{layer 'fc' (FullyConnected): is an Akida 1.0 layer but the device is Akida 2.0; allowed: Akida 2.0 layer types [layer_type]; the layer runs in software}}
    %1 = akida.fully_connected "fc"(%0) {units = 10, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x16x10xsi8>, threshold = dense<0> : tensor<10xsi32>, act_step = dense<1.0> : tensor<10xf32>} : (tensor<1x1x1x16xui4>) -> tensor<1x1x1x10xui4>
    return %1 : tensor<1x1x1x10xui4>
  }
}

// -----

//===----------------------------------------------------------------------===//
// Akida 2.0 rules
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @v2_rules
// CHECK: akida.input_conv2d "conv_0"
// CHECK-SAME: akida.backend = "hardware"
// CHECK: akida.conv2d "conv_1"
// CHECK-SAME: akida.backend = "software"
// CHECK: akida.buffer_temp_conv "btc"
// CHECK-SAME: akida.backend = "software"
// CHECK: akida.dense1d "classifier"
// CHECK-SAME: akida.backend = "software"
// CHECK: akida.dequantizer "dequantizer"
// CHECK-SAME: akida.backend = "software"
module attributes {akida.ip_version = #akida.ip_version<v2>, akida.target = "TwoNodesIPv2"} {
  func.func @v2_rules(%arg0: tensor<1x32x32x3xui8>) -> tensor<1x1x1x10xf32> {
    %0 = akida.input_conv2d "conv_0"(%arg0) {filters = 8, kernel_size = 3, kernel_stride = 2, weights = dense<1> : tensor<3x3x3x8xsi8>} : (tensor<1x32x32x3xui8>) -> tensor<1x16x16x8xui8>
    // expected-remark @+1 {{layer 'conv_1' (Conv2D): kernel_stride 2 is only supported with 3x3 kernels, not 5x5; allowed: stride 1 with 5x5, stride 1 or 2 with 3x3 [stride]; the layer runs in software}}
    %1 = akida.conv2d "conv_1"(%0) {filters = 16, kernel_size = 5, kernel_stride = 2, weights = dense<1> : tensor<5x5x8x16xsi8>} : (tensor<1x16x16x8xui8>) -> tensor<1x8x8x16xui8>
    // expected-remark @+1 {{layer 'btc' (BufferTempConv): runs on a TNP_B NP but the device has none; allowed: devices with TNP_B NPs [layer_type]; the layer runs in software}}
    %2 = akida.buffer_temp_conv "btc"(%1) {filters = 48, fifo_size = 4, weights = dense<1> : tensor<4x16x48xsi8>} : (tensor<1x8x8x16xui8>) -> tensor<1x8x8x48xui8>
    // expected-remark @+1 {{layer 'classifier' (Dense1D): fan-in 3072 (input [8, 8, 48] flattened) is too large; allowed: at most 2048 [fan_in]; the layer runs in software}}
    %3 = akida.dense1d "classifier"(%2) {units = 10, output_bits = 32, buffer_bits = 32, post_op_buffer_bits = 32, weights = dense<1> : tensor<3072x10xsi8>} : (tensor<1x8x8x48xui8>) -> tensor<1x1x1x10xsi32>
    // expected-remark @+1 {{layer 'dequantizer' (Dequantizer) has no hardware implementation; allowed: software only [layer_type]; the layer runs in software}}
    %4 = akida.dequantizer "dequantizer"(%3) {scales = dense<0.125> : tensor<10xf32>} : (tensor<1x1x1x10xsi32>) -> tensor<1x1x1x10xf32>
    return %4 : tensor<1x1x1x10xf32>
  }
}

// -----

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

// expected-error @+1 {{the module has no 'akida.target' attribute; run akida-attach-target first}}
module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @no_target(%arg0: tensor<1x1x1x16xui8>) -> tensor<1x1x1x16xui4> {
    %0 = akida.input_data "input"(%arg0) {input_bits = 4} : (tensor<1x1x1x16xui8>) -> tensor<1x1x1x16xui4>
    return %0 : tensor<1x1x1x16xui4>
  }
}

// -----

// expected-error @+1 {{unknown virtual device 'AKD9000'; expected one of: AKD1000, AKD1500, TwoNodesIP, TwoNodesIPv2, SixNodesIPv2}}
module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD9000"} {
  func.func @unknown_target(%arg0: tensor<1x1x1x16xui8>) -> tensor<1x1x1x16xui4> {
    %0 = akida.input_data "input"(%arg0) {input_bits = 4} : (tensor<1x1x1x16xui8>) -> tensor<1x1x1x16xui4>
    return %0 : tensor<1x1x1x16xui4>
  }
}

// -----

// A model module holds one function.

// expected-error @+1 {{an akida model module holds exactly one func.func, found 2}}
module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"} {
  func.func @first(%arg0: tensor<1x1x1x16xui8>) -> tensor<1x1x1x16xui4> {
    %0 = akida.input_data "input"(%arg0) {input_bits = 4} : (tensor<1x1x1x16xui8>) -> tensor<1x1x1x16xui4>
    return %0 : tensor<1x1x1x16xui4>
  }
  func.func @second(%arg0: tensor<1x1x1x16xui8>) -> tensor<1x1x1x16xui4> {
    %0 = akida.input_data "input"(%arg0) {input_bits = 4} : (tensor<1x1x1x16xui8>) -> tensor<1x1x1x16xui4>
    return %0 : tensor<1x1x1x16xui4>
  }
}
