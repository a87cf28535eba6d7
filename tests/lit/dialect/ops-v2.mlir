// Every Akida 2.0 layer op round-trips through the custom and generic forms.
// RUN: akida-opt %s | akida-opt | FileCheck %s
// RUN: akida-opt %s -mlir-print-op-generic | akida-opt | FileCheck %s

// CHECK: module attributes {akida.ip_version = #akida.ip_version<v2>}
module attributes {akida.ip_version = #akida.ip_version<v2>} {
  // CHECK-LABEL: func.func @v2_convs
  func.func @v2_convs(%arg0: tensor<1x32x32x3xui8>) -> tensor<1x1x1x10xf32> {
    // CHECK: %[[C0:.*]] = akida.input_conv2d "conv_0"(%arg0)
    // CHECK-SAME: bias = dense<[1, 2, 3, 4, 5, 6, 7, 8]> : tensor<8xsi8>
    // CHECK-SAME: bias_shift = dense<2> : tensor<8xui8>
    // CHECK-SAME: kernel_stride = 2
    // CHECK-SAME: output_scales = dense<3> : tensor<8xui8>
    // CHECK-SAME: output_shift = dense<-5> : tensor<8xsi8>
    // CHECK-SAME: -> tensor<1x16x16x8xui8>
    %0 = akida.input_conv2d "conv_0"(%arg0) {filters = 8, kernel_size = 3,
        kernel_stride = 2, weights = dense<1> : tensor<3x3x3x8xsi8>,
        bias = dense<[1, 2, 3, 4, 5, 6, 7, 8]> : tensor<8xsi8>,
        bias_shift = dense<2> : tensor<8xui8>,
        output_scales = dense<3> : tensor<8xui8>,
        output_shift = dense<-5> : tensor<8xsi8>}
        : (tensor<1x32x32x3xui8>) -> tensor<1x16x16x8xui8>
    // CHECK: %[[C1:.*]] = akida.conv2d "conv_1"(%[[C0]])
    // CHECK-SAME: max_value = dense<6> : tensor<1xui8>
    // CHECK-SAME: max_value_shift = dense<4> : tensor<1xui8>
    // CHECK-SAME: output_bits = 4
    // CHECK-SAME: pool_size = 2
    // CHECK-SAME: -> tensor<1x8x8x16xui4>
    %1 = akida.conv2d "conv_1"(%0) {filters = 16, kernel_size = 3,
        pool_type = #akida.pool_type<max>, pool_size = 2, pool_stride = 2,
        output_bits = 4, weights_bits = 4,
        weights = dense<-8> : tensor<3x3x8x16xsi8>,
        input_shift = dense<1> : tensor<8xui8>,
        max_value = dense<6> : tensor<1xui8>,
        max_value_shift = dense<4> : tensor<1xui8>}
        : (tensor<1x16x16x8xui8>) -> tensor<1x8x8x16xui4>
    // CHECK: %[[T:.*]] = akida.conv2d_transpose "up"(%[[C1]])
    // CHECK-SAME: -> tensor<1x16x16x8xui8>
    %2 = akida.conv2d_transpose "up"(%1) {filters = 8, kernel_size = 4,
        weights = dense<1> : tensor<4x4x16x8xsi8>}
        : (tensor<1x8x8x16xui4>) -> tensor<1x16x16x8xui8>
    // CHECK: %[[DW:.*]] = akida.depthwise_conv2d "dw"(%[[T]])
    // CHECK-SAME: activation = #akida.activation<lut>
    // CHECK-SAME: lut_values = dense<{{.*}}> : tensor<4xsi32>
    // CHECK-SAME: -> tensor<1x8x8x8xsi8>
    %3 = akida.depthwise_conv2d "dw"(%2) {kernel_size = 3, kernel_stride = 2,
        activation = #akida.activation<lut>,
        weights = dense<1> : tensor<3x3x8xsi8>,
        activation_scales = dense<2> : tensor<8xui8>,
        activation_shift = dense<-1> : tensor<1xsi8>,
        lut_values = dense<[-2, -1, 0, 1]> : tensor<4xsi32>}
        : (tensor<1x16x16x8xui8>) -> tensor<1x8x8x8xsi8>
    // CHECK: %[[DWT:.*]] = akida.depthwise_conv2d_transpose "dw_up"(%[[DW]])
    // CHECK-SAME: activation = #akida.activation<none>
    // CHECK-SAME: -> tensor<1x16x16x8xsi8>
    %4 = akida.depthwise_conv2d_transpose "dw_up"(%3) {kernel_size = 3,
        activation = #akida.activation<none>,
        weights = dense<1> : tensor<3x3x8xsi8>}
        : (tensor<1x8x8x8xsi8>) -> tensor<1x16x16x8xsi8>
    // CHECK: %[[GAP:.*]] = akida.conv2d "gap"(%[[DWT]])
    // CHECK-SAME: pool_type = #akida.pool_type<average>
    // CHECK-SAME: -> tensor<1x1x1x32xui8>
    %5 = akida.conv2d "gap"(%4) {filters = 32, kernel_size = 1,
        pool_type = #akida.pool_type<average>,
        weights = dense<1> : tensor<1x1x8x32xsi8>}
        : (tensor<1x16x16x8xsi8>) -> tensor<1x1x1x32xui8>
    // CHECK: %[[FC:.*]] = akida.dense1d "classifier"(%[[GAP]])
    // CHECK-SAME: output_bits = 32
    // CHECK-SAME: -> tensor<1x1x1x10xsi32>
    %6 = akida.dense1d "classifier"(%5) {units = 10, output_bits = 32,
        buffer_bits = 32, post_op_buffer_bits = 32,
        weights = dense<1> : tensor<32x10xsi8>}
        : (tensor<1x1x1x32xui8>) -> tensor<1x1x1x10xsi32>
    // CHECK: %[[DQ:.*]] = akida.dequantizer "dequantizer"(%[[FC]])
    // CHECK-SAME: scales = dense<1.250000e-01> : tensor<10xf32>
    // CHECK-SAME: -> tensor<1x1x1x10xf32>
    %7 = akida.dequantizer "dequantizer"(%6) {scales = dense<0.125> : tensor<10xf32>}
        : (tensor<1x1x1x10xsi32>) -> tensor<1x1x1x10xf32>
    // CHECK: return %[[DQ]]
    return %7 : tensor<1x1x1x10xf32>
  }

