//===- AkidaV2ConvOps.td - Akida 2.0 weighted layers --------*- tablegen -*-===//
#ifndef AKIDA_V2_CONV_OPS_TD
#define AKIDA_V2_CONV_OPS_TD

include "dialect/AkidaOpBase.td"

// The output pipeline shared by every weighted v2 layer, for descriptions.
defvar V2Pipeline = [{
The integer pipeline (Akida 2.0): input `<< input_shift[c]`, accumulate in a
signed `buffer_bits` accumulator, `+ bias[f] << bias_shift[f]`, max pooling,
activation (`relu`, optionally clipped at `max_value << max_value_shift`;
`lut` through `lut_values`; or `none`), `× output_scales[f]`, shift by
`output_shift[f]` (positive left, negative right with rounding), saturate to
`output_bits`: the output is `ui<output_bits>` after `relu`,
`si<output_bits>` after `lut` or `none`.

Per-channel variables are optional and take their neutral value when absent:
`bias` `si8 (F)`, `bias_shift` `ui8 (F)`, `input_shift` `ui8 (C)`,
`output_scales` `ui8 (F)`, `output_shift` `si8 (F)`, `max_value` and
`max_value_shift` `ui8 (1)` or `(F)`; with `activation = lut`,
`activation_scales` `ui8`, `activation_shift` `si8` (`(1)` or `(F)`) and
`lut_values` `si32` (a power-of-two table, at most 2048 entries).
}];

def Akida_InputConv2DOp : Akida_Layer<"input_conv2d", "InputConv2D", V2, 1,
    [Pure]> {
  let summary = "Akida 2.0 input convolution on dense 8-bit data (HRC)";
  let description = [{
`InputConv2D(input_shape, filters, kernel_size, padding=Same,
kernel_stride=1, pool_type, pool_size, pool_stride, activation=ReLU,
output_bits=8, buffer_bits=32, post_op_buffer_bits=32, weights_bits=8)`.
It reads the model's raw input, so it is always the first layer.
`weights` `si8 (k, k, C, F)`.
}] # V2Pipeline # [{
```mlir
%0 = akida.input_conv2d "conv_0"(%arg0) {filters = 8, kernel_size = 3,
    kernel_stride = 2, weights = dense<1> : tensor<3x3x3x8xsi8>}
    : (tensor<1x32x32x3xui8>) -> tensor<1x16x16x8xui8>
```
  }];
  let arguments = !con((ins Akida_ActivationTensor:$input, StrAttr:$name,
      I64Attr:$filters), V2Spatial, V2Output<"32", "ReLU">.args,
      (ins ElementsAttr:$weights), V2Vars);
  let results = (outs Akida_ActivationTensor:$output);
}

def Akida_Conv2DOp : Akida_Layer<"conv2d", "Conv2D", V2, 0, [Pure]> {
  let summary = "Akida 2.0 convolution";
  let description = [{
`Conv2D(filters, kernel_size, kernel_stride=1, padding=Same, pool_type,
pool_size, pool_stride, output_bits=8, buffer_bits=28, activation=ReLU,
post_op_buffer_bits=32, weights_bits=8)`. `weights` `si8 (k, k, C, F)`.
}] # V2Pipeline # [{
```mlir
%1 = akida.conv2d "conv_1"(%0) {filters = 16, kernel_size = 3,
    pool_type = #akida.pool_type<max>, pool_size = 2,
    weights = dense<1> : tensor<3x3x8x16xsi8>,
    output_shift = dense<-4> : tensor<16xsi8>}
    : (tensor<1x16x16x8xui8>) -> tensor<1x8x8x16xui8>
```
  }];
  let arguments = !con((ins Akida_ActivationTensor:$input, StrAttr:$name,
      I64Attr:$filters), V2Spatial, V2Output<"28", "ReLU">.args,
      (ins ElementsAttr:$weights), V2Vars);
  let results = (outs Akida_ActivationTensor:$output);
}

def Akida_Conv2DTransposeOp : Akida_Layer<"conv2d_transpose",
    "Conv2DTranspose", V2, 0, [Pure]> {
  let summary = "Akida 2.0 transposed convolution (×2 upsampling)";
  let description = [{
`Conv2DTranspose(filters, kernel_size, activation=ReLU, output_bits=8,
buffer_bits=28, post_op_buffer_bits=32, weights_bits=8)`: Same padding and
stride 2, so rows and columns double. `weights` `si8 (k, k, C, F)`.
}] # V2Pipeline # [{
```mlir
%2 = akida.conv2d_transpose "up"(%1) {filters = 8, kernel_size = 3,
    weights = dense<1> : tensor<3x3x16x8xsi8>}
    : (tensor<1x8x8x16xui8>) -> tensor<1x16x16x8xui8>
```
  }];
  let arguments = !con((ins Akida_ActivationTensor:$input, StrAttr:$name,
      I64Attr:$filters, I64Attr:$kernel_size), V2Output<"28", "ReLU">.args,
      (ins ElementsAttr:$weights), V2Vars);
  let results = (outs Akida_ActivationTensor:$output);
}

