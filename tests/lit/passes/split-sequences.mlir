// RUN: akida-opt %s -split-input-file -verify-diagnostics -akida-split-sequences | FileCheck %s
// RUN: akida-opt %s -split-input-file -verify-diagnostics -akida-split-sequences=mode=AllNps | FileCheck %s

// akida-split-sequences groups consecutive layers of the same backend (from
// akida.backend; a layer without it counts as hardware) into sequences
// (akida.sequence on every layer, akida.pass on hardware layers) and writes
// the mode on the module (akida.map_mode). A hardware run that does not fit
// the device is split into sequences (AllNps, Minimal) or passes (HwPr), with
// a remark on the first layer of each new one. hw-only is in
// split-sequences-hw-only.mlir, statistics in statistics.mlir.

//===----------------------------------------------------------------------===//
// One hardware sequence
//===----------------------------------------------------------------------===//

// CHECK-LABEL: module attributes {akida.ip_version = #akida.ip_version<v1>, akida.map_mode = "AllNps", akida.target = "AKD1000"}
// CHECK-LABEL: func.func @one_sequence
// CHECK: akida.input_convolutional "conv_0"
// CHECK-SAME: akida.pass = 0 : i64, akida.sequence = 0 : i64
// CHECK: akida.separable_convolutional "sep_1"
// CHECK-SAME: akida.pass = 0 : i64, akida.sequence = 0 : i64
// CHECK: akida.fully_connected "dense"
// CHECK-SAME: akida.pass = 0 : i64, akida.sequence = 0 : i64
// The pass writes no backend (except for layers too large for the device)
// and no NPs.
// CHECK-NOT: akida.{{backend|nps}}
// CHECK: return
module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"} {
  func.func @one_sequence(%arg0: tensor<1x16x16x1xui8>) -> tensor<1x1x1x10xsi32> {
    %0 = akida.input_convolutional "conv_0"(%arg0) {filters = 8, kernel_size = array<i64: 3, 3>, kernel_stride = array<i64: 2, 2>, weights_bits = 8, act_bits = 4, weights = dense<1> : tensor<3x3x1x8xsi8>, threshold = dense<0> : tensor<8xsi32>, act_step = dense<1.0> : tensor<8xf32>} : (tensor<1x16x16x1xui8>) -> tensor<1x8x8x8xui4>
    %1 = akida.separable_convolutional "sep_1"(%0) {filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, pool_type = #akida.pool_type<average>, weights = dense<1> : tensor<3x3x8x1xsi8>, weights_pw = dense<1> : tensor<1x1x8x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x8xui4>) -> tensor<1x1x1x16xui4>
    %2 = akida.fully_connected "dense"(%1) {units = 10, weights_bits = 4, activation = false, weights = dense<1> : tensor<1x1x16x10xsi8>, threshold = dense<0> : tensor<10xsi32>, act_step = dense<1.0> : tensor<10xf32>} : (tensor<1x1x1x16xui4>) -> tensor<1x1x1x10xsi32>
    return %2 : tensor<1x1x1x10xsi32>
  }
}

// -----

//===----------------------------------------------------------------------===//
// Software layers
//===----------------------------------------------------------------------===//

// A software layer in the middle: hardware, software, hardware. The second
// hardware sequence follows a software one, so no remark. Software layers get
// no akida.pass.

