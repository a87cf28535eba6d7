//===- QuantizeOps.cpp - QuantizeLinear and DequantizeLinear --------------===//
//
// Per tensor or per axis (`axis`, default 1), in float32 as ONNX Runtime
// computes them: QuantizeLinear rounds x / scale half to even, adds the
// zero point and saturates to the zero point's type (uint8 without one);
// DequantizeLinear gives (x - zero_point) * scale.
//
//===----------------------------------------------------------------------===//

#include "runtime/graph/GraphOps.h"

#include <cmath>

namespace akida::graph::detail {

namespace {

/// For each element of `x`, its index into the scale and zero point.
std::vector<int64_t> quantIndex(const OpContext &ctx, const Tensor &x,
                                const Tensor &scale, const Tensor *zero) {
  if (zero && zero->size() != scale.size())
    fail(ctx, "its zero point has " + std::to_string(zero->size()) +
                  " values for " + std::to_string(scale.size()) + " scales");
  std::vector<int64_t> index(static_cast<size_t>(x.size()), 0);
  if (scale.size() == 1)
    return index;
  const int64_t rank = static_cast<int64_t>(x.dims.size());
  const int64_t axis = normalizeAxis(ctx, ctx.node.getInt("axis", 1), rank);
  if (scale.dims.size() != 1 || scale.size() != x.dims[axis])
    fail(ctx, "scale of shape " + dimsText(scale.dims) +
                  " is neither a scalar nor one value per element of axis " +
                  std::to_string(axis) + " of " + dimsText(x.dims));
  int64_t inner = 1;
  for (int64_t a = axis + 1; a < rank; ++a)
    inner *= x.dims[a];
  for (int64_t e = 0; e < x.size(); ++e)
    index[e] = (e / inner) % x.dims[axis];
  return index;
}

std::vector<Tensor> quantizeLinear(const OpContext &ctx, const Inputs &in) {
  const Tensor &x = input(ctx, in, 0), &scale = input(ctx, in, 1);
  const Tensor *zero = optionalInput(in, 2);
  const ElemType type = zero ? zero->type : ElemType::UInt8;
  double lo = 0, hi = 255;
  if (type == ElemType::Int8) {
    lo = -128;
    hi = 127;
  } else if (type != ElemType::UInt8) {
    fail(ctx, std::string("quantizes to ") + onnx::elemTypeName(type) +
                  "; uint8 and int8 are run");
  }
  const std::vector<int64_t> index = quantIndex(ctx, x, scale, zero);
  Tensor out = makeTensor(type, x.dims);
  for (int64_t e = 0; e < x.size(); ++e) {
    const float q = std::nearbyintf(static_cast<float>(x.values[e]) /
                                    static_cast<float>(scale.values[index[e]]));
    const double z = zero ? zero->values[index[e]] : 0.0;
    out.values[e] = std::min(hi, std::max(lo, static_cast<double>(q) + z));
  }
  return {std::move(out)};
}

std::vector<Tensor> dequantizeLinear(const OpContext &ctx, const Inputs &in) {
  const Tensor &x = input(ctx, in, 0), &scale = input(ctx, in, 1);
  const Tensor *zero = optionalInput(in, 2);
  const std::vector<int64_t> index = quantIndex(ctx, x, scale, zero);
  Tensor out = makeTensor(ElemType::Float, x.dims);
  for (int64_t e = 0; e < x.size(); ++e) {
    const double z = zero ? zero->values[index[e]] : 0.0;
    out.values[e] = static_cast<float>(x.values[e] - z) *
                    static_cast<float>(scale.values[index[e]]);
  }
  return {std::move(out)};
}

} // namespace

void addQuantizeOps(OpTable &t) {
  t["QuantizeLinear"] = quantizeLinear;
  t["DequantizeLinear"] = dequantizeLinear;
}

} // namespace akida::graph::detail
