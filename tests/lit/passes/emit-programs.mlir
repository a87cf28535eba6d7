// RUN: akida-opt %s -split-input-file -verify-diagnostics -akida-emit-programs | FileCheck %s

// akida-emit-programs serializes each hardware sequence into
// akida.programs = [{program = dense_resource<program_S> : tensor<Nxui8>,
// sequence = S, size = N}, ...] on the module, in sequence order; software
// sequences have no program. It reads the mapping the earlier passes wrote
// (akida.sequence, akida.pass, akida.backend, akida.nps); here they are
// written by hand.

//===----------------------------------------------------------------------===//
// Programs
//===----------------------------------------------------------------------===//

// Hardware, software, hardware: programs for sequences 0 and 2, each entry
// with the same byte count in its type and its size.

// CHECK-LABEL: module attributes {akida.ip_version = #akida.ip_version<v1>, akida.programs = [
// CHECK-SAME: {program = dense_resource<program_0> : tensor<[[SIZE0:[0-9]+]]xui8>, sequence = 0 : i64, size = [[SIZE0]] : i64},
// CHECK-SAME: {program = dense_resource<program_2> : tensor<[[SIZE2:[0-9]+]]xui8>, sequence = 2 : i64, size = [[SIZE2]] : i64}],
// CHECK-SAME: akida.target = "AKD1000"}
// CHECK-LABEL: func.func @three_sequences
// The layers are unchanged.
// CHECK: akida.convolutional "conv_1"(%0) {act_bits = 4 : i64, act_step = dense<1.000000e+00> : tensor<16xf32>, akida.backend = "hardware", akida.nps = [{col = 1 : i64, filters = 16 : i64, id = 1 : i64, row = 3 : i64, type = "CNP1"}], akida.pass = 0 : i64, akida.sequence = 0 : i64,
// CHECK: dialect_resources: {
// CHECK-NEXT: builtin: {
// CHECK-NEXT: program_0: "0x01000000{{[0-9A-F]+}}",
// CHECK-NEXT: program_2: "0x01000000{{[0-9A-F]+}}"
// CHECK-NEXT: }
module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"} {
  func.func @three_sequences(%arg0: tensor<1x8x8x8xui8>) -> tensor<1x8x8x16xui4> {
    %0 = akida.input_data "input"(%arg0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, akida.nps = [], input_bits = 4} : (tensor<1x8x8x8xui8>) -> tensor<1x8x8x8xui4>
    %1 = akida.convolutional "conv_1"(%0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, akida.nps = [{col = 1, row = 3, id = 1, type = "CNP1", filters = 16}], filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x8x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x8xui4>) -> tensor<1x8x8x16xui4>
    %2 = akida.convolutional "conv_2"(%1) {akida.backend = "software", akida.sequence = 1, filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x16x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x16xui4>) -> tensor<1x8x8x16xui4>
    %3 = akida.convolutional "conv_3"(%2) {akida.backend = "hardware", akida.sequence = 2, akida.pass = 0, akida.nps = [{col = 1, row = 3, id = 1, type = "CNP1", filters = 8}, {col = 1, row = 3, id = 2, type = "CNP1", filters = 8}], filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x16x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x16xui4>) -> tensor<1x8x8x16xui4>
    return %3 : tensor<1x8x8x16xui4>
  }
}

// -----

// Two passes of one sequence (HwPr) make one program, the NP reused.

