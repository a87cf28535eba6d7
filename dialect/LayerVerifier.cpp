//===- LayerVerifier.cpp - Checks shared by the akida op verifiers --------===//

#include "dialect/LayerVerifier.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::akida;

Type mlir::akida::si8(MLIRContext *ctx) {
  return IntegerType::get(ctx, 8, IntegerType::Signed);
}
Type mlir::akida::ui8(MLIRContext *ctx) {
  return IntegerType::get(ctx, 8, IntegerType::Unsigned);
}
Type mlir::akida::si32(MLIRContext *ctx) {
  return IntegerType::get(ctx, 32, IntegerType::Signed);
}

/// Raw little-endian bytes of a dense resource, if loaded.
static std::optional<ArrayRef<char>> resourceBytes(ElementsAttr attr) {
  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  if (!resource)
    return std::nullopt;
  AsmResourceBlob *blob = resource.getRawHandle().getBlob();
  if (!blob)
    return std::nullopt;
  return blob->getData();
}

std::optional<SmallVector<int64_t>>
mlir::akida::getIntegerValues(ElementsAttr attr) {
  auto intType = dyn_cast<IntegerType>(attr.getElementType());
  if (!intType)
    return std::nullopt;
  bool isUnsigned = intType.isUnsigned();
  SmallVector<int64_t> values;
  if (auto dense = dyn_cast<DenseIntElementsAttr>(attr)) {
    values.reserve(dense.getNumElements());
    for (const APInt &v : dense.getValues<APInt>())
      values.push_back(isUnsigned ? static_cast<int64_t>(v.getZExtValue())
                                  : v.getSExtValue());
    return values;
  }
  std::optional<ArrayRef<char>> bytes = resourceBytes(attr);
  if (!bytes)
    return std::nullopt;
  unsigned width = intType.getWidth();
  size_t stride = (width + 7) / 8;
  if (width > 64 || bytes->size() != stride * attr.getNumElements())
    return std::nullopt;
  values.reserve(attr.getNumElements());
  for (size_t i = 0; i < bytes->size(); i += stride) {
    uint64_t raw = 0;
    for (size_t b = 0; b < stride; ++b)
      raw |= uint64_t(static_cast<uint8_t>((*bytes)[i + b])) << (8 * b);
    APInt v(width, raw);
    values.push_back(isUnsigned ? static_cast<int64_t>(v.getZExtValue())
                                : v.getSExtValue());
  }
  return values;
}

std::optional<SmallVector<float>>
mlir::akida::getFloatValues(ElementsAttr attr) {
  if (!attr.getElementType().isF32())
    return std::nullopt;
  if (auto dense = dyn_cast<DenseFPElementsAttr>(attr))
    return llvm::to_vector(dense.getValues<float>());
  std::optional<ArrayRef<char>> bytes = resourceBytes(attr);
  if (!bytes || bytes->size() != 4 * attr.getNumElements())
    return std::nullopt;
  SmallVector<float> values(attr.getNumElements());
  std::memcpy(values.data(), bytes->data(), bytes->size());
  return values;
}

std::optional<IpVersion> mlir::akida::getModuleIpVersion(Operation *op) {
  auto module = op->getParentOfType<ModuleOp>();
  while (module) {
    if (auto attr = module->getAttrOfType<IpVersionAttr>(
            AkidaDialect::kIpVersionAttrName))
      return attr.getValue();
    module = module->getParentOfType<ModuleOp>();
  }
  return std::nullopt;
}

