//===- ModuleToDesc.cpp - akida dialect -> ModelDesc ----------------------===//

#include "compiler/translate/Translate.h"

#include "compiler/fbz/LayerSchema.h"
#include "dialect/AkidaDialect.h"
#include "dialect/LayerVerifier.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"

using namespace mlir;
namespace ak = mlir::akida;

namespace akida {

namespace {

std::optional<DType> dtypeOf(Type element) {
  if (element.isF32())
    return DType::Float32;
  auto integer = dyn_cast<IntegerType>(element);
  if (!integer || integer.isSignless())
    return std::nullopt;
  bool isSigned = integer.isSigned();
  switch (integer.getWidth()) {
  case 8:
    return isSigned ? DType::Int8 : DType::UInt8;
  case 16:
    return isSigned ? DType::Int16 : DType::UInt16;
  case 32:
    return isSigned ? std::optional<DType>(DType::Int32) : std::nullopt;
  default:
    return std::nullopt;
  }
}

/// Reads one parameter of `op` into `layer`; absent optional ones are skipped.
LogicalResult readParam(Operation *op, const ParamSpec &spec,
                        LayerDesc &layer) {
  std::optional<Attribute> attr = op->getInherentAttr(spec.name);
  if (!attr || !*attr)
    return success();
  int64_t value = 0;
  switch (spec.kind) {
  case ParamKind::Int:
    value = cast<IntegerAttr>(*attr).getInt();
    break;
  case ParamKind::Bool:
    value = cast<BoolAttr>(*attr).getValue();
    break;
  case ParamKind::Padding:
    value = static_cast<int64_t>(cast<ak::PaddingAttr>(*attr).getValue());
    break;
  case ParamKind::PoolType:
    value = static_cast<int64_t>(cast<ak::PoolTypeAttr>(*attr).getValue());
    break;
  case ParamKind::Activation:
    value = static_cast<int64_t>(cast<ak::ActivationAttr>(*attr).getValue());
    break;
  case ParamKind::Pair: {
    ArrayRef<int64_t> pair = cast<DenseI64ArrayAttr>(*attr).asArrayRef();
    layer.params[std::string(spec.name) + "_x"] = pair[0];
    layer.params[std::string(spec.name) + "_y"] = pair[1];
    return success();
  }
  }
  layer.params[spec.name] = value;
  return success();
}

LogicalResult readVariable(Operation *op, const VariableSpec &spec,
                           LayerDesc &layer) {
  std::optional<Attribute> attr = op->getInherentAttr(spec.name);
  if (!attr || !*attr)
    return success();
  auto elements = cast<ElementsAttr>(*attr);
  ShapedType type = elements.getShapedType();
  std::optional<DType> dtype = dtypeOf(type.getElementType());
  if (!dtype || *dtype != spec.dtype)
    return op->emitError("variable '")
           << spec.name << "' has element type " << type.getElementType()
           << " but must be " << dtypeName(spec.dtype);
  std::vector<int64_t> shape(type.getShape().begin(), type.getShape().end());
  Variable var;
  if (*dtype == DType::Float32) {
    std::optional<SmallVector<float>> values = ak::getFloatValues(elements);
    if (!values)
      return op->emitError("variable '")
             << spec.name << "' has no data (an elided resource?)";
    var.array = Array::fromFloats(shape, {values->begin(), values->end()});
  } else {
    std::optional<SmallVector<int64_t>> values = ak::getIntegerValues(elements);
    if (!values)
      return op->emitError("variable '")
             << spec.name << "' has no data (an elided resource?)";
    var.array = Array::fromInts(*dtype, shape, {values->begin(), values->end()});
  }
  var.bitwidth = variableBits(layer, spec);
  layer.variables[spec.name] = std::move(var);
  return success();
}

} // namespace

FailureOr<ModelDesc> moduleToModelDesc(ModuleOp module) {
  ModelDesc model;
  std::optional<ak::IpVersion> ip =
      ak::getModuleIpVersion(module.getOperation());
  if (auto attr = module->getAttrOfType<ak::IpVersionAttr>(
          ak::AkidaDialect::kIpVersionAttrName))
    ip = attr.getValue();
  if (!ip)
    return module.emitError("module has no '")
           << ak::AkidaDialect::kIpVersionAttrName
           << "' attribute; it is not an akida model";
  model.ipVersion = *ip == ak::IpVersion::v1 ? IpVersion::v1 : IpVersion::v2;

  auto funcs = llvm::to_vector(module.getOps<func::FuncOp>());
  if (funcs.size() != 1)
    return module.emitError("an akida model module holds exactly one "
                            "func.func, found ")
           << funcs.size();
  func::FuncOp fn = funcs.front();
  model.name = fn.getSymName().str();
  if (fn.getNumArguments() != 1)
    return fn.emitError("a model function takes one argument (the model "
                        "input), found ")
           << fn.getNumArguments();
  auto inputType = cast<RankedTensorType>(fn.getArgument(0).getType());
  if (inputType.getRank() != 4 || inputType.isDynamicDim(1) ||
      inputType.isDynamicDim(2) || inputType.isDynamicDim(3))
    return fn.emitError("model input must be NHWC with static rows, columns "
                        "and channels, got ")
           << inputType;
  model.inputShape = {inputType.getDimSize(1), inputType.getDimSize(2),
                      inputType.getDimSize(3)};

  llvm::DenseMap<Value, int> layerOf;
  for (Operation &op : fn.getBody().front()) {
    if (isa<func::ReturnOp>(op)) {
      if (model.layers.empty())
        return fn.emitError("the model has no layers");
      if (op.getNumOperands() != 1 ||
          layerOf.lookup(op.getOperand(0)) !=
              static_cast<int>(model.layers.size()) - 1)
        return op.emitError("the model must return the result of its last "
                            "layer");
      continue;
    }
    auto layerOp = dyn_cast<ak::LayerOpInterface>(op);
    if (!layerOp)
      return op.emitError("'") << op.getName()
                               << "' is not an akida layer; a model holds "
                                  "only akida layers";
    LayerDesc layer;
    layer.name = layerOp.getLayerName().str();
    layer.type = static_cast<LayerType>(layerOp.getLayerType());
    const LayerSchema &schema = layerSchema(layer.type);
    if (!layerOp.isInputLayer())
      for (Value operand : op.getOperands())
        layer.inbounds.push_back(layerOf.lookup(operand));
    for (const ParamSpec &spec : schema.params)
      if (failed(readParam(&op, spec, layer)))
        return failure();
    for (const VariableSpec &spec : schema.variables)
      if (failed(readVariable(&op, spec, layer)))
        return failure();
    layerOf[op.getResult(0)] = static_cast<int>(model.layers.size());
    model.layers.push_back(std::move(layer));
  }
  if (model.layers.empty())
    return fn.emitError("the model has no layers");
  return model;
}

} // namespace akida
