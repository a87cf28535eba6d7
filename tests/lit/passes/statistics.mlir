// REQUIRES: pass-statistics
// Pass statistics are counted only by an LLVM built with statistics
// (assertions, or LLVM_FORCE_ENABLE_STATS); lit.local.cfg sets the feature
// when akida-opt prints them. Displayed as a pipeline: each pass by name,
// then its statistics sorted by name, "(S) VALUE NAME - DESCRIPTION".

// This model: InputData, conv_1, conv_2 (9x9 kernel, stride 3: software),
// sep_3, dense on AKD1000 (AllNps): sequences [input, conv_1], [conv_2],
// [sep_3, dense]; NPs 16 + 32 + 1.
// RUN: akida-opt %s -akida-map -mlir-pass-statistics -mlir-print-op-on-diagnostic=false -o /dev/null 2>&1 | FileCheck %s
// CHECK: ... Pass statistics report ...
// CHECK: AkidaAttachTarget
// CHECK-NOT: (S)
// CHECK: AkidaCheckConstraints
// CHECK-NEXT: (S) 4 hardware-layers - Layers that can run on hardware
// CHECK-NEXT: (S) 1 software-layers - Layers sent to software
// CHECK-NEXT: AkidaSplitSequences
// CHECK-NEXT: (S) 2 hardware-sequences - Hardware sequences
// CHECK-NEXT: (S) 2 passes - Hardware passes
// CHECK-NEXT: (S) 3 sequences - Sequences
// CHECK-NEXT: AkidaAllocateNps
// CHECK-NEXT: (S) 49 nps - NPs allocated
// CHECK-NEXT: AkidaEmitPrograms
// CHECK-NEXT: (S) {{[1-9][0-9]*}} program-bytes - Bytes of programs emitted

// The constraint check alone on DS-CNN: all six layers in hardware.
// RUN: akida-opt %S/../models/ds-cnn-kws.mlir -akida-attach-target -akida-check-constraints -mlir-pass-statistics -o /dev/null 2>&1 | FileCheck %s --check-prefix=KWS-CC
// KWS-CC: AkidaCheckConstraints
// KWS-CC-NEXT: (S) 6 hardware-layers - Layers that can run on hardware
// KWS-CC-NEXT: (S) 0 software-layers - Layers sent to software

// DS-CNN on AKD1000: the published NP counts, 65 (AllNps) and 5 (Minimal).
// RUN: akida-opt %S/../models/ds-cnn-kws.mlir -akida-map -mlir-pass-statistics -o /dev/null 2>&1 | FileCheck %s --check-prefix=KWS
// RUN: akida-opt %S/../models/ds-cnn-kws.mlir -akida-map=mode=Minimal -mlir-pass-statistics -o /dev/null 2>&1 | FileCheck %s --check-prefix=KWS-MIN
// KWS: AkidaSplitSequences
// KWS-NEXT: (S) 1 hardware-sequences - Hardware sequences
// KWS-NEXT: (S) 1 passes - Hardware passes
// KWS-NEXT: (S) 1 sequences - Sequences
// KWS-NEXT: AkidaAllocateNps
// KWS-NEXT: (S) 65 nps - NPs allocated
// KWS-MIN: AkidaAllocateNps
// KWS-MIN-NEXT: (S) 5 nps - NPs allocated

// AkidaNet 0.5/224 on TwoNodesIP: eight sequences of one pass (AllNps), or
// one sequence of eight passes (HwPr).
// RUN: akida-opt %S/../models/akidanet-05-224.mlir -akida-attach-target=device=TwoNodesIP -akida-check-constraints -akida-split-sequences -mlir-pass-statistics -o /dev/null 2>&1 | FileCheck %s --check-prefix=NET
// RUN: akida-opt %S/../models/akidanet-05-224.mlir -akida-attach-target=device=TwoNodesIP -akida-check-constraints -akida-split-sequences=mode=HwPr -mlir-pass-statistics -o /dev/null 2>&1 | FileCheck %s --check-prefix=NET-HWPR
// NET: AkidaSplitSequences
// NET-NEXT: (S) 8 hardware-sequences - Hardware sequences
// NET-NEXT: (S) 8 passes - Hardware passes
// NET-NEXT: (S) 8 sequences - Sequences
// NET-HWPR: AkidaSplitSequences
// NET-HWPR-NEXT: (S) 1 hardware-sequences - Hardware sequences
// NET-HWPR-NEXT: (S) 8 passes - Hardware passes
// NET-HWPR-NEXT: (S) 1 sequences - Sequences

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @statistics(%arg0: tensor<1x16x16x8xui8>) -> tensor<1x1x1x10xsi32> {
    %0 = akida.input_data "input"(%arg0) {input_bits = 4} : (tensor<1x16x16x8xui8>) -> tensor<1x16x16x8xui4>
    %1 = akida.convolutional "conv_1"(%0) {filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x8x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x16x16x8xui4>) -> tensor<1x16x16x16xui4>
    %2 = akida.convolutional "conv_2"(%1) {filters = 16, kernel_size = array<i64: 9, 9>, kernel_stride = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<9x9x16x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x16x16x16xui4>) -> tensor<1x6x6x16xui4>
    %3 = akida.separable_convolutional "sep_3"(%2) {filters = 32, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, pool_type = #akida.pool_type<average>, weights = dense<1> : tensor<3x3x16x1xsi8>, weights_pw = dense<1> : tensor<1x1x16x32xsi8>, threshold = dense<0> : tensor<32xsi32>, act_step = dense<1.0> : tensor<32xf32>} : (tensor<1x6x6x16xui4>) -> tensor<1x1x1x32xui4>
    %4 = akida.fully_connected "dense"(%3) {units = 10, weights_bits = 4, activation = false, weights = dense<1> : tensor<1x1x32x10xsi8>, threshold = dense<0> : tensor<10xsi32>, act_step = dense<1.0> : tensor<10xf32>} : (tensor<1x1x1x32xui4>) -> tensor<1x1x1x10xsi32>
    return %4 : tensor<1x1x1x10xsi32>
  }
}
