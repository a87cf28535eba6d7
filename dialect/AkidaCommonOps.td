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

#endif // AKIDA_COMMON_OPS_TD
