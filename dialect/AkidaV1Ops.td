//===- AkidaV1Ops.td - Akida 1.0 layers ---------------------*- tablegen -*-===//
#ifndef AKIDA_V1_OPS_TD
#define AKIDA_V1_OPS_TD

include "dialect/AkidaOpBase.td"

def Akida_InputConvolutionalOp : Akida_Layer<"input_convolutional",
    "InputConvolutional", V1, 1, [Pure]> {
  let summary = "Akida 1.0 input convolution on dense 8-bit data (HRC)";
  let description = [{
`InputConvolutional(input_shape, kernel_size, filters, padding=Same,
kernel_stride=(1,1), weights_bits=1, pool_size, pool_type, pool_stride,
activation=True, act_bits=1, padding_value=0)`. It reads the model's raw
`ui8` input, so it is always the first layer, and computes a
cross-correlation (the kernel is not flipped). Border pixels read
`padding_value` (0..255).

Variables: `weights` `si8` `(kx, ky, C, F)`, `threshold` `si32` `(F)`,
`act_step` `f32` `(F)`. With `activation` the output is
`ui<act_bits>` (threshold/act_step activation), without it the raw `si32`
potentials.

```mlir
%0 = akida.input_convolutional "conv_0"(%arg0) {filters = 8,
    kernel_size = array<i64: 3, 3>, kernel_stride = array<i64: 2, 2>,
    weights_bits = 8, act_bits = 4,
    weights = dense<1> : tensor<3x3x1x8xsi8>,
    threshold = dense<0> : tensor<8xsi32>, act_step = dense<1.0> : tensor<8xf32>}
    : (tensor<1x28x28x1xui8>) -> tensor<1x14x14x8xui4>
```
  }];
  let arguments = !con((ins Akida_ActivationTensor:$input, StrAttr:$name),
      V1ConvParams<"1">.args,
      (ins DefaultValuedAttr<I64Attr, "0">:$padding_value, ElementsAttr:$weights),
      V1ActVars);
  let results = (outs Akida_ActivationTensor:$output);
}

def Akida_ConvolutionalOp : Akida_Layer<"convolutional", "Convolutional", V1,
    0, [Pure]> {
  let summary = "Akida 1.0 convolution on CNP neural processors";
  let description = [{
`Convolutional(kernel_size, filters, padding=Same, kernel_stride=(1,1),
weights_bits=1, pool_size, pool_type, pool_stride, activation=True,
act_bits=1)`. A true convolution (the kernel is flipped along rows and
columns), optionally followed by max pooling or global average pooling, then
the threshold/act_step activation.

Variables: `weights` `si8` `(kx, ky, C, F)`, `threshold` `si32` `(F)`,
`act_step` `f32` `(F)`.

```mlir
%1 = akida.convolutional "conv_1"(%0) {filters = 16,
    kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4,
    pool_type = #akida.pool_type<max>, pool_size = array<i64: 2, 2>,
    weights = dense<1> : tensor<3x3x8x16xsi8>,
    threshold = dense<0> : tensor<16xsi32>, act_step = dense<1.0> : tensor<16xf32>}
    : (tensor<1x14x14x8xui4>) -> tensor<1x7x7x16xui4>
```
  }];
  let arguments = !con((ins Akida_ActivationTensor:$input, StrAttr:$name),
      V1ConvParams<"1">.args, (ins ElementsAttr:$weights), V1ActVars);
  let results = (outs Akida_ActivationTensor:$output);
}

def Akida_SeparableConvolutionalOp : Akida_Layer<"separable_convolutional",
    "SeparableConvolutional", V1, 0, [Pure]> {
  let summary = "Akida 1.0 depthwise k×k then pointwise 1×1 convolution";
  let description = [{
`SeparableConvolutional(kernel_size, filters, padding=Same,
kernel_stride=(1,1), weights_bits=2, pool_size, pool_type, pool_stride,
activation=True, act_bits=1)`: a depthwise convolution fused with a pointwise
convolution in one NP layer, then pooling and the activation.

Variables: `weights` (depthwise) `si8` `(kx, ky, C, 1)`, `weights_pw` `si8`
`(1, 1, C, F)`, `threshold` `si32` `(F)`, `act_step` `f32` `(F)`.

```mlir
%2 = akida.separable_convolutional "separable_2"(%1) {filters = 32,
    kernel_size = array<i64: 3, 3>, weights_bits = 4, act_bits = 4,
    pool_type = #akida.pool_type<average>,
    weights = dense<1> : tensor<3x3x16x1xsi8>,
    weights_pw = dense<1> : tensor<1x1x16x32xsi8>,
    threshold = dense<0> : tensor<32xsi32>, act_step = dense<1.0> : tensor<32xf32>}
    : (tensor<1x7x7x16xui4>) -> tensor<1x1x1x32xui4>
```
  }];
  let arguments = !con((ins Akida_ActivationTensor:$input, StrAttr:$name),
      V1ConvParams<"2">.args,
      (ins ElementsAttr:$weights, ElementsAttr:$weights_pw), V1ActVars);
  let results = (outs Akida_ActivationTensor:$output);
}

def Akida_FullyConnectedOp : Akida_Layer<"fully_connected", "FullyConnected",
    V1, 0, [Pure]> {
  let summary = "Akida 1.0 fully connected layer on FNP neural processors";
  let description = [{
`FullyConnected(units, weights_bits=1, activation=True, act_bits=1)`. The
input `(x, y, c)` is flattened channel-major into `x·y·c` features; the output
is `(1, 1, units)`. It is the only layer that can learn on chip.

Variables: `weights` `si8` `(1, 1, x·y·c, units)`, `threshold` `si32`
`(units)`, `act_step` `f32` `(units)`. After `Model::compile` (edge learning,
1-bit weights and inputs) it also holds `num_weights` and `num_classes`, and
the variables `threshold_learning` `si32` `(units)`, `plasticity` `f32`
`(units)` and `learning_parameters` `f32` `(4)` (initial_plasticity,
learning_competition, min_plasticity, plasticity_decay).

```mlir
%3 = akida.fully_connected "dense"(%2) {units = 10, weights_bits = 4,
    activation = false,
    weights = dense<1> : tensor<1x1x32x10xsi8>,
    threshold = dense<0> : tensor<10xsi32>, act_step = dense<1.0> : tensor<10xf32>}
    : (tensor<1x1x1x32xui4>) -> tensor<1x1x1x10xsi32>
```
  }];
  let arguments = !con((ins Akida_ActivationTensor:$input, StrAttr:$name,
      I64Attr:$units,
      DefaultValuedAttr<I64Attr, "1">:$weights_bits,
      DefaultValuedAttr<BoolAttr, "true">:$activation,
      DefaultValuedAttr<I64Attr, "1">:$act_bits,
      ElementsAttr:$weights,
      OptionalAttr<I64Attr>:$num_weights, OptionalAttr<I64Attr>:$num_classes,
      OptionalAttr<ElementsAttr>:$threshold_learning,
      OptionalAttr<ElementsAttr>:$plasticity,
      OptionalAttr<ElementsAttr>:$learning_parameters), V1ActVars);
  let results = (outs Akida_ActivationTensor:$output);
}

#endif // AKIDA_V1_OPS_TD
