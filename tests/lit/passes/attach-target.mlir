// akida-attach-target writes the device name on the model module, in the
// SDK's spelling (names are matched ignoring case; TwoNodesIPv1 is an alias
// of TwoNodesIP), and refuses unknown devices and IP version mismatches.

// RUN: akida-opt %S/../dialect/ops-v1.mlir -akida-attach-target | FileCheck %s --check-prefix=DEFAULT
// RUN: akida-opt %S/../dialect/ops-v1.mlir -akida-attach-target=device=AKD1000 | FileCheck %s --check-prefix=AKD1000
// RUN: akida-opt %S/../dialect/ops-v1.mlir -akida-attach-target=device=akd1500 | FileCheck %s --check-prefix=AKD1500
// RUN: akida-opt %S/../dialect/ops-v1.mlir -akida-attach-target=device=TwoNodesIP | FileCheck %s --check-prefix=TWO
// RUN: akida-opt %S/../dialect/ops-v1.mlir -akida-attach-target=device=TwoNodesIPv1 | FileCheck %s --check-prefix=TWO
// RUN: akida-opt %S/../dialect/ops-v2.mlir -akida-attach-target=device=TwoNodesIPv2 | FileCheck %s --check-prefix=TWOV2
// RUN: akida-opt %S/../dialect/ops-v2.mlir -akida-attach-target=device=sixnodesipv2 | FileCheck %s --check-prefix=SIX

// The default device is AKD1000. Only the module changes: the pass reads no
// layer (ops-v1.mlir and ops-v2.mlir hold two functions, which a model may
// not; attaching a target does not care).
// DEFAULT: module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"} {
// DEFAULT-NOT: akida.{{backend|sequence|pass|nps|programs|map_mode}}
// DEFAULT-LABEL: func.func @v1_layers
// DEFAULT-NOT: akida.{{backend|sequence|pass|nps|programs|map_mode}}
// DEFAULT-LABEL: func.func @v1_defaults
// DEFAULT-NOT: akida.{{backend|sequence|pass|nps|programs|map_mode}}
// AKD1000: module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"} {
// AKD1500: module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1500"} {
// TWO: module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "TwoNodesIP"} {
// TWOV2: module attributes {akida.ip_version = #akida.ip_version<v2>, akida.target = "TwoNodesIPv2"} {
// SIX: module attributes {akida.ip_version = #akida.ip_version<v2>, akida.target = "SixNodesIPv2"} {

// Attaching again replaces the target.
// RUN: akida-opt %S/../dialect/ops-v1.mlir -akida-attach-target=device=AKD1500 -akida-attach-target=device=TwoNodesIP | FileCheck %s --check-prefix=TWO

// The errors, one module per case.
// RUN: akida-opt %s -split-input-file -verify-diagnostics -akida-attach-target=device=AKD1000 | FileCheck %s --check-prefix=ERR
// RUN: not akida-opt %s -split-input-file -akida-attach-target=device=AKD9000 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not akida-opt %s -split-input-file -akida-attach-target=device= 2>&1 | FileCheck %s --check-prefix=EMPTY
// RUN: not akida-opt %s -split-input-file -akida-attach-target=device=TwoNodesIPv2 2>&1 | FileCheck %s --check-prefix=V1ONV2

// UNKNOWN: error: unknown virtual device 'AKD9000'; expected one of: AKD1000, AKD1500, TwoNodesIP, TwoNodesIPv2, SixNodesIPv2
// EMPTY: error: unknown virtual device ''; expected one of: AKD1000, AKD1500, TwoNodesIP, TwoNodesIPv2, SixNodesIPv2
// V1ONV2: :[[@LINE+5]]:1: error: device 'TwoNodesIPv2' is an Akida 2.0 device but the model is Akida 1.0

// A v1 model on a v1 device.
// ERR: module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"} {
// ERR-LABEL: func.func @v1_model
module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @v1_model(%arg0: tensor<1x1x1x16xui8>) -> tensor<1x1x1x16xui4> {
    %0 = akida.input_data "input"(%arg0) {input_bits = 4} : (tensor<1x1x1x16xui8>) -> tensor<1x1x1x16xui4>
    return %0 : tensor<1x1x1x16xui4>
  }
}

// -----

// A v2 model on a v1 device.

// expected-error @+1 {{device 'AKD1000' is an Akida 1.0 device but the model is Akida 2.0}}
module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @v2_model(%arg0: tensor<1x1x1x16xui8>) -> tensor<1x1x1x16xui8> {
    %0 = akida.input_data "input"(%arg0) {input_bits = 8} : (tensor<1x1x1x16xui8>) -> tensor<1x1x1x16xui8>
    return %0 : tensor<1x1x1x16xui8>
  }
}

// -----

// A module without akida.ip_version is not checked against the device (the
// passes that read layers refuse it later).

// ERR: module attributes {akida.target = "AKD1000"} {
module {
}

// -----

// An existing target is replaced.

// ERR: module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"} {
// ERR-LABEL: func.func @retarget
module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "TwoNodesIP"} {
  func.func @retarget(%arg0: tensor<1x1x1x16xui8>) -> tensor<1x1x1x16xui4> {
    %0 = akida.input_data "input"(%arg0) {input_bits = 4} : (tensor<1x1x1x16xui8>) -> tensor<1x1x1x16xui4>
    return %0 : tensor<1x1x1x16xui4>
  }
}
