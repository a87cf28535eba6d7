// Ops built through the generated builders get their result types from
// inference: callers never write an output type by hand.

#include "dialect/AkidaDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Verifier.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::akida;

namespace {

class BuilderInference : public ::testing::Test {
protected:
  BuilderInference() : b(&ctx) {
    ctx.loadDialect<AkidaDialect, func::FuncDialect>();
    loc = b.getUnknownLoc();
  }

  /// A module of the given IP version holding one function whose argument has
  /// type `input`; the builder is placed in the function body.
  Value startModel(IpVersion version, Type input) {
    module = ModuleOp::create(loc);
    (*module)->setAttr(AkidaDialect::kIpVersionAttrName,
                    IpVersionAttr::get(&ctx, version));
    b.setInsertionPointToEnd(module->getBody());
    auto fn = b.create<func::FuncOp>(loc, "model",
                                     b.getFunctionType({input}, {}));
    Block *body = fn.addEntryBlock();
    b.setInsertionPointToEnd(body);
    return body->getArgument(0);
  }

  /// Terminates the function with `result` and verifies the module.
  LogicalResult finish(Value result) {
    auto fn = cast<func::FuncOp>(result.getParentBlock()->getParentOp());
    b.create<func::ReturnOp>(loc, result);
    fn.setType(b.getFunctionType(fn.getArgumentTypes(), {result.getType()}));
    return verify(*module);
  }

  Type ui(unsigned bits) {
    return IntegerType::get(&ctx, bits, IntegerType::Unsigned);
  }
  Type si(unsigned bits) {
    return IntegerType::get(&ctx, bits, IntegerType::Signed);
  }
  RankedTensorType tensor(ArrayRef<int64_t> shape, Type element) {
    return RankedTensorType::get(shape, element);
  }
  DenseElementsAttr splat(ArrayRef<int64_t> shape, Type element, int64_t v) {
    return DenseElementsAttr::get(tensor(shape, element),
                                  IntegerAttr::get(element, v));
  }
  DenseElementsAttr splatF(ArrayRef<int64_t> shape, float v) {
    return DenseElementsAttr::get(tensor(shape, b.getF32Type()), v);
  }
  NamedAttribute attr(StringRef name, Attribute value) {
    return b.getNamedAttr(name, value);
  }
  NamedAttribute i64(StringRef name, int64_t v) {
    return attr(name, b.getI64IntegerAttr(v));
  }

