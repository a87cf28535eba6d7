//===- AkidaDialect.td - The akida dialect -----------------*- tablegen -*-===//
#ifndef AKIDA_DIALECT_TD
#define AKIDA_DIALECT_TD

include "mlir/IR/OpBase.td"

def Akida_Dialect : Dialect {
  let name = "akida";
  let cppNamespace = "::mlir::akida";
  let summary = "Layers of BrainChip's Akida neuromorphic processors (IP v1 and v2)";
  let description = [{
The `akida` dialect describes a model for an Akida neuromorphic processor as
one SSA graph of integer-only layers. Each op is one Akida layer with the
parameters of the SDK's constructor as typed attributes and the layer's
variables (weights, thresholds, shifts, scales) as typed elements attributes
(`dense<...>` for small values, `dense_resource<...>` for large weights).

Activations are NHWC tensors whose element type carries the bit width and the
signedness of the values on the wire: `ui4` for a 4-bit v1 activation, `si8`
for a signed 8-bit v2 output, `si32` for raw potentials of a layer without
activation. The batch dimension may be dynamic; the other three are static.

A model is a `func.func` inside a `builtin.module` that declares the IP
version with the `akida.ip_version` attribute. All layers of a module belong
to that IP version (`akida.input_data` is shared by both):

```mlir
module attributes {akida.ip_version = #akida.ip_version<v2>} {
  func.func @xor(%arg0: tensor<1x1x1x2xui8>) -> tensor<1x1x1x1xsi32> {
    %0 = akida.input_data "input"(%arg0) {input_bits = 1}
        : (tensor<1x1x1x2xui8>) -> tensor<1x1x1x2xui1>
    %1 = akida.dense1d "dense"(%0) {units = 1, output_bits = 32,
        weights = dense<[[1], [1]]> : tensor<2x1xsi8>}
        : (tensor<1x1x1x2xui1>) -> tensor<1x1x1x1xsi32>
    return %1 : tensor<1x1x1x1xsi32>
  }
}
```

Result types are inferred from the operand types and the layer parameters
(padding, strides, pooling, transposed upsampling, flattening for dense
layers); a written result type that disagrees is an error. Verifiers check the
structure of each layer (variable shapes, dtypes and value ranges, allowed bit
widths, coherent pooling). Limits of a particular device are not checked here:
that is the job of the constraint-check pass.
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasOperationAttrVerify = 1;
  let extraClassDeclaration = [{
    /// Name of the module attribute that holds the IP version.
    static constexpr ::llvm::StringLiteral kIpVersionAttrName = "akida.ip_version";
    // Attributes the mapping passes record (see compiler/passes/Passes.td).
    /// Module: the target device name (akida-attach-target).
    static constexpr ::llvm::StringLiteral kTargetAttrName = "akida.target";
    /// Module: the mapping mode used (akida-split-sequences).
    static constexpr ::llvm::StringLiteral kMapModeAttrName = "akida.map_mode";
    /// Module: the emitted programs (akida-emit-programs).
    static constexpr ::llvm::StringLiteral kProgramsAttrName = "akida.programs";
    /// Layer: "hardware" or "software" (akida-check-constraints).
    static constexpr ::llvm::StringLiteral kBackendAttrName = "akida.backend";
    /// Layer: sequence and pass indices (akida-split-sequences).
    static constexpr ::llvm::StringLiteral kSequenceAttrName = "akida.sequence";
    static constexpr ::llvm::StringLiteral kPassAttrName = "akida.pass";
    /// Layer: the NPs it uses (akida-allocate-nps).
    static constexpr ::llvm::StringLiteral kNpsAttrName = "akida.nps";
  }];
}

#endif // AKIDA_DIALECT_TD
