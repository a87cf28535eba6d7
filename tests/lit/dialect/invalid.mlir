// RUN: akida-opt %s -split-input-file -verify-diagnostics

// One case per user-facing diagnostic of the akida dialect.
//
// Each op's verify() first runs the op's own shape inference, so a bad
// parameter is reported by name before any variable is checked against it.

//===----------------------------------------------------------------------===//
// Dialect attribute verifier (AkidaDialect.cpp)
//===----------------------------------------------------------------------===//

module {
  // expected-error @+1 {{'akida.ip_version' belongs on a builtin.module, not on 'func.func'}}
  func.func @f() attributes {akida.ip_version = #akida.ip_version<v1>} {
    return
  }
}

// -----

// expected-error @+1 {{'akida.ip_version' must be #akida.ip_version<v1> or #akida.ip_version<v2>, got 1 : i64}}
module attributes {akida.ip_version = 1} {
}

// -----

// expected-error @+1 {{'akida.ip_version' must be #akida.ip_version<v1> or #akida.ip_version<v2>, got #akida.padding<same>}}
module attributes {akida.ip_version = #akida.padding<same>} {
}

// -----

// expected-error @+1 {{unknown akida attribute 'akida.frobnicate'; known: akida.ip_version, akida.target, akida.map_mode, akida.programs, akida.backend, akida.sequence, akida.pass, akida.nps}}
module attributes {akida.ip_version = #akida.ip_version<v1>, akida.frobnicate = "x"} {
}

// -----

// expected-error @+1 {{'akida.target' must be a string, got 3 : i64}}
module attributes {akida.ip_version = #akida.ip_version<v1>, akida.target = 3} {
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  // expected-error @+1 {{'akida.backend' belongs on an akida layer, not on 'func.func'}}
  func.func @f() attributes {akida.backend = "hardware"} {
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x4x4x1xui8>) {
    // expected-error @+1 {{'akida.backend' must be "hardware" or "software", got "gpu"}}
    %0 = akida.input_data "in"(%arg0) {input_bits = 4, akida.backend = "gpu"} : (tensor<1x4x4x1xui8>) -> tensor<1x4x4x1xui4>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x4x4x1xui8>) {
    // expected-error @+1 {{'akida.sequence' must be a non-negative integer, got -1 : i64}}
    %0 = akida.input_data "in"(%arg0) {input_bits = 4, akida.sequence = -1} : (tensor<1x4x4x1xui8>) -> tensor<1x4x4x1xui4>
    return
  }
}

// -----

// Enum attributes are parsed by the generated parser.
// expected-error @+2 {{expected ::mlir::akida::IpVersion to be one of: v1, v2}}
// expected-error @+1 {{failed to parse Akida_IpVersionAttr parameter 'value'}}
module attributes {akida.ip_version = #akida.ip_version<v3>} {
}

//===----------------------------------------------------------------------===//
// Layer placement and IP version (LayerVerifier.cpp)
//===----------------------------------------------------------------------===//

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.input_data' op is an input layer and must read a model argument, not the result of another op}}
    %1 = akida.input_data "in2"(%0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x1xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x1xui8>) -> tensor<1x8x8x1xui8>
    // expected-error @+1 {{'akida.input_convolutional' op is an input layer and must read a model argument}}
    %1 = akida.input_convolutional "conv"(%0) {filters = 4, kernel_size = array<i64: 3, 3>,
        weights = dense<1> : tensor<3x3x1x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x1xui8>) -> tensor<1x8x8x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.input_conv2d' op is an input layer and must read a model argument}}
    %1 = akida.input_conv2d "conv"(%0) {filters = 4, kernel_size = 3,
        weights = dense<1> : tensor<3x3x3x4xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui4>) {
    // expected-error @+1 {{'akida.convolutional' op operand #0 must be the result of another akida layer; a model starts with akida.input_data, akida.input_convolutional or akida.input_conv2d}}
    %0 = akida.convolutional "conv"(%arg0) {filters = 4, kernel_size = array<i64: 3, 3>,
        weights = dense<1> : tensor<3x3x3x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x8x8x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>, %arg1: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.add' op operand #1 must be the result of another akida layer}}
    %1 = akida.add "add"(%0, %arg1) : (tensor<1x8x8x3xui8>, tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xsi8>
    return
  }
}

// -----

module {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    // expected-error @+1 {{'akida.input_data' op needs an enclosing module with the 'akida.ip_version' attribute (#akida.ip_version<v1> or #akida.ip_version<v2>)}}
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.convolutional' op is an Akida 1.0 layer but the module declares akida.ip_version = v2; v1 and v2 layers do not mix}}
    %1 = akida.convolutional "conv"(%0) {filters = 4, kernel_size = array<i64: 3, 3>,
        weights = dense<1> : tensor<3x3x3x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x8x8x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op is an Akida 2.0 layer but the module declares akida.ip_version = v1; v1 and v2 layers do not mix}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3,
        weights = dense<1> : tensor<3x3x3x4xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xui8>
    return
  }
}

//===----------------------------------------------------------------------===//
// akida.input_data (CommonOps.cpp)
//===----------------------------------------------------------------------===//

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    // expected-error @+1 {{'akida.input_data' op 'input_bits' is 3 but must be one of 1, 2, 4, 8}}
    %0 = akida.input_data "in"(%arg0) {input_bits = 3} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui3>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xsi8>) {
    // expected-error @+1 {{'akida.input_data' op input element type 'si8' must be unsigned (ui8, ui16, ...) because input_signed is false}}
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xsi8>) -> tensor<1x8x8x3xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    // expected-error @+1 {{'akida.input_data' op input element type 'ui8' must be signed (si8, si16, ...) because input_signed is true}}
    %0 = akida.input_data "in"(%arg0) {input_bits = 8, input_signed = true} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xsi8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui2>) {
    // expected-error @+1 {{'akida.input_data' op input element type 'ui2' is narrower than input_bits = 4}}
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui2>) -> tensor<1x8x8x3xui4>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x?x8x3xui8>) {
    // expected-error @+1 {{'akida.input_data' op input must have static, non-empty rows, columns and channels, got 'tensor<1x?x8x3xui8>'}}
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x?x8x3xui8>) -> tensor<1x?x8x3xui4>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x0xui8>) {
    // expected-error @+1 {{'akida.input_data' op input must have static, non-empty rows, columns and channels, got 'tensor<1x8x8x0xui8>'}}
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x0xui8>) -> tensor<1x8x8x0xui4>
    return
  }
}

// -----

// The rank check of the shape inference ("must be a 4-D NHWC tensor") cannot
// fire from IR: the operand type constraint rejects the operand first.
module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<8x8x3xui8>) {
    // expected-error @+1 {{'akida.input_data' op operand #0 must be 4D tensor of integer values, but got 'tensor<8x8x3xui8>'}}
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<8x8x3xui8>) -> tensor<8x8x3xui4>
    return
  }
}

