// RUN: akida-opt %s -split-input-file -verify-diagnostics -akida-allocate-nps | FileCheck %s

// akida-allocate-nps places the layers of each pass of each hardware sequence
// on the target's NPs and writes akida.nps = [{col, filters, id, row, type}]
// on them (the dictionary prints its keys sorted). Layers on the input
// convolution block (HRC) and InputData get an empty list; software layers
// get none. The mode is the option, else the module's akida.map_mode (what
// akida-split-sequences used), else AllNps.

//===----------------------------------------------------------------------===//
// DS-CNN KWS on AKD1000: the published mappings
//===----------------------------------------------------------------------===//

// AllNps: 16 CNP1 NPs of 4 filters for each separable layer, one FNP3 for
// the dense layer (65 NPs), conv_0 on the HRC.
// RUN: akida-opt %S/../models/ds-cnn-kws.mlir -akida-attach-target=device=AKD1000 -akida-check-constraints -akida-split-sequences -akida-allocate-nps | FileCheck %s --check-prefix=KWS
// The mode recorded by akida-split-sequences is the default.
// RUN: akida-opt %S/../models/ds-cnn-kws.mlir -akida-attach-target=device=AKD1000 -akida-check-constraints -akida-split-sequences=mode=AllNps -akida-allocate-nps=mode=AllNps | FileCheck %s --check-prefix=KWS
// KWS: akida.input_convolutional "conv_0"
// KWS-SAME: akida.nps = []
// KWS: akida.separable_convolutional "separable_1"
// KWS-SAME: akida.nps = [{col = 1 : i64, filters = 4 : i64, id = 1 : i64, row = 3 : i64, type = "CNP1"}, {col = 1 : i64, filters = 4 : i64, id = 2 : i64, row = 3 : i64, type = "CNP1"},
// KWS-SAME: {col = 3 : i64, filters = 4 : i64, id = 3 : i64, row = 1 : i64, type = "CNP1"}]
// KWS: akida.separable_convolutional "separable_2"
// KWS-SAME: akida.nps = [{col = 2 : i64, filters = 4 : i64, id = 3 : i64, row = 3 : i64, type = "CNP1"},
// KWS: akida.separable_convolutional "separable_3"
// KWS: akida.separable_convolutional "separable_4"
// KWS-SAME: {col = 5 : i64, filters = 4 : i64, id = 2 : i64, row = 2 : i64, type = "CNP1"}]
// KWS: akida.fully_connected "dense_5"
// KWS-SAME: akida.nps = [{col = 1 : i64, filters = 33 : i64, id = 0 : i64, row = 3 : i64, type = "FNP3"}]

// Exactly 16 entries of 4 CNP1 filters for each separable layer.
// RUN: akida-opt %S/../models/ds-cnn-kws.mlir -akida-attach-target=device=AKD1000 -akida-check-constraints -akida-split-sequences -akida-allocate-nps | FileCheck %s --check-prefix=KWS16
// KWS16-COUNT-4: akida.separable_convolutional{{.*}} akida.nps = [{{([{]col = [0-9]+ : i64, filters = 4 : i64, id = [0-9]+ : i64, row = [0-9]+ : i64, type = "CNP1"[}], ){15}[{]}}col = {{[0-9]+}} : i64, filters = 4 : i64, id = {{[0-9]+}} : i64, row = {{[0-9]+}} : i64, type = "CNP1"}],
// KWS16-NOT: separable_convolutional