// CHECK-LABEL: module attributes {akida.ip_version = #akida.ip_version<v1>, akida.programs = [
// CHECK-SAME: {program = dense_resource<program_0> : tensor<[[SIZE:[0-9]+]]xui8>, sequence = 0 : i64, size = [[SIZE]] : i64}],
// CHECK-SAME: akida.target = "TwoNodesIP"}
// CHECK-LABEL: func.func @two_passes
module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "TwoNodesIP"} {
  func.func @two_passes(%arg0: tensor<1x8x8x8xui8>) -> tensor<1x8x8x16xui4> {
    %0 = akida.input_data "input"(%arg0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, akida.nps = [], input_bits = 4} : (tensor<1x8x8x8xui8>) -> tensor<1x8x8x8xui4>
    %1 = akida.convolutional "conv_1"(%0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, akida.nps = [{col = 1, row = 2, id = 1, type = "CNP1", filters = 16}], filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x8x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x8xui4>) -> tensor<1x8x8x16xui4>
    %2 = akida.convolutional "conv_2"(%1) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 1, akida.nps = [{col = 1, row = 2, id = 1, type = "CNP1", filters = 16}], filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x16x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x16xui4>) -> tensor<1x8x8x16xui4>
    return %2 : tensor<1x8x8x16xui4>
  }
}

// -----

// Only software: an empty list.

// CHECK-LABEL: module attributes {akida.ip_version = #akida.ip_version<v1>, akida.programs = [], akida.target = "AKD1000"}
// CHECK-LABEL: func.func @software_only
module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"} {
  func.func @software_only(%arg0: tensor<1x16x16x2xui8>) -> tensor<1x16x16x8xui4> {
    %0 = akida.input_convolutional "conv_0"(%arg0) {akida.backend = "software", akida.sequence = 0, filters = 8, kernel_size = array<i64: 3, 3>, weights_bits = 8, act_bits = 4, weights = dense<1> : tensor<3x3x2x8xsi8>, threshold = dense<0> : tensor<8xsi32>, act_step = dense<1.0> : tensor<8xf32>} : (tensor<1x16x16x2xui8>) -> tensor<1x16x16x8xui4>
    return %0 : tensor<1x16x16x8xui4>
  }
}

// -----

// Existing programs are replaced.

// CHECK-LABEL: module attributes {akida.ip_version = #akida.ip_version<v1>, akida.programs = [], akida.target = "AKD1000"}
// CHECK-LABEL: func.func @replaced
module attributes {akida.ip_version = #akida.ip_version<v1>, akida.programs = [{sequence = 0, size = 3}], akida.target = "AKD1000"} {
  func.func @replaced(%arg0: tensor<1x16x16x2xui8>) -> tensor<1x16x16x8xui4> {
    %0 = akida.input_convolutional "conv_0"(%arg0) {akida.backend = "software", akida.sequence = 0, filters = 8, kernel_size = array<i64: 3, 3>, weights_bits = 8, act_bits = 4, weights = dense<1> : tensor<3x3x2x8xsi8>, threshold = dense<0> : tensor<8xsi32>, act_step = dense<1.0> : tensor<8xf32>} : (tensor<1x16x16x2xui8>) -> tensor<1x16x16x8xui4>
    return %0 : tensor<1x16x16x8xui4>
  }
}

// -----

//===----------------------------------------------------------------------===//
// Errors: the mapping is missing or wrong
//===----------------------------------------------------------------------===//

// Run before akida-allocate-nps: no akida.nps. The error is on the first
// layer of the sequence.

module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"} {
  func.func @no_nps(%arg0: tensor<1x8x8x8xui8>) -> tensor<1x8x8x16xui4> {
    // expected-error @+1 {{cannot emit the program of sequence 0: cannot emit program: layer 1 'conv_1' (Convolutional) has no NP in pass 0}}
    %0 = akida.input_data "input"(%arg0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, input_bits = 4} : (tensor<1x8x8x8xui8>) -> tensor<1x8x8x8xui4>
    %1 = akida.convolutional "conv_1"(%0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x8x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x8xui4>) -> tensor<1x8x8x16xui4>
    return %1 : tensor<1x8x8x16xui4>
  }
}

// -----

// Run before akida-split-sequences: no akida.sequence.

