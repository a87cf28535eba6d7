// The akida-map pipeline: attach-target, check-constraints, split-sequences,
// allocate-nps, emit-programs, with options device (AKD1000), mode (AllNps)
// and hw-only (false).

//===----------------------------------------------------------------------===//
// DS-CNN KWS on AKD1000, Minimal: every mapping attribute
//===----------------------------------------------------------------------===//

// RUN: akida-opt %S/../models/ds-cnn-kws.mlir -akida-map="device=AKD1000 mode=Minimal" -o %t.min.1.mlir
// RUN: FileCheck %s --check-prefix=KWS < %t.min.1.mlir
// KWS: module attributes {akida.ip_version = #akida.ip_version<v1>, akida.map_mode = "Minimal", akida.programs = [{program = dense_resource<program_0> : tensor<[[SIZE:[0-9]+]]xui8>, sequence = 0 : i64, size = [[SIZE]] : i64}], akida.target = "AKD1000"}
// KWS-LABEL: func.func @ds_cnn_kws
// KWS: akida.input_convolutional "conv_0"
// KWS-SAME: akida.backend = "hardware", akida.nps = [], akida.pass = 0 : i64, akida.sequence = 0 : i64,
// KWS: akida.separable_convolutional "separable_1"
// KWS-SAME: akida.backend = "hardware", akida.nps = [{col = 1 : i64, filters = 64 : i64, id = 1 : i64, row = 3 : i64, type = "CNP2"}], akida.pass = 0 : i64, akida.sequence = 0 : i64,
// KWS: akida.separable_convolutional "separable_2"
// KWS-SAME: akida.backend = "hardware", akida.nps = [{col = 1 : i64, filters = 64 : i64, id = 2 : i64, row = 3 : i64, type = "CNP2"}], akida.pass = 0 : i64, akida.sequence = 0 : i64,
// KWS: akida.separable_convolutional "separable_3"
// KWS-SAME: akida.backend = "hardware", akida.nps = [{col = 1 : i64, filters = 64 : i64, id = 3 : i64, row = 3 : i64, type = "CNP2"}], akida.pass = 0 : i64, akida.sequence = 0 : i64,
// KWS: akida.separable_convolutional "separable_4"
// KWS-SAME: akida.backend = "hardware", akida.nps = [{col = 1 : i64, filters = 64 : i64, id = 1 : i64, row = 4 : i64, type = "CNP2"}], akida.pass = 0 : i64, akida.sequence = 0 : i64,
// KWS: akida.fully_connected "dense_5"
// KWS-SAME: akida.backend = "hardware", akida.nps = [{col = 1 : i64, filters = 33 : i64, id = 0 : i64, row = 3 : i64, type = "FNP3"}], akida.pass = 0 : i64, akida.sequence = 0 : i64,
// KWS: dialect_resources
// KWS: program_0: "0x01000000

// The same through --pass-pipeline, and through the five passes one by one.
// RUN: akida-opt %S/../models/ds-cnn-kws.mlir --pass-pipeline="builtin.module(akida-map{device=AKD1000 mode=Minimal})" -o %t.min.2.mlir
// RUN: diff %t.min.1.mlir %t.min.2.mlir
// RUN: akida-opt %S/../models/ds-cnn-kws.mlir -akida-attach-target=device=AKD1000 -akida-check-constraints -akida-split-sequences=mode=Minimal -akida-allocate-nps -akida-emit-programs -o %t.min.3.mlir
// RUN: diff %t.min.1.mlir %t.min.3.mlir

// The defaults are AKD1000 and AllNps: the published 65-NP mapping.
// RUN: akida-opt %S/../models/ds-cnn-kws.mlir -akida-map | FileCheck %s --check-prefix=KWS-ALL
// RUN: akida-opt %S/../models/ds-cnn-kws.mlir --pass-pipeline="builtin.module(akida-map)" | FileCheck %s --check-prefix=KWS-ALL
// KWS-ALL: module attributes {akida.ip_version = #akida.ip_version<v1>, akida.map_mode = "AllNps", akida.programs = [{program = dense_resource<program_0> : tensor<{{[0-9]+}}xui8>, sequence = 0 : i64, size = {{[0-9]+}} : i64}], akida.target = "AKD1000"}
// KWS-ALL: "conv_0"{{.*}}akida.nps = []
// KWS-ALL-COUNT-4: akida.separable_convolutional{{.*}} akida.nps = [{{([{][^}]*filters = 4 : i64[^}]*type = "CNP1"[}], ){15}[{]}}{{[^}]*}}filters = 4 : i64{{[^}]*}}type = "CNP1"}], akida.pass = 0 : i64, akida.sequence = 0 : i64
// KWS-ALL: "dense_5"{{.*}}akida.nps = [{col = 1 : i64, filters = 33 : i64, id = 0 : i64, row = 3 : i64, type = "FNP3"}]