LogicalResult mlir::akida::verifyLayer(LayerOpInterface layer) {
  Operation *op = layer.getOperation();
  SmallVector<Type, 1> inferred;
  if (failed(cast<InferTypeOpInterface>(op).inferReturnTypes(
          op->getContext(), op->getLoc(), op->getOperands(),
          op->getRawDictionaryAttrs(), op->getPropertiesStorage(),
          op->getRegions(), inferred)))
    return failure();
  if (layer.isInputLayer()) {
    if (!isa<BlockArgument>(op->getOperand(0)))
      return op->emitOpError("is an input layer and must read a model "
                             "argument, not the result of another op");
  } else {
    for (auto [i, operand] : llvm::enumerate(op->getOperands())) {
      Operation *producer = operand.getDefiningOp();
      if (!producer || !isa<LayerOpInterface>(producer))
        return op->emitOpError("operand #")
               << i
               << " must be the result of another akida layer; a model "
                  "starts with akida.input_data, akida.input_convolutional "
                  "or akida.input_conv2d";
    }
  }

  std::optional<IpVersion> declared = getModuleIpVersion(op);
  if (!declared)
    return op->emitOpError("needs an enclosing module with the '")
           << AkidaDialect::kIpVersionAttrName
           << "' attribute (#akida.ip_version<v1> or #akida.ip_version<v2>)";
  std::optional<IpVersion> family = layer.getIpFamily();
  if (family && *family != *declared)
    return op->emitOpError("is an Akida ")
           << (*family == IpVersion::v1 ? "1.0" : "2.0")
           << " layer but the module declares akida.ip_version = "
           << stringifyIpVersion(*declared) << "; v1 and v2 layers do not mix";
  return success();
}

static std::string joinValues(ArrayRef<int64_t> values) {
  std::string s;
  llvm::raw_string_ostream os(s);
  llvm::interleaveComma(values, os);
  return s;
}

LogicalResult mlir::akida::verifyOneOf(Operation *op, StringRef name,
                                       int64_t value,
                                       ArrayRef<int64_t> allowed) {
  if (llvm::is_contained(allowed, value))
    return success();
  return op->emitOpError("'") << name << "' is " << value
                              << " but must be one of "
                              << joinValues(allowed);
}

LogicalResult mlir::akida::verifyVariable(Operation *op, StringRef name,
                                          Attribute attr, Type element,
                                          ArrayRef<int64_t> shape,
                                          StringRef meaning) {
  auto elements = dyn_cast_or_null<ElementsAttr>(attr);
  if (!elements)
    return op->emitOpError("variable '") << name << "' is missing";
  auto type = elements.getShapedType();
  if (type.getElementType() != element)
    return op->emitOpError("variable '")
           << name << "' has element type " << type.getElementType()
           << " but must be " << element;
  if (type.getShape() != shape)
    return op->emitOpError("variable '")
           << name << "' has shape (" << joinValues(type.getShape())
           << ") but must be (" << joinValues(shape) << "): " << meaning;
  return success();
}

LogicalResult mlir::akida::verifyChannelVariable(Operation *op, StringRef name,
                                                 Attribute attr, Type element,
                                                 int64_t channels,
                                                 bool allowPerLayer) {
  auto elements = dyn_cast_or_null<ElementsAttr>(attr);
  if (allowPerLayer && elements && elements.getShapedType().hasRank() &&
      elements.getShapedType().getShape() == ArrayRef<int64_t>{1})
    return verifyVariable(op, name, attr, element, {1}, "one value per layer");
  return verifyVariable(op, name, attr, element, {channels},
                        allowPerLayer
                            ? "one value per channel (or (1) per layer)"
                            : "one value per channel");
}

LogicalResult mlir::akida::verifyValueRange(Operation *op, StringRef name,
                                            Attribute attr, int64_t lo,
                                            int64_t hi, StringRef why) {
  auto elements = dyn_cast_or_null<ElementsAttr>(attr);
  if (!elements)
    return success();
  std::optional<SmallVector<int64_t>> values = getIntegerValues(elements);
  if (!values)
    return success(); // Elided data: nothing to check.
  for (auto [i, v] : llvm::enumerate(*values)) {
    if (v < lo || v > hi)
      return op->emitOpError("variable '")
             << name << "' has value " << v << " at flat index " << i
             << " outside [" << lo << ", " << hi << "] (" << why << ")";
  }
  return success();
}

LogicalResult mlir::akida::verifyWeightValues(Operation *op, StringRef name,
                                              Attribute attr, int64_t bits) {
  std::string why = ("weights_bits = " + Twine(bits)).str();
  if (bits == 1)
    return verifyValueRange(op, name, attr, 0, 1, why);
  int64_t half = int64_t(1) << (bits - 1);
  return verifyValueRange(op, name, attr, -half, half - 1, why);
}