//===----------------------------------------------------------------------===//
// Akida 1.0 layers (V1Ops.cpp)
//===----------------------------------------------------------------------===//

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.convolutional' op 'weights_bits' is 3 but must be one of 1, 2, 4, 8}}
    %1 = akida.convolutional "conv"(%0) {filters = 4, kernel_size = array<i64: 3, 3>,
        weights_bits = 3, weights = dense<1> : tensor<3x3x3x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x8x8x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.convolutional' op variable 'threshold' has element type 'f32' but must be 'si32'}}
    %1 = akida.convolutional "conv"(%0) {filters = 4, kernel_size = array<i64: 3, 3>,
        weights = dense<1> : tensor<3x3x3x4xsi8>,
        threshold = dense<0.0> : tensor<4xf32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x8x8x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.convolutional' op variable 'threshold' has shape (3) but must be (4): one value per output channel}}
    %1 = akida.convolutional "conv"(%0) {filters = 4, kernel_size = array<i64: 3, 3>,
        weights = dense<1> : tensor<3x3x3x4xsi8>,
        threshold = dense<0> : tensor<3xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x8x8x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.convolutional' op variable 'act_step' has element type 'f16' but must be 'f32'}}
    %1 = akida.convolutional "conv"(%0) {filters = 4, kernel_size = array<i64: 3, 3>,
        weights = dense<1> : tensor<3x3x3x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf16>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x8x8x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.fully_connected' op variable 'act_step' has shape (1, 10) but must be (10): one value per output channel}}
    %1 = akida.fully_connected "fc"(%0) {units = 10,
        weights = dense<1> : tensor<1x1x192x10xsi8>,
        threshold = dense<0> : tensor<10xsi32>, act_step = dense<1.0> : tensor<1x10xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x1x1x10xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.convolutional' op variable 'act_step' has value 0.000000e+00 at index 2; steps of an activation must be finite and > 0}}
    %1 = akida.convolutional "conv"(%0) {filters = 4, kernel_size = array<i64: 3, 3>,
        weights = dense<1> : tensor<3x3x3x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<[1.0, 2.0, 0.0, 1.0]> : tensor<4xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x8x8x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.convolutional' op variable 'act_step' has value INF at index 1; steps of an activation must be finite and > 0}}
    %1 = akida.convolutional "conv"(%0) {filters = 4, kernel_size = array<i64: 3, 3>,
        weights = dense<1> : tensor<3x3x3x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<[1.0, 0x7F800000, 1.0, 1.0]> : tensor<4xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x8x8x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.separable_convolutional' op variable 'act_step' has value -1.000000e+00 at index 0; steps of an activation must be finite and > 0}}
    %1 = akida.separable_convolutional "sep"(%0) {filters = 4, kernel_size = array<i64: 3, 3>,
        weights = dense<1> : tensor<3x3x3x1xsi8>, weights_pw = dense<1> : tensor<1x1x3x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<-1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x8x8x4xui1>
    return
  }
}

// -----

// The generic "'act_bits' is N but must be between 1 and 32" (and the same for
// 'input_bits') cannot fire: the stricter one-of checks run first.
module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.convolutional' op 'act_bits' is 3 but must be one of 1, 2, 4}}
    %1 = akida.convolutional "conv"(%0) {filters = 4, kernel_size = array<i64: 3, 3>,
        act_bits = 3, weights = dense<1> : tensor<3x3x3x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x8x8x4xui3>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.fully_connected' op 'act_bits' is 8 but must be one of 1, 2, 4}}
    %1 = akida.fully_connected "fc"(%0) {units = 10, act_bits = 8,
        weights = dense<1> : tensor<1x1x192x10xsi8>,
        threshold = dense<0> : tensor<10xsi32>, act_step = dense<1.0> : tensor<10xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x1x1x10xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x1xui4>) {
    // expected-error @+1 {{'akida.input_convolutional' op input element type 'ui4' must be ui8: the input convolution reads raw 8-bit data}}
    %0 = akida.input_convolutional "conv"(%arg0) {filters = 4, kernel_size = array<i64: 3, 3>,
        weights = dense<1> : tensor<3x3x1x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x1xui4>) -> tensor<1x8x8x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x1xui8>) {
    // expected-error @+1 {{'akida.input_convolutional' op 'padding_value' is 256 but must be between 0 and 255}}
    %0 = akida.input_convolutional "conv"(%arg0) {filters = 4, kernel_size = array<i64: 3, 3>,
        padding_value = 256, weights = dense<1> : tensor<3x3x1x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x1xui8>) -> tensor<1x8x8x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x1xui8>) {
    // expected-error @+1 {{'akida.input_convolutional' op 'padding_value' is -1 but must be between 0 and 255}}
    %0 = akida.input_convolutional "conv"(%arg0) {filters = 4, kernel_size = array<i64: 3, 3>,
        padding_value = -1, weights = dense<1> : tensor<3x3x1x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x1xui8>) -> tensor<1x8x8x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    // expected-error @+1 {{'akida.input_convolutional' op variable 'weights' has shape (3, 3, 1, 4) but must be (3, 3, 3, 4): kernel rows × kernel columns × input channels × filters}}
    %0 = akida.input_convolutional "conv"(%arg0) {filters = 4, kernel_size = array<i64: 3, 3>,
        weights = dense<1> : tensor<3x3x1x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.convolutional' op variable 'weights' has shape (3, 5, 3, 4) but must be (5, 3, 3, 4): kernel rows × kernel columns × input channels × filters}}
    %1 = akida.convolutional "conv"(%0) {filters = 4, kernel_size = array<i64: 5, 3>,
        weights = dense<1> : tensor<3x5x3x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x8x8x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.convolutional' op variable 'weights' has element type 'i8' but must be 'si8'}}
    %1 = akida.convolutional "conv"(%0) {filters = 4, kernel_size = array<i64: 3, 3>,
        weights = dense<1> : tensor<3x3x3x4xi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x8x8x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.separable_convolutional' op variable 'weights' has shape (3, 3, 3, 4) but must be (3, 3, 3, 1): depthwise kernel rows × kernel columns × input channels × 1}}
    %1 = akida.separable_convolutional "sep"(%0) {filters = 4, kernel_size = array<i64: 3, 3>,
        weights = dense<1> : tensor<3x3x3x4xsi8>, weights_pw = dense<1> : tensor<1x1x3x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x8x8x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.separable_convolutional' op variable 'weights_pw' has shape (1, 1, 4, 3) but must be (1, 1, 3, 4): pointwise 1 × 1 × input channels × filters}}
    %1 = akida.separable_convolutional "sep"(%0) {filters = 4, kernel_size = array<i64: 3, 3>,
        weights = dense<1> : tensor<3x3x3x1xsi8>, weights_pw = dense<1> : tensor<1x1x4x3xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x8x8x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.fully_connected' op variable 'weights' has shape (1, 1, 3, 10) but must be (1, 1, 192, 10): 1 × 1 × flattened input features × units}}
    %1 = akida.fully_connected "fc"(%0) {units = 10,
        weights = dense<1> : tensor<1x1x3x10xsi8>,
        threshold = dense<0> : tensor<10xsi32>, act_step = dense<1.0> : tensor<10xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x1x1x10xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x1xui8>) {
    // expected-error @+1 {{'akida.input_convolutional' op variable 'weights' has value 8 at flat index 5 outside [-8, 7] (weights_bits = 4)}}
    %0 = akida.input_convolutional "conv"(%arg0) {filters = 2, kernel_size = array<i64: 2, 2>,
        weights_bits = 4, weights = dense<[[[[0, 1]], [[-8, 7]]], [[[1, 8]], [[0, 0]]]]> : tensor<2x2x1x2xsi8>,
        threshold = dense<0> : tensor<2xsi32>, act_step = dense<1.0> : tensor<2xf32>}
        : (tensor<1x8x8x1xui8>) -> tensor<1x8x8x2xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.convolutional' op variable 'weights' has value -1 at flat index 0 outside [0, 1] (weights_bits = 1)}}
    %1 = akida.convolutional "conv"(%0) {filters = 4, kernel_size = array<i64: 3, 3>,
        weights = dense<-1> : tensor<3x3x3x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x8x8x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.separable_convolutional' op variable 'weights' has value 2 at flat index 0 outside [-2, 1] (weights_bits = 2)}}
    %1 = akida.separable_convolutional "sep"(%0) {filters = 4, kernel_size = array<i64: 3, 3>,
        weights = dense<2> : tensor<3x3x3x1xsi8>, weights_pw = dense<1> : tensor<1x1x3x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x8x8x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.separable_convolutional' op variable 'weights_pw' has value -3 at flat index 0 outside [-2, 1] (weights_bits = 2)}}
    %1 = akida.separable_convolutional "sep"(%0) {filters = 4, kernel_size = array<i64: 3, 3>,
        weights = dense<1> : tensor<3x3x3x1xsi8>, weights_pw = dense<-3> : tensor<1x1x3x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x8x8x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.fully_connected' op variable 'weights' has value 2 at flat index 0 outside [0, 1] (weights_bits = 1)}}
    %1 = akida.fully_connected "fc"(%0) {units = 10,
        weights = dense<2> : tensor<1x1x192x10xsi8>,
        threshold = dense<0> : tensor<10xsi32>, act_step = dense<1.0> : tensor<10xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x1x1x10xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xsi8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4, input_signed = true} : (tensor<1x8x8x3xsi8>) -> tensor<1x8x8x3xsi4>
    // expected-error @+1 {{'akida.convolutional' op input element type 'si4' must be unsigned: Akida 1.0 activations are unsigned (ui1, ui2, ui4, ui8)}}
    %1 = akida.convolutional "conv"(%0) {filters = 4, kernel_size = array<i64: 3, 3>,
        weights = dense<1> : tensor<3x3x3x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xsi4>) -> tensor<1x8x8x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xsi8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4, input_signed = true} : (tensor<1x8x8x3xsi8>) -> tensor<1x8x8x3xsi4>
    // expected-error @+1 {{'akida.separable_convolutional' op input element type 'si4' must be unsigned}}
    %1 = akida.separable_convolutional "sep"(%0) {filters = 4, kernel_size = array<i64: 3, 3>,
        weights = dense<1> : tensor<3x3x3x1xsi8>, weights_pw = dense<1> : tensor<1x1x3x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xsi4>) -> tensor<1x8x8x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xsi8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8, input_signed = true} : (tensor<1x8x8x3xsi8>) -> tensor<1x8x8x3xsi8>
    // expected-error @+1 {{'akida.fully_connected' op input element type 'si8' must be unsigned}}
    %1 = akida.fully_connected "fc"(%0) {units = 10,
        weights = dense<1> : tensor<1x1x192x10xsi8>,
        threshold = dense<0> : tensor<10xsi32>, act_step = dense<1.0> : tensor<10xf32>}
        : (tensor<1x8x8x3xsi8>) -> tensor<1x1x1x10xui1>
    return
  }
}

// -----

// A kernel_size with too many values passes the verifier (which reads the
// first two) and is rejected by the shape inference. A kernel_size with fewer
// than 2 values is read out of bounds by the verifier (see the report).
module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.convolutional' op 'kernel_size' needs exactly 2 values (rows, columns), got 3}}
    %1 = akida.convolutional "conv"(%0) {filters = 4, kernel_size = array<i64: 3, 3, 3>,
        weights = dense<1> : tensor<3x3x3x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x8x8x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x1xui8>) {
    // expected-error @+1 {{'akida.input_convolutional' op 'kernel_stride' needs exactly 2 values (rows, columns), got 1}}
    %0 = akida.input_convolutional "conv"(%arg0) {filters = 4, kernel_size = array<i64: 3, 3>,
        kernel_stride = array<i64: 2>, weights = dense<1> : tensor<3x3x1x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x1xui8>) -> tensor<1x4x4x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.convolutional' op 'pool_size' needs exactly 2 values (rows, columns), got 0}}
    %1 = akida.convolutional "conv"(%0) {filters = 4, kernel_size = array<i64: 3, 3>,
        pool_type = #akida.pool_type<max>, pool_size = array<i64>,
        weights = dense<1> : tensor<3x3x3x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x4x4x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.separable_convolutional' op 'pool_stride' needs exactly 2 values (rows, columns), got 3}}
    %1 = akida.separable_convolutional "sep"(%0) {filters = 4, kernel_size = array<i64: 3, 3>,
        pool_type = #akida.pool_type<max>, pool_size = array<i64: 2, 2>, pool_stride = array<i64: 1, 1, 1>,
        weights = dense<1> : tensor<3x3x3x1xsi8>, weights_pw = dense<1> : tensor<1x1x3x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x4x4x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.convolutional' op 'filters' is 0 but must be at least 1}}
    %1 = akida.convolutional "conv"(%0) {filters = 0, kernel_size = array<i64: 3, 3>,
        weights = dense<> : tensor<3x3x3x0xsi8>,
        threshold = dense<> : tensor<0xsi32>, act_step = dense<> : tensor<0xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x8x8x0xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.fully_connected' op 'units' is 0 but must be at least 1}}
    %1 = akida.fully_connected "fc"(%0) {units = 0,
        weights = dense<> : tensor<1x1x192x0xsi8>,
        threshold = dense<> : tensor<0xsi32>, act_step = dense<> : tensor<0xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x1x1x0xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.convolutional' op 'kernel_size' is (0, 3) but both values must be at least 1}}
    %1 = akida.convolutional "conv"(%0) {filters = 4, kernel_size = array<i64: 0, 3>,
        weights = dense<> : tensor<0x3x3x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x8x8x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.convolutional' op 'kernel_stride' is (1, 0) but both values must be at least 1}}
    %1 = akida.convolutional "conv"(%0) {filters = 4, kernel_size = array<i64: 3, 3>,
        kernel_stride = array<i64: 1, 0>, weights = dense<1> : tensor<3x3x3x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x8x8x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.convolutional' op 'pool_size' is (0, 2) but both values must be at least 1}}
    %1 = akida.convolutional "conv"(%0) {filters = 4, kernel_size = array<i64: 3, 3>,
        pool_type = #akida.pool_type<max>, pool_size = array<i64: 0, 2>,
        weights = dense<1> : tensor<3x3x3x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x8x4x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.convolutional' op 'pool_stride' is (2, -1) but both values must be at least 1}}
    %1 = akida.convolutional "conv"(%0) {filters = 4, kernel_size = array<i64: 3, 3>,
        pool_type = #akida.pool_type<max>, pool_size = array<i64: 2, 2>, pool_stride = array<i64: 2, -1>,
        weights = dense<1> : tensor<3x3x3x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x4x4x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x4x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x4x8x3xui8>) -> tensor<1x4x8x3xui4>
    // expected-error @+1 {{'akida.convolutional' op 'kernel_size' (5, 3) does not fit the 4x8 input with valid padding}}
    %1 = akida.convolutional "conv"(%0) {filters = 4, kernel_size = array<i64: 5, 3>,
        padding = #akida.padding<valid>, weights = dense<1> : tensor<5x3x3x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x4x8x3xui4>) -> tensor<1x1x6x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.convolutional' op 'pool_size' is set but pool_type is none}}
    %1 = akida.convolutional "conv"(%0) {filters = 4, kernel_size = array<i64: 3, 3>,
        pool_size = array<i64: 2, 2>, weights = dense<1> : tensor<3x3x3x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x4x4x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.convolutional' op 'pool_stride' is set but pool_type is none}}
    %1 = akida.convolutional "conv"(%0) {filters = 4, kernel_size = array<i64: 3, 3>,
        pool_type = #akida.pool_type<none>, pool_stride = array<i64: 2, 2>,
        weights = dense<1> : tensor<3x3x3x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x8x8x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.separable_convolutional' op 'pool_size' is set but average pooling is global (leave it unset)}}
    %1 = akida.separable_convolutional "sep"(%0) {filters = 4, kernel_size = array<i64: 3, 3>,
        pool_type = #akida.pool_type<average>, pool_size = array<i64: 2, 2>,
        weights = dense<1> : tensor<3x3x3x1xsi8>, weights_pw = dense<1> : tensor<1x1x3x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x1x1x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.convolutional' op 'pool_stride' is set but average pooling is global (leave it unset)}}
    %1 = akida.convolutional "conv"(%0) {filters = 4, kernel_size = array<i64: 3, 3>,
        pool_type = #akida.pool_type<average>, pool_stride = array<i64: 2, 2>,
        weights = dense<1> : tensor<3x3x3x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x1x1x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x1xui8>) {
    // expected-error @+1 {{'akida.input_convolutional' op pool_type is max but 'pool_size' is not set}}
    %0 = akida.input_convolutional "conv"(%arg0) {filters = 4, kernel_size = array<i64: 3, 3>,
        pool_type = #akida.pool_type<max>, weights = dense<1> : tensor<3x3x1x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x1xui8>) -> tensor<1x8x8x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.convolutional' op 'pool_size' (3, 3) does not fit the 2x2 convolution output with valid padding}}
    %1 = akida.convolutional "conv"(%0) {filters = 4, kernel_size = array<i64: 3, 3>,
        kernel_stride = array<i64: 3, 3>, padding = #akida.padding<valid>,
        pool_type = #akida.pool_type<max>, pool_size = array<i64: 3, 3>,
        weights = dense<1> : tensor<3x3x3x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x1x1x4xui1>
    return
  }
}

// -----

// The verifier's "variable '...' is missing" cannot fire: the variables it
// checks are required attributes, so the generated checks reject them first.
module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.convolutional' op requires attribute 'threshold'}}
    %1 = akida.convolutional "conv"(%0) {filters = 4, kernel_size = array<i64: 3, 3>,
        weights = dense<1> : tensor<3x3x3x4xsi8>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x8x8x4xui1>
    return
  }
}

//===----------------------------------------------------------------------===//
// Akida 2.0 weighted layers (V2ConvOps.cpp)
//===----------------------------------------------------------------------===//

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui4>) {
    // expected-error @+1 {{'akida.input_conv2d' op input element type 'ui4' must be ui8 or si8: the input convolution reads raw 8-bit data}}
    %0 = akida.input_conv2d "conv"(%arg0) {filters = 4, kernel_size = 3,
        weights = dense<1> : tensor<3x3x3x4xsi8>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x8x8x4xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    // expected-error @+1 {{'akida.input_conv2d' op variable 'weights' has shape (3, 3, 1, 4) but must be (3, 3, 3, 4): kernel_size × kernel_size × input channels × filters}}
    %0 = akida.input_conv2d "conv"(%arg0) {filters = 4, kernel_size = 3,
        weights = dense<1> : tensor<3x3x1x4xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op variable 'weights' has shape (3, 3, 3, 5) but must be (3, 3, 3, 4): kernel_size × kernel_size × input channels × filters}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3,
        weights = dense<1> : tensor<3x3x3x5xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d_transpose' op variable 'weights' has shape (3, 3, 4, 3) but must be (3, 3, 3, 4): kernel_size × kernel_size × input channels × filters}}
    %1 = akida.conv2d_transpose "up"(%0) {filters = 4, kernel_size = 3,
        weights = dense<1> : tensor<3x3x4x3xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x16x16x4xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.depthwise_conv2d' op variable 'weights' has shape (3, 3, 3, 1) but must be (3, 3, 3): kernel_size × kernel_size × channels}}
    %1 = akida.depthwise_conv2d "dw"(%0) {kernel_size = 3,
        weights = dense<1> : tensor<3x3x3x1xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.depthwise_conv2d_transpose' op variable 'weights' has shape (5, 5, 3) but must be (3, 3, 3): kernel_size × kernel_size × channels}}
    %1 = akida.depthwise_conv2d_transpose "dw_up"(%0) {kernel_size = 3,
        weights = dense<1> : tensor<5x5x3xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x16x16x3xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.dense1d' op variable 'weights' has shape (1, 1, 192, 10) but must be (192, 10): flattened input features × units}}
    %1 = akida.dense1d "fc"(%0) {units = 10,
        weights = dense<1> : tensor<1x1x192x10xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x1x1x10xsi8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.buffer_temp_conv' op variable 'weights' has shape (4, 3) but must be (4, 3, 8): fifo_size × input channels × filters}}
    %1 = akida.buffer_temp_conv "btc"(%0) {filters = 8, fifo_size = 4,
        weights = dense<1> : tensor<4x3xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x8xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.depthwise_buffer_temp_conv' op variable 'weights' has shape (3, 3) but must be (4, 3): fifo_size × channels}}
    %1 = akida.depthwise_buffer_temp_conv "dbtc"(%0) {fifo_size = 4,
        weights = dense<1> : tensor<3x3xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op variable 'weights' has element type 'ui8' but must be 'si8'}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3,
        weights = dense<1> : tensor<3x3x3x4xui8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op 'weights_bits' is 3 but must be one of 1, 2, 4, 8}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3, weights_bits = 3,
        weights = dense<1> : tensor<3x3x3x4xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.depthwise_conv2d' op 'buffer_bits' is 0 but must be between 1 and 32}}
    %1 = akida.depthwise_conv2d "dw"(%0) {kernel_size = 3, buffer_bits = 0,
        weights = dense<1> : tensor<3x3x3xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.dense1d' op 'post_op_buffer_bits' is 33 but must be between 1 and 32}}
    %1 = akida.dense1d "fc"(%0) {units = 10, post_op_buffer_bits = 33,
        weights = dense<1> : tensor<192x10xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x1x1x10xsi8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op variable 'weights' has value 2 at flat index 1 outside [-2, 1] (weights_bits = 2)}}
    %1 = akida.conv2d "conv"(%0) {filters = 2, kernel_size = 1, weights_bits = 2,
        weights = dense<[[[[-2, 2], [0, 0], [0, 0]]]]> : tensor<1x1x3x2xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x2xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.buffer_temp_conv' op variable 'weights' has value -1 at flat index 0 outside [0, 1] (weights_bits = 1)}}
    %1 = akida.buffer_temp_conv "btc"(%0) {filters = 8, fifo_size = 4, weights_bits = 1,
        weights = dense<-1> : tensor<4x3x8xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x8xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op variable 'bias_shift' is set without 'bias'}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3,
        weights = dense<1> : tensor<3x3x3x4xsi8>, bias_shift = dense<1> : tensor<4xui8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op variable 'max_value_shift' is set without 'max_value'}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3,
        weights = dense<1> : tensor<3x3x3x4xsi8>, max_value_shift = dense<1> : tensor<1xui8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op variable 'bias' has element type 'si32' but must be 'si8'}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3,
        weights = dense<1> : tensor<3x3x3x4xsi8>, bias = dense<1> : tensor<4xsi32>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // Per-channel only: a (1) bias is not accepted.
    // expected-error @+1 {{'akida.conv2d' op variable 'bias' has shape (1) but must be (4): one value per channel}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3,
        weights = dense<1> : tensor<3x3x3x4xsi8>, bias = dense<1> : tensor<1xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op variable 'bias_shift' has element type 'si8' but must be 'ui8'}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3,
        weights = dense<1> : tensor<3x3x3x4xsi8>, bias = dense<1> : tensor<4xsi8>,
        bias_shift = dense<1> : tensor<4xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // input_shift has one value per input channel (3), not per filter (4).
    // expected-error @+1 {{'akida.conv2d' op variable 'input_shift' has shape (4) but must be (3): one value per channel}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3,
        weights = dense<1> : tensor<3x3x3x4xsi8>, input_shift = dense<1> : tensor<4xui8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op variable 'output_scales' has element type 'f32' but must be 'ui8'}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3,
        weights = dense<1> : tensor<3x3x3x4xsi8>, output_scales = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op variable 'output_shift' has element type 'ui8' but must be 'si8'}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3,
        weights = dense<1> : tensor<3x3x3x4xsi8>, output_shift = dense<1> : tensor<4xui8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op variable 'output_shift' has value -33 at flat index 2 outside [-32, 31] (a signed 6-bit shift)}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3,
        weights = dense<1> : tensor<3x3x3x4xsi8>, output_shift = dense<[31, -32, -33, 0]> : tensor<4xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op variable 'max_value' has shape (2) but must be (4): one value per channel (or (1) per layer)}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3,
        weights = dense<1> : tensor<3x3x3x4xsi8>, max_value = dense<1> : tensor<2xui8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // A per-layer (1) value is accepted by shape, then its element type is checked.
    // expected-error @+1 {{'akida.conv2d' op variable 'max_value_shift' has element type 'si8' but must be 'ui8'}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3,
        weights = dense<1> : tensor<3x3x3x4xsi8>, max_value = dense<1> : tensor<1xui8>,
        max_value_shift = dense<1> : tensor<1xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op variable 'activation_scales' has shape (3) but must be (4): one value per channel (or (1) per layer)}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3,
        activation = #akida.activation<lut>, weights = dense<1> : tensor<3x3x3x4xsi8>,
        activation_scales = dense<1> : tensor<3xui8>, lut_values = dense<0> : tensor<16xsi32>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xsi8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op variable 'activation_shift' has element type 'ui8' but must be 'si8'}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3,
        activation = #akida.activation<lut>, weights = dense<1> : tensor<3x3x3x4xsi8>,
        activation_shift = dense<1> : tensor<4xui8>, lut_values = dense<0> : tensor<16xsi32>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xsi8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op variable 'max_value' clips a ReLU but activation is none}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3,
        activation = #akida.activation<none>, weights = dense<1> : tensor<3x3x3x4xsi8>,
        max_value = dense<6> : tensor<1xui8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xsi8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op variable 'max_value' clips a ReLU but activation is lut}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3,
        activation = #akida.activation<lut>, weights = dense<1> : tensor<3x3x3x4xsi8>,
        max_value = dense<6> : tensor<1xui8>, lut_values = dense<0> : tensor<16xsi32>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xsi8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op variable 'lut_values' is only used with activation = lut, not relu}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3,
        weights = dense<1> : tensor<3x3x3x4xsi8>, lut_values = dense<0> : tensor<16xsi32>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.dense1d' op variable 'activation_scales' is only used with activation = lut, not none}}
    %1 = akida.dense1d "fc"(%0) {units = 10,
        weights = dense<1> : tensor<192x10xsi8>, activation_scales = dense<1> : tensor<1xui8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x1x1x10xsi8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op variable 'activation_shift' is only used with activation = lut, not relu}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3,
        weights = dense<1> : tensor<3x3x3x4xsi8>, activation_shift = dense<1> : tensor<4xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op activation is lut but variable 'lut_values' is missing}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3,
        activation = #akida.activation<lut>, weights = dense<1> : tensor<3x3x3x4xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xsi8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op variable 'lut_values' has type 'tensor<3xsi32>' but must be a 1-D table whose size is a power of two between 2 and 2048}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3,
        activation = #akida.activation<lut>, weights = dense<1> : tensor<3x3x3x4xsi8>,
        lut_values = dense<0> : tensor<3xsi32>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xsi8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op variable 'lut_values' has type 'tensor<4096xsi32>' but must be a 1-D table whose size is a power of two between 2 and 2048}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3,
        activation = #akida.activation<lut>, weights = dense<1> : tensor<3x3x3x4xsi8>,
        lut_values = dense<0> : tensor<4096xsi32>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xsi8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op variable 'lut_values' has type 'tensor<1xsi32>' but must be a 1-D table whose size is a power of two between 2 and 2048}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3,
        activation = #akida.activation<lut>, weights = dense<1> : tensor<3x3x3x4xsi8>,
        lut_values = dense<0> : tensor<1xsi32>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xsi8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op variable 'lut_values' has type 'tensor<4x4xsi32>' but must be a 1-D table whose size is a power of two between 2 and 2048}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3,
        activation = #akida.activation<lut>, weights = dense<1> : tensor<3x3x3x4xsi8>,
        lut_values = dense<0> : tensor<4x4xsi32>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xsi8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op variable 'lut_values' has element type 'si16' but must be 'si32'}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3,
        activation = #akida.activation<lut>, weights = dense<1> : tensor<3x3x3x4xsi8>,
        lut_values = dense<0> : tensor<16xsi16>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xsi8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op 'output_bits' is 0 but must be between 1 and 32}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3, output_bits = 0,
        weights = dense<1> : tensor<3x3x3x4xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.dense1d' op 'output_bits' is 33 but must be between 1 and 32}}
    %1 = akida.dense1d "fc"(%0) {units = 10, output_bits = 33,
        weights = dense<1> : tensor<192x10xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x1x1x10xsi32>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op 'kernel_size' is (0, 0) but both values must be at least 1}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 0,
        weights = dense<> : tensor<0x0x3x4xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.depthwise_conv2d' op 'kernel_stride' is (0, 0) but both values must be at least 1}}
    %1 = akida.depthwise_conv2d "dw"(%0) {kernel_size = 3, kernel_stride = 0,
        weights = dense<1> : tensor<3x3x3xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    // expected-error @+1 {{'akida.input_conv2d' op 'filters' is 0 but must be at least 1}}
    %0 = akida.input_conv2d "conv"(%arg0) {filters = 0, kernel_size = 3,
        weights = dense<> : tensor<3x3x3x0xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x0xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d_transpose' op 'filters' is 0 but must be at least 1}}
    %1 = akida.conv2d_transpose "up"(%0) {filters = 0, kernel_size = 3,
        weights = dense<> : tensor<3x3x3x0xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x16x16x0xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d_transpose' op 'kernel_size' is 0 but must be at least 1}}
    %1 = akida.conv2d_transpose "up"(%0) {filters = 4, kernel_size = 0,
        weights = dense<> : tensor<0x0x3x4xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x16x16x4xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.depthwise_conv2d_transpose' op 'kernel_size' is 0 but must be at least 1}}
    %1 = akida.depthwise_conv2d_transpose "dw_up"(%0) {kernel_size = 0,
        weights = dense<> : tensor<0x0x3xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x16x16x3xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.dense1d' op 'units' is 0 but must be at least 1}}
    %1 = akida.dense1d "fc"(%0) {units = 0, weights = dense<> : tensor<192x0xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x1x1x0xsi8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.buffer_temp_conv' op 'fifo_size' is 0 but must be at least 1}}
    %1 = akida.buffer_temp_conv "btc"(%0) {filters = 8, fifo_size = 0,
        weights = dense<> : tensor<0x3x8xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x8xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.buffer_temp_conv' op 'filters' is 0 but must be at least 1}}
    %1 = akida.buffer_temp_conv "btc"(%0) {filters = 0, fifo_size = 4,
        weights = dense<> : tensor<4x3x0xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x0xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.depthwise_buffer_temp_conv' op 'fifo_size' is 0 but must be at least 1}}
    %1 = akida.depthwise_buffer_temp_conv "dbtc"(%0) {fifo_size = 0,
        weights = dense<> : tensor<0x3xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op 'kernel_size' (9, 9) does not fit the 8x8 input with valid padding}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 9,
        padding = #akida.padding<valid>, weights = dense<1> : tensor<9x9x3x4xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x1x1x4xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op 'pool_size' is set but pool_type is none}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3, pool_size = 2,
        weights = dense<1> : tensor<3x3x3x4xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x4x4x4xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.depthwise_conv2d' op 'pool_stride' is set but average pooling is global (leave it unset)}}
    %1 = akida.depthwise_conv2d "dw"(%0) {kernel_size = 3,
        pool_type = #akida.pool_type<average>, pool_stride = 2,
        weights = dense<1> : tensor<3x3x3xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x1x1x3xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op pool_type is max but 'pool_size' is not set}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3,
        pool_type = #akida.pool_type<max>, weights = dense<1> : tensor<3x3x3x4xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x4x4x4xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op 'pool_size' is (0, 0) but both values must be at least 1}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3,
        pool_type = #akida.pool_type<max>, pool_size = 0,
        weights = dense<1> : tensor<3x3x3x4xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x4x4x4xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op 'pool_size' (4, 4) does not fit the 2x2 convolution output with valid padding}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3, kernel_stride = 3,
        padding = #akida.padding<valid>, pool_type = #akida.pool_type<max>, pool_size = 4,
        weights = dense<1> : tensor<3x3x3x4xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x1x1x4xui8>
    return
  }
}

//===----------------------------------------------------------------------===//
// Akida 2.0 unweighted layers (V2MergeOps.cpp)
//===----------------------------------------------------------------------===//

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>, %arg1: tensor<1x8x8x4xui8>) {
    %0 = akida.input_data "a"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    %1 = akida.input_data "b"(%arg1) {input_bits = 8} : (tensor<1x8x8x4xui8>) -> tensor<1x8x8x4xui8>
    // expected-error @+1 {{'akida.add' op inputs must have the same shape, got 'tensor<1x8x8x3xui8>' and 'tensor<1x8x8x4xui8>'}}
    %2 = akida.add "add"(%0, %1) : (tensor<1x8x8x3xui8>, tensor<1x8x8x4xui8>) -> tensor<1x8x8x3xsi8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "a"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.add' op 'output_bits' is 0 but must be between 1 and 32}}
    %1 = akida.add "add"(%0, %0) {output_bits = 0} : (tensor<1x8x8x3xui8>, tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xsi8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "a"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.add' op 'buffer_bits' is 0 but must be between 1 and 32}}
    %1 = akida.add "add"(%0, %0) {buffer_bits = 0} : (tensor<1x8x8x3xui8>, tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xsi8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "a"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.add' op 'post_op_buffer_bits' is 64 but must be between 1 and 32}}
    %1 = akida.add "add"(%0, %0) {post_op_buffer_bits = 64} : (tensor<1x8x8x3xui8>, tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xsi8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "a"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.add' op variable 'a_shift' has element type 'ui8' but must be 'si8'}}
    %1 = akida.add "add"(%0, %0) {a_shift = dense<1> : tensor<3xui8>} : (tensor<1x8x8x3xui8>, tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xsi8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "a"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.add' op variable 'b_shift' has shape (1) but must be (3): one value per channel}}
    %1 = akida.add "add"(%0, %0) {b_shift = dense<1> : tensor<1xsi8>} : (tensor<1x8x8x3xui8>, tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xsi8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "a"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.add' op variable 'output_shift' has shape (4) but must be (3): one value per channel}}
    %1 = akida.add "add"(%0, %0) {output_shift = dense<-1> : tensor<4xsi8>} : (tensor<1x8x8x3xui8>, tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xsi8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "a"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.concatenate' op needs at least 2 inputs, got 1}}
    %1 = akida.concatenate "cat"(%0) : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>, %arg1: tensor<1x4x8x3xui8>) {
    %0 = akida.input_data "a"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    %1 = akida.input_data "b"(%arg1) {input_bits = 8} : (tensor<1x4x8x3xui8>) -> tensor<1x4x8x3xui8>
    // expected-error @+1 {{'akida.concatenate' op input #2 has type 'tensor<1x4x8x3xui8>' but every input must have the batch, rows and columns of input #0 ('tensor<1x8x8x3xui8>')}}
    %2 = akida.concatenate "cat"(%0, %0, %1) : (tensor<1x8x8x3xui8>, tensor<1x8x8x3xui8>, tensor<1x4x8x3xui8>) -> tensor<1x8x8x9xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<?x8x8x3xui8>, %arg1: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "a"(%arg0) {input_bits = 8} : (tensor<?x8x8x3xui8>) -> tensor<?x8x8x3xui8>
    %1 = akida.input_data "b"(%arg1) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.concatenate' op input #1 has type 'tensor<1x8x8x3xui8>' but every input must have the batch, rows and columns of input #0 ('tensor<?x8x8x3xui8>')}}
    %2 = akida.concatenate "cat"(%0, %1) : (tensor<?x8x8x3xui8>, tensor<1x8x8x3xui8>) -> tensor<?x8x8x6xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>, %arg1: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "a"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    %1 = akida.input_data "b"(%arg1) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.concatenate' op input #1 has element type 'ui4' but every input must have the bit width and sign of input #0 ('ui8')}}
    %2 = akida.concatenate "cat"(%0, %1) : (tensor<1x8x8x3xui8>, tensor<1x8x8x3xui4>) -> tensor<1x8x8x6xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "a"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.dequantizer' op variable 'scales' has element type 'f64' but must be 'f32'}}
    %1 = akida.dequantizer "dq"(%0) {scales = dense<0.5> : tensor<3xf64>} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xf32>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "a"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.dequantizer' op variable 'scales' has shape (1) but must be (3): one value per channel}}
    %1 = akida.dequantizer "dq"(%0) {scales = dense<0.5> : tensor<1xf32>} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xf32>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x2x3x8xsi8>) {
    %0 = akida.input_data "a"(%arg0) {input_bits = 8, input_signed = true} : (tensor<1x2x3x8xsi8>) -> tensor<1x2x3x8xsi8>
    // expected-error @+1 {{'akida.extract_token' op token range [4, 2) must satisfy 0 <= begin < end <= 6 (the input's rows × columns)}}
    %1 = akida.extract_token "tok"(%0) {begin = 4, end = 2} : (tensor<1x2x3x8xsi8>) -> tensor<1x1x1x8xsi8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x2x3x8xsi8>) {
    %0 = akida.input_data "a"(%arg0) {input_bits = 8, input_signed = true} : (tensor<1x2x3x8xsi8>) -> tensor<1x2x3x8xsi8>
    // expected-error @+1 {{'akida.extract_token' op token range [0, 7) must satisfy 0 <= begin < end <= 6 (the input's rows × columns)}}
    %1 = akida.extract_token "tok"(%0) {end = 7} : (tensor<1x2x3x8xsi8>) -> tensor<1x1x7x8xsi8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x2x3x8xsi8>) {
    %0 = akida.input_data "a"(%arg0) {input_bits = 8, input_signed = true} : (tensor<1x2x3x8xsi8>) -> tensor<1x2x3x8xsi8>
    // expected-error @+1 {{'akida.extract_token' op token range [-1, 6) must satisfy 0 <= begin < end <= 6 (the input's rows × columns)}}
    %1 = akida.extract_token "tok"(%0) {begin = -1} : (tensor<1x2x3x8xsi8>) -> tensor<1x1x7x8xsi8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x2x3x8xsi8>) {
    %0 = akida.input_data "a"(%arg0) {input_bits = 8, input_signed = true} : (tensor<1x2x3x8xsi8>) -> tensor<1x2x3x8xsi8>
    // expected-error @+1 {{'akida.extract_token' op token range [6, 6) must satisfy 0 <= begin < end <= 6 (the input's rows × columns)}}
    %1 = akida.extract_token "tok"(%0) {begin = 6} : (tensor<1x2x3x8xsi8>) -> tensor<1x1x0x8xsi8>
    return
  }
}

//===----------------------------------------------------------------------===//
// Written result types that disagree with the inferred ones
//===----------------------------------------------------------------------===//

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    // expected-error @+2 {{'akida.input_data' op inferred type(s) 'tensor<1x8x8x3xui4>' are incompatible with return type(s) of operation 'tensor<1x8x8x3xui8>'}}
    // expected-error @+1 {{failed to infer returned types}}
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x28x28x1xui8>) {
    // Same padding with stride 2: ceil(28 / 2) = 14, not 13.
    // expected-error @+2 {{'akida.input_convolutional' op inferred type(s) 'tensor<1x14x14x8xui4>' are incompatible with return type(s) of operation 'tensor<1x13x13x8xui4>'}}
    // expected-error @+1 {{failed to infer returned types}}
    %0 = akida.input_convolutional "conv_0"(%arg0) {filters = 8,
        kernel_size = array<i64: 3, 3>, kernel_stride = array<i64: 2, 2>,
        weights_bits = 8, act_bits = 4,
        weights = dense<1> : tensor<3x3x1x8xsi8>,
        threshold = dense<0> : tensor<8xsi32>, act_step = dense<1.0> : tensor<8xf32>}
        : (tensor<1x28x28x1xui8>) -> tensor<1x13x13x8xui4>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // Without activation the output is the raw si32 potentials.
    // expected-error @+2 {{'akida.fully_connected' op inferred type(s) 'tensor<1x1x1x10xsi32>' are incompatible with return type(s) of operation 'tensor<1x1x1x10xui1>'}}
    // expected-error @+1 {{failed to infer returned types}}
    %1 = akida.fully_connected "fc"(%0) {units = 10, activation = false,
        weights = dense<1> : tensor<1x1x192x10xsi8>,
        threshold = dense<0> : tensor<10xsi32>, act_step = dense<1.0> : tensor<10xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x1x1x10xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+2 {{'akida.conv2d' op inferred type(s) 'tensor<1x8x8x4xui8>' are incompatible with return type(s) of operation 'tensor<1x8x8x5xui8>'}}
    // expected-error @+1 {{failed to infer returned types}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3,
        weights = dense<1> : tensor<3x3x3x4xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x5xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // activation = none gives a signed output.
    // expected-error @+2 {{'akida.conv2d' op inferred type(s) 'tensor<1x8x8x4xsi8>' are incompatible with return type(s) of operation 'tensor<1x8x8x4xui8>'}}
    // expected-error @+1 {{failed to infer returned types}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3,
        activation = #akida.activation<none>, weights = dense<1> : tensor<3x3x3x4xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<?x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<?x8x8x3xui8>) -> tensor<?x8x8x3xui8>
    // The dynamic batch is kept: a static batch is not compatible.
    // expected-error @+2 {{'akida.conv2d_transpose' op inferred type(s) 'tensor<?x16x16x4xui8>' are incompatible with return type(s) of operation 'tensor<1x16x16x4xui8>'}}
    // expected-error @+1 {{failed to infer returned types}}
    %1 = akida.conv2d_transpose "up"(%0) {filters = 4, kernel_size = 3,
        weights = dense<1> : tensor<3x3x3x4xsi8>}
        : (tensor<?x8x8x3xui8>) -> tensor<1x16x16x4xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+2 {{'akida.buffer_temp_conv' op inferred type(s) 'tensor<1x8x8x8xui8>' are incompatible with return type(s) of operation 'tensor<1x1x1x8xui8>'}}
    // expected-error @+1 {{failed to infer returned types}}
    %1 = akida.buffer_temp_conv "btc"(%0) {filters = 8, fifo_size = 4,
        weights = dense<1> : tensor<4x3x8xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x1x1x8xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // The dequantizer's result must be an f32 tensor (operand/result type constraint).
    // expected-error @+1 {{'akida.dequantizer' op result #0 must be 4D tensor of 32-bit float values, but got 'tensor<1x8x8x3xsi32>'}}
    %1 = akida.dequantizer "dq"(%0) {scales = dense<0.5> : tensor<3xf32>} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xsi32>
    return
  }
}

//===----------------------------------------------------------------------===//
// Bad parameters are reported by name before the variables that depend on
// them are checked (regressions: these used to crash or blame a variable).
//===----------------------------------------------------------------------===//

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.convolutional' op 'kernel_size' needs exactly 2 values (rows, columns), got 0}}
    %1 = akida.convolutional "conv"(%0) {filters = 4, kernel_size = array<i64>,
        weights = dense<1> : tensor<3x3x3x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x8x8x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.separable_convolutional' op 'kernel_size' needs exactly 2 values (rows, columns), got 1}}
    %1 = akida.separable_convolutional "sep"(%0) {filters = 4, kernel_size = array<i64: 3>,
        weights = dense<1> : tensor<3x3x3x1xsi8>, weights_pw = dense<1> : tensor<1x1x3x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x8x8x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 4} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui4>
    // expected-error @+1 {{'akida.convolutional' op 'filters' is -1 but must be at least 1}}
    %1 = akida.convolutional "conv"(%0) {filters = -1, kernel_size = array<i64: 3, 3>,
        weights = dense<1> : tensor<3x3x3x4xsi8>,
        threshold = dense<0> : tensor<4xsi32>, act_step = dense<1.0> : tensor<4xf32>}
        : (tensor<1x8x8x3xui4>) -> tensor<1x8x8x4xui1>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // expected-error @+1 {{'akida.conv2d' op 'kernel_size' is (-3, -3) but both values must be at least 1}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = -3,
        weights = dense<1> : tensor<3x3x3x4xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xui8>) {
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x3xui8>
    // Only the first bad parameter is reported.
    // expected-error @+1 {{'akida.conv2d' op 'kernel_stride' is (0, 0) but both values must be at least 1}}
    %1 = akida.conv2d "conv"(%0) {filters = 4, kernel_size = 3, kernel_stride = 0, output_bits = 0,
        weights = dense<1> : tensor<3x3x3x4xsi8>}
        : (tensor<1x8x8x3xui8>) -> tensor<1x8x8x4xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<0x8x8x3xui8>) {
    // expected-error @+1 {{'akida.input_data' op input has an empty batch (0); the batch must be dynamic (?) or at least 1, got 'tensor<0x8x8x3xui8>'}}
    %0 = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<0x8x8x3xui8>) -> tensor<0x8x8x3xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x8x8x3xi8>) {
    // expected-error @+1 {{'akida.input_conv2d' op input element type 'i8' must be ui8 or si8: the input convolution reads raw 8-bit data}}
    %0 = akida.input_conv2d "conv"(%arg0) {filters = 4, kernel_size = 3,
        weights = dense<1> : tensor<3x3x3x4xsi8>}
        : (tensor<1x8x8x3xi8>) -> tensor<1x8x8x4xui8>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x1x1x10xui8>) {
    %in = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x1x1x10xui8>) -> tensor<1x1x1x10xui8>
    // expected-error @+1 {{'akida.onnx_graph' op 'output_dtype' is 3 but must be 0 (uint8), 1 (int8) or 5 (float32)}}
    %0 = akida.onnx_graph "sw"(%in) {graph = dense<8> : tensor<4xui8>,
        output_rows = 1, output_columns = 1, output_channels = 10, output_dtype = 3}
        : (tensor<1x1x1x10xui8>) -> tensor<1x1x1x10xf32>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x1x1x10xui8>) {
    %in = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x1x1x10xui8>) -> tensor<1x1x1x10xui8>
    // expected-error @+1 {{'akida.onnx_graph' op variable 'graph' has type 'tensor<2x2xsi8>' but must be a 1-D ui8 tensor (a serialized ONNX model)}}
    %0 = akida.onnx_graph "sw"(%in) {graph = dense<8> : tensor<2x2xsi8>,
        output_rows = 1, output_columns = 1, output_channels = 10}
        : (tensor<1x1x1x10xui8>) -> tensor<1x1x1x10xf32>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @f(%arg0: tensor<1x1x1x10xui8>) {
    %in = akida.input_data "in"(%arg0) {input_bits = 8} : (tensor<1x1x1x10xui8>) -> tensor<1x1x1x10xui8>
    // expected-error @+1 {{'akida.onnx_graph' op output shape 1x0x10 must be positive}}
    %0 = akida.onnx_graph "sw"(%in) {graph = dense<8> : tensor<4xui8>,
        output_rows = 1, output_columns = 0, output_channels = 10}
        : (tensor<1x1x1x10xui8>) -> tensor<1x1x1x10xf32>
    return
  }
}

// -----

module attributes {akida.ip_version = #akida.ip_version<v1>} {
  func.func @f(%arg0: tensor<1x1x1x8xui8>) {
    %in = akida.input_data "in"(%arg0) {input_bits = 1} : (tensor<1x1x1x8xui8>) -> tensor<1x1x1x8xui1>
    // expected-error @+1 {{'akida.fully_connected' op variable 'plasticity' has shape (3) but must be (4): one value per unit}}
    %0 = akida.fully_connected "fc"(%in) {units = 4, weights_bits = 1, activation = false,
        weights = dense<0> : tensor<1x1x8x4xsi8>, threshold = dense<0> : tensor<4xsi32>,
        act_step = dense<1.0> : tensor<4xf32>, plasticity = dense<1.0> : tensor<3xf32>}
        : (tensor<1x1x1x8xui1>) -> tensor<1x1x1x4xsi32>
    return
  }
}