// CHECK-LABEL: func.func @software_middle
// CHECK: akida.input_data "input"
// CHECK-SAME: akida.pass = 0 : i64, akida.sequence = 0 : i64
// CHECK: akida.convolutional "conv_1"
// CHECK-SAME: akida.pass = 0 : i64, akida.sequence = 0 : i64
// CHECK: akida.convolutional "conv_2"
// CHECK-NOT: akida.pass
// CHECK-SAME: akida.backend = "software", akida.sequence = 1 : i64
// CHECK-NOT: akida.pass
// CHECK: akida.convolutional "conv_3"
// CHECK-SAME: akida.backend = "hardware", akida.pass = 0 : i64, akida.sequence = 2 : i64
module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"} {
  func.func @software_middle(%arg0: tensor<1x8x8x8xui8>) -> tensor<1x8x8x16xui4> {
    %0 = akida.input_data "input"(%arg0) {input_bits = 4} : (tensor<1x8x8x8xui8>) -> tensor<1x8x8x8xui4>
    %1 = akida.convolutional "conv_1"(%0) {filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x8x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x8xui4>) -> tensor<1x8x8x16xui4>
    %2 = akida.convolutional "conv_2"(%1) {akida.backend = "software", filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x16x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x16xui4>) -> tensor<1x8x8x16xui4>
    %3 = akida.convolutional "conv_3"(%2) {akida.backend = "hardware", filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x16x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x16xui4>) -> tensor<1x8x8x16xui4>
    return %3 : tensor<1x8x8x16xui4>
  }
}

// -----

// InputData goes where the layer it feeds goes: here into the leading
// software sequence.

// CHECK-LABEL: func.func @software_first
// CHECK: akida.input_data "input"
// CHECK-NOT: akida.pass
// CHECK-SAME: akida.sequence = 0 : i64
// CHECK: akida.convolutional "conv_1"
// CHECK-NOT: akida.pass
// CHECK-SAME: akida.sequence = 0 : i64
// CHECK: akida.convolutional "conv_2"
// CHECK-SAME: akida.pass = 0 : i64, akida.sequence = 1 : i64
// CHECK: akida.convolutional "conv_3"
// CHECK-NOT: akida.pass
// CHECK-SAME: akida.sequence = 2 : i64
module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"} {
  func.func @software_first(%arg0: tensor<1x8x8x8xui8>) -> tensor<1x8x8x16xui4> {
    %0 = akida.input_data "input"(%arg0) {input_bits = 4} : (tensor<1x8x8x8xui8>) -> tensor<1x8x8x8xui4>
    %1 = akida.convolutional "conv_1"(%0) {akida.backend = "software", filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x8x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x8xui4>) -> tensor<1x8x8x16xui4>
    %2 = akida.convolutional "conv_2"(%1) {filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x16x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x16xui4>) -> tensor<1x8x8x16xui4>
    %3 = akida.convolutional "conv_3"(%2) {akida.backend = "software", filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x16x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x16xui4>) -> tensor<1x8x8x16xui4>
    return %3 : tensor<1x8x8x16xui4>
  }
}

// -----

//===----------------------------------------------------------------------===//
// A device too small for the model
//===----------------------------------------------------------------------===//

// TwoNodesIP has 8 NPs; each 100-filter layer on 8 columns takes one, so
// conv_1..conv_8 fill it and conv_9 starts a second sequence.