// Minimal: one NP per layer, CNP2 preferred (5 NPs).
// RUN: akida-opt %S/../models/ds-cnn-kws.mlir -akida-attach-target=device=AKD1000 -akida-check-constraints -akida-split-sequences=mode=Minimal -akida-allocate-nps | FileCheck %s --check-prefix=KWSMIN
// The option overrides akida.map_mode (which it leaves as it is).
// RUN: akida-opt %S/../models/ds-cnn-kws.mlir -akida-attach-target=device=AKD1000 -akida-check-constraints -akida-split-sequences -akida-allocate-nps=mode=Minimal | FileCheck %s --check-prefix=KWSMIN
// KWSMIN: akida.input_convolutional "conv_0"
// KWSMIN-SAME: akida.nps = []
// KWSMIN: akida.separable_convolutional "separable_1"
// KWSMIN-SAME: akida.nps = [{col = 1 : i64, filters = 64 : i64, id = 1 : i64, row = 3 : i64, type = "CNP2"}]
// KWSMIN: akida.separable_convolutional "separable_2"
// KWSMIN-SAME: akida.nps = [{col = 1 : i64, filters = 64 : i64, id = 2 : i64, row = 3 : i64, type = "CNP2"}]
// KWSMIN: akida.separable_convolutional "separable_3"
// KWSMIN-SAME: akida.nps = [{col = 1 : i64, filters = 64 : i64, id = 3 : i64, row = 3 : i64, type = "CNP2"}]
// KWSMIN: akida.separable_convolutional "separable_4"
// KWSMIN-SAME: akida.nps = [{col = 1 : i64, filters = 64 : i64, id = 1 : i64, row = 4 : i64, type = "CNP2"}]
// KWSMIN: akida.fully_connected "dense_5"
// KWSMIN-SAME: akida.nps = [{col = 1 : i64, filters = 33 : i64, id = 0 : i64, row = 3 : i64, type = "FNP3"}]

// An unknown mode option.
// RUN: not akida-opt %S/../models/ds-cnn-kws.mlir -akida-attach-target -akida-check-constraints -akida-split-sequences -akida-allocate-nps=mode=Fastest 2>&1 | FileCheck %s --check-prefix=MODE
// MODE: ds-cnn-kws.mlir:{{[0-9]+}}:1: error: mapping mode 'Fastest' is not one of AllNps, HwPr, Minimal

//===----------------------------------------------------------------------===//
// Small models with hand-written sequences
//===----------------------------------------------------------------------===//

// Without akida.map_mode the mode is AllNps: the smallest filter cap that
// fits, CNP1 first (sep_1: 16 NPs of 1 filter).

// CHECK-LABEL: func.func @small
// CHECK: akida.input_convolutional "conv_0"
// CHECK-SAME: akida.nps = []
// CHECK: akida.separable_convolutional "sep_1"
// CHECK-SAME: akida.nps = [{col = 1 : i64, filters = 1 : i64, id = 1 : i64, row = 3 : i64, type = "CNP1"}, {col = 1 : i64, filters = 1 : i64, id = 2 : i64, row = 3 : i64, type = "CNP1"},
// CHECK-SAME: {col = 3 : i64, filters = 1 : i64, id = 3 : i64, row = 1 : i64, type = "CNP1"}]
// CHECK: akida.fully_connected "dense"
// CHECK-SAME: akida.nps = [{col = 1 : i64, filters = 10 : i64, id = 0 : i64, row = 3 : i64, type = "FNP3"}]
module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"} {
  func.func @small(%arg0: tensor<1x16x16x1xui8>) -> tensor<1x1x1x10xsi32> {
    %0 = akida.input_convolutional "conv_0"(%arg0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, filters = 8, kernel_size = array<i64: 3, 3>, kernel_stride = array<i64: 2, 2>, weights_bits = 8, act_bits = 4, weights = dense<1> : tensor<3x3x1x8xsi8>, threshold = dense<0> : tensor<8xsi32>, act_step = dense<1.0> : tensor<8xf32>} : (tensor<1x16x16x1xui8>) -> tensor<1x8x8x8xui4>
    %1 = akida.separable_convolutional "sep_1"(%0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, pool_type = #akida.pool_type<average>, weights = dense<1> : tensor<3x3x8x1xsi8>, weights_pw = dense<1> : tensor<1x1x8x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x8xui4>) -> tensor<1x1x1x16xui4>
    %2 = akida.fully_connected "dense"(%1) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, units = 10, weights_bits = 4, activation = false, weights = dense<1> : tensor<1x1x16x10xsi8>, threshold = dense<0> : tensor<10xsi32>, act_step = dense<1.0> : tensor<10xf32>} : (tensor<1x1x1x16xui4>) -> tensor<1x1x1x10xsi32>
    return %2 : tensor<1x1x1x10xsi32>
  }
}