// hw-only changes nothing for a model that fits.
// RUN: akida-opt %S/../models/ds-cnn-kws.mlir -akida-map="device=AKD1000 mode=Minimal hw-only=true" -o %t.min.4.mlir
// RUN: diff %t.min.1.mlir %t.min.4.mlir

//===----------------------------------------------------------------------===//
// AkidaNet 0.5/224 on TwoNodesIP
//===----------------------------------------------------------------------===//

// hw-only fails: AllNps needs eight sequences.
// RUN: not akida-opt %S/../models/akidanet-05-224.mlir -akida-map="device=TwoNodesIP hw-only=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=NET-HWONLY
// RUN: not akida-opt %S/../models/akidanet-05-224.mlir -akida-map="device=TwoNodesIP mode=Minimal hw-only=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=NET-HWONLY-MIN
// NET-HWONLY: akidanet-05-224.mlir:{{[0-9]+}}:1: error: hw_only: the model needs 8 sequences on TwoNodesIP in AllNps mode; layers from 'separable_4' on do not fit in the first one (try mode HwPr or a larger device)
// NET-HWONLY-MIN: error: hw_only: the model needs 8 sequences on TwoNodesIP in Minimal mode; layers from 'separable_4' on do not fit in the first one (try mode HwPr or a larger device)

// With HwPr it is one sequence of eight passes: accepted, one program.
// RUN: akida-opt %S/../models/akidanet-05-224.mlir -akida-map="device=TwoNodesIP mode=HwPr hw-only=true" -mlir-print-op-on-diagnostic=false 2>&1 | FileCheck %s --check-prefix=NET-HWPR
// NET-HWPR-COUNT-7: remark: layer '{{[a-z_0-9]+}}' starts pass {{[1-7]}} of sequence 0: the layers before it fill TwoNodesIP
// NET-HWPR: module attributes {akida.ip_version = #akida.ip_version<v1>, akida.map_mode = "HwPr", akida.programs = [{program = dense_resource<program_0> : tensor<{{[0-9]+}}xui8>, sequence = 0 : i64, size = {{[0-9]+}} : i64}], akida.target = "TwoNodesIP"}
// NET-HWPR: "classifier"{{.*}}akida.pass = 7 : i64, akida.sequence = 0 : i64

//===----------------------------------------------------------------------===//
// Option errors
//===----------------------------------------------------------------------===//

// RUN: not akida-opt %S/../models/ds-cnn-kws.mlir -akida-map="device=AKD9000" -o /dev/null 2>&1 | FileCheck %s --check-prefix=DEVICE
// DEVICE: error: unknown virtual device 'AKD9000'; expected one of: AKD1000, AKD1500, TwoNodesIP, TwoNodesIPv2, SixNodesIPv2
// The mode is checked by akida-split-sequences, after the constraint check.
// RUN: not akida-opt %S/../models/ds-cnn-kws.mlir -akida-map="mode=Fastest" -o /dev/null 2>&1 | FileCheck %s --check-prefix=MODE
// MODE: error: mapping mode 'Fastest' is not one of AllNps, HwPr, Minimal
// RUN: not akida-opt %S/../models/ds-cnn-kws.mlir -akida-map="speed=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=OPTION
// OPTION: no such option speed

//===----------------------------------------------------------------------===//
// Diagnostics of the pipeline (on TwoNodesIP, hw-only)
//===----------------------------------------------------------------------===//

// RUN: akida-opt %s -split-input-file -verify-diagnostics -akida-map="device=TwoNodesIP hw-only=true" | FileCheck %s

// A small model that fits: the full set of attributes. The dense layer takes
// the FNP3 at (1, 3, 0) first; sep_1 then gets the four NPs of node (1, 2).

