//===- ElementwiseOps.cpp - Unary, binary and variadic ONNX ops -----------===//
//
// One value in, one value out (Relu, Sigmoid, ...), numpy-broadcast binary
// ops (Add, Sub, Mul, Div, Pow), variadic ones (Max, Min, Sum, Mean), Clip,
// Cast and Identity. Results keep the first input's element type.
//
//===----------------------------------------------------------------------===//

#include "runtime/graph/GraphOps.h"

#include <cmath>
#include <functional>
#include <limits>

namespace akida::graph::detail {

namespace {

using Unary = std::function<double(double)>;

std::vector<Tensor> unary(const OpContext &ctx, const Inputs &in,
                          const Unary &f, bool floatOnly = false) {
  Tensor out = input(ctx, in, 0);
  if (floatOnly && out.type != ElemType::Float && out.type != ElemType::Double)
    fail(ctx, std::string("takes float or double tensors, not ") +
                  onnx::elemTypeName(out.type));
  for (double &v : out.values)
    v = f(v);
  return {std::move(out)};
}

double attr(const OpContext &ctx, const char *name, double fallback) {
  return ctx.node.getFloat(name, fallback);
}

// ANY_UNARY ops take integer tensors too; FLOAT_UNARY ones (ONNX's
// tensor(float|double) ops) refuse them.
#define UNARY(NAME, FLOAT_ONLY, EXPR)                                          \
  std::vector<Tensor> NAME(const OpContext &ctx, const Inputs &in) {           \
    return unary(                                                              \
        ctx, in, [&](double x) -> double { return EXPR; }, FLOAT_ONLY);        \
  }
#define ANY_UNARY(NAME, EXPR) UNARY(NAME, false, EXPR)
#define FLOAT_UNARY(NAME, EXPR) UNARY(NAME, true, EXPR)

ANY_UNARY(relu, x > 0 ? x : 0.0)
FLOAT_UNARY(sigmoid, 1.0 / (1.0 + std::exp(-x)))
FLOAT_UNARY(tanhOp, std::tanh(x))
FLOAT_UNARY(expOp, std::exp(x))
FLOAT_UNARY(logOp, std::log(x))
FLOAT_UNARY(sqrtOp, std::sqrt(x))
ANY_UNARY(neg, -x)
ANY_UNARY(absOp, std::fabs(x))
FLOAT_UNARY(floorOp, std::floor(x))
FLOAT_UNARY(ceilOp, std::ceil(x))
FLOAT_UNARY(roundOp, std::nearbyint(x))
FLOAT_UNARY(reciprocal, 1.0 / x)
FLOAT_UNARY(softplus, std::log1p(std::exp(x)))
FLOAT_UNARY(erfOp, std::erf(x))
ANY_UNARY(identity, x)
FLOAT_UNARY(hardSwish, x * std::max(0.0, std::min(1.0, x / 6.0 + 0.5)))
FLOAT_UNARY(leakyRelu, x >= 0 ? x : x * attr(ctx, "alpha", 0.01))
FLOAT_UNARY(elu, x >= 0 ? x : attr(ctx, "alpha", 1.0) * (std::exp(x) - 1.0))
FLOAT_UNARY(hardSigmoid,
            std::max(0.0, std::min(1.0, attr(ctx, "alpha", 0.2) * x +
                                            attr(ctx, "beta", 0.5))))
#undef FLOAT_UNARY
#undef ANY_UNARY
#undef UNARY

/// Applies `f` over the broadcast of every input, left to right.
std::vector<Tensor> broadcastFold(const OpContext &ctx, const Inputs &in,
                                  const std::function<double(double, double)> &f,
                                  size_t minInputs, size_t maxInputs,
                                  bool mixedTypes = false) {
  std::vector<const Tensor *> args;
  for (size_t i = 0; i < in.size(); ++i) {
    args.push_back(&input(ctx, in, i));
    if (!mixedTypes && args.back()->type != args[0]->type)
      fail(ctx, std::string("its inputs must have one element type; input ") +
                    std::to_string(i) + " is " +
                    onnx::elemTypeName(args.back()->type) + ", input 0 " +
                    onnx::elemTypeName(args[0]->type));
  }
  if (args.size() < minInputs || args.size() > maxInputs)
    fail(ctx, "takes " + std::to_string(minInputs) +
                  (maxInputs > minInputs ? " or more" : "") + " inputs, not " +
                  std::to_string(args.size()));
  std::vector<std::vector<int64_t>> shapes;
  for (const Tensor *t : args)
    shapes.push_back(t->dims);
  Tensor out = makeTensor(args[0]->type, broadcastDims(ctx, shapes));
  std::vector<int64_t> first = broadcastIndex(out.dims, args[0]->dims);
  for (size_t e = 0; e < first.size(); ++e)
    out.values[e] = args[0]->values[first[e]];
  for (size_t k = 1; k < args.size(); ++k) {
    std::vector<int64_t> idx = broadcastIndex(out.dims, args[k]->dims);
    for (size_t e = 0; e < idx.size(); ++e)
      out.values[e] = f(out.values[e], args[k]->values[idx[e]]);
  }
  return {std::move(out)};
}

bool isIntegerType(ElemType t) {
  return t == ElemType::UInt8 || t == ElemType::Int8 || t == ElemType::Int32 ||
         t == ElemType::Int64;
}

std::vector<Tensor> add(const OpContext &ctx, const Inputs &in) {
  return broadcastFold(ctx, in, std::plus<double>(), 2, 2);
}
std::vector<Tensor> sub(const OpContext &ctx, const Inputs &in) {
  return broadcastFold(ctx, in, std::minus<double>(), 2, 2);
}
std::vector<Tensor> mul(const OpContext &ctx, const Inputs &in) {
  return broadcastFold(ctx, in, std::multiplies<double>(), 2, 2);
}
std::vector<Tensor> div(const OpContext &ctx, const Inputs &in) {
  const bool integer = isIntegerType(input(ctx, in, 0).type);
  return broadcastFold(
      ctx, in,
      [&](double a, double b) {
        if (!integer)
          return a / b;
        if (b == 0)
          fail(ctx, "integer division by zero");
        return std::trunc(a / b);
      },
      2, 2);
}
std::vector<Tensor> pow(const OpContext &ctx, const Inputs &in) {
  return broadcastFold(ctx, in, [](double a, double b) { return std::pow(a, b); },
                       2, 2, /*mixedTypes=*/true);
}
std::vector<Tensor> maxOp(const OpContext &ctx, const Inputs &in) {
  return broadcastFold(ctx, in, [](double a, double b) { return std::max(a, b); },
                       1, SIZE_MAX);
}
std::vector<Tensor> minOp(const OpContext &ctx, const Inputs &in) {
  return broadcastFold(ctx, in, [](double a, double b) { return std::min(a, b); },
                       1, SIZE_MAX);
}
std::vector<Tensor> sum(const OpContext &ctx, const Inputs &in) {
  return broadcastFold(ctx, in, std::plus<double>(), 1, SIZE_MAX);
}
std::vector<Tensor> mean(const OpContext &ctx, const Inputs &in) {
  std::vector<Tensor> out = sum(ctx, in);
  for (double &v : out[0].values)
    v /= static_cast<double>(in.size());
  return out;
}

std::vector<Tensor> clip(const OpContext &ctx, const Inputs &in) {
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  if (ctx.opset < 11) {
    lo = attr(ctx, "min", lo);
    hi = attr(ctx, "max", hi);
  } else {
    for (size_t i = 1; i <= 2; ++i)
      if (const Tensor *b = optionalInput(in, i)) {
        if (b->size() != 1)
          fail(ctx, "its bound #" + std::to_string(i) + " must be a scalar");
        (i == 1 ? lo : hi) = b->values[0];
      }
  }
  return unary(ctx, in, [&](double x) { return std::min(hi, std::max(lo, x)); });
}

std::vector<Tensor> cast(const OpContext &ctx, const Inputs &in) {
  Tensor out = input(ctx, in, 0);
  const int64_t to = ctx.node.getInt("to", 0);
  switch (to) {
  case 1: out.type = ElemType::Float; break;
  case 2: out.type = ElemType::UInt8; break;
  case 3: out.type = ElemType::Int8; break;
  case 6: out.type = ElemType::Int32; break;
  case 7: out.type = ElemType::Int64; break;
  case 11: out.type = ElemType::Double; break;
  default:
    fail(ctx, "casts to ONNX type " + std::to_string(to) +
                  "; float32, float64, uint8, int8, int32 and int64 are run");
  }
  return {std::move(out)};
}

} // namespace

void addElementwiseOps(OpTable &t) {
  t["Relu"] = relu;
  t["Sigmoid"] = sigmoid;
  t["Tanh"] = tanhOp;
  t["Exp"] = expOp;
  t["Log"] = logOp;
  t["Sqrt"] = sqrtOp;
  t["Neg"] = neg;
  t["Abs"] = absOp;
  t["Floor"] = floorOp;
  t["Ceil"] = ceilOp;
  t["Round"] = roundOp;
  t["Reciprocal"] = reciprocal;
  t["Softplus"] = softplus;
  t["Erf"] = erfOp;
  t["Identity"] = identity;
  t["HardSwish"] = hardSwish;
  t["LeakyRelu"] = leakyRelu;
  t["Elu"] = elu;
  t["HardSigmoid"] = hardSigmoid;
  t["Add"] = add;
  t["Sub"] = sub;
  t["Mul"] = mul;
  t["Div"] = div;
  t["Pow"] = pow;
  t["Max"] = maxOp;
  t["Min"] = minOp;
  t["Sum"] = sum;
  t["Mean"] = mean;
  t["Clip"] = clip;
  t["Cast"] = cast;
}

} // namespace akida::graph::detail