  MLIRContext ctx;
  OpBuilder b;
  Location loc = UnknownLoc::get(&ctx);
  OwningOpRef<ModuleOp> module;
};

TEST_F(BuilderInference, DsCnnFrontEndV1) {
  Value in = startModel(IpVersion::v1, tensor({1, 49, 10, 1}, ui(8)));
  auto conv0 = b.create<InputConvolutionalOp>(
      loc, ValueRange{in},
      ArrayRef<NamedAttribute>{
          attr("name", b.getStringAttr("conv_0")), i64("filters", 64),
          attr("kernel_size", b.getDenseI64ArrayAttr({5, 5})),
          attr("kernel_stride", b.getDenseI64ArrayAttr({2, 2})),
          i64("weights_bits", 8), i64("act_bits", 4),
          attr("weights", splat({5, 5, 1, 64}, si(8), 1)),
          attr("threshold", splat({64}, si(32), 0)),
          attr("act_step", splatF({64}, 1.0f))});
  EXPECT_EQ(conv0.getType(), tensor({1, 25, 5, 64}, ui(4)));

  auto sep = b.create<SeparableConvolutionalOp>(
      loc, ValueRange{conv0},
      ArrayRef<NamedAttribute>{
          attr("name", b.getStringAttr("separable_4")), i64("filters", 64),
          attr("kernel_size", b.getDenseI64ArrayAttr({3, 3})),
          attr("pool_type", PoolTypeAttr::get(&ctx, PoolType::Average)),
          i64("weights_bits", 4), i64("act_bits", 4),
          attr("weights", splat({3, 3, 64, 1}, si(8), 1)),
          attr("weights_pw", splat({1, 1, 64, 64}, si(8), 1)),
          attr("threshold", splat({64}, si(32), 0)),
          attr("act_step", splatF({64}, 1.0f))});
  EXPECT_EQ(sep.getType(), tensor({1, 1, 1, 64}, ui(4)));

  auto dense = b.create<FullyConnectedOp>(
      loc, ValueRange{sep},
      ArrayRef<NamedAttribute>{
          attr("name", b.getStringAttr("dense_5")), i64("units", 33),
          i64("weights_bits", 4), attr("activation", b.getBoolAttr(false)),
          attr("weights", splat({1, 1, 64, 33}, si(8), 1)),
          attr("threshold", splat({33}, si(32), 0)),
          attr("act_step", splatF({33}, 1.0f))});
  EXPECT_EQ(dense.getType(), tensor({1, 1, 1, 33}, si(32)));
  EXPECT_TRUE(succeeded(finish(dense)));
}

TEST_F(BuilderInference, V2PoolingTransposeAndDequantizer) {
  Value in = startModel(IpVersion::v2, tensor({ShapedType::kDynamic, 30, 30, 3}, ui(8)));
  auto conv = b.create<InputConv2DOp>(
      loc, ValueRange{in},
      ArrayRef<NamedAttribute>{
          attr("name", b.getStringAttr("conv_0")), i64("filters", 8),
          i64("kernel_size", 3), i64("kernel_stride", 1),
          attr("pool_type", PoolTypeAttr::get(&ctx, PoolType::Max)),
          i64("pool_size", 3), i64("pool_stride", 2), i64("output_bits", 4),
          attr("weights", splat({3, 3, 3, 8}, si(8), 1))});
  // Same padding keeps 30; max pool 3 stride 2 with Same gives ceil(30/2).
  EXPECT_EQ(conv.getType(), tensor({ShapedType::kDynamic, 15, 15, 8}, ui(4)));

  auto up = b.create<Conv2DTransposeOp>(
      loc, ValueRange{conv},
      ArrayRef<NamedAttribute>{
          attr("name", b.getStringAttr("up")), i64("filters", 4),
          i64("kernel_size", 3),
          attr("activation", ActivationAttr::get(&ctx, Activation::NoActivation)),
          i64("output_bits", 16),
          attr("weights", splat({3, 3, 8, 4}, si(8), 1))});
  EXPECT_EQ(up.getType(), tensor({ShapedType::kDynamic, 30, 30, 4}, si(16)));

  auto dq = b.create<DequantizerOp>(
      loc, ValueRange{up},
      ArrayRef<NamedAttribute>{attr("name", b.getStringAttr("dequantizer")),
                               attr("scales", splatF({4}, 0.5f))});
  EXPECT_EQ(dq.getType(),
            tensor({ShapedType::kDynamic, 30, 30, 4}, b.getF32Type()));
  EXPECT_TRUE(succeeded(finish(dq)));
}

TEST_F(BuilderInference, InterfaceReportsLayerTypeAndFamily) {
  Value in = startModel(IpVersion::v2, tensor({1, 4, 4, 2}, ui(8)));
  auto input = b.create<InputDataOp>(
      loc, ValueRange{in},
      ArrayRef<NamedAttribute>{attr("name", b.getStringAttr("input")),
                               i64("input_bits", 8)});
  auto layer = cast<LayerOpInterface>(input.getOperation());
  EXPECT_EQ(layer.getLayerName(), "input");
  EXPECT_EQ(layer.getLayerType(), LayerType::InputData);
  EXPECT_FALSE(layer.getIpFamily().has_value());
  EXPECT_TRUE(layer.isInputLayer());
  EXPECT_EQ(static_cast<int>(Conv2DOp::getLayerType()), 14);
  EXPECT_EQ(Conv2DOp::getIpFamily(), IpVersion::v2);
  EXPECT_EQ(FullyConnectedOp::getIpFamily(), IpVersion::v1);
  EXPECT_TRUE(succeeded(finish(input)));
}

} // namespace