// CHECK: module attributes {akida.ip_version = #akida.ip_version<v1>, akida.map_mode = "AllNps", akida.programs = [{program = dense_resource<program_0> : tensor<[[SMALL:[0-9]+]]xui8>, sequence = 0 : i64, size = [[SMALL]] : i64}], akida.target = "TwoNodesIP"}
// CHECK-LABEL: func.func @fits
// CHECK: akida.input_convolutional "conv_0"
// CHECK-SAME: akida.backend = "hardware", akida.nps = [], akida.pass = 0 : i64, akida.sequence = 0 : i64
// CHECK: akida.separable_convolutional "sep_1"
// CHECK-SAME: akida.backend = "hardware", akida.nps = [{col = 1 : i64, filters = 4 : i64, id = 0 : i64, row = 2 : i64, type = "CNP1"}, {col = 1 : i64, filters = 4 : i64, id = 1 : i64, row = 2 : i64, type = "CNP1"}, {col = 1 : i64, filters = 4 : i64, id = 2 : i64, row = 2 : i64, type = "CNP1"}, {col = 1 : i64, filters = 4 : i64, id = 3 : i64, row = 2 : i64, type = "CNP1"}], akida.pass = 0 : i64, akida.sequence = 0 : i64
// CHECK: akida.fully_connected "dense"
// CHECK-SAME: akida.backend = "hardware", akida.nps = [{col = 1 : i64, filters = 10 : i64, id = 0 : i64, row = 3 : i64, type = "FNP3"}], akida.pass = 0 : i64, akida.sequence = 0 : i64
module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @fits(%arg0: tensor<1x16x16x1xui8>) -> tensor<1x1x1x10xsi32> {
    %0 = akida.input_convolutional "conv_0"(%arg0) {filters = 8, kernel_size = array<i64: 3, 3>, kernel_stride = array<i64: 2, 2>, weights_bits = 8, act_bits = 4, weights = dense<1> : tensor<3x3x1x8xsi8>, threshold = dense<0> : tensor<8xsi32>, act_step = dense<1.0> : tensor<8xf32>} : (tensor<1x16x16x1xui8>) -> tensor<1x8x8x8xui4>
    %1 = akida.separable_convolutional "sep_1"(%0) {filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, pool_type = #akida.pool_type<average>, weights = dense<1> : tensor<3x3x8x1xsi8>, weights_pw = dense<1> : tensor<1x1x8x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x8xui4>) -> tensor<1x1x1x16xui4>
    %2 = akida.fully_connected "dense"(%1) {units = 10, weights_bits = 4, activation = false, weights = dense<1> : tensor<1x1x16x10xsi8>, threshold = dense<0> : tensor<10xsi32>, act_step = dense<1.0> : tensor<10xf32>} : (tensor<1x1x1x16xui4>) -> tensor<1x1x1x10xsi32>
    return %2 : tensor<1x1x1x10xsi32>
  }
}

// -----

// A v2 model on a v1 device: the first pass stops the pipeline.

// expected-error @+1 {{device 'TwoNodesIP' is an Akida 1.0 device but the model is Akida 2.0}}
module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @v2_model(%arg0: tensor<1x16x16x3xui8>) -> tensor<1x8x8x8xui8> {
    %0 = akida.input_conv2d "conv_0"(%arg0) {filters = 8, kernel_size = 3, kernel_stride = 2, weights = dense<1> : tensor<3x3x3x8xsi8>} : (tensor<1x16x16x3xui8>) -> tensor<1x8x8x8xui8>
    return %0 : tensor<1x8x8x8xui8>
  }
}

// -----

// A layer that breaks a rule: the constraint check fails (and the later
// passes do not run, so there is no hw_only error from split-sequences).

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @breaks_rule(%arg0: tensor<1x16x16x2xui8>) -> tensor<1x16x16x8xui4> {
    // expected-error @+1 {{hw-only: layer 'conv_0' (InputConvolutional): input_channels 2 is not supported on the input convolution block; allowed: 1, 3 [input_channels]}}
    %0 = akida.input_convolutional "conv_0"(%arg0) {filters = 8, kernel_size = array<i64: 3, 3>, weights_bits = 8, act_bits = 4, weights = dense<1> : tensor<3x3x2x8xsi8>, threshold = dense<0> : tensor<8xsi32>, act_step = dense<1.0> : tensor<8xf32>} : (tensor<1x16x16x2xui8>) -> tensor<1x16x16x8xui4>
    return %0 : tensor<1x16x16x8xui4>
  }
}

// -----

// Ten layers of one NP each do not fit TwoNodesIP's eight NPs.

// expected-error @+1 {{hw_only: the model needs 2 sequences on TwoNodesIP in AllNps mode; layers from 'conv_9' on do not fit in the first one (try mode HwPr or a larger device)}}
module attributes {akida.ip_version = #akida.ip_version<v1>} {
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
    %9 = akida.convolutional "conv_9"(%8) {filters = 100, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x100x100xsi8>, threshold = dense<0> : tensor<100xsi32>, act_step = dense<1.0> : tensor<100xf32>} : (tensor<1x8x8x100xui4>) -> tensor<1x8x8x100xui4>
    %10 = akida.convolutional "conv_10"(%9) {filters = 100, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x100x100xsi8>, threshold = dense<0> : tensor<100xsi32>, act_step = dense<1.0> : tensor<100xf32>} : (tensor<1x8x8x100xui4>) -> tensor<1x8x8x100xui4>
    return %10 : tensor<1x8x8x100xui4>
  }
}

// -----

// Too large for TwoNodesIP even alone.

// expected-error @+1 {{hw_only: layer 'big' (Convolutional) does not fit on TwoNodesIP even alone}}
module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @too_big(%arg0: tensor<1x8x8x8xui8>) -> tensor<1x8x8x2000xui4> {
    %0 = akida.input_data "input"(%arg0) {input_bits = 4} : (tensor<1x8x8x8xui8>) -> tensor<1x8x8x8xui4>
    %1 = akida.convolutional "big"(%0) {filters = 2000, kernel_size = array<i64: 1, 1>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<1x1x8x2000xsi8>, threshold = dense<0> : tensor<2000xsi32>, act_step = dense<1.0> : tensor<2000xf32>} : (tensor<1x8x8x8xui4>) -> tensor<1x8x8x2000xui4>
    return %1 : tensor<1x8x8x2000xui4>
  }
}