// CHECK-LABEL: func.func @ten_layers
// CHECK: akida.input_data "input"
// CHECK-SAME: akida.sequence = 0 : i64
// CHECK: akida.convolutional "conv_8"
// CHECK-SAME: akida.pass = 0 : i64, akida.sequence = 0 : i64
// CHECK: akida.convolutional "conv_9"
// CHECK-SAME: akida.pass = 0 : i64, akida.sequence = 1 : i64
// CHECK: akida.convolutional "conv_10"
// CHECK-SAME: akida.pass = 0 : i64, akida.sequence = 1 : i64
module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "TwoNodesIP"} {
  func.func @ten_layers(%arg0: tensor<1x8x8x8xui8>) -> tensor<1x8x8x100xui4> {
    %0 = akida.input_data "input"(%arg0) {input_bits = 4} : (tensor<1x8x8x8xui8>) -> tensor<1x8x8x8xui4>
    %1 = akida.convolutional "conv_1"(%0) {filters = 100, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x8x100xsi8>, threshold = dense<0> : tensor<100xsi32>, act_step = dense<1.0> : tensor<100xf32>} : (tensor<1x8x8x8xui4>) -> tensor<1x8x8x100xui4>
    %2 = akida.convolutional "conv_2"(%1) {filters = 100, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x100x100xsi8>, threshold = dense<0> : tensor<100xsi32>, act_step = dense<1.0> : tensor<100xf32>} : (tensor<1x8x8x100xui4>) -> tensor<1x8x8x100xui4>
    %3 = akida.convolutional "conv_3"(%2) {filters = 100, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x100x100xsi8>, threshold = dense<0> : tensor<100xsi32>, act_step = dense<1.0> : tensor<100xf32>} : (tensor<1x8x8x100xui4>) -> tensor<1x8x8x100xui4>
    %4 = akida.convolutional "conv_4"(%3) {filters = 100, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x100x100xsi8>, threshold = dense<0> : tensor<100xsi32>, act_step = dense<1.0> : tensor<100xf32>} : (tensor<1x8x8x100xui4>) -> tensor<1x8x8x100xui4>
    %5 = akida.convolutional "conv_5"(%4) {filters = 100, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x100x100xsi8>, threshold = dense<0> : tensor<100xsi32>, act_step = dense<1.0> : tensor<100xf32>} : (tensor<1x8x8x100xui4>) -> tensor<1x8x8x100xui4>
    %6 = akida.convolutional "conv_6"(%5) {filters = 100, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x100x100xsi8>, threshold = dense<0> : tensor<100xsi32>, act_step = dense<1.0> : tensor<100xf32>} : (tensor<1x8x8x100xui4>) -> tensor<1x8x8x100xui4>
    %7 = akida.convolutional "conv_7"(%6) {filters = 100, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x100x100xsi8>, threshold = dense<0> : tensor<100xsi32>, act_step = dense<1.0> : tensor<100xf32>} : (tensor<1x8x8x100xui4>) -> tensor<1x8x8x100xui4>
    %8 = akida.convolutional "conv_8"(%7) {filters = 100, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x100x100xsi8>, threshold = dense<0> : tensor<100xsi32>, act_step = dense<1.0> : tensor<100xf32>} : (tensor<1x8x8x100xui4>) -> tensor<1x8x8x100xui4>
    // expected-remark @+1 {{layer 'conv_9' starts sequence 1: the layers before it fill TwoNodesIP in AllNps mode}}
    %9 = akida.convolutional "conv_9"(%8) {filters = 100, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x100x100xsi8>, threshold = dense<0> : tensor<100xsi32>, act_step = dense<1.0> : tensor<100xf32>} : (tensor<1x8x8x100xui4>) -> tensor<1x8x8x100xui4>
    %10 = akida.convolutional "conv_10"(%9) {filters = 100, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x100x100xsi8>, threshold = dense<0> : tensor<100xsi32>, act_step = dense<1.0> : tensor<100xf32>} : (tensor<1x8x8x100xui4>) -> tensor<1x8x8x100xui4>
    return %10 : tensor<1x8x8x100xui4>
  }
}

// -----

// A layer that does not fit the device even alone runs in software: the pass
// writes akida.backend = "software" on it, with a remark. 2000 filters on 8
// columns need at least 10 NPs.

