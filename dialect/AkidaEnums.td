//===- AkidaEnums.td - Akida enumerations ------------------*- tablegen -*-===//
#ifndef AKIDA_ENUMS_TD
#define AKIDA_ENUMS_TD

include "mlir/IR/EnumAttr.td"

def Akida_IpVersion : I32EnumAttr<"IpVersion", "Akida IP version", [
    I32EnumAttrCase<"v1", 1>,
    I32EnumAttrCase<"v2", 2>]> {
  let cppNamespace = "::mlir::akida";
  let genSpecializedAttr = 0;
}

def Akida_Padding : I32EnumAttr<"Padding", "convolution padding", [
    I32EnumAttrCase<"Valid", 0, "valid">,
    I32EnumAttrCase<"Same", 1, "same">,
    I32EnumAttrCase<"SameUpper", 2, "same_upper">]> {
  let cppNamespace = "::mlir::akida";
  let genSpecializedAttr = 0;
  let description = [{
`valid`: no padding. `same`: the output has ceil(input / stride) rows and
columns; an odd amount of padding goes to the bottom/right. `same_upper`: the
same output size, with the odd padding at the top/left.
  }];
}

def Akida_PoolType : I32EnumAttr<"PoolType", "pooling applied by a layer", [
    I32EnumAttrCase<"NoPooling", 0, "none">,
    I32EnumAttrCase<"Max", 1, "max">,
    I32EnumAttrCase<"Average", 2, "average">]> {
  let cppNamespace = "::mlir::akida";
  let genSpecializedAttr = 0;
  let description = [{
`max`: max pooling with `pool_size` / `pool_stride`. `average`: global average
pooling over all rows and columns (the only average pooling Akida has).
  }];
}

def Akida_Activation : I32EnumAttr<"Activation", "Akida 2.0 activation", [
    I32EnumAttrCase<"NoActivation", 0, "none">,
    I32EnumAttrCase<"ReLU", 1, "relu">,
    I32EnumAttrCase<"LUT", 2, "lut">]> {
  let cppNamespace = "::mlir::akida";
  let genSpecializedAttr = 0;
}

// The SDK's LayerType numbering; surviving values never change.
def Akida_LayerType : I32EnumAttr<"LayerType", "Akida layer type", [
    I32EnumAttrCase<"Unknown", 0>,
    I32EnumAttrCase<"InputData", 1>,
    I32EnumAttrCase<"InputConvolutional", 2>,
    I32EnumAttrCase<"FullyConnected", 3>,
    I32EnumAttrCase<"Convolutional", 4>,
    I32EnumAttrCase<"SeparableConvolutional", 5>,
    I32EnumAttrCase<"Add", 6>,
    I32EnumAttrCase<"Concatenate", 12>,
    I32EnumAttrCase<"Conv2D", 14>,
    I32EnumAttrCase<"InputConv2D", 15>,
    I32EnumAttrCase<"DepthwiseConv2D", 16>,
    I32EnumAttrCase<"Conv2DTranspose", 17>,
    I32EnumAttrCase<"ExtractToken", 18>,
    I32EnumAttrCase<"Dequantizer", 19>,
    I32EnumAttrCase<"DepthwiseConv2DTranspose", 20>,
    I32EnumAttrCase<"BufferTempConv", 21>,
    I32EnumAttrCase<"DepthwiseBufferTempConv", 22>,
    I32EnumAttrCase<"Dense1D", 25>,
    I32EnumAttrCase<"OnnxGraph", 64>]> {
  let cppNamespace = "::mlir::akida";
  let genSpecializedAttr = 0;
}

#endif // AKIDA_ENUMS_TD