  // CHECK-LABEL: func.func @v2_branches
  func.func @v2_branches(%arg0: tensor<2x8x8x16xsi8>) -> tensor<2x1x3x40xsi8> {
    // CHECK: %[[IN:.*]] = akida.input_data "input"(%arg0) {input_bits = 8 : i64, input_signed = true}
    // CHECK-SAME: -> tensor<2x8x8x16xsi8>
    %0 = akida.input_data "input"(%arg0) {input_bits = 8, input_signed = true}
        : (tensor<2x8x8x16xsi8>) -> tensor<2x8x8x16xsi8>
    // CHECK: %[[B1:.*]] = akida.conv2d "branch"(%[[IN]])
    %1 = akida.conv2d "branch"(%0) {filters = 16, kernel_size = 3,
        activation = #akida.activation<none>,
        weights = dense<1> : tensor<3x3x16x16xsi8>}
        : (tensor<2x8x8x16xsi8>) -> tensor<2x8x8x16xsi8>
    // CHECK: %[[ADD:.*]] = akida.add "add"(%[[IN]], %[[B1]])
    // CHECK-SAME: a_shift = dense<1> : tensor<16xsi8>
    // CHECK-SAME: -> tensor<2x8x8x16xsi8>
    %2 = akida.add "add"(%0, %1) {a_shift = dense<1> : tensor<16xsi8>,
        b_shift = dense<0> : tensor<16xsi8>,
        output_shift = dense<-1> : tensor<16xsi8>}
        : (tensor<2x8x8x16xsi8>, tensor<2x8x8x16xsi8>) -> tensor<2x8x8x16xsi8>
    // CHECK: %[[BTC:.*]] = akida.buffer_temp_conv "btc"(%[[ADD]])
    // CHECK-SAME: fifo_size = 4
    // CHECK-SAME: -> tensor<2x8x8x16xsi8>
    %3 = akida.buffer_temp_conv "btc"(%2) {filters = 16, fifo_size = 4,
        activation = #akida.activation<none>,
        weights = dense<1> : tensor<4x16x16xsi8>}
        : (tensor<2x8x8x16xsi8>) -> tensor<2x8x8x16xsi8>
    // CHECK: %[[DBTC:.*]] = akida.depthwise_buffer_temp_conv "dbtc"(%[[ADD]])
    // CHECK-SAME: -> tensor<2x8x8x16xsi8>
    %4 = akida.depthwise_buffer_temp_conv "dbtc"(%2) {fifo_size = 2,
        activation = #akida.activation<none>,
        weights = dense<1> : tensor<2x16xsi8>}
        : (tensor<2x8x8x16xsi8>) -> tensor<2x8x8x16xsi8>
    %5 = akida.conv2d "narrow"(%4) {filters = 8, kernel_size = 1,
        activation = #akida.activation<none>,
        weights = dense<1> : tensor<1x1x16x8xsi8>}
        : (tensor<2x8x8x16xsi8>) -> tensor<2x8x8x8xsi8>
    // CHECK: %[[CAT:.*]] = akida.concatenate "concat"(%[[BTC]], %{{.*}}, %[[ADD]])
    // CHECK-SAME: -> tensor<2x8x8x40xsi8>
    %6 = akida.concatenate "concat"(%3, %5, %2)
        : (tensor<2x8x8x16xsi8>, tensor<2x8x8x8xsi8>, tensor<2x8x8x16xsi8>) -> tensor<2x8x8x40xsi8>
    // CHECK: akida.extract_token "tokens"(%[[CAT]]) {begin = 1 : i64, end = 4 : i64}
    // CHECK-SAME: -> tensor<2x1x3x40xsi8>
    %7 = akida.extract_token "tokens"(%6) {begin = 1, end = 4}
        : (tensor<2x8x8x40xsi8>) -> tensor<2x1x3x40xsi8>
    return %7 : tensor<2x1x3x40xsi8>
  }
}