// CHECK-LABEL: func.func @too_big
// CHECK: akida.convolutional "conv_1"
// CHECK-SAME: akida.pass = 0 : i64, akida.sequence = 0 : i64
// CHECK: akida.convolutional "big"
// CHECK-NOT: akida.pass
// CHECK-SAME: akida.backend = "software", akida.sequence = 1 : i64
// CHECK: akida.convolutional "conv_3"
// CHECK-SAME: akida.pass = 0 : i64, akida.sequence = 2 : i64
module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "TwoNodesIP"} {
  func.func @too_big(%arg0: tensor<1x8x8x8xui8>) -> tensor<1x8x8x16xui4> {
    %0 = akida.input_data "input"(%arg0) {input_bits = 4} : (tensor<1x8x8x8xui8>) -> tensor<1x8x8x8xui4>
    %1 = akida.convolutional "conv_1"(%0) {filters = 16, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x8x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x8xui4>) -> tensor<1x8x8x16xui4>
    // expected-remark @+1 {{layer 'big' does not fit on TwoNodesIP even alone; it runs in software}}
    %2 = akida.convolutional "big"(%1) {filters = 2000, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x16x2000xsi8>, threshold = dense<0> : tensor<2000xsi32>, act_step = dense<1.0> : tensor<2000xf32>} : (tensor<1x8x8x16xui4>) -> tensor<1x8x8x2000xui4>
    %3 = akida.convolutional "conv_3"(%2) {filters = 16, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x2000x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x2000xui4>) -> tensor<1x8x8x16xui4>
    return %3 : tensor<1x8x8x16xui4>
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

// expected-error @+1 {{module has no 'akida.ip_version' attribute; it is not an akida model}}
module attributes {akida.target = "AKD1000"} {
  func.func @not_a_model(%arg0: tensor<1x1x1x16xi8>) -> tensor<1x1x1x16xi8> {
    return %arg0 : tensor<1x1x1x16xi8>
  }
}

//===----------------------------------------------------------------------===//
// Options and larger models
//===----------------------------------------------------------------------===//

// An unknown mode is refused before anything is read.
// RUN: not akida-opt %s -split-input-file -akida-split-sequences=mode=Fastest 2>&1 | FileCheck %s --check-prefix=MODE
// RUN: not akida-opt %s -split-input-file -akida-split-sequences=mode=allnps 2>&1 | FileCheck %s --check-prefix=MODE-CASE
// MODE: error: mapping mode 'Fastest' is not one of AllNps, HwPr, Minimal
// Mode names are case-sensitive (device names are not).
// MODE-CASE: error: mapping mode 'allnps' is not one of AllNps, HwPr, Minimal

// AkidaNet 0.5/224 on TwoNodesIP. AllNps: eight sequences (the split is
// decided by the most compact placement: fewer sequences rank before more
// NPs), each new one announced on its first layer.
// RUN: akida-opt %S/../models/akidanet-05-224.mlir -akida-attach-target=device=TwoNodesIP -akida-check-constraints -akida-split-sequences -mlir-print-op-on-diagnostic=false -o /dev/null 2>&1 | FileCheck %s --check-prefix=NET-REMARKS
// RUN: akida-opt %S/../models/akidanet-05-224.mlir -akida-attach-target=device=TwoNodesIP -akida-check-constraints -akida-split-sequences 2>/dev/null | FileCheck %s --check-prefix=NET
// NET-REMARKS-NOT: remark
// NET-REMARKS: akidanet-05-224.mlir:{{[0-9]+}}:{{[0-9]+}}: remark: layer 'separable_4' starts sequence 1: the layers before it fill TwoNodesIP in AllNps mode
// NET-REMARKS: remark: layer 'separable_6' starts sequence 2: the layers before it fill TwoNodesIP in AllNps mode
// NET-REMARKS: remark: layer 'separable_7' starts sequence 3: the layers before it fill TwoNodesIP in AllNps mode
// NET-REMARKS: remark: layer 'separable_9' starts sequence 4: the layers before it fill TwoNodesIP in AllNps mode
// NET-REMARKS: remark: layer 'separable_11' starts sequence 5: the layers before it fill TwoNodesIP in AllNps mode
// NET-REMARKS: remark: layer 'separable_12' starts sequence 6: the layers before it fill TwoNodesIP in AllNps mode
// NET-REMARKS: remark: layer 'separable_13' starts sequence 7: the layers before it fill TwoNodesIP in AllNps mode
// NET-REMARKS-NOT: remark
// NET: module attributes {akida.ip_version = #akida.ip_version<v1>, akida.map_mode = "AllNps", akida.target = "TwoNodesIP"}
// NET: "conv_0"{{.*}}akida.pass = 0 : i64, akida.sequence = 0 : i64
// NET: "conv_3"{{.*}}akida.pass = 0 : i64, akida.sequence = 0 : i64
// NET: "separable_4"{{.*}}akida.pass = 0 : i64, akida.sequence = 1 : i64
// NET: "separable_5"{{.*}}akida.pass = 0 : i64, akida.sequence = 1 : i64
// NET: "separable_6"{{.*}}akida.pass = 0 : i64, akida.sequence = 2 : i64
// NET: "separable_13"{{.*}}akida.pass = 0 : i64, akida.sequence = 7 : i64
// NET: "classifier"{{.*}}akida.pass = 0 : i64, akida.sequence = 7 : i64

// HwPr: one sequence of eight passes, the same boundaries.
// RUN: akida-opt %S/../models/akidanet-05-224.mlir -akida-attach-target=device=TwoNodesIP -akida-check-constraints -akida-split-sequences=mode=HwPr -mlir-print-op-on-diagnostic=false -o /dev/null 2>&1 | FileCheck %s --check-prefix=HWPR-REMARKS
// RUN: akida-opt %S/../models/akidanet-05-224.mlir -akida-attach-target=device=TwoNodesIP -akida-check-constraints -akida-split-sequences=mode=HwPr 2>/dev/null | FileCheck %s --check-prefix=HWPR
// HWPR-REMARKS-NOT: remark
// HWPR-REMARKS: remark: layer 'separable_4' starts pass 1 of sequence 0: the layers before it fill TwoNodesIP
// HWPR-REMARKS: remark: layer 'separable_6' starts pass 2 of sequence 0: the layers before it fill TwoNodesIP
// HWPR-REMARKS: remark: layer 'separable_7' starts pass 3 of sequence 0: the layers before it fill TwoNodesIP
// HWPR-REMARKS: remark: layer 'separable_9' starts pass 4 of sequence 0: the layers before it fill TwoNodesIP
// HWPR-REMARKS: remark: layer 'separable_11' starts pass 5 of sequence 0: the layers before it fill TwoNodesIP
// HWPR-REMARKS: remark: layer 'separable_12' starts pass 6 of sequence 0: the layers before it fill TwoNodesIP
// HWPR-REMARKS: remark: layer 'separable_13' starts pass 7 of sequence 0: the layers before it fill TwoNodesIP
// HWPR-REMARKS-NOT: remark
// HWPR: module attributes {akida.ip_version = #akida.ip_version<v1>, akida.map_mode = "HwPr", akida.target = "TwoNodesIP"}
// HWPR: "conv_0"{{.*}}akida.pass = 0 : i64, akida.sequence = 0 : i64
// HWPR: "conv_3"{{.*}}akida.pass = 0 : i64, akida.sequence = 0 : i64
// HWPR: "separable_4"{{.*}}akida.pass = 1 : i64, akida.sequence = 0 : i64
// HWPR: "separable_13"{{.*}}akida.pass = 7 : i64, akida.sequence = 0 : i64
// HWPR: "classifier"{{.*}}akida.pass = 7 : i64, akida.sequence = 0 : i64
// HWPR-NOT: akida.sequence = 1

// Minimal (CNP2 first) packs conv_0..conv_3 in the first sequence: eight
// sequences.
// RUN: akida-opt %S/../models/akidanet-05-224.mlir -akida-attach-target=device=TwoNodesIP -akida-check-constraints -akida-split-sequences=mode=Minimal -mlir-print-op-on-diagnostic=false -o /dev/null 2>&1 | FileCheck %s --check-prefix=MIN-REMARKS
// MIN-REMARKS-NOT: remark
// MIN-REMARKS: remark: layer 'separable_4' starts sequence 1: the layers before it fill TwoNodesIP in Minimal mode
// MIN-REMARKS: remark: layer 'separable_13' starts sequence 7: the layers before it fill TwoNodesIP in Minimal mode
// MIN-REMARKS-NOT: remark

// The same model fits AKD1000 in one sequence: no remark.
// RUN: akida-opt %S/../models/akidanet-05-224.mlir -akida-attach-target -akida-check-constraints -akida-split-sequences -o /dev/null 2>&1 | count 0