module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"} {
  func.func @no_sequence(%arg0: tensor<1x8x8x8xui8>) -> tensor<1x8x8x16xui4> {
    // expected-error @+1 {{layer has no 'akida.sequence' / 'akida.backend'; run akida-check-constraints and akida-split-sequences first}}
    %0 = akida.input_data "input"(%arg0) {akida.backend = "hardware", input_bits = 4} : (tensor<1x8x8x8xui8>) -> tensor<1x8x8x8xui4>
    %1 = akida.convolutional "conv_1"(%0) {akida.backend = "hardware", filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x8x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x8xui4>) -> tensor<1x8x8x16xui4>
    return %1 : tensor<1x8x8x16xui4>
  }
}

// -----

// expected-error @+1 {{the module has no 'akida.target' attribute; run akida-attach-target first}}
module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @no_target(%arg0: tensor<1x16x16x2xui8>) -> tensor<1x16x16x8xui4> {
    %0 = akida.input_convolutional "conv_0"(%arg0) {akida.backend = "software", akida.sequence = 0, filters = 8, kernel_size = array<i64: 3, 3>, weights_bits = 8, act_bits = 4, weights = dense<1> : tensor<3x3x2x8xsi8>, threshold = dense<0> : tensor<8xsi32>, act_step = dense<1.0> : tensor<8xf32>} : (tensor<1x16x16x2xui8>) -> tensor<1x16x16x8xui4>
    return %0 : tensor<1x16x16x8xui4>
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"} {
  func.func @bad_nps_entry(%arg0: tensor<1x8x8x8xui8>) -> tensor<1x8x8x16xui4> {
    %0 = akida.input_data "input"(%arg0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, akida.nps = [], input_bits = 4} : (tensor<1x8x8x8xui8>) -> tensor<1x8x8x8xui4>
    // expected-error @+1 {{'akida.nps' entries must be {col, row, id, type, filters}, got {col = 1 : i64, id = 1 : i64, row = 3 : i64, type = "CNP1"}}}
    %1 = akida.convolutional "conv_1"(%0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, akida.nps = [{col = 1, row = 3, id = 1, type = "CNP1"}], filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x8x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x8xui4>) -> tensor<1x8x8x16xui4>
    return %1 : tensor<1x8x8x16xui4>
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"} {
  func.func @zero_filters(%arg0: tensor<1x8x8x8xui8>) -> tensor<1x8x8x16xui4> {
    // expected-error @+1 {{cannot emit the program of sequence 0: cannot emit program: layer 1 'conv_1' (Convolutional) gets 0 filters on NP (1, 3, 2) (at least 1)}}
    %0 = akida.input_data "input"(%arg0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, akida.nps = [], input_bits = 4} : (tensor<1x8x8x8xui8>) -> tensor<1x8x8x8xui4>
    %1 = akida.convolutional "conv_1"(%0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, akida.nps = [{col = 1, row = 3, id = 1, type = "CNP1", filters = 16}, {col = 1, row = 3, id = 2, type = "CNP1", filters = 0}], filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x8x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x8xui4>) -> tensor<1x8x8x16xui4>
    return %1 : tensor<1x8x8x16xui4>
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"} {
  func.func @missing_filters(%arg0: tensor<1x8x8x8xui8>) -> tensor<1x8x8x16xui4> {
    // expected-error @+1 {{cannot emit the program of sequence 0: cannot emit program: layer 1 'conv_1' (Convolutional) has 8 filters on its NPs in all, not a multiple of its 16 filters (one set per column block)}}
    %0 = akida.input_data "input"(%arg0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, akida.nps = [], input_bits = 4} : (tensor<1x8x8x8xui8>) -> tensor<1x8x8x8xui4>
    %1 = akida.convolutional "conv_1"(%0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, akida.nps = [{col = 1, row = 3, id = 1, type = "CNP1", filters = 8}], filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x8x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x8xui4>) -> tensor<1x8x8x16xui4>
    return %1 : tensor<1x8x8x16xui4>
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"} {
  func.func @unknown_np(%arg0: tensor<1x8x8x8xui8>) -> tensor<1x8x8x16xui4> {
    %0 = akida.input_data "input"(%arg0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, akida.nps = [], input_bits = 4} : (tensor<1x8x8x8xui8>) -> tensor<1x8x8x8xui4>
    // expected-error @+1 {{invalid mapping: layer 'conv_1' (Convolutional): NP (9, 9, 1) is not on AKD1000}}
    %1 = akida.convolutional "conv_1"(%0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, akida.nps = [{col = 9, row = 9, id = 1, type = "CNP1", filters = 16}], filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x8x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x8xui4>) -> tensor<1x8x8x16xui4>
    return %1 : tensor<1x8x8x16xui4>
  }
}

// -----

// (1, 3, 0) is CNP1 + FNP3 on AKD1000: not CNP2.

module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"} {
  func.func @np_type(%arg0: tensor<1x8x8x8xui8>) -> tensor<1x8x8x16xui4> {
    %0 = akida.input_data "input"(%arg0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, akida.nps = [], input_bits = 4} : (tensor<1x8x8x8xui8>) -> tensor<1x8x8x8xui4>
    // expected-error @+1 {{invalid mapping: layer 'conv_1' (Convolutional): NP (1, 3, 0) of AKD1000 cannot be CNP2}}
    %1 = akida.convolutional "conv_1"(%0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, akida.nps = [{col = 1, row = 3, id = 0, type = "CNP2", filters = 16}], filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x8x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x8xui4>) -> tensor<1x8x8x16xui4>
    return %1 : tensor<1x8x8x16xui4>
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"} {
  func.func @np_twice(%arg0: tensor<1x8x8x8xui8>) -> tensor<1x8x8x16xui4> {
    %0 = akida.input_data "input"(%arg0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, akida.nps = [], input_bits = 4} : (tensor<1x8x8x8xui8>) -> tensor<1x8x8x8xui4>
    %1 = akida.convolutional "conv_1"(%0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, akida.nps = [{col = 1, row = 3, id = 1, type = "CNP1", filters = 16}], filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x8x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x8xui4>) -> tensor<1x8x8x16xui4>
    // expected-error @+1 {{invalid mapping: layer 'conv_2' (Convolutional): NP (1, 3, 1) is used twice in a pass}}
    %2 = akida.convolutional "conv_2"(%1) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, akida.nps = [{col = 1, row = 3, id = 1, type = "CNP1", filters = 16}], filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x16x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x16xui4>) -> tensor<1x8x8x16xui4>
    return %2 : tensor<1x8x8x16xui4>
  }
}

// -----

// A v1 model whose target (set by hand) is a v2 device.

module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "TwoNodesIPv2"} {
  func.func @ip_mismatch(%arg0: tensor<1x8x8x8xui8>) -> tensor<1x8x8x16xui4> {
    // expected-error @+1 {{cannot emit the program of sequence 0: cannot emit program: the model is Akida 1.0 but device 'TwoNodesIPv2' is Akida 2.0}}
    %0 = akida.input_data "input"(%arg0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, akida.nps = [], input_bits = 4} : (tensor<1x8x8x8xui8>) -> tensor<1x8x8x8xui4>
    %1 = akida.convolutional "conv_1"(%0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, akida.nps = [{col = 1, row = 2, id = 1, type = "CNP1", filters = 16}], filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x8x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x8xui4>) -> tensor<1x8x8x16xui4>
    return %1 : tensor<1x8x8x16xui4>
  }
}

// -----

// A layer of a later pass read by an earlier one.

module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = "AKD1000"} {
  func.func @pass_order(%arg0: tensor<1x8x8x8xui8>) -> tensor<1x8x8x16xui4> {
    // expected-error @+1 {{cannot emit the program of sequence 0: cannot emit program: layer 2 'conv_2' (Convolutional) in pass 0 reads layer 1 'conv_1' (Convolutional) of the later pass 1}}
    %0 = akida.input_data "input"(%arg0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, akida.nps = [], input_bits = 4} : (tensor<1x8x8x8xui8>) -> tensor<1x8x8x8xui4>
    %1 = akida.convolutional "conv_1"(%0) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 1, akida.nps = [{col = 1, row = 3, id = 1, type = "CNP1", filters = 16}], filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x8x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x8xui4>) -> tensor<1x8x8x16xui4>
    %2 = akida.convolutional "conv_2"(%1) {akida.backend = "hardware", akida.sequence = 0, akida.pass = 0, akida.nps = [{col = 1, row = 3, id = 2, type = "CNP1", filters = 16}], filters = 16, kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4, weights = dense<1> : tensor<3x3x16x16xsi8>, threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>} : (tensor<1x8x8x16xui4>) -> tensor<1x8x8x16xui4>
    return %2 : tensor<1x8x8x16xui4>
  }
}

