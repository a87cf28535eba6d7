// Every Akida 1.0 layer op round-trips through the custom and generic forms.
// RUN: akida-opt %s | akida-opt | FileCheck %s
// RUN: akida-opt %s -mlir-print-op-generic | akida-opt | FileCheck %s

// CHECK: module attributes {akida.ip_version = #akida.ip_version<v1>}
module attributes {akida.ip_version = #akida.ip_version<v1>} {
  // CHECK-LABEL: func.func @v1_layers
  // CHECK-SAME: (%[[ARG:.*]]: tensor<1x28x28x1xui8>)
  func.func @v1_layers(%arg0: tensor<1x28x28x1xui8>) -> tensor<1x1x1x10xsi32> {
    // CHECK: %[[C0:.*]] = akida.input_convolutional "conv_0"(%[[ARG]])
    // CHECK-SAME: act_bits = 4
    // CHECK-SAME: kernel_size = array<i64: 3, 1>, kernel_stride = array<i64: 2, 2>
    // CHECK-SAME: padding = #akida.padding<valid>
    // CHECK-SAME: padding_value = 7
    // CHECK-SAME: weights = dense<{{.*}}> : tensor<3x1x1x8xsi8>, weights_bits = 8
    // CHECK-SAME: (tensor<1x28x28x1xui8>) -> tensor<1x13x14x8xui4>
    %0 = akida.input_convolutional "conv_0"(%arg0) {filters = 8,
        kernel_size = array<i64: 3, 1>, kernel_stride = array<i64: 2, 2>,
        padding = #akida.padding<valid>, padding_value = 7,
        weights_bits = 8, act_bits = 4,
        weights = dense<[[[[1, -2, 3, -4, 5, -6, 7, -8]]], [[[1, 1, 1, 1, 1, 1, 1, 1]]],
                         [[[0, 0, 0, 0, 0, 0, 0, 0]]]]> : tensor<3x1x1x8xsi8>,
        threshold = dense<0> : tensor<8xsi32>, act_step = dense<1.0> : tensor<8xf32>}
        : (tensor<1x28x28x1xui8>) -> tensor<1x13x14x8xui4>
    // CHECK: %[[C1:.*]] = akida.convolutional "conv_1"(%[[C0]])
    // CHECK-SAME: pool_size = array<i64: 2, 2>, pool_stride = array<i64: 1, 1>
    // CHECK-SAME: pool_type = #akida.pool_type<max>
    // CHECK-SAME: -> tensor<1x13x14x16xui2>
    %1 = akida.convolutional "conv_1"(%0) {filters = 16,
        kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 2,
        pool_type = #akida.pool_type<max>, pool_size = array<i64: 2, 2>,
        pool_stride = array<i64: 1, 1>,
        weights = dense<-1> : tensor<3x3x8x16xsi8>,
        threshold = dense<3> : tensor<16xsi32>, act_step = dense<0.5> : tensor<16xf32>}
        : (tensor<1x13x14x8xui4>) -> tensor<1x13x14x16xui2>
    // CHECK: %[[S2:.*]] = akida.separable_convolutional "separable_2"(%[[C1]])
    // CHECK-SAME: pool_type = #akida.pool_type<average>
    // CHECK-SAME: weights_pw = dense<1> : tensor<1x1x16x32xsi8>
    // CHECK-SAME: -> tensor<1x1x1x32xui1>
    %2 = akida.separable_convolutional "separable_2"(%1) {filters = 32,
        kernel_size = array<i64: 3, 3>, weights_bits = 2,
        pool_type = #akida.pool_type<average>,
        weights = dense<1> : tensor<3x3x16x1xsi8>,
        weights_pw = dense<1> : tensor<1x1x16x32xsi8>,
        threshold = dense<0> : tensor<32xsi32>, act_step = dense<1.0> : tensor<32xf32>}
        : (tensor<1x13x14x16xui2>) -> tensor<1x1x1x32xui1>
    // CHECK: %[[D:.*]] = akida.fully_connected "dense"(%[[S2]])
    // CHECK-SAME: activation = false
    // CHECK-SAME: units = 10
    // CHECK-SAME: -> tensor<1x1x1x10xsi32>
    %3 = akida.fully_connected "dense"(%2) {units = 10, weights_bits = 1,
        activation = false,
        weights = dense<1> : tensor<1x1x32x10xsi8>,
        threshold = dense<0> : tensor<10xsi32>, act_step = dense<1.0> : tensor<10xf32>}
        : (tensor<1x1x1x32xui1>) -> tensor<1x1x1x10xsi32>
    // CHECK: return %[[D]]
    return %3 : tensor<1x1x1x10xsi32>
  }

  // Default-valued parameters are elided when printed.
  // CHECK-LABEL: func.func @v1_defaults
  func.func @v1_defaults(%arg0: tensor<?x8x8x2xui8>) -> tensor<?x8x8x4xui1> {
    // CHECK: akida.input_data "input"(%{{.*}}) : (tensor<?x8x8x2xui8>) -> tensor<?x8x8x2xui4>
    %0 = akida.input_data "input"(%arg0) {input_bits = 4, input_signed = false}
        : (tensor<?x8x8x2xui8>) -> tensor<?x8x8x2xui4>
    // CHECK: akida.convolutional "conv"
    // CHECK-NOT: padding =
    // CHECK-NOT: weights_bits
    // CHECK-SAME: -> tensor<?x8x8x4xui1>
    %1 = akida.convolutional "conv"(%0) {filters = 4,
        kernel_size = array<i64: 1, 1>, padding = #akida.padding<same>,
        weights_bits = 1, act_bits = 1, activation = true,
        weights = dense<1> : tensor<1x1x2x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<?x8x8x2xui4>) -> tensor<?x8x8x4xui1>
    return %1 : tensor<?x8x8x4xui1>
  }
}
