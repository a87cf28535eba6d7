//===- LayerSchema.h - Parameters and variables per layer type ---*- C++ -*-===//
//
// One table says, for every layer type, which parameters it has (with their
// kind and default) and which variables (with their dtype). The MLIR
// translation uses it to rebuild typed attributes, the runtime to fill
// defaults and check variables, the zoo to build layers. It mirrors the ODS
// records of the dialect (dialect/*.td).
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_FBZ_LAYERSCHEMA_H
#define AKIDA_FBZ_LAYERSCHEMA_H

#include "compiler/fbz/ModelDesc.h"

#include <stdexcept>

namespace akida {

enum class ParamKind {
  Int,        ///< integer
  Bool,       ///< 0 or 1
  Padding,    ///< Padding enum value
  PoolType,   ///< PoolType enum value
  Activation, ///< Activation enum value (Akida 2.0)
  Pair,       ///< two integers stored as `<name>_x` and `<name>_y`
};

struct ParamSpec {
  const char *name;
  ParamKind kind;
  /// A parameter without a default is required unless `optional` is set (an
  /// optional one without default is simply absent, e.g. pool_size).
  std::optional<int64_t> defaultValue;
  bool optional = false;
};

struct VariableSpec {
  const char *name;
  DType dtype;
  bool required;
  /// Parameter holding the bit width (e.g. "weights_bits"); null when the
  /// bit width is the dtype's.
  const char *bitsParam = nullptr;
};

struct LayerSchema {
  LayerType type;
  /// The dialect op mnemonic, e.g. "conv2d" for akida.conv2d.
  const char *mnemonic;
  /// Layer family; nullopt for InputData (both IP versions).
  std::optional<IpVersion> family;
  bool isInput;
  /// Number of inbound layers: input layers 0, Add 2, Concatenate >= 2.
  int minInbounds;
  int maxInbounds;
  std::vector<ParamSpec> params;
  std::vector<VariableSpec> variables;

  const ParamSpec *findParam(const std::string &name) const;
  const VariableSpec *findVariable(const std::string &name) const;
};

/// The schema of `type`; throws std::invalid_argument for an unknown type.
const LayerSchema &layerSchema(LayerType type);
/// The schema of a dialect mnemonic, or null.
const LayerSchema *layerSchemaByMnemonic(const std::string &mnemonic);
/// Every layer schema.
const std::vector<LayerSchema> &allLayerSchemas();

/// The value of parameter `name` of `layer`: the stored value, else the
/// schema default. Throws std::invalid_argument naming the layer and the
/// parameter when it is neither stored nor defaulted.
int64_t param(const LayerDesc &layer, const std::string &name);
/// A stored or defaulted parameter, or nullopt when absent (optional ones).
std::optional<int64_t> optionalParam(const LayerDesc &layer,
                                     const std::string &name);

/// Stores every defaulted parameter the layer does not set (pairs as `_x` and
/// `_y`), so that equal layers have equal dictionaries however they were
/// built. Optional parameters without default stay absent.
void fillDefaultParams(LayerDesc &layer);

/// The bit width a variable of `layer` uses: the layer's `bitsParam` value,
/// or the dtype width.
int variableBits(const LayerDesc &layer, const VariableSpec &spec);

} // namespace akida

#endif // AKIDA_FBZ_LAYERSCHEMA_H
