//===- DescToModule.cpp - ModelDesc -> akida dialect ----------------------===//

#include "compiler/translate/Translate.h"

#include "compiler/fbz/LayerSchema.h"
#include "dialect/AkidaDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Verifier.h"

using namespace mlir;
namespace ak = mlir::akida;

namespace akida {

/// Variables with more elements than this become dense resources, printed
/// once at the end of the file instead of inline.
static constexpr int64_t kInlineElements = 64;

void registerModelDialects(DialectRegistry &registry) {
  registry.insert<ak::AkidaDialect, func::FuncDialect>();
}

namespace {

class ModuleBuilder {
public:
  ModuleBuilder(MLIRContext *ctx, Location loc) : ctx(ctx), b(ctx), loc(loc) {}

  OwningOpRef<ModuleOp> build(const ModelDesc &model);

private:
  Type elementType(DType dtype) {
    switch (dtype) {
    case DType::UInt8:
      return IntegerType::get(ctx, 8, IntegerType::Unsigned);
    case DType::Int8:
      return IntegerType::get(ctx, 8, IntegerType::Signed);
    case DType::UInt16:
      return IntegerType::get(ctx, 16, IntegerType::Unsigned);
    case DType::Int16:
      return IntegerType::get(ctx, 16, IntegerType::Signed);
    case DType::Int32:
      return IntegerType::get(ctx, 32, IntegerType::Signed);
    case DType::Float32:
      return Float32Type::get(ctx);
    }
    return {};
  }

  FailureOr<Attribute> paramAttr(const LayerDesc &layer, const ParamSpec &spec);
  FailureOr<Attribute> variableAttr(const LayerDesc &layer,
                                    const std::string &name,
                                    const Variable &var);
  FailureOr<Value> buildLayer(const LayerDesc &layer, ValueRange operands);

  InFlightDiagnostic error(const LayerDesc &layer) {
    return emitError(loc) << "layer '" << layer.name << "' ("
                          << layerTypeName(layer.type) << "): ";
  }