//===----------------------------------------------------------------------===//
// DS-CNN KWS and AkidaNet through the passes
//===----------------------------------------------------------------------===//

// One program for DS-CNN on AKD1000; its blob holds `size` bytes.
// RUN: akida-opt %S/../models/ds-cnn-kws.mlir -akida-attach-target -akida-check-constraints -akida-split-sequences -akida-allocate-nps -akida-emit-programs -o %t.kws.1.mlir
// RUN: FileCheck %s --check-prefix=KWS < %t.kws.1.mlir
// RUN: %python %S/Inputs/check_programs.py < %t.kws.1.mlir > %t.kws.1.txt
// RUN: FileCheck %s --check-prefix=KWS-BLOB < %t.kws.1.txt
// KWS: module attributes {akida.ip_version = #akida.ip_version<v1>, akida.map_mode = "AllNps", akida.programs = [{program = dense_resource<program_0> : tensor<[[KWS:[0-9]+]]xui8>, sequence = 0 : i64, size = [[KWS]] : i64}], akida.target = "AKD1000"}
// KWS: program_0: "0x01000000
// KWS-BLOB: sequence=0 size={{[0-9]+}} sha256=
// KWS-BLOB-NOT: sequence

// Deterministic: a second run writes the same module, bytes included.
// RUN: akida-opt %S/../models/ds-cnn-kws.mlir -akida-attach-target -akida-check-constraints -akida-split-sequences -akida-allocate-nps -akida-emit-programs -o %t.kws.2.mlir
// RUN: diff %t.kws.1.mlir %t.kws.2.mlir
// Emitting again from the mapped module gives the same programs (under new
// blob names: program_0 is taken, so the blob is program_0_1).
// RUN: akida-opt %t.kws.1.mlir -akida-emit-programs | %python %S/Inputs/check_programs.py > %t.kws.3.txt
// RUN: diff %t.kws.1.txt %t.kws.3.txt

