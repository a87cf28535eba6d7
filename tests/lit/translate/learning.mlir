// The edge-learning state of a FullyConnected (Model::compile) survives
// MLIR -> .fbz -> MLIR, and .fbz -> MLIR -> .fbz gives the same bytes.
// RUN: akida-translate --mlir-to-fbz %s -o %t.fbz
// RUN: akida-translate --fbz-to-mlir %t.fbz | FileCheck %s
// RUN: akida-translate --fbz-to-mlir %t.fbz | akida-translate --mlir-to-fbz -o %t2.fbz
// RUN: cmp %t.fbz %t2.fbz

// CHECK: akida.fully_connected "fc"
// CHECK-SAME: learning_parameters = dense<[1.000000e+00, 0.000000e+00, 1.000000e-01, 2.500000e-01]> : tensor<4xf32>
// CHECK-SAME: num_classes = 2 : i64
// CHECK-SAME: num_weights = 3 : i64
// CHECK-SAME: plasticity = dense<[7.500000e-01, 1.000000e+00, 1.000000e+00, 1.000000e+00]> : tensor<4xf32>
// CHECK-SAME: threshold_learning = dense<[3, 0, 0, 0]> : tensor<4xsi32>
module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @learner(%arg0: tensor<?x1x1x8xui8>) -> tensor<?x1x1x4xsi32> {
    %0 = akida.input_data "input"(%arg0) {input_bits = 1}
        : (tensor<?x1x1x8xui8>) -> tensor<?x1x1x8xui1>
    %1 = akida.fully_connected "fc"(%0) {units = 4, weights_bits = 1,
        activation = false, num_weights = 3, num_classes = 2,
        weights = dense<[[[[1, 0, 1, 0], [1, 0, 0, 1], [1, 1, 0, 0], [0, 1, 1, 1],
                           [0, 1, 1, 1], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]]]> : tensor<1x1x8x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>,
        threshold_learning = dense<[3, 0, 0, 0]> : tensor<4xsi32>,
        plasticity = dense<[0.75, 1.0, 1.0, 1.0]> : tensor<4xf32>,
        learning_parameters = dense<[1.0, 0.0, 0.1, 0.25]> : tensor<4xf32>}
        : (tensor<?x1x1x8xui1>) -> tensor<?x1x1x4xsi32>
    return %1 : tensor<?x1x1x4xsi32>
  }
}
