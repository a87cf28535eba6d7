// MLIR -> .fbz -> MLIR keeps every layer, parameter and weight, and
// .fbz -> MLIR -> .fbz gives the same bytes.
// RUN: akida-translate --mlir-to-fbz %S/../models/ds-cnn-kws.mlir -o %t.fbz
// RUN: akida-translate --fbz-to-mlir %t.fbz | FileCheck %s
// RUN: akida-translate --fbz-to-mlir %t.fbz | akida-translate --mlir-to-fbz -o %t2.fbz
// RUN: cmp %t.fbz %t2.fbz
// The content survives: MLIR -> fbz -> MLIR -> fbz equals the original
// module's own serialization, and both print the same graph.
// RUN: akida-opt %S/../models/ds-cnn-kws.mlir --mlir-print-op-generic | akida-translate --mlir-to-fbz -o %t3.fbz
// RUN: cmp %t.fbz %t3.fbz
// RUN: akida-translate --mlir-to-fbz %S/../models/akidanet-05-224.mlir -o %t4.fbz
// RUN: akida-translate --fbz-to-mlir %t4.fbz | FileCheck %s --check-prefix=NET
// RUN: not akida-translate --mlir-to-fbz %S/../dialect/ops-v2.mlir 2>&1 | FileCheck %s --check-prefix=TWO

// CHECK: module attributes {akida.ip_version = #akida.ip_version<v1>}
// CHECK: func.func @ds_cnn_kws(%arg0: tensor<?x49x10x1xui8>) -> tensor<?x1x1x33xsi32>
// CHECK: akida.input_convolutional "conv_0"(%arg0)
// CHECK-SAME: weights = dense_resource<conv_0_weights> : tensor<5x5x1x64xsi8>
// CHECK-SAME: -> tensor<?x25x5x64xui4>
// CHECK: akida.separable_convolutional "separable_1"
// CHECK: akida.separable_convolutional "separable_4"
// CHECK-SAME: pool_type = #akida.pool_type<average>
// CHECK: akida.fully_connected "dense_5"
// CHECK-SAME: activation = false
// CHECK: dialect_resources
// CHECK: conv_0_weights: "0x01000000

// NET: func.func @akidanet_05_224(%arg0: tensor<?x224x224x3xui8>) -> tensor<?x1x1x1000xsi32>
// NET: "separable_13"
// NET-SAME: threshold = dense<2> : tensor<512xsi32>
// NET-SAME: weights = dense<1> : tensor<3x3x512x1xsi8>

// TWO: an akida model module holds exactly one func.func, found 2