// AkidaNet on TwoNodesIP: one program per sequence (AllNps, eight), or one
// program for the eight passes (HwPr).
// RUN: akida-opt %S/../models/akidanet-05-224.mlir -akida-attach-target=device=TwoNodesIP -akida-check-constraints -akida-split-sequences -akida-allocate-nps -akida-emit-programs 2>/dev/null | %python %S/Inputs/check_programs.py | FileCheck %s --check-prefix=NET
// NET: sequence=0 size={{[0-9]+}} sha256=
// NET-NEXT: sequence=1 size=
// NET-NEXT: sequence=2 size=
// NET-NEXT: sequence=3 size=
// NET-NEXT: sequence=4 size=
// NET-NEXT: sequence=5 size=
// NET-NEXT: sequence=6 size=
// NET-NEXT: sequence=7 size=
// NET-NOT: sequence
// RUN: akida-opt %S/../models/akidanet-05-224.mlir -akida-attach-target=device=TwoNodesIP -akida-check-constraints -akida-split-sequences=mode=HwPr -akida-allocate-nps -akida-emit-programs 2>/dev/null | %python %S/Inputs/check_programs.py | FileCheck %s --check-prefix=NET-HWPR
// NET-HWPR: sequence=0 size={{[0-9]+}} sha256=
// NET-HWPR-NOT: sequence
