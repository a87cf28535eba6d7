//===- ModelDesc.h - The plain description of an Akida model -----*- C++ -*-===//
//
// What a model is, without MLIR: layers with their SDK parameters (an
// int64 dictionary, like the engine's LayerParams::Dict) and variables (typed
// arrays with a bit width). It is what `.fbz` files store, what the runtime's
// Model holds, and what the MLIR translation converts to and from the
// `akida` dialect. Names of parameters and variables are those of the
// dialect's attributes (LayerSchema.h lists them per layer type).
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_FBZ_MODELDESC_H
#define AKIDA_FBZ_MODELDESC_H

#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace akida {

enum class IpVersion : uint8_t { v1 = 1, v2 = 2 };

/// The SDK's LayerType numbering (the dialect's LayerType enum).
enum class LayerType : int32_t {
  Unknown = 0,
  InputData = 1,
  InputConvolutional = 2,
  FullyConnected = 3,
  Convolutional = 4,
  SeparableConvolutional = 5,
  Add = 6,
  Concatenate = 12,
  Conv2D = 14,
  InputConv2D = 15,
  DepthwiseConv2D = 16,
  Conv2DTranspose = 17,
  ExtractToken = 18,
  Dequantizer = 19,
  DepthwiseConv2DTranspose = 20,
  BufferTempConv = 21,
  DepthwiseBufferTempConv = 22,
  Dense1D = 25,
  /// ONNX nodes run on the host (not an SDK layer type; the ONNX import
  /// leaves to software what no Akida layer expresses).
  OnnxGraph = 64,
};

/// Parameter enums, stored as their integer values.
enum class Padding : int64_t { Valid = 0, Same = 1, SameUpper = 2 };
enum class PoolType : int64_t { NoPooling = 0, Max = 1, Average = 2 };
enum class Activation : int64_t { NoActivation = 0, ReLU = 1, LUT = 2 };

enum class DType : uint8_t {
  UInt8 = 0,
  Int8 = 1,
  UInt16 = 2,
  Int16 = 3,
  Int32 = 4,
  Float32 = 5,
};

/// Bytes per element.
size_t dtypeSize(DType dtype);
/// numpy-style name: "uint8", "int8", "uint16", "int16", "int32", "float32".
const char *dtypeName(DType dtype);
bool isIntegerDType(DType dtype);

/// An n-D array of one dtype stored as raw little-endian bytes, C order.
struct Array {
  DType dtype = DType::Int8;
  std::vector<int64_t> shape;
  std::vector<uint8_t> bytes;

  /// Number of elements (product of the shape; 1 for a 0-D array).
  int64_t size() const;
  /// Element `i` of an integer array, widened.
  int64_t intAt(int64_t i) const;
  /// Element `i` of a float32 array.
  float floatAt(int64_t i) const;
  /// All elements of an integer array, widened.
  std::vector<int64_t> ints() const;
  /// All elements of a float32 array.
  std::vector<float> floats() const;

  /// An integer array from values (each must fit `dtype`; not checked).
  static Array fromInts(DType dtype, std::vector<int64_t> shape,
                        const std::vector<int64_t> &values);
  static Array fromFloats(std::vector<int64_t> shape,
                          const std::vector<float> &values);

  bool operator==(const Array &other) const {
    return dtype == other.dtype && shape == other.shape && bytes == other.bytes;
  }
};

/// A layer variable: an array and the bit width its values use (e.g. 4 for
/// 4-bit weights stored as int8).
struct Variable {
  Array array;
  int bitwidth = 8;
  bool operator==(const Variable &other) const {
    return array == other.array && bitwidth == other.bitwidth;
  }
};

struct LayerDesc {
  std::string name;
  LayerType type = LayerType::Unknown;
  /// Parameters by name. Pairs (v1 kernel_size, kernel_stride, pool_size,
  /// pool_stride) are stored as `<name>_x` (rows) and `<name>_y` (columns).
  std::map<std::string, int64_t> params;
  /// Indices of the layers this one reads, in order; empty for input layers.
  std::vector<int> inbounds;
  std::map<std::string, Variable> variables;

  bool operator==(const LayerDesc &other) const {
    return name == other.name && type == other.type &&
           params == other.params && inbounds == other.inbounds &&
           variables == other.variables;
  }
};

/// Edge-learning settings attached by compile() (Akida 1.0 only).
struct LearningDesc {
  int64_t numWeights = 0;
  int64_t numClasses = 1;
  float initialPlasticity = 1.0f;
  float learningCompetition = 0.0f;
  float minPlasticity = 0.1f;
  float plasticityDecay = 0.25f;
  bool operator==(const LearningDesc &o) const {
    return numWeights == o.numWeights && numClasses == o.numClasses &&
           initialPlasticity == o.initialPlasticity &&
           learningCompetition == o.learningCompetition &&
           minPlasticity == o.minPlasticity &&
           plasticityDecay == o.plasticityDecay;
  }
};

struct ModelDesc {
  /// Name of the graph (the MLIR function name).
  std::string name = "model";
  IpVersion ipVersion = IpVersion::v1;
  /// Input shape (rows, columns, channels), batch excluded.
  std::vector<int64_t> inputShape;
  /// Layers in topological order; layer 0 is the input layer.
  std::vector<LayerDesc> layers;
  std::optional<LearningDesc> learning;

  bool operator==(const ModelDesc &other) const {
    return name == other.name && ipVersion == other.ipVersion &&
           inputShape == other.inputShape && layers == other.layers &&
           learning == other.learning;
  }
};

/// "(a, b, c)": how messages and summaries print an array shape.
std::string formatShape(const std::vector<int64_t> &shape);
/// "[a, b, c]": how summaries print (rows, columns, channels) dims.
std::string formatDims(const std::vector<int64_t> &dims);

const char *layerTypeName(LayerType type);
/// Parses a layer type name as layerTypeName prints it.
std::optional<LayerType> parseLayerType(const std::string &name);

} // namespace akida

#endif // AKIDA_FBZ_MODELDESC_H