// -----

// akida.map_mode = "Minimal": the largest cap, CNP2 first. The software
// layer gets no NPs; each hardware sequence starts from an empty mesh.

// CHECK-LABEL: func.func @minimal_with_software
// CHECK: akida.input_data "input"
// CHECK-SAME: akida.nps = []
// CHECK: akida.convolutional "conv_1"
// CHECK-SAME: akida.nps = [{col = 1 : i64, filters = 16 : i64, id = 1 : i64, row = 3 : i64, type = "CNP2"}]
// CHECK: akida.convolutional "conv_2"
// CHECK-NOT: akida.nps
// CHECK-SAME: -> tensor<1x8x8x16xui4>
// CHECK: akida.convolutional "conv_3"
// CHECK-SAME: akida.nps = [{col = 1 : i64, filters = 16 : i64, id = 1 : i64, row = 3 : i64, type = "CNP2"}]
module attributes {akida.ip_version = #akida.ip_version<v1>, akida.map_mode = "Minimal", akida.target = "AKD1000"} {
  func.func @minimal_with_software(%arg0: tensor<1x8x8x8xui8>) -> tensor<1x8x8x16xui4> {
    %0 = akida.input_data "input"(%arg0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, input_bits = 4} : (tensor<1x8x8x8xui8>) -> tensor<1x8x8x8xui4>
    %1 = akida.convolutional "conv_1"(%0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x8x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x8xui4>) -> tensor<1x8x8x16xui4>
    %2 = akida.convolutional "conv_2"(%1) {akida.backend = "software", akida.sequence = 1, filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x16x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x16xui4>) -> tensor<1x8x8x16xui4>
    %3 = akida.convolutional "conv_3"(%2) {akida.backend = "hardware", akida.sequence = 2, akida.pass = 0, filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x16x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x16xui4>) -> tensor<1x8x8x16xui4>
    return %3 : tensor<1x8x8x16xui4>
  }
}

// -----

// HwPr: each pass of a sequence has the whole mesh again: conv_9 and
// conv_10 (pass 1) reuse the NPs of pass 0, four each with a cap of 32
// filters (AllNps search within the pass). Existing akida.nps are replaced.

