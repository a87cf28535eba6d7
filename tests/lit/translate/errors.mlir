// Bad inputs to akida-translate give one clear error and a non-zero exit.
// RUN: not akida-translate --mlir-to-fbz %s -split-input-file 2>&1 | FileCheck %s
// RUN: printf 'hello' > %t.txt
// RUN: not akida-translate --fbz-to-mlir %t.txt 2>&1 | FileCheck %s --check-prefix=FOREIGN
// RUN: akida-translate --mlir-to-fbz %S/../models/ds-cnn-kws.mlir -o %t.fbz
// RUN: head -c 100 %t.fbz > %t.short.fbz
// RUN: not akida-translate --fbz-to-mlir %t.short.fbz 2>&1 | FileCheck %s --check-prefix=SHORT

// FOREIGN: error: {{.*}}not an Akida model file
// SHORT: error: {{.*}}truncated

// CHECK: module has no 'akida.ip_version' attribute; it is not an akida model
module {
  func.func @f(%arg0: tensor<1x4x4x1xui8>) -> tensor<1x4x4x1xui8> {
    return %arg0 : tensor<1x4x4x1xui8>
  }
}

// -----

// CHECK: a model function takes one argument (the model input), found 2
module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x4x4x1xui8>, %arg1: tensor<1x4x4x1xui8>) -> tensor<1x4x4x1xui8> {
    return %arg0 : tensor<1x4x4x1xui8>
  }
}

// -----

// CHECK: the model has no layers
module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x4x4x1xui8>) {
    return
  }
}
