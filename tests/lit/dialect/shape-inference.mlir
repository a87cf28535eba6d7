// RUN: akida-opt %s -split-input-file | FileCheck %s

// Result types of akida layers are inferred from the operand types and the
// layer parameters; a written type that disagrees is rejected (see
// invalid.mlir). These cases are accepted only if the written type is the
// inferred one, and they print back unchanged.
//
//   same / same_upper: out = ceil(in / stride)
//   valid:             out = floor((in - kernel) / stride) + 1
//   max pooling:       the layer's padding rule again, on the convolution
//                      output, with pool_size / pool_stride (default: size)
//   average pooling:   global, 1 x 1

//===----------------------------------------------------------------------===//
// Akida 1.0
//===----------------------------------------------------------------------===//

module attributes {akida.ip_version = #akida.ip_version<v1>} {

  // CHECK-LABEL: func.func @v1_same_padding
  func.func @v1_same_padding(%arg0: tensor<1x7x8x1xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x7x8x1xui8>) -> tensor<1x7x8x1xui4>
    // stride 1: 7x8
    // CHECK: "s1"{{.*}} -> tensor<1x7x8x2xui1>
    %1 = akida.convolutional "s1"(%0) {filters = 2, kernel_size = array<i64: 3, 3>,
        weights = dense<1> : tensor<3x3x1x2xsi8>,
        threshold = dense<0> : tensor<2xsi32>, act_step = dense<1.0> : tensor<2xf32>}
        : (tensor<1x7x8x1xui4>) -> tensor<1x7x8x2xui1>
    // stride 2: ceil(7/2) = 4, ceil(8/2) = 4
    // CHECK: "s2"{{.*}} -> tensor<1x4x4x2xui1>
    %2 = akida.convolutional "s2"(%0) {filters = 2, kernel_size = array<i64: 3, 3>,
        kernel_stride = array<i64: 2, 2>, padding = #akida.padding<same>,
        weights = dense<1> : tensor<3x3x1x2xsi8>,
        threshold = dense<0> : tensor<2xsi32>, act_step = dense<1.0> : tensor<2xf32>}
        : (tensor<1x7x8x1xui4>) -> tensor<1x4x4x2xui1>
    // stride 3: ceil(7/3) = 3, ceil(8/3) = 3
    // CHECK: "s3"{{.*}} -> tensor<1x3x3x2xui1>
    %3 = akida.convolutional "s3"(%0) {filters = 2, kernel_size = array<i64: 3, 3>,
        kernel_stride = array<i64: 3, 3>,
        weights = dense<1> : tensor<3x3x1x2xsi8>,
        threshold = dense<0> : tensor<2xsi32>, act_step = dense<1.0> : tensor<2xf32>}
        : (tensor<1x7x8x1xui4>) -> tensor<1x3x3x2xui1>
    // kernel larger than the input is fine with same padding
    // CHECK: "big"{{.*}} -> tensor<1x7x8x2xui1>
    %4 = akida.convolutional "big"(%0) {filters = 2, kernel_size = array<i64: 9, 9>,
        weights = dense<1> : tensor<9x9x1x2xsi8>,
        threshold = dense<0> : tensor<2xsi32>, act_step = dense<1.0> : tensor<2xf32>}
        : (tensor<1x7x8x1xui4>) -> tensor<1x7x8x2xui1>
    return
  }

  // CHECK-LABEL: func.func @v1_same_upper_padding
  func.func @v1_same_upper_padding(%arg0: tensor<1x7x8x1xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x7x8x1xui8>) -> tensor<1x7x8x1xui4>
    // stride 2: ceil(7/2) = 4, ceil(8/2) = 4
    // CHECK: "u2"{{.*}} -> tensor<1x4x4x2xui1>
    %1 = akida.convolutional "u2"(%0) {filters = 2, kernel_size = array<i64: 3, 3>,
        kernel_stride = array<i64: 2, 2>, padding = #akida.padding<same_upper>,
        weights = dense<1> : tensor<3x3x1x2xsi8>,
        threshold = dense<0> : tensor<2xsi32>, act_step = dense<1.0> : tensor<2xf32>}
        : (tensor<1x7x8x1xui4>) -> tensor<1x4x4x2xui1>
    // stride 3: ceil(7/3) = 3, ceil(8/3) = 3
    // CHECK: "u3"{{.*}} -> tensor<1x3x3x2xui1>
    %2 = akida.convolutional "u3"(%0) {filters = 2, kernel_size = array<i64: 2, 2>,
        kernel_stride = array<i64: 3, 3>, padding = #akida.padding<same_upper>,
        weights = dense<1> : tensor<2x2x1x2xsi8>,
        threshold = dense<0> : tensor<2xsi32>, act_step = dense<1.0> : tensor<2xf32>}
        : (tensor<1x7x8x1xui4>) -> tensor<1x3x3x2xui1>
    return
  }

  // CHECK-LABEL: func.func @v1_valid_padding
  func.func @v1_valid_padding(%arg0: tensor<1x10x7x1xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x10x7x1xui8>) -> tensor<1x10x7x1xui4>
    // stride 1: 10-3+1 = 8, 7-3+1 = 5
    // CHECK: "v1"{{.*}} -> tensor<1x8x5x2xui1>
    %1 = akida.convolutional "v1"(%0) {filters = 2, kernel_size = array<i64: 3, 3>,
        padding = #akida.padding<valid>,
        weights = dense<1> : tensor<3x3x1x2xsi8>,
        threshold = dense<0> : tensor<2xsi32>, act_step = dense<1.0> : tensor<2xf32>}
        : (tensor<1x10x7x1xui4>) -> tensor<1x8x5x2xui1>
    // stride 2: floor(7/2)+1 = 4, floor(4/2)+1 = 3
    // CHECK: "v2"{{.*}} -> tensor<1x4x3x2xui1>
    %2 = akida.convolutional "v2"(%0) {filters = 2, kernel_size = array<i64: 3, 3>,
        kernel_stride = array<i64: 2, 2>, padding = #akida.padding<valid>,
        weights = dense<1> : tensor<3x3x1x2xsi8>,
        threshold = dense<0> : tensor<2xsi32>, act_step = dense<1.0> : tensor<2xf32>}
        : (tensor<1x10x7x1xui4>) -> tensor<1x4x3x2xui1>
    // stride 3: floor(7/3)+1 = 3, floor(4/3)+1 = 2
    // CHECK: "v3"{{.*}} -> tensor<1x3x2x2xui1>
    %3 = akida.convolutional "v3"(%0) {filters = 2, kernel_size = array<i64: 3, 3>,
        kernel_stride = array<i64: 3, 3>, padding = #akida.padding<valid>,
        weights = dense<1> : tensor<3x3x1x2xsi8>,
        threshold = dense<0> : tensor<2xsi32>, act_step = dense<1.0> : tensor<2xf32>}
        : (tensor<1x10x7x1xui4>) -> tensor<1x3x2x2xui1>
    // kernel as large as the input: 1x1
    // CHECK: "full"{{.*}} -> tensor<1x1x1x2xui1>
    %4 = akida.convolutional "full"(%0) {filters = 2, kernel_size = array<i64: 10, 7>,
        padding = #akida.padding<valid>,
        weights = dense<1> : tensor<10x7x1x2xsi8>,
        threshold = dense<0> : tensor<2xsi32>, act_step = dense<1.0> : tensor<2xf32>}
        : (tensor<1x10x7x1xui4>) -> tensor<1x1x1x2xui1>
    return
  }

  // CHECK-LABEL: func.func @v1_non_square
  func.func @v1_non_square(%arg0: tensor<1x9x8x1xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x9x8x1xui8>) -> tensor<1x9x8x1xui4>
    // kernel (5, 3) valid: 9-5+1 = 5 rows, 8-3+1 = 6 columns
    // CHECK: "k53"{{.*}} -> tensor<1x5x6x2xui1>
    %1 = akida.convolutional "k53"(%0) {filters = 2, kernel_size = array<i64: 5, 3>,
        padding = #akida.padding<valid>,
        weights = dense<1> : tensor<5x3x1x2xsi8>,
        threshold = dense<0> : tensor<2xsi32>, act_step = dense<1.0> : tensor<2xf32>}
        : (tensor<1x9x8x1xui4>) -> tensor<1x5x6x2xui1>
    // kernel (1, 7), stride (2, 1) valid: floor(8/2)+1 = 5 rows, 8-7+1 = 2 columns
    // CHECK: "k17"{{.*}} -> tensor<1x5x2x2xui1>
    %2 = akida.convolutional "k17"(%0) {filters = 2, kernel_size = array<i64: 1, 7>,
        kernel_stride = array<i64: 2, 1>, padding = #akida.padding<valid>,
        weights = dense<1> : tensor<1x7x1x2xsi8>,
        threshold = dense<0> : tensor<2xsi32>, act_step = dense<1.0> : tensor<2xf32>}
        : (tensor<1x9x8x1xui4>) -> tensor<1x5x2x2xui1>
    // kernel (5, 3), stride (2, 3) same: ceil(9/2) = 5 rows, ceil(8/3) = 3 columns
    // CHECK: "k53s"{{.*}} -> tensor<1x5x3x2xui1>
    %3 = akida.convolutional "k53s"(%0) {filters = 2, kernel_size = array<i64: 5, 3>,
        kernel_stride = array<i64: 2, 3>,
        weights = dense<1> : tensor<5x3x1x2xsi8>,
        threshold = dense<0> : tensor<2xsi32>, act_step = dense<1.0> : tensor<2xf32>}
        : (tensor<1x9x8x1xui4>) -> tensor<1x5x3x2xui1>
    return
  }

  // CHECK-LABEL: func.func @v1_max_pooling
  func.func @v1_max_pooling(%arg0: tensor<1x8x8x1xui8>, %arg1: tensor<1x10x10x1xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x1xui8>) -> tensor<1x8x8x1xui4>
    %1 = akida.input_data "in10"(%arg1) {input_bits = 4} : (tensor<1x10x10x1xui8>) -> tensor<1x10x10x1xui4>
    // same: conv 8x8, pool 3 stride 2: ceil(8/2) = 4
    // CHECK: "same_p3s2"{{.*}} -> tensor<1x4x4x2xui1>
    %2 = akida.convolutional "same_p3s2"(%0) {filters = 2, kernel_size = array<i64: 3, 3>,
        pool_type = #akida.pool_type<max>, pool_size = array<i64: 3, 3>,
        pool_stride = array<i64: 2, 2>,
        weights = dense<1> : tensor<3x3x1x2xsi8>,
        threshold = dense<0> : tensor<2xsi32>, act_step = dense<1.0> : tensor<2xf32>}
        : (tensor<1x8x8x1xui4>) -> tensor<1x4x4x2xui1>
    // same: conv stride 2 -> 4x4, pool 2 stride 3: ceil(4/3) = 2
    // CHECK: "same_p2s3"{{.*}} -> tensor<1x2x2x2xui1>
    %3 = akida.convolutional "same_p2s3"(%0) {filters = 2, kernel_size = array<i64: 3, 3>,
        kernel_stride = array<i64: 2, 2>,
        pool_type = #akida.pool_type<max>, pool_size = array<i64: 2, 2>,
        pool_stride = array<i64: 3, 3>,
        weights = dense<1> : tensor<3x3x1x2xsi8>,
        threshold = dense<0> : tensor<2xsi32>, act_step = dense<1.0> : tensor<2xf32>}
        : (tensor<1x8x8x1xui4>) -> tensor<1x2x2x2xui1>
    // same, non-square pool (3, 2) stride (2, 3): ceil(8/2) = 4, ceil(8/3) = 3
    // CHECK: "same_rect"{{.*}} -> tensor<1x4x3x2xui1>
    %4 = akida.convolutional "same_rect"(%0) {filters = 2, kernel_size = array<i64: 3, 3>,
        pool_type = #akida.pool_type<max>, pool_size = array<i64: 3, 2>,
        pool_stride = array<i64: 2, 3>,
        weights = dense<1> : tensor<3x3x1x2xsi8>,
        threshold = dense<0> : tensor<2xsi32>, act_step = dense<1.0> : tensor<2xf32>}
        : (tensor<1x8x8x1xui4>) -> tensor<1x4x3x2xui1>
    // valid: conv 10-3+1 = 8, pool 3 stride 2: floor(5/2)+1 = 3
    // CHECK: "valid_p3s2"{{.*}} -> tensor<1x3x3x2xui1>
    %5 = akida.convolutional "valid_p3s2"(%1) {filters = 2, kernel_size = array<i64: 3, 3>,
        padding = #akida.padding<valid>,
        pool_type = #akida.pool_type<max>, pool_size = array<i64: 3, 3>,
        pool_stride = array<i64: 2, 2>,
        weights = dense<1> : tensor<3x3x1x2xsi8>,
        threshold = dense<0> : tensor<2xsi32>, act_step = dense<1.0> : tensor<2xf32>}
        : (tensor<1x10x10x1xui4>) -> tensor<1x3x3x2xui1>
    // valid: conv 8, pool 2 stride 1: 8-2+1 = 7
    // CHECK: "valid_p2s1"{{.*}} -> tensor<1x7x7x2xui1>
    %6 = akida.convolutional "valid_p2s1"(%1) {filters = 2, kernel_size = array<i64: 3, 3>,
        padding = #akida.padding<valid>,
        pool_type = #akida.pool_type<max>, pool_size = array<i64: 2, 2>,
        pool_stride = array<i64: 1, 1>,
        weights = dense<1> : tensor<3x3x1x2xsi8>,
        threshold = dense<0> : tensor<2xsi32>, act_step = dense<1.0> : tensor<2xf32>}
        : (tensor<1x10x10x1xui4>) -> tensor<1x7x7x2xui1>
    // valid, pool_stride defaults to pool_size: conv 7 (k4), pool 2: floor(5/2)+1 = 3
    // CHECK: "valid_p2"{{.*}} -> tensor<1x3x3x2xui1>
    %7 = akida.convolutional "valid_p2"(%1) {filters = 2, kernel_size = array<i64: 4, 4>,
        padding = #akida.padding<valid>,
        pool_type = #akida.pool_type<max>, pool_size = array<i64: 2, 2>,
        weights = dense<1> : tensor<4x4x1x2xsi8>,
        threshold = dense<0> : tensor<2xsi32>, act_step = dense<1.0> : tensor<2xf32>}
        : (tensor<1x10x10x1xui4>) -> tensor<1x3x3x2xui1>
    // same, pool_stride defaults to pool_size: conv 10, pool 3: ceil(10/3) = 4
    // CHECK: "same_p3"{{.*}} -> tensor<1x4x4x2xui1>
    %8 = akida.convolutional "same_p3"(%1) {filters = 2, kernel_size = array<i64: 3, 3>,
        pool_type = #akida.pool_type<max>, pool_size = array<i64: 3, 3>,
        weights = dense<1> : tensor<3x3x1x2xsi8>,
        threshold = dense<0> : tensor<2xsi32>, act_step = dense<1.0> : tensor<2xf32>}
        : (tensor<1x10x10x1xui4>) -> tensor<1x4x4x2xui1>
    return
  }

  // CHECK-LABEL: func.func @v1_global_average
  func.func @v1_global_average(%arg0: tensor<1x7x9x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x7x9x3xui8>) -> tensor<1x7x9x3xui4>
    // CHECK: "avg_conv"{{.*}} -> tensor<1x1x1x2xui1>
    %1 = akida.convolutional "avg_conv"(%0) {filters = 2, kernel_size = array<i64: 3, 3>,
        pool_type = #akida.pool_type<average>,
        weights = dense<1> : tensor<3x3x3x2xsi8>,
        threshold = dense<0> : tensor<2xsi32>, act_step = dense<1.0> : tensor<2xf32>}
        : (tensor<1x7x9x3xui4>) -> tensor<1x1x1x2xui1>
    // CHECK: "avg_sep"{{.*}} -> tensor<1x1x1x5xui4>
    %2 = akida.separable_convolutional "avg_sep"(%0) {filters = 5,
        kernel_size = array<i64: 3, 3>, kernel_stride = array<i64: 2, 2>,
        padding = #akida.padding<valid>, act_bits = 4,
        pool_type = #akida.pool_type<average>,
        weights = dense<1> : tensor<3x3x3x1xsi8>,
        weights_pw = dense<1> : tensor<1x1x3x5xsi8>,
        threshold = dense<0> : tensor<5xsi32>, act_step = dense<1.0> : tensor<5xf32>}
        : (tensor<1x7x9x3xui4>) -> tensor<1x1x1x5xui4>
    return
  }

  // CHECK-LABEL: func.func @v1_separable
  func.func @v1_separable(%arg0: tensor<1x7x7x16xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x7x7x16xui8>) -> tensor<1x7x7x16xui4>
    // stride 2 same: ceil(7/2) = 4, filters = 32 channels
    // CHECK: "sep"{{.*}} -> tensor<1x4x4x32xui2>
    %1 = akida.separable_convolutional "sep"(%0) {filters = 32,
        kernel_size = array<i64: 3, 3>, kernel_stride = array<i64: 2, 2>, act_bits = 2,
        weights = dense<1> : tensor<3x3x16x1xsi8>,
        weights_pw = dense<1> : tensor<1x1x16x32xsi8>,
        threshold = dense<0> : tensor<32xsi32>, act_step = dense<1.0> : tensor<32xf32>}
        : (tensor<1x7x7x16xui4>) -> tensor<1x4x4x32xui2>
    return
  }

  // CHECK-LABEL: func.func @v1_fully_connected
  func.func @v1_fully_connected(%arg0: tensor<1x4x4x8xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x4x4x8xui8>) -> tensor<1x4x4x8xui4>
    // flatten 4*4*8 = 128 features into 10 units
    // CHECK: "fc"{{.*}} -> tensor<1x1x1x10xui1>
    %1 = akida.fully_connected "fc"(%0) {units = 10,
        weights = dense<1> : tensor<1x1x128x10xsi8>,
        threshold = dense<0> : tensor<10xsi32>, act_step = dense<1.0> : tensor<10xf32>}
        : (tensor<1x4x4x8xui4>) -> tensor<1x1x1x10xui1>
    // CHECK: "fc_raw"{{.*}} -> tensor<1x1x1x3xsi32>
    %2 = akida.fully_connected "fc_raw"(%1) {units = 3, activation = false,
        weights = dense<1> : tensor<1x1x10x3xsi8>,
        threshold = dense<0> : tensor<3xsi32>, act_step = dense<1.0> : tensor<3xf32>}
        : (tensor<1x1x1x10xui1>) -> tensor<1x1x1x3xsi32>
    return
  }

  // CHECK-LABEL: func.func @v1_element_types
  func.func @v1_element_types(%arg0: tensor<1x4x4x2xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x4x4x2xui8>) -> tensor<1x4x4x2xui4>
    // act_bits defaults to 1
    // CHECK: "act1"{{.*}} -> tensor<1x4x4x2xui1>
    %1 = akida.convolutional "act1"(%0) {filters = 2, kernel_size = array<i64: 3, 3>,
        weights = dense<1> : tensor<3x3x2x2xsi8>,
        threshold = dense<0> : tensor<2xsi32>, act_step = dense<1.0> : tensor<2xf32>}
        : (tensor<1x4x4x2xui4>) -> tensor<1x4x4x2xui1>
    // CHECK: "act2"{{.*}} -> tensor<1x4x4x2xui2>
    %2 = akida.convolutional "act2"(%0) {filters = 2, kernel_size = array<i64: 3, 3>,
        act_bits = 2, weights = dense<1> : tensor<3x3x2x2xsi8>,
        threshold = dense<0> : tensor<2xsi32>, act_step = dense<1.0> : tensor<2xf32>}
        : (tensor<1x4x4x2xui4>) -> tensor<1x4x4x2xui2>
    // CHECK: "act4"{{.*}} -> tensor<1x4x4x2xui4>
    %3 = akida.convolutional "act4"(%0) {filters = 2, kernel_size = array<i64: 3, 3>,
        act_bits = 4, weights = dense<1> : tensor<3x3x2x2xsi8>,
        threshold = dense<0> : tensor<2xsi32>, act_step = dense<1.0> : tensor<2xf32>}
        : (tensor<1x4x4x2xui4>) -> tensor<1x4x4x2xui4>
    // without activation: raw si32 potentials, act_bits is ignored (and act_step
    // may be 0)
    // CHECK: "noact"{{.*}} -> tensor<1x4x4x2xsi32>
    %4 = akida.convolutional "noact"(%0) {filters = 2, kernel_size = array<i64: 3, 3>,
        activation = false, act_bits = 4, weights = dense<1> : tensor<3x3x2x2xsi8>,
        threshold = dense<0> : tensor<2xsi32>, act_step = dense<0.0> : tensor<2xf32>}
        : (tensor<1x4x4x2xui4>) -> tensor<1x4x4x2xsi32>
    return
  }

  // CHECK-LABEL: func.func @v1_input_convolutional
  func.func @v1_input_convolutional(%arg0: tensor<1x28x28x1xui8>) {
    // CHECK: "conv_0"{{.*}} -> tensor<1x14x14x8xui4>
    %0 = akida.input_convolutional "conv_0"(%arg0) {filters = 8,
        kernel_size = array<i64: 3, 3>, kernel_stride = array<i64: 2, 2>,
        weights_bits = 8, act_bits = 4, padding_value = 255,
        weights = dense<1> : tensor<3x3x1x8xsi8>,
        threshold = dense<0> : tensor<8xsi32>, act_step = dense<1.0> : tensor<8xf32>}
        : (tensor<1x28x28x1xui8>) -> tensor<1x14x14x8xui4>
    return
  }

  // CHECK-LABEL: func.func @v1_dynamic_batch
  func.func @v1_dynamic_batch(%arg0: tensor<?x7x7x1xui8>) {
    // CHECK: "in"{{.*}} -> tensor<?x7x7x1xui4>
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<?x7x7x1xui8>) -> tensor<?x7x7x1xui4>
    // CHECK: "conv"{{.*}} -> tensor<?x4x4x2xui1>
    %1 = akida.convolutional "conv"(%0) {filters = 2, kernel_size = array<i64: 3, 3>,
        kernel_stride = array<i64: 2, 2>,
        weights = dense<1> : tensor<3x3x1x2xsi8>,
        threshold = dense<0> : tensor<2xsi32>, act_step = dense<1.0> : tensor<2xf32>}
        : (tensor<?x7x7x1xui4>) -> tensor<?x4x4x2xui1>
    // CHECK: "fc"{{.*}} -> tensor<?x1x1x10xsi32>
    %2 = akida.fully_connected "fc"(%1) {units = 10, activation = false,
        weights = dense<1> : tensor<1x1x32x10xsi8>,
        threshold = dense<0> : tensor<10xsi32>, act_step = dense<1.0> : tensor<10xf32>}
        : (tensor<?x4x4x2xui1>) -> tensor<?x1x1x10xsi32>
    return
  }

  // CHECK-LABEL: func.func @v1_input_data
  func.func @v1_input_data(%arg0: tensor<1x5x6x3xui8>, %arg1: tensor<1x5x6x3xsi8>, %arg2: tensor<1x5x6x3xui16>) {
    // CHECK: "u1"{{.*}} -> tensor<1x5x6x3xui1>
    %0 = akida.input_data "u1"(%arg0) {input_bits = 1} : (tensor<1x5x6x3xui8>) -> tensor<1x5x6x3xui1>
    // input_bits defaults to 4
    // CHECK: "u4"{{.*}} -> tensor<1x5x6x3xui4>
    %1 = akida.input_data "u4"(%arg0) : (tensor<1x5x6x3xui8>) -> tensor<1x5x6x3xui4>
    // CHECK: "u8"{{.*}} -> tensor<1x5x6x3xui8>
    %2 = akida.input_data "u8"(%arg2) {input_bits = 8} : (tensor<1x5x6x3xui16>) -> tensor<1x5x6x3xui8>
    // CHECK: "s8"{{.*}} -> tensor<1x5x6x3xsi8>
    %3 = akida.input_data "s8"(%arg1) {input_bits = 8, input_signed = true} : (tensor<1x5x6x3xsi8>) -> tensor<1x5x6x3xsi8>
    // CHECK: "s2"{{.*}} -> tensor<1x5x6x3xsi2>
    %4 = akida.input_data "s2"(%arg1) {input_bits = 2, input_signed = true} : (tensor<1x5x6x3xsi8>) -> tensor<1x5x6x3xsi2>
    return
  }
}