// CHECK-LABEL: func.func @two_passes
// CHECK: akida.convolutional "conv_1"
// CHECK-SAME: akida.nps = [{col = 1 : i64, filters = 100 : i64, id = 1 : i64, row = 2 : i64, type = "CNP1"}]
// CHECK: akida.convolutional "conv_8"
// CHECK-SAME: akida.nps = [{col = 1 : i64, filters = 100 : i64, id = 3 : i64, row = 3 : i64, type = "CNP1"}]
// CHECK: akida.convolutional "conv_9"
// CHECK-SAME: akida.nps = [{col = 1 : i64, filters = 25 : i64, id = 0 : i64, row = 2 : i64, type = "CNP1"}, {col = 1 : i64, filters = 25 : i64, id = 1 : i64, row = 2 : i64, type = "CNP1"}, {col = 1 : i64, filters = 25 : i64, id = 2 : i64, row = 2 : i64, type = "CNP1"}, {col = 1 : i64, filters = 25 : i64, id = 3 : i64, row = 2 : i64, type = "CNP1"}]
// CHECK: akida.convolutional "conv_10"
// CHECK-SAME: akida.nps = [{col = 1 : i64, filters = 25 : i64, id = 0 : i64, row = 3 : i64, type = "CNP1"}, {col = 1 : i64, filters = 25 : i64, id = 1 : i64, row = 3 : i64, type = "CNP1"}, {col = 1 : i64, filters = 25 : i64, id = 2 : i64, row = 3 : i64, type = "CNP1"}, {col = 1 : i64, filters = 25 : i64, id = 3 : i64, row = 3 : i64, type = "CNP1"}]
module attributes {akida.ip_version = #akida.ip_version<v1>, akida.map_mode = "HwPr", akida.target = "TwoNodesIP"} {
  func.func @two_passes(%arg0: tensor<1x8x8x8xui8>) -> tensor<1x8x8x100xui4> {
    %0 = akida.input_data "input"(%arg0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, akida.nps = [{col = 9, row = 9, id = 9, type = "CNP2", filters = 1}], input_bits = 4} : (tensor<1x8x8x8xui8>) -> tensor<1x8x8x8xui4>
    %1 = akida.convolutional "conv_1"(%0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, filters = 100, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x8x100xsi8>, threshold = dense<0> : tensor<100xsi32>, act_step = dense<1.0> : tensor<100xf32>} : (tensor<1x8x8x8xui4>) -> tensor<1x8x8x100xui4>
    %2 = akida.convolutional "conv_2"(%1) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, filters = 100, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x100x100xsi8>, threshold = dense<0> : tensor<100xsi32>, act_step = dense<1.0> : tensor<100xf32>} : (tensor<1x8x8x100xui4>) -> tensor<1x8x8x100xui4>
    %3 = akida.convolutional "conv_3"(%2) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, filters = 100, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x100x100xsi8>, threshold = dense<0> : tensor<100xsi32>, act_step = dense<1.0> : tensor<100xf32>} : (tensor<1x8x8x100xui4>) -> tensor<1x8x8x100xui4>
    %4 = akida.convolutional "conv_4"(%3) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, filters = 100, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x100x100xsi8>, threshold = dense<0> : tensor<100xsi32>, act_step = dense<1.0> : tensor<100xf32>} : (tensor<1x8x8x100xui4>) -> tensor<1x8x8x100xui4>
    %5 = akida.convolutional "conv_5"(%4) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, filters = 100, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x100x100xsi8>, threshold = dense<0> : tensor<100xsi32>, act_step = dense<1.0> : tensor<100xf32>} : (tensor<1x8x8x100xui4>) -> tensor<1x8x8x100xui4>
    %6 = akida.convolutional "conv_6"(%5) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, filters = 100, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x100x100xsi8>, threshold = dense<0> : tensor<100xsi32>, act_step = dense<1.0> : tensor<100xf32>} : (tensor<1x8x8x100xui4>) -> tensor<1x8x8x100xui4>
    %7 = akida.convolutional "conv_7"(%6) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, filters = 100, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x100x100xsi8>, threshold = dense<0> : tensor<100xsi32>, act_step = dense<1.0> : tensor<100xf32>} : (tensor<1x8x8x100xui4>) -> tensor<1x8x8x100xui4>
    %8 = akida.convolutional "conv_8"(%7) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, filters = 100, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x100x100xsi8>, threshold = dense<0> : tensor<100xsi32>, act_step = dense<1.0> : tensor<100xf32>} : (tensor<1x8x8x100xui4>) -> tensor<1x8x8x100xui4>
    %9 = akida.convolutional "conv_9"(%8) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 1, filters = 100, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x100x100xsi8>, threshold = dense<0> : tensor<100xsi32>, act_step = dense<1.0> : tensor<100xf32>} : (tensor<1x8x8x100xui4>) -> tensor<1x8x8x100xui4>
    %10 = akida.convolutional "conv_10"(%9) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 1, filters = 100, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x100x100xsi8>, threshold = dense<0> : tensor<100xsi32>, act_step = dense<1.0> : tensor<100xf32>} : (tensor<1x8x8x100xui4>) -> tensor<1x8x8x100xui4>
    return %10 : tensor<1x8x8x100xui4>
  }
}

// -----

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

// Run before akida-split-sequences: no akida.sequence. The error is on the
// first layer without it.

module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"} {
  func.func @no_sequence(%arg0: tensor<1x8x8x8xui8>) -> tensor<1x8x8x16xui4> {
    // expected-error @+1 {{layer has no 'akida.sequence' / 'akida.backend'; run akida-check-constraints and akida-split-sequences first}}
    %0 = akida.input_data "input"(%arg0) {akida.backend = "hardware", input_bits = 4} : (tensor<1x8x8x8xui8>) -> tensor<1x8x8x8xui4>
    %1 = akida.convolutional "conv_1"(%0) {akida.backend = "hardware", filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x8x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x8xui4>) -> tensor<1x8x8x16xui4>
    return %1 : tensor<1x8x8x16xui4>
  }
}