def Akida_DepthwiseConv2DOp : Akida_Layer<"depthwise_conv2d",
    "DepthwiseConv2D", V2, 0, [Pure]> {
  let summary = "Akida 2.0 depthwise convolution";
  let description = [{
`DepthwiseConv2D(kernel_size, kernel_stride=1, padding=Same, pool_type,
pool_size, pool_stride, output_bits=8, buffer_bits=28, activation=ReLU,
post_op_buffer_bits=32, weights_bits=8)`: one k×k filter per channel.
`weights` `si8 (k, k, C)`.
}] # V2Pipeline # [{
```mlir
%3 = akida.depthwise_conv2d "dw"(%1) {kernel_size = 3, kernel_stride = 2,
    weights = dense<1> : tensor<3x3x16xsi8>}
    : (tensor<1x8x8x16xui8>) -> tensor<1x4x4x16xui8>
```
  }];
  let arguments = !con((ins Akida_ActivationTensor:$input, StrAttr:$name),
      V2Spatial, V2Output<"28", "ReLU">.args, (ins ElementsAttr:$weights),
      V2Vars);
  let results = (outs Akida_ActivationTensor:$output);
}

def Akida_DepthwiseConv2DTransposeOp : Akida_Layer<
    "depthwise_conv2d_transpose", "DepthwiseConv2DTranspose", V2, 0, [Pure]> {
  let summary = "Akida 2.0 depthwise transposed convolution (×2 upsampling)";
  let description = [{
`DepthwiseConv2DTranspose(kernel_size, activation=ReLU, output_bits=8,
buffer_bits=28, post_op_buffer_bits=32, weights_bits=8)`: Same padding,
stride 2, one filter per channel. `weights` `si8 (k, k, C)`.
}] # V2Pipeline # [{
```mlir
%4 = akida.depthwise_conv2d_transpose "dw_up"(%3) {kernel_size = 3,
    weights = dense<1> : tensor<3x3x16xsi8>}
    : (tensor<1x4x4x16xui8>) -> tensor<1x8x8x16xui8>
```
  }];
  let arguments = !con((ins Akida_ActivationTensor:$input, StrAttr:$name,
      I64Attr:$kernel_size), V2Output<"28", "ReLU">.args,
      (ins ElementsAttr:$weights), V2Vars);
  let results = (outs Akida_ActivationTensor:$output);
}

def Akida_Dense1DOp : Akida_Layer<"dense1d", "Dense1D", V2, 0, [Pure]> {
  let summary = "Akida 2.0 dense layer";
  let description = [{
`Dense1D(units, output_bits=8, buffer_bits=28, post_op_buffer_bits=32,
activation=NoActivation, weights_bits=8)`. The input `(x, y, c)` is
flattened to `x·y·c` features; the output is `(1, 1, units)`.
`weights` `si8 (x·y·c, units)`.
}] # V2Pipeline # [{
```mlir
%5 = akida.dense1d "classifier"(%4) {units = 10, output_bits = 32,
    weights = dense<1> : tensor<1024x10xsi8>}
    : (tensor<1x8x8x16xui8>) -> tensor<1x1x1x10xsi32>
```
  }];
  let arguments = !con((ins Akida_ActivationTensor:$input, StrAttr:$name,
      I64Attr:$units), V2Output<"28", "NoActivation">.args,
      (ins ElementsAttr:$weights), V2Vars);
  let results = (outs Akida_ActivationTensor:$output);
}

def Akida_BufferTempConvOp : Akida_Layer<"buffer_temp_conv", "BufferTempConv",
    V2, 0> {
  let summary = "Akida 2.0 temporal convolution over a FIFO of past frames";
  let description = [{
`BufferTempConv(filters, fifo_size, activation=ReLU, output_bits=8,
buffer_bits=32, post_op_buffer_bits=32, weights_bits=8)`. The layer keeps,
per pixel, a FIFO of its last `fifo_size` input frames (state that persists
across calls until reset) and convolves over time and channels:
`out[x, y, f] = Σ_t Σ_c weights[t, c, f] · fifo[x, y, t, c]`, `t = 0` being
the oldest frame. `weights` `si8 (fifo_size, C, F)`. The op is stateful, so it
is never folded or erased.
}] # V2Pipeline # [{
```mlir
%6 = akida.buffer_temp_conv "btc"(%1) {filters = 8, fifo_size = 4,
    weights = dense<1> : tensor<4x16x8xsi8>}
    : (tensor<1x8x8x16xui8>) -> tensor<1x8x8x8xui8>
```
  }];
  let arguments = !con((ins Akida_ActivationTensor:$input, StrAttr:$name,
      I64Attr:$filters, I64Attr:$fifo_size), V2Output<"32", "ReLU">.args,
      (ins ElementsAttr:$weights), V2Vars);
  let results = (outs Akida_ActivationTensor:$output);
}

def Akida_DepthwiseBufferTempConvOp : Akida_Layer<"depthwise_buffer_temp_conv",
    "DepthwiseBufferTempConv", V2, 0> {
  let summary = "Akida 2.0 per-channel temporal convolution over a FIFO";
  let description = [{
`DepthwiseBufferTempConv(fifo_size, activation=ReLU, output_bits=8,
buffer_bits=32, post_op_buffer_bits=32, weights_bits=8)`: like
`buffer_temp_conv` but each channel convolves only its own history,
`out[x, y, c] = Σ_t weights[t, c] · fifo[x, y, t, c]`.
`weights` `si8 (fifo_size, C)`. Stateful.
}] # V2Pipeline # [{
```mlir
%7 = akida.depthwise_buffer_temp_conv "dbtc"(%1) {fifo_size = 3,
    weights = dense<1> : tensor<3x16xsi8>}
    : (tensor<1x8x8x16xui8>) -> tensor<1x8x8x16xui8>
```
  }];
  let arguments = !con((ins Akida_ActivationTensor:$input, StrAttr:$name,
      I64Attr:$fifo_size), V2Output<"32", "ReLU">.args,
      (ins ElementsAttr:$weights), V2Vars);
  let results = (outs Akida_ActivationTensor:$output);
}

#endif // AKIDA_V2_CONV_OPS_TD