  MLIRContext *ctx;
  OpBuilder b;
  Location loc;
};

FailureOr<Attribute> ModuleBuilder::paramAttr(const LayerDesc &layer,
                                              const ParamSpec &spec) {
  auto value = [&](const std::string &key) { return layer.params.at(key); };
  switch (spec.kind) {
  case ParamKind::Int:
    return Attribute(b.getI64IntegerAttr(value(spec.name)));
  case ParamKind::Bool:
    return Attribute(b.getBoolAttr(value(spec.name) != 0));
  case ParamKind::Padding: {
    int64_t v = value(spec.name);
    if (v < 0 || v > 2)
      break;
    return Attribute(ak::PaddingAttr::get(ctx, static_cast<ak::Padding>(v)));
  }
  case ParamKind::PoolType: {
    int64_t v = value(spec.name);
    if (v < 0 || v > 2)
      break;
    return Attribute(ak::PoolTypeAttr::get(ctx, static_cast<ak::PoolType>(v)));
  }
  case ParamKind::Activation: {
    int64_t v = value(spec.name);
    if (v < 0 || v > 2)
      break;
    return Attribute(
        ak::ActivationAttr::get(ctx, static_cast<ak::Activation>(v)));
  }
  case ParamKind::Pair:
    return Attribute(b.getDenseI64ArrayAttr(
        {value(std::string(spec.name) + "_x"),
         value(std::string(spec.name) + "_y")}));
  }
  error(layer) << "parameter '" << spec.name << "' has the out-of-range value "
               << layer.params.at(spec.name);
  return failure();
}

FailureOr<Attribute> ModuleBuilder::variableAttr(const LayerDesc &layer,
                                                 const std::string &name,
                                                 const Variable &var) {
  const Array &a = var.array;
  for (int64_t d : a.shape)
    if (d < 0) {
      error(layer) << "variable '" << name << "' has a negative dimension";
      return failure();
    }
  if (static_cast<int64_t>(a.bytes.size()) !=
      a.size() * static_cast<int64_t>(dtypeSize(a.dtype))) {
    error(layer) << "variable '" << name << "' holds " << a.bytes.size()
                 << " bytes but its shape needs "
                 << a.size() * static_cast<int64_t>(dtypeSize(a.dtype));
    return failure();
  }
  auto type = RankedTensorType::get(a.shape, elementType(a.dtype));
  ArrayRef<char> raw(reinterpret_cast<const char *>(a.bytes.data()),
                     a.bytes.size());
  bool splat = a.size() > 0;
  size_t width = dtypeSize(a.dtype);
  for (size_t i = width; splat && i < a.bytes.size(); i += width)
    splat = std::memcmp(a.bytes.data(), a.bytes.data() + i, width) == 0;
  if (splat)
    return Attribute(
        DenseElementsAttr::getFromRawBuffer(type, raw.take_front(width)));
  if (a.size() <= kInlineElements)
    return Attribute(DenseElementsAttr::getFromRawBuffer(type, raw));
  std::string key = layer.name + "_" + name;
  for (char &ch : key)
    if (!isalnum(static_cast<unsigned char>(ch)) && ch != '_')
      ch = '_';
  return Attribute(DenseResourceElementsAttr::get(
      type, key, HeapAsmResourceBlob::allocateAndCopyInferAlign(raw)));
}

/// Creates an op of type OpT with result types from its own inference, which
/// reports bad parameters as diagnostics instead of asserting.
template <typename OpT>
FailureOr<Value> createLayer(OpBuilder &b, Location loc, ValueRange operands,
                             ArrayRef<NamedAttribute> attrs) {
  MLIRContext *ctx = b.getContext();
  OperationState state(loc, OpT::getOperationName());
  state.addOperands(operands);
  state.addAttributes(attrs);
  DictionaryAttr dict = state.attributes.getDictionary(ctx);
  auto &props = state.getOrAddProperties<typename OpT::Properties>();
  auto diag = [&]() { return emitError(loc); };
  if (failed(OpT::setPropertiesFromAttr(props, dict, diag)))
    return failure();
  SmallVector<Type, 1> types;
  if (failed(OpT::inferReturnTypes(ctx, loc, operands, dict,
                                   state.getRawProperties(), {}, types)))
    return failure();
  state.addTypes(types);
  return b.create(state)->getResult(0);
}

FailureOr<Value> ModuleBuilder::buildLayer(const LayerDesc &layer,
                                           ValueRange operands) {
  const LayerSchema &schema = layerSchema(layer.type);
  SmallVector<NamedAttribute> attrs;
  attrs.push_back(b.getNamedAttr("name", b.getStringAttr(layer.name)));
  for (const auto &[key, value] : layer.params) {
    std::string base = key;
    if (!schema.findParam(key) && key.size() > 2)
      base = key.substr(0, key.size() - 2);
    const ParamSpec *spec = schema.findParam(base);
    if (!spec || (spec->kind == ParamKind::Pair) == (base == key)) {
      error(layer) << "unknown parameter '" << key << "'";
      return failure();
    }
  }
  for (const ParamSpec &spec : schema.params) {
    bool present =
        spec.kind == ParamKind::Pair
            ? layer.params.count(std::string(spec.name) + "_x") &&
                  layer.params.count(std::string(spec.name) + "_y")
            : layer.params.count(spec.name) > 0;
    if (!present) {
      if (!spec.defaultValue && !spec.optional) {
        error(layer) << "required parameter '" << spec.name << "' is missing";
        return failure();
      }
      continue; // the op's default applies
    }
    FailureOr<Attribute> attr = paramAttr(layer, spec);
    if (failed(attr))
      return failure();
    attrs.push_back(b.getNamedAttr(spec.name, *attr));
  }
  for (const auto &[name, var] : layer.variables) {
    const VariableSpec *spec = schema.findVariable(name);
    if (!spec) {
      error(layer) << "unknown variable '" << name << "'";
      return failure();
    }
    FailureOr<Attribute> attr = variableAttr(layer, name, var);
    if (failed(attr))
      return failure();
    attrs.push_back(b.getNamedAttr(name, *attr));
  }
  for (const VariableSpec &spec : schema.variables)
    if (spec.required && !layer.variables.count(spec.name)) {
      error(layer) << "required variable '" << spec.name << "' is missing";
      return failure();
    }

  switch (layer.type) {
#define LAYER(T, OP)                                                           \
  case LayerType::T:                                                           \
    return createLayer<ak::OP>(b, loc, operands, attrs);
    LAYER(InputData, InputDataOp)
    LAYER(InputConvolutional, InputConvolutionalOp)
    LAYER(Convolutional, ConvolutionalOp)
    LAYER(SeparableConvolutional, SeparableConvolutionalOp)
    LAYER(FullyConnected, FullyConnectedOp)
    LAYER(InputConv2D, InputConv2DOp)
    LAYER(Conv2D, Conv2DOp)
    LAYER(Conv2DTranspose, Conv2DTransposeOp)
    LAYER(DepthwiseConv2D, DepthwiseConv2DOp)
    LAYER(DepthwiseConv2DTranspose, DepthwiseConv2DTransposeOp)
    LAYER(Dense1D, Dense1DOp)
    LAYER(BufferTempConv, BufferTempConvOp)
    LAYER(DepthwiseBufferTempConv, DepthwiseBufferTempConvOp)
    LAYER(Add, AddOp)
    LAYER(Concatenate, ConcatenateOp)
    LAYER(Dequantizer, DequantizerOp)
    LAYER(ExtractToken, ExtractTokenOp)
    LAYER(OnnxGraph, OnnxGraphOp)
#undef LAYER
  default:
    break;
  }
  error(layer) << "unsupported layer type";
  return failure();
}

OwningOpRef<ModuleOp> ModuleBuilder::build(const ModelDesc &model) {
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  auto ip = model.ipVersion == IpVersion::v1 ? ak::IpVersion::v1
                                             : ak::IpVersion::v2;
  (*module)->setAttr(ak::AkidaDialect::kIpVersionAttrName,
                     ak::IpVersionAttr::get(ctx, ip));
  if (model.inputShape.size() != 3 || model.layers.empty()) {
    emitError(loc) << "a model needs a 3-D input shape and at least one layer";
    return nullptr;
  }
  // The raw input: 8-bit (wider for InputData with more input bits), signed
  // when InputData says so.
  const LayerDesc &first = model.layers.front();
  bool isSigned = false;
  unsigned width = 8;
  if (first.type == LayerType::InputData) {
    isSigned = first.params.count("input_signed") &&
               first.params.at("input_signed") != 0;
  }
  auto inputType = RankedTensorType::get(
      {ShapedType::kDynamic, model.inputShape[0], model.inputShape[1],
       model.inputShape[2]},
      IntegerType::get(ctx, width,
                       isSigned ? IntegerType::Signed : IntegerType::Unsigned));
  b.setInsertionPointToEnd(module->getBody());
  auto fn = b.create<func::FuncOp>(loc, model.name,
                                   b.getFunctionType({inputType}, {}));
  Block *body = fn.addEntryBlock();
  b.setInsertionPointToEnd(body);

  SmallVector<Value> results;
  for (size_t i = 0; i < model.layers.size(); ++i) {
    const LayerDesc &layer = model.layers[i];
    SmallVector<Value> operands;
    if (layerSchema(layer.type).isInput) {
      if (i != 0 || !layer.inbounds.empty()) {
        error(layer) << "an input layer must be the first layer and have no "
                        "inbounds";
        return nullptr;
      }
      operands.push_back(body->getArgument(0));
    } else {
      for (int in : layer.inbounds) {
        if (in < 0 || static_cast<size_t>(in) >= i) {
          error(layer) << "inbound " << in << " is not an earlier layer";
          return nullptr;
        }
        operands.push_back(results[in]);
      }
    }
    FailureOr<Value> result = buildLayer(layer, operands);
    if (failed(result))
      return nullptr;
    results.push_back(*result);
  }
  b.create<func::ReturnOp>(loc, results.back());
  fn.setType(b.getFunctionType({inputType}, {results.back().getType()}));
  if (failed(verify(*module)))
    return nullptr;
  return module;
}

} // namespace

OwningOpRef<ModuleOp> modelDescToModule(const ModelDesc &model,
                                        MLIRContext *context, Location loc) {
  context->getOrLoadDialect<ak::AkidaDialect>();
  context->getOrLoadDialect<func::FuncDialect>();
  return ModuleBuilder(context, loc).build(model);
}

} // namespace akida