// -----

// akida.sequence without akida.backend (akida-check-constraints not run).

module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"} {
  func.func @no_backend(%arg0: tensor<1x8x8x8xui8>) -> tensor<1x8x8x16xui4> {
    %0 = akida.input_data "input"(%arg0) {akida.backend = "hardware", akida.sequence = 0, input_bits = 4} : (tensor<1x8x8x8xui8>) -> tensor<1x8x8x8xui4>
    // expected-error @+1 {{layer has no 'akida.sequence' / 'akida.backend'; run akida-check-constraints and akida-split-sequences first}}
    %1 = akida.convolutional "conv_1"(%0) {akida.sequence = 0, filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x8x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x8xui4>) -> tensor<1x8x8x16xui4>
    return %1 : tensor<1x8x8x16xui4>
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"} {
  func.func @sequence_gap(%arg0: tensor<1x8x8x8xui8>) -> tensor<1x8x8x16xui4> {
    %0 = akida.input_data "input"(%arg0) {akida.backend = "hardware", akida.sequence = 0, input_bits = 4} : (tensor<1x8x8x8xui8>) -> tensor<1x8x8x8xui4>
    // expected-error @+1 {{sequence indices must be consecutive}}
    %1 = akida.convolutional "conv_1"(%0) {akida.backend = "hardware", akida.sequence = 2, filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x8x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x8xui4>) -> tensor<1x8x8x16xui4>
    return %1 : tensor<1x8x8x16xui4>
  }
}

// -----

// Existing NP entries are read (and must be well-formed) before being
// replaced.

module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"} {
  func.func @bad_nps(%arg0: tensor<1x8x8x8xui8>) -> tensor<1x8x8x16xui4> {
    %0 = akida.input_data "input"(%arg0) {akida.backend = "hardware", akida.sequence = 0, input_bits = 4} : (tensor<1x8x8x8xui8>) -> tensor<1x8x8x8xui4>
    // expected-error @+1 {{'akida.nps' entries must be {col, row, id, type, filters}, got {col = 1 : i64, filters = 16 : i64, id = 1 : i64, row = 3 : i64, type = "GPU"}}}
    %1 = akida.convolutional "conv_1"(%0) {akida.backend = "hardware", akida.sequence = 0, akida.nps = [{col = 1, row = 3, id = 1, type = "GPU", filters = 16}], filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x8x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x8xui4>) -> tensor<1x8x8x16xui4>
    return %1 : tensor<1x8x8x16xui4>
  }
}

// -----

// All ten layers of split-sequences.mlir's @ten_layers in one pass on
// TwoNodesIP: the error is on the first layer of the pass.

