//===- AkidaOpBase.td - Shared pieces of akida layer ops ---*- tablegen -*-===//
#ifndef AKIDA_OP_BASE_TD
#define AKIDA_OP_BASE_TD

include "dialect/AkidaDialect.td"
include "dialect/AkidaAttrs.td"
include "dialect/AkidaInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// An activation tensor: NHWC, integer elements whose width and signedness are
// the bit width and sign of the values.
def Akida_ActivationTensor : TensorRankOf<[AnyInteger], [4]>;
def Akida_FloatTensor : TensorRankOf<[F32], [4]>;

defvar V1 = "::mlir::akida::IpVersion::v1";
defvar V2 = "::mlir::akida::IpVersion::v2";
defvar AnyIp = "std::nullopt";

// One Akida layer. `layerType` is the SDK LayerType case, `family` the IP
// version the layer belongs to.
class Akida_Layer<string mnemonic, string layerType, string family,
                  bit isInput, list<Trait> traits = []>
    : Op<Akida_Dialect, mnemonic,
         !listconcat([InferTypeOpAdaptor, Akida_LayerOpInterface], traits)> {
  let hasVerifier = 1;
  let assemblyFormat =
      "$name `(` operands `)` attr-dict `:` functional-type(operands, results)";
  code extraLayerDecls = "";
  let extraClassDeclaration = [{
    static ::mlir::akida::LayerType getLayerType() {
      return ::mlir::akida::LayerType::}] # layerType # [{;
    }
    static std::optional<::mlir::akida::IpVersion> getIpFamily() {
      return }] # family # [{;
    }
    static bool isInputLayer() { return }] # !if(isInput, "true", "false") # [{; }
  }] # extraLayerDecls;
}

//===----------------------------------------------------------------------===//
// Parameter groups
//===----------------------------------------------------------------------===//

// Akida 1.0 convolution parameters; 2-D values are (rows, columns), i.e. the
// SDK's (x, y) applied to dimensions 1 and 2 of the NHWC tensor. An absent
// kernel_stride is (1, 1); an absent pool_stride equals pool_size.
class V1ConvParams<string weightsBits> {
  dag args = (ins
    I64Attr:$filters,
    DenseI64ArrayAttr:$kernel_size,
    DefaultValuedAttr<Akida_PaddingAttr, "::mlir::akida::Padding::Same">:$padding,
    OptionalAttr<DenseI64ArrayAttr>:$kernel_stride,
    DefaultValuedAttr<I64Attr, weightsBits>:$weights_bits,
    DefaultValuedAttr<Akida_PoolTypeAttr, "::mlir::akida::PoolType::NoPooling">:$pool_type,
    OptionalAttr<DenseI64ArrayAttr>:$pool_size,
    OptionalAttr<DenseI64ArrayAttr>:$pool_stride,
    DefaultValuedAttr<BoolAttr, "true">:$activation,
    DefaultValuedAttr<I64Attr, "1">:$act_bits);
}

// Akida 1.0 activation variables: int32 threshold and float32 act_step per
// output channel.
defvar V1ActVars = (ins ElementsAttr:$threshold, ElementsAttr:$act_step);

// Akida 2.0 spatial parameters (square kernels, as the SDK).
defvar V2Spatial = (ins
    I64Attr:$kernel_size,
    DefaultValuedAttr<I64Attr, "1">:$kernel_stride,
    DefaultValuedAttr<Akida_PaddingAttr, "::mlir::akida::Padding::Same">:$padding,
    DefaultValuedAttr<Akida_PoolTypeAttr, "::mlir::akida::PoolType::NoPooling">:$pool_type,
    DefaultValuedAttr<I64Attr, "-1">:$pool_size,
    DefaultValuedAttr<I64Attr, "-1">:$pool_stride);

// Akida 2.0 output pipeline parameters.
class V2Output<string bufferBits, string activation> {
  dag args = (ins
    DefaultValuedAttr<Akida_ActivationAttr,
                      "::mlir::akida::Activation::" # activation>:$activation,
    DefaultValuedAttr<I64Attr, "8">:$output_bits,
    DefaultValuedAttr<I64Attr, bufferBits>:$buffer_bits,
    DefaultValuedAttr<I64Attr, "32">:$post_op_buffer_bits,
    DefaultValuedAttr<I64Attr, "8">:$weights_bits);
}

// Akida 2.0 per-channel variables; an absent one takes its neutral value
// (shifts 0, output_scales 1, no bias, no ReLU clipping).
defvar V2Vars = (ins
    OptionalAttr<ElementsAttr>:$bias,
    OptionalAttr<ElementsAttr>:$bias_shift,
    OptionalAttr<ElementsAttr>:$input_shift,
    OptionalAttr<ElementsAttr>:$output_scales,
    OptionalAttr<ElementsAttr>:$output_shift,
    OptionalAttr<ElementsAttr>:$max_value,
    OptionalAttr<ElementsAttr>:$max_value_shift,
    OptionalAttr<ElementsAttr>:$activation_scales,
    OptionalAttr<ElementsAttr>:$activation_shift,
    OptionalAttr<ElementsAttr>:$lut_values);

#endif // AKIDA_OP_BASE_TD