//===----------------------------------------------------------------------===//
// Akida 2.0
//===----------------------------------------------------------------------===//

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {

  // CHECK-LABEL: func.func @v2_input_conv2d
  func.func @v2_input_conv2d(%arg0: tensor<1x31x32x3xui8>, %arg1: tensor<1x31x32x3xsi8>) {
    // same, stride 2: ceil(31/2) = 16, ceil(32/2) = 16
    // CHECK: "conv_u"{{.*}} -> tensor<1x16x16x8xui8>
    %0 = akida.input_conv2d "conv_u"(%arg0) {filters = 8, kernel_size = 3,
        kernel_stride = 2, weights = dense<1> : tensor<3x3x3x8xsi8>}
        : (tensor<1x31x32x3xui8>) -> tensor<1x16x16x8xui8>
    // signed 8-bit input is accepted as well
    // CHECK: "conv_s"{{.*}} -> tensor<1x16x16x8xui8>
    %1 = akida.input_conv2d "conv_s"(%arg1) {filters = 8, kernel_size = 3,
        kernel_stride = 2, weights = dense<1> : tensor<3x3x3x8xsi8>}
        : (tensor<1x31x32x3xsi8>) -> tensor<1x16x16x8xui8>
    return
  }

  // CHECK-LABEL: func.func @v2_padding
  func.func @v2_padding(%arg0: tensor<1x11x10x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x11x10x3xui8>) -> tensor<1x11x10x3xui8>
    // same stride 1: 11x10
    // CHECK: "same1"{{.*}} -> tensor<1x11x10x4xui8>
    %1 = akida.conv2d "same1"(%0) {filters = 4, kernel_size = 3,
        weights = dense<1> : tensor<3x3x3x4xsi8>}
        : (tensor<1x11x10x3xui8>) -> tensor<1x11x10x4xui8>
    // same stride 2: ceil(11/2) = 6, ceil(10/2) = 5
    // CHECK: "same2"{{.*}} -> tensor<1x6x5x4xui8>
    %2 = akida.conv2d "same2"(%0) {filters = 4, kernel_size = 3, kernel_stride = 2,
        padding = #akida.padding<same>, weights = dense<1> : tensor<3x3x3x4xsi8>}
        : (tensor<1x11x10x3xui8>) -> tensor<1x6x5x4xui8>
    // same_upper stride 3: ceil(11/3) = 4, ceil(10/3) = 4
    // CHECK: "upper3"{{.*}} -> tensor<1x4x4x4xui8>
    %3 = akida.conv2d "upper3"(%0) {filters = 4, kernel_size = 3, kernel_stride = 3,
        padding = #akida.padding<same_upper>, weights = dense<1> : tensor<3x3x3x4xsi8>}
        : (tensor<1x11x10x3xui8>) -> tensor<1x4x4x4xui8>
    // valid stride 1, kernel 5: 7x6
    // CHECK: "valid1"{{.*}} -> tensor<1x7x6x4xui8>
    %4 = akida.conv2d "valid1"(%0) {filters = 4, kernel_size = 5,
        padding = #akida.padding<valid>, weights = dense<1> : tensor<5x5x3x4xsi8>}
        : (tensor<1x11x10x3xui8>) -> tensor<1x7x6x4xui8>
    // valid stride 2, kernel 3: floor(8/2)+1 = 5, floor(7/2)+1 = 4
    // CHECK: "valid2"{{.*}} -> tensor<1x5x4x4xui8>
    %5 = akida.conv2d "valid2"(%0) {filters = 4, kernel_size = 3, kernel_stride = 2,
        padding = #akida.padding<valid>, weights = dense<1> : tensor<3x3x3x4xsi8>}
        : (tensor<1x11x10x3xui8>) -> tensor<1x5x4x4xui8>
    // valid stride 3, kernel 3: floor(8/3)+1 = 3, floor(7/3)+1 = 3
    // CHECK: "valid3"{{.*}} -> tensor<1x3x3x4xui8>
    %6 = akida.conv2d "valid3"(%0) {filters = 4, kernel_size = 3, kernel_stride = 3,
        padding = #akida.padding<valid>, weights = dense<1> : tensor<3x3x3x4xsi8>}
        : (tensor<1x11x10x3xui8>) -> tensor<1x3x3x4xui8>
    // depthwise keeps the channels: same stride 2
    // CHECK: "dw2"{{.*}} -> tensor<1x6x5x3xui8>
    %7 = akida.depthwise_conv2d "dw2"(%0) {kernel_size = 3, kernel_stride = 2,
        weights = dense<1> : tensor<3x3x3xsi8>}
        : (tensor<1x11x10x3xui8>) -> tensor<1x6x5x3xui8>
    // depthwise valid stride 3, kernel 5: floor(6/3)+1 = 3, floor(5/3)+1 = 2
    // CHECK: "dw_valid3"{{.*}} -> tensor<1x3x2x3xui8>
    %8 = akida.depthwise_conv2d "dw_valid3"(%0) {kernel_size = 5, kernel_stride = 3,
        padding = #akida.padding<valid>, weights = dense<1> : tensor<5x5x3xsi8>}
        : (tensor<1x11x10x3xui8>) -> tensor<1x3x2x3xui8>
    return
  }

  // CHECK-LABEL: func.func @v2_pooling
  func.func @v2_pooling(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // same: conv 8, pool 3 stride 2: ceil(8/2) = 4
    // CHECK: "same_p3s2"{{.*}} -> tensor<1x4x4x4xui8>
    %1 = akida.conv2d "same_p3s2"(%0) {filters = 4, kernel_size = 3,
        pool_type = #akida.pool_type<max>, pool_size = 3, pool_stride = 2,
        weights = dense<1> : tensor<3x3x3x4xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x4x4x4xui8>
    // same: conv 8, pool 2 (stride defaults to 2): 4
    // CHECK: "same_p2"{{.*}} -> tensor<1x4x4x4xui8>
    %2 = akida.conv2d "same_p2"(%0) {filters = 4, kernel_size = 3,
        pool_type = #akida.pool_type<max>, pool_size = 2,
        weights = dense<1> : tensor<3x3x3x4xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x4x4x4xui8>
    // same_upper: conv stride 2 -> 4, pool 2 stride 3: ceil(4/3) = 2
    // CHECK: "upper_p2s3"{{.*}} -> tensor<1x2x2x4xui8>
    %3 = akida.conv2d "upper_p2s3"(%0) {filters = 4, kernel_size = 3, kernel_stride = 2,
        padding = #akida.padding<same_upper>,
        pool_type = #akida.pool_type<max>, pool_size = 2, pool_stride = 3,
        weights = dense<1> : tensor<3x3x3x4xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x2x2x4xui8>
    // valid: conv 8-3+1 = 6, pool 3 stride 1: 4
    // CHECK: "valid_p3s1"{{.*}} -> tensor<1x4x4x4xui8>
    %4 = akida.conv2d "valid_p3s1"(%0) {filters = 4, kernel_size = 3,
        padding = #akida.padding<valid>,
        pool_type = #akida.pool_type<max>, pool_size = 3, pool_stride = 1,
        weights = dense<1> : tensor<3x3x3x4xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x4x4x4xui8>
    // valid: conv 6, pool 2 stride 3: floor(4/3)+1 = 2
    // CHECK: "valid_p2s3"{{.*}} -> tensor<1x2x2x4xui8>
    %5 = akida.conv2d "valid_p2s3"(%0) {filters = 4, kernel_size = 3,
        padding = #akida.padding<valid>,
        pool_type = #akida.pool_type<max>, pool_size = 2, pool_stride = 3,
        weights = dense<1> : tensor<3x3x3x4xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x2x2x4xui8>
    // valid, depthwise: conv 6, pool 3 (stride 3): 2
    // CHECK: "dw_valid_p3"{{.*}} -> tensor<1x2x2x3xui8>
    %6 = akida.depthwise_conv2d "dw_valid_p3"(%0) {kernel_size = 3,
        padding = #akida.padding<valid>,
        pool_type = #akida.pool_type<max>, pool_size = 3,
        weights = dense<1> : tensor<3x3x3xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x2x2x3xui8>
    // global average pooling: 1x1
    // CHECK: "gap"{{.*}} -> tensor<1x1x1x4xui8>
    %7 = akida.conv2d "gap"(%0) {filters = 4, kernel_size = 3,
        pool_type = #akida.pool_type<average>,
        weights = dense<1> : tensor<3x3x3x4xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x1x1x4xui8>
    // CHECK: "dw_gap"{{.*}} -> tensor<1x1x1x3xui8>
    %8 = akida.depthwise_conv2d "dw_gap"(%0) {kernel_size = 3, kernel_stride = 2,
        pool_type = #akida.pool_type<average>,
        weights = dense<1> : tensor<3x3x3xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x1x1x3xui8>
    return
  }

  // CHECK-LABEL: func.func @v2_transpose
  func.func @v2_transpose(%arg0: tensor<1x4x5x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x4x5x3xui8>) -> tensor<1x4x5x3xui8>
    // rows and columns double
    // CHECK: "up"{{.*}} -> tensor<1x8x10x6xui8>
    %1 = akida.conv2d_transpose "up"(%0) {filters = 6, kernel_size = 3,
        weights = dense<1> : tensor<3x3x3x6xsi8>}
        : (tensor<1x4x5x3xui8>) -> tensor<1x8x10x6xui8>
    // CHECK: "dw_up"{{.*}} -> tensor<1x8x10x3xsi4>
    %2 = akida.depthwise_conv2d_transpose "dw_up"(%0) {kernel_size = 4,
        activation = #akida.activation<none>, output_bits = 4,
        weights = dense<1> : tensor<4x4x3xsi8>}
        : (tensor<1x4x5x3xui8>) -> tensor<1x8x10x3xsi4>
    // CHECK: "up_up"{{.*}} -> tensor<1x16x20x2xui8>
    %3 = akida.conv2d_transpose "up_up"(%1) {filters = 2, kernel_size = 1,
        weights = dense<1> : tensor<1x1x6x2xsi8>}
        : (tensor<1x8x10x6xui8>) -> tensor<1x16x20x2xui8>
    return
  }

  // CHECK-LABEL: func.func @v2_dense1d
  func.func @v2_dense1d(%arg0: tensor<1x4x4x8xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x4x4x8xui8>) -> tensor<1x4x4x8xui8>
    // flatten 4*4*8 = 128 features; activation defaults to none: signed
    // CHECK: "classifier"{{.*}} -> tensor<1x1x1x10xsi32>
    %1 = akida.dense1d "classifier"(%0) {units = 10, output_bits = 32,
        weights = dense<1> : tensor<128x10xsi8>}
        : (tensor<1x4x4x8xui8>) -> tensor<1x1x1x10xsi32>
    // CHECK: "hidden"{{.*}} -> tensor<1x1x1x16xui4>
    %2 = akida.dense1d "hidden"(%0) {units = 16, output_bits = 4,
        activation = #akida.activation<relu>,
        weights = dense<1> : tensor<128x16xsi8>}
        : (tensor<1x4x4x8xui8>) -> tensor<1x1x1x16xui4>
    // CHECK: "default_bits"{{.*}} -> tensor<1x1x1x2xsi8>
    %3 = akida.dense1d "default_bits"(%2) {units = 2,
        weights = dense<1> : tensor<16x2xsi8>}
        : (tensor<1x1x1x16xui4>) -> tensor<1x1x1x2xsi8>
    return
  }

  // CHECK-LABEL: func.func @v2_buffer_temp_conv
  func.func @v2_buffer_temp_conv(%arg0: tensor<1x6x5x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x6x5x3xui8>) -> tensor<1x6x5x3xui8>
    // spatial dimensions are kept, channels become filters
    // CHECK: "btc"{{.*}} -> tensor<1x6x5x8xui8>
    %1 = akida.buffer_temp_conv "btc"(%0) {filters = 8, fifo_size = 4,
        weights = dense<1> : tensor<4x3x8xsi8>}
        : (tensor<1x6x5x3xui8>) -> tensor<1x6x5x8xui8>
    // CHECK: "dbtc"{{.*}} -> tensor<1x6x5x8xsi16>
    %2 = akida.depthwise_buffer_temp_conv "dbtc"(%1) {fifo_size = 3,
        activation = #akida.activation<none>, output_bits = 16,
        weights = dense<1> : tensor<3x8xsi8>}
        : (tensor<1x6x5x8xui8>) -> tensor<1x6x5x8xsi16>
    return
  }

  // CHECK-LABEL: func.func @v2_output_types
  func.func @v2_output_types(%arg0: tensor<1x4x4x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x4x4x3xui8>) -> tensor<1x4x4x3xui8>
    // relu (the default): ui<output_bits>
    // CHECK: "relu8"{{.*}} -> tensor<1x4x4x2xui8>
    %1 = akida.conv2d "relu8"(%0) {filters = 2, kernel_size = 1,
        weights = dense<1> : tensor<1x1x3x2xsi8>}
        : (tensor<1x4x4x3xui8>) -> tensor<1x4x4x2xui8>
    // CHECK: "relu4"{{.*}} -> tensor<1x4x4x2xui4>
    %2 = akida.conv2d "relu4"(%0) {filters = 2, kernel_size = 1, output_bits = 4,
        activation = #akida.activation<relu>, max_value = dense<6> : tensor<1xui8>,
        weights = dense<1> : tensor<1x1x3x2xsi8>}
        : (tensor<1x4x4x3xui8>) -> tensor<1x4x4x2xui4>
    // CHECK: "relu1"{{.*}} -> tensor<1x4x4x2xui1>
    %3 = akida.conv2d "relu1"(%0) {filters = 2, kernel_size = 1, output_bits = 1,
        weights = dense<1> : tensor<1x1x3x2xsi8>}
        : (tensor<1x4x4x3xui8>) -> tensor<1x4x4x2xui1>
    // none: si<output_bits>
    // CHECK: "none8"{{.*}} -> tensor<1x4x4x2xsi8>
    %4 = akida.conv2d "none8"(%0) {filters = 2, kernel_size = 1,
        activation = #akida.activation<none>,
        weights = dense<1> : tensor<1x1x3x2xsi8>}
        : (tensor<1x4x4x3xui8>) -> tensor<1x4x4x2xsi8>
    // CHECK: "none32"{{.*}} -> tensor<1x4x4x2xsi32>
    %5 = akida.conv2d "none32"(%0) {filters = 2, kernel_size = 1, output_bits = 32,
        activation = #akida.activation<none>,
        weights = dense<1> : tensor<1x1x3x2xsi8>}
        : (tensor<1x4x4x3xui8>) -> tensor<1x4x4x2xsi32>
    // lut: si<output_bits>
    // CHECK: "lut"{{.*}} -> tensor<1x4x4x2xsi8>
    %6 = akida.conv2d "lut"(%0) {filters = 2, kernel_size = 1,
        activation = #akida.activation<lut>,
        activation_scales = dense<1> : tensor<2xui8>,
        activation_shift = dense<0> : tensor<1xsi8>,
        lut_values = dense<0> : tensor<256xsi32>,
        weights = dense<1> : tensor<1x1x3x2xsi8>}
        : (tensor<1x4x4x3xui8>) -> tensor<1x4x4x2xsi8>
    // a layer with every per-channel variable
    // CHECK: "vars"{{.*}} -> tensor<1x4x4x2xui8>
    %7 = akida.conv2d "vars"(%0) {filters = 2, kernel_size = 1,
        bias = dense<1> : tensor<2xsi8>, bias_shift = dense<1> : tensor<2xui8>,
        input_shift = dense<0> : tensor<3xui8>, output_scales = dense<1> : tensor<2xui8>,
        output_shift = dense<[-32, 31]> : tensor<2xsi8>,
        max_value = dense<6> : tensor<2xui8>, max_value_shift = dense<1> : tensor<2xui8>,
        weights = dense<1> : tensor<1x1x3x2xsi8>}
        : (tensor<1x4x4x3xui8>) -> tensor<1x4x4x2xui8>
    return
  }

  // CHECK-LABEL: func.func @v2_add
  func.func @v2_add(%arg0: tensor<1x4x4x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x4x4x3xui8>) -> tensor<1x4x4x3xui8>
    // no activation (the default): signed
    // CHECK: "add"{{.*}} -> tensor<1x4x4x3xsi8>
    %1 = akida.add "add"(%0, %0) {output_shift = dense<-1> : tensor<3xsi8>}
        : (tensor<1x4x4x3xui8>, tensor<1x4x4x3xui8>) -> tensor<1x4x4x3xsi8>
    // CHECK: "add_relu"{{.*}} -> tensor<1x4x4x3xui4>
    %2 = akida.add "add_relu"(%0, %0) {activation = true, output_bits = 4}
        : (tensor<1x4x4x3xui8>, tensor<1x4x4x3xui8>) -> tensor<1x4x4x3xui4>
    return
  }

  // CHECK-LABEL: func.func @v2_concatenate
  func.func @v2_concatenate(%arg0: tensor<1x4x5x3xui8>, %arg1: tensor<1x4x5x4xui8>, %arg2: tensor<1x4x5x5xui8>) {
    %0 = akida.input_data "a"(%arg0) {input_bits = 4} : (tensor<1x4x5x3xui8>) -> tensor<1x4x5x3xui4>
    %1 = akida.input_data "b"(%arg1) {input_bits = 4} : (tensor<1x4x5x4xui8>) -> tensor<1x4x5x4xui4>
    %2 = akida.input_data "c"(%arg2) {input_bits = 4} : (tensor<1x4x5x5xui8>) -> tensor<1x4x5x5xui4>
    // channels add up: 3 + 4 = 7
    // CHECK: "cat2"{{.*}} -> tensor<1x4x5x7xui4>
    %3 = akida.concatenate "cat2"(%0, %1)
        : (tensor<1x4x5x3xui4>, tensor<1x4x5x4xui4>) -> tensor<1x4x5x7xui4>
    // 3 + 4 + 5 + 3 = 15
    // CHECK: "cat4"{{.*}} -> tensor<1x4x5x15xui4>
    %4 = akida.concatenate "cat4"(%0, %1, %2, %0)
        : (tensor<1x4x5x3xui4>, tensor<1x4x5x4xui4>, tensor<1x4x5x5xui4>, tensor<1x4x5x3xui4>) -> tensor<1x4x5x15xui4>
    return
  }

  // CHECK-LABEL: func.func @v2_extract_token
  func.func @v2_extract_token(%arg0: tensor<1x2x3x8xsi8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8, input_signed = true} : (tensor<1x2x3x8xsi8>) -> tensor<1x2x3x8xsi8>
    // the class token: 1 token
    // CHECK: "first"{{.*}} -> tensor<1x1x1x8xsi8>
    %1 = akida.extract_token "first"(%0) {begin = 0, end = 1}
        : (tensor<1x2x3x8xsi8>) -> tensor<1x1x1x8xsi8>
    // tokens [1, 4) of the 2*3 = 6
    // CHECK: "middle"{{.*}} -> tensor<1x1x3x8xsi8>
    %2 = akida.extract_token "middle"(%0) {begin = 1, end = 4}
        : (tensor<1x2x3x8xsi8>) -> tensor<1x1x3x8xsi8>
    // from begin to the last token: 6 - 2 = 4
    // CHECK: "rest"{{.*}} -> tensor<1x1x4x8xsi8>
    %3 = akida.extract_token "rest"(%0) {begin = 2}
        : (tensor<1x2x3x8xsi8>) -> tensor<1x1x4x8xsi8>
    // all tokens by default
    // CHECK: "all"{{.*}} -> tensor<1x1x6x8xsi8>
    %4 = akida.extract_token "all"(%0)
        : (tensor<1x2x3x8xsi8>) -> tensor<1x1x6x8xsi8>
    return
  }

  // CHECK-LABEL: func.func @v2_dequantizer
  func.func @v2_dequantizer(%arg0: tensor<1x1x1x10xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x1x1x10xui8>) -> tensor<1x1x1x10xui8>
    %1 = akida.dense1d "classifier"(%0) {units = 4, output_bits = 32,
        weights = dense<1> : tensor<10x4xsi8>}
        : (tensor<1x1x1x10xui8>) -> tensor<1x1x1x4xsi32>
    // CHECK: "dequantizer"{{.*}} -> tensor<1x1x1x4xf32>
    %2 = akida.dequantizer "dequantizer"(%1) {scales = dense<0.125> : tensor<4xf32>}
        : (tensor<1x1x1x4xsi32>) -> tensor<1x1x1x4xf32>
    return
  }

  // CHECK-LABEL: func.func @v2_dynamic_batch
  func.func @v2_dynamic_batch(%arg0: tensor<?x8x8x3xui8>) {
    // CHECK: "in"{{.*}} -> tensor<?x8x8x3xui8>
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<?x8x8x3xui8>) -> tensor<?x8x8x3xui8>
    // CHECK: "conv"{{.*}} -> tensor<?x4x4x4xui8>
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3, kernel_stride = 2,
        weights = dense<1> : tensor<3x3x3x4xsi8>}
        : (tensor<?x8x8x3xui8>) -> tensor<?x4x4x4xui8>
    // CHECK: "up"{{.*}} -> tensor<?x8x8x4xui8>
    %2 = akida.depthwise_conv2d_transpose "up"(%1) {kernel_size = 3,
        weights = dense<1> : tensor<3x3x4xsi8>}
        : (tensor<?x4x4x4xui8>) -> tensor<?x8x8x4xui8>
    // CHECK: "btc"{{.*}} -> tensor<?x4x4x2xui8>
    %3 = akida.buffer_temp_conv "btc"(%1) {filters = 2, fifo_size = 2,
        weights = dense<1> : tensor<2x4x2xsi8>}
        : (tensor<?x4x4x4xui8>) -> tensor<?x4x4x2xui8>
    // CHECK: "cat"{{.*}} -> tensor<?x4x4x6xui8>
    %4 = akida.concatenate "cat"(%1, %3)
        : (tensor<?x4x4x4xui8>, tensor<?x4x4x2xui8>) -> tensor<?x4x4x6xui8>
    // CHECK: "tok"{{.*}} -> tensor<?x1x2x6xui8>
    %5 = akida.extract_token "tok"(%4) {begin = 3, end = 5}
        : (tensor<?x4x4x6xui8>) -> tensor<?x1x2x6xui8>
    // CHECK: "add"{{.*}} -> tensor<?x4x4x6xsi8>
    %6 = akida.add "add"(%4, %4)
        : (tensor<?x4x4x6xui8>, tensor<?x4x4x6xui8>) -> tensor<?x4x4x6xsi8>
    // CHECK: "fc"{{.*}} -> tensor<?x1x1x10xsi32>
    %7 = akida.dense1d "fc"(%1) {units = 10, output_bits = 32,
        weights = dense<1> : tensor<64x10xsi8>}
        : (tensor<?x4x4x4xui8>) -> tensor<?x1x1x10xsi32>
    // CHECK: "dq"{{.*}} -> tensor<?x1x1x10xf32>
    %8 = akida.dequantizer "dq"(%7) {scales = dense<1.0> : tensor<10xf32>}
        : (tensor<?x1x1x10xsi32>) -> tensor<?x1x1x10xf32>
    return
  }

  // CHECK-LABEL: func.func @v2_input_data
  func.func @v2_input_data(%arg0: tensor<1x5x6x3xsi8>, %arg1: tensor<1x5x6x3xui8>) {
    // CHECK: "s8"{{.*}} -> tensor<1x5x6x3xsi8>
    %0 = akida.input_data "s8"(%arg0) {input_bits = 8, input_signed = true} : (tensor<1x5x6x3xsi8>) -> tensor<1x5x6x3xsi8>
    // CHECK: "s4"{{.*}} -> tensor<1x5x6x3xsi4>
    %1 = akida.input_data "s4"(%arg0) {input_signed = true} : (tensor<1x5x6x3xsi8>) -> tensor<1x5x6x3xsi4>
    // CHECK: "u2"{{.*}} -> tensor<1x5x6x3xui2>
    %2 = akida.input_data "u2"(%arg1) {input_bits = 2} : (tensor<1x5x6x3xui8>) -> tensor<1x5x6x3xui2>
    return
  }
}

// -----

// Nested modules: the innermost ip_version applies.
module attributes {akida.ip_version = #akida.ip_version<v1>} {
  module attributes {akida.ip_version = #akida.ip_version<v2>} {
    // CHECK-LABEL: func.func @nested_v2
    func.func @nested_v2(%arg0: tensor<1x4x4x3xui8>) {
      %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x4x4x3xui8>) -> tensor<1x4x4x3xui8>
      // CHECK: "conv"{{.*}} -> tensor<1x2x2x4xui8>
      %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3, kernel_stride = 2,
          weights = dense<1> : tensor<3x3x3x4xsi8>}
          : (tensor<1x4x4x3xui8>) -> tensor<1x2x2x4xui8>
      return
    }
  }
}

// -----

// A stride far larger than the input gives one output, without overflow.
module attributes {akida.ip_version = #akida.ip_version<v2>} {
  // CHECK-LABEL: func.func @huge_stride
  func.func @huge_stride(%arg0: tensor<1x8x8x3xui8>) -> tensor<1x1x1x4xui8> {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // CHECK: "conv"{{.*}} -> tensor<1x1x1x4xui8>
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3,
        kernel_stride = 9223372036854775801, weights = dense<1> : tensor<3x3x3x4xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x1x1x4xui8>
    return %1 : tensor<1x1x1x4xui8>
  }
}