module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "TwoNodesIP"} {
  func.func @one_pass_too_many(%arg0: tensor<1x8x8x8xui8>) -> tensor<1x8x8x100xui4> {
    // expected-error @+1 {{layers from 'input' do not fit on TwoNodesIP in one pass; run akida-split-sequences with the same mode}}
    %0 = akida.input_data "input"(%arg0) {akida.backend = "hardware", akida.sequence = 0, input_bits = 4} : (tensor<1x8x8x8xui8>) -> tensor<1x8x8x8xui4>
    %1 = akida.convolutional "conv_1"(%0) {akida.backend = "hardware", akida.sequence = 0, filters = 100, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x8x100xsi8>, threshold = dense<0> : tensor<100xsi32>, act_step = dense<1.0> : tensor<100xf32>} : (tensor<1x8x8x8xui4>) -> tensor<1x8x8x100xui4>
    %2 = akida.convolutional "conv_2"(%1) {akida.backend = "hardware", akida.sequence = 0, filters = 100, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x100x100xsi8>, threshold = dense<0> : tensor<100xsi32>, act_step = dense<1.0> : tensor<100xf32>} : (tensor<1x8x8x100xui4>) -> tensor<1x8x8x100xui4>
    %3 = akida.convolutional "conv_3"(%2) {akida.backend = "hardware", akida.sequence = 0, filters = 100, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x100x100xsi8>, threshold = dense<0> : tensor<100xsi32>, act_step = dense<1.0> : tensor<100xf32>} : (tensor<1x8x8x100xui4>) -> tensor<1x8x8x100xui4>
    %4 = akida.convolutional "conv_4"(%3) {akida.backend = "hardware", akida.sequence = 0, filters = 100, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x100x100xsi8>, threshold = dense<0> : tensor<100xsi32>, act_step = dense<1.0> : tensor<100xf32>} : (tensor<1x8x8x100xui4>) -> tensor<1x8x8x100xui4>
    %5 = akida.convolutional "conv_5"(%4) {akida.backend = "hardware", akida.sequence = 0, filters = 100, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x100x100xsi8>, threshold = dense<0> : tensor<100xsi32>, act_step = dense<1.0> : tensor<100xf32>} : (tensor<1x8x8x100xui4>) -> tensor<1x8x8x100xui4>
    %6 = akida.convolutional "conv_6"(%5) {akida.backend = "hardware", akida.sequence = 0, filters = 100, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x100x100xsi8>, threshold = dense<0> : tensor<100xsi32>, act_step = dense<1.0> : tensor<100xf32>} : (tensor<1x8x8x100xui4>) -> tensor<1x8x8x100xui4>
    %7 = akida.convolutional "conv_7"(%6) {akida.backend = "hardware", akida.sequence = 0, filters = 100, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x100x100xsi8>, threshold = dense<0> : tensor<100xsi32>, act_step = dense<1.0> : tensor<100xf32>} : (tensor<1x8x8x100xui4>) -> tensor<1x8x8x100xui4>
    %8 = akida.convolutional "conv_8"(%7) {akida.backend = "hardware", akida.sequence = 0, filters = 100, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x100x100xsi8>, threshold = dense<0> : tensor<100xsi32>, act_step = dense<1.0> : tensor<100xf32>} : (tensor<1x8x8x100xui4>) -> tensor<1x8x8x100xui4>
    %9 = akida.convolutional "conv_9"(%8) {akida.backend = "hardware", akida.sequence = 0, filters = 100, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x100x100xsi8>, threshold = dense<0> : tensor<100xsi32>, act_step = dense<1.0> : tensor<100xf32>} : (tensor<1x8x8x100xui4>) -> tensor<1x8x8x100xui4>
    %10 = akida.convolutional "conv_10"(%9) {akida.backend = "hardware", akida.sequence = 0, filters = 100, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x100x100xsi8>, threshold = dense<0> : tensor<100xsi32>, act_step = dense<1.0> : tensor<100xf32>} : (tensor<1x8x8x100xui4>) -> tensor<1x8x8x100xui4>
    return %10 : tensor<1x8x8x100xui4>
  }
}

// -----

// expected-error @+1 {{mapping mode 'Fast' is not one of AllNps, HwPr, Minimal}}
module attributes {akida.ip_version = #akida.ip_version<v1>, akida.map_mode = "Fast", akida.target = "AKD1000"} {
  func.func @bad_map_mode(%arg0: tensor<1x1x1x16xui8>) -> tensor<1x1x1x16xui4> {
    %0 = akida.input_data "input"(%arg0) {akida.backend = "hardware", akida.sequence = 0, input_bits = 4} : (tensor<1x1x1x16xui8>) -> tensor<1x1x1x16xui4>
    return %0 : tensor<1x1x1x16xui4>
  }
}

// -----

// expected-error @+1 {{the module has no 'akida.target' attribute; run akida-attach-target first}}
module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @no_target(%arg0: tensor<1x1x1x16xui8>) -> tensor<1x1x1x16xui4> {
    %0 = akida.input_data "input"(%arg0) {akida.backend = "hardware", akida.sequence = 0, input_bits = 4} : (tensor<1x1x1x16xui8>) -> tensor<1x1x1x16xui4>
    return %0 : tensor<1x1x1x16xui4>
  }
}
