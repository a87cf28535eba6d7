//===- AkidaCommonOps.td - Layers shared by both IP versions -*- tablegen -*-===//
#ifndef AKIDA_COMMON_OPS_TD
#define AKIDA_COMMON_OPS_TD

include "dialect/AkidaOpBase.td"

def Akida_InputDataOp : Akida_Layer<"input_data", "InputData", AnyIp, 1, [Pure]> {
  let summary = "Model input: raw integer data entering the first layer";
  let description = [{
`InputData(input_shape, input_bits=4, input_signed=False)` of both IP
versions. It takes the model's NHWC input (any integer dtype the user passes,
e.g. `ui8`) and declares its values as `input_bits`-wide unsigned (or signed)
integers; the result element type is `ui<input_bits>` (or `si<input_bits>`).
The input shape is the operand's shape. `input_bits` is 1, 2, 4 or 8.

```mlir
%0 = akida.input_data "input"(%arg0) {input_bits = 4}
    : (tensor<1x28x28x1xui8>) -> tensor<1x28x28x1xui4>
%1 = akida.input_data "input"(%arg1) {input_bits = 8, input_signed = true}
    : (tensor<?x32x32x3xsi8>) -> tensor<?x32x32x3xsi8>
```
  }];
  let arguments = (ins Akida_ActivationTensor:$input, StrAttr:$name,
      DefaultValuedAttr<I64Attr, "4">:$input_bits,
      DefaultValuedAttr<BoolAttr, "false">:$input_signed);
  let results = (outs Akida_ActivationTensor:$output);
}

def Akida_OnnxGraphOp : Akida_Layer<"onnx_graph", "OnnxGraph", AnyIp, 0, [Pure]> {
  let summary = "ONNX nodes that run in software, on the host";
  let description = [{
The part of an imported ONNX model that no Akida layer expresses
(`akida convert --software-fallback`). `graph` holds a serialized ONNX model
(`ui8` bytes) with one input, the inbound layer's activations (integers, or
a Dequantizer's `f32`) in ONNX's layout, and one output; the result is that output as NHWC
`output_rows × output_columns × output_channels` of `output_dtype` (the
DType numbering of `.fbz` files: 0 uint8, 1 int8, 5 float32). It never runs
on an NP: mapping puts it in a software sequence.

```mlir
%4 = akida.onnx_graph "softmax"(%3) {graph = dense<[8, 8, ...]> : tensor<412xui8>,
    output_rows = 1, output_columns = 1, output_channels = 10, output_dtype = 5}
    : (tensor<1x1x1x10xui8>) -> tensor<1x1x1x10xf32>
```
  }];
  let arguments = (ins AnyTypeOf<[Akida_ActivationTensor, Akida_FloatTensor]>:$input,
      StrAttr:$name, ElementsAttr:$graph, I64Attr:$output_rows, I64Attr:$output_columns,
      I64Attr:$output_channels, DefaultValuedAttr<I64Attr, "5">:$output_dtype);
  let results = (outs AnyTypeOf<[Akida_ActivationTensor, Akida_FloatTensor]>:$output);
}

#endif // AKIDA_COMMON_OPS_TD
