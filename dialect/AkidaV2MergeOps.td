//===- AkidaV2MergeOps.td - Akida 2.0 unweighted layers -----*- tablegen -*-===//
#ifndef AKIDA_V2_MERGE_OPS_TD
#define AKIDA_V2_MERGE_OPS_TD

include "dialect/AkidaOpBase.td"

def Akida_AddOp : Akida_Layer<"add", "Add", V2, 0, [Pure]> {
  let summary = "Akida 2.0 element-wise addition of two branches";
  let description = [{
`Add(output_bits=8, buffer_bits=32, post_op_buffer_bits=32,
activation=False)`: `out = sat((a << a_shift[c]) + (b << b_shift[c]))`, then
shifted by `output_shift[c]` (positive left, negative right with rounding) and
saturated to `output_bits` (`ui` after the ReLU activation, `si` otherwise).
Both inputs have the same shape. The shifts are optional `si8 (C)` variables
(neutral value 0).

```mlir
%2 = akida.add "add"(%0, %1) {output_shift = dense<-1> : tensor<16xsi8>}
    : (tensor<1x8x8x16xui8>, tensor<1x8x8x16xui8>) -> tensor<1x8x8x16xsi8>
```
  }];
  let arguments = (ins Akida_ActivationTensor:$lhs,
      Akida_ActivationTensor:$rhs, StrAttr:$name,
      DefaultValuedAttr<I64Attr, "8">:$output_bits,
      DefaultValuedAttr<I64Attr, "32">:$buffer_bits,
      DefaultValuedAttr<I64Attr, "32">:$post_op_buffer_bits,
      DefaultValuedAttr<BoolAttr, "false">:$activation,
      OptionalAttr<ElementsAttr>:$a_shift,
      OptionalAttr<ElementsAttr>:$b_shift,
      OptionalAttr<ElementsAttr>:$output_shift);
  let results = (outs Akida_ActivationTensor:$output);
}

def Akida_ConcatenateOp : Akida_Layer<"concatenate", "Concatenate", V2, 0,
    [Pure]> {
  let summary = "Akida 2.0 concatenation on the channel axis";
  let description = [{
`Concatenate()`: two or more inputs with the same batch, rows, columns and
element type (bit width and sign) are joined along the channels.

```mlir
%2 = akida.concatenate "concat"(%0, %1)
    : (tensor<1x8x8x16xui8>, tensor<1x8x8x8xui8>) -> tensor<1x8x8x24xui8>
```
  }];
  let arguments = (ins Variadic<Akida_ActivationTensor>:$inputs, StrAttr:$name);
  let results = (outs Akida_ActivationTensor:$output);
}

def Akida_DequantizerOp : Akida_Layer<"dequantizer", "Dequantizer", V2, 0,
    [Pure]> {
  let summary = "Akida 2.0 conversion of integers to float32";
  let description = [{
`Dequantizer()`: `out = float(x - zero_points[c]) × scales[c]` with the
`f32 (C)` variable `scales` and the optional `i32 (C)` variable
`zero_points` (0 when absent; the SDK's layer has none, the ONNX importer
sets it for a `DequantizeLinear` with a zero point). It ends a v2 model.

```mlir
%3 = akida.dequantizer "dequantizer"(%2) {scales = dense<0.125> : tensor<10xf32>}
    : (tensor<1x1x1x10xsi32>) -> tensor<1x1x1x10xf32>
```
  }];
  let arguments = (ins Akida_ActivationTensor:$input, StrAttr:$name,
      ElementsAttr:$scales, OptionalAttr<ElementsAttr>:$zero_points);
  let results = (outs Akida_FloatTensor:$output);
}

def Akida_ExtractTokenOp : Akida_Layer<"extract_token", "ExtractToken", V2, 0,
    [Pure]> {
  let summary = "Akida 2.0 selection of tokens [begin, end)";
  let description = [{
`ExtractToken(begin=0, end=None)`. The tokens are the spatial positions of
the input in row-major order (`rows × columns` of them); the layer keeps
tokens `[begin, end)` (all tokens from `begin` when `end` is absent) and
returns them as one row: `(N, 1, end − begin, C)`.

```mlir
%1 = akida.extract_token "class_token"(%0) {begin = 0, end = 1}
    : (tensor<1x1x197x192xsi8>) -> tensor<1x1x1x192xsi8>
```
  }];
  let arguments = (ins Akida_ActivationTensor:$input, StrAttr:$name,
      DefaultValuedAttr<I64Attr, "0">:$begin, OptionalAttr<I64Attr>:$end);
  let results = (outs Akida_ActivationTensor:$output);
}

#endif // AKIDA_V2_MERGE_OPS_TD
