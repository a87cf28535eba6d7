//===- ShapeOps.cpp - Reshaping, transposing, joining and reducing --------===//
//
// Flatten, Reshape, Transpose, Squeeze, Unsqueeze, Concat, Shape, the
// reductions (ReduceMean, ReduceSum, ReduceMax, ReduceMin, ReduceSumSquare)
// and ArgMax/ArgMin. Axes come from attributes or, in the opsets that moved
// them there, from an input.
//
//===----------------------------------------------------------------------===//

#include "runtime/graph/GraphOps.h"

#include <algorithm>
#include <limits>
#include <set>

namespace akida::graph::detail {

namespace {

Tensor reshaped(const Tensor &x, std::vector<int64_t> dims) {
  Tensor out = x;
  out.dims = std::move(dims);
  return out;
}

std::vector<Tensor> flatten(const OpContext &ctx, const Inputs &in) {
  const Tensor &x = input(ctx, in, 0);
  const int64_t rank = static_cast<int64_t>(x.dims.size());
  int64_t axis = ctx.node.getInt("axis", 1);
  if (axis < -rank || axis > rank)
    fail(ctx, "axis " + std::to_string(axis) + " is out of range for rank " +
                  std::to_string(rank));
  if (axis < 0)
    axis += rank;
  int64_t rows = 1;
  for (int64_t a = 0; a < axis; ++a)
    rows *= x.dims[a];
  return {reshaped(x, {rows, x.size() / std::max<int64_t>(rows, 1)})};
}

std::vector<Tensor> reshape(const OpContext &ctx, const Inputs &in) {
  const Tensor &x = input(ctx, in, 0);
  std::vector<int64_t> dims = intsOf(input(ctx, in, 1));
  const bool allowZero = ctx.node.getInt("allowzero", 0) != 0;
  int64_t known = 1, unknown = -1;
  for (size_t a = 0; a < dims.size(); ++a) {
    if (dims[a] == 0 && !allowZero) {
      if (a >= x.dims.size())
        fail(ctx, "shape " + dimsText(dims) + " copies a dimension the input " +
                      dimsText(x.dims) + " does not have");
      dims[a] = x.dims[a];
    }
    if (dims[a] == -1) {
      if (unknown >= 0)
        fail(ctx, "shape " + dimsText(dims) + " has more than one -1");
      unknown = static_cast<int64_t>(a);
    } else {
      known *= dims[a];
    }
  }
  if (unknown >= 0 && known > 0)
    dims[unknown] = x.size() / known;
  int64_t total = 1;
  for (int64_t d : dims)
    total *= d;
  if (total != x.size())
    fail(ctx, "cannot reshape " + dimsText(x.dims) + " to " + dimsText(dims));
  return {reshaped(x, dims)};
}

std::vector<Tensor> transpose(const OpContext &ctx, const Inputs &in) {
  const Tensor &x = input(ctx, in, 0);
  const size_t rank = x.dims.size();
  std::vector<int64_t> perm = ctx.node.getInts("perm", {});
  if (perm.empty())
    for (size_t a = rank; a-- > 0;)
      perm.push_back(static_cast<int64_t>(a));
  std::vector<int64_t> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  for (size_t a = 0; a < sorted.size(); ++a)
    if (sorted.size() != rank || sorted[a] != static_cast<int64_t>(a))
      fail(ctx, "perm " + dimsText(perm) + " is not a permutation of " +
                    std::to_string(rank) + " axes");
  std::vector<int64_t> dims(rank), stride(rank, 1);
  for (size_t a = rank; a-- > 1;)
    stride[a - 1] = stride[a] * x.dims[a];
  for (size_t a = 0; a < rank; ++a)
    dims[a] = x.dims[perm[a]];
  Tensor out = makeTensor(x.type, dims);
  std::vector<int64_t> pos(rank, 0);
  for (int64_t e = 0; e < out.size(); ++e) {
    int64_t from = 0;
    for (size_t a = 0; a < rank; ++a)
      from += pos[a] * stride[perm[a]];
    out.values[e] = x.values[from];
    for (size_t a = rank; a-- > 0;) {
      if (++pos[a] < dims[a])
        break;
      pos[a] = 0;
    }
  }
  return {std::move(out)};
}

/// The axes of a Squeeze/Unsqueeze/Reduce: the attribute before
/// `inputOpset`, input 1 from it.
std::vector<int64_t> axesOf(const OpContext &ctx, const Inputs &in,
                            int64_t inputOpset) {
  if (ctx.opset >= inputOpset) {
    const Tensor *t = optionalInput(in, 1);
    return t ? intsOf(*t) : std::vector<int64_t>{};
  }
  return ctx.node.getInts("axes", {});
}

std::vector<Tensor> squeeze(const OpContext &ctx, const Inputs &in) {
  const Tensor &x = input(ctx, in, 0);
  const int64_t rank = static_cast<int64_t>(x.dims.size());
  std::set<int64_t> axes;
  for (int64_t a : axesOf(ctx, in, 13)) {
    a = normalizeAxis(ctx, a, rank);
    if (x.dims[a] != 1)
      fail(ctx, "axis " + std::to_string(a) + " of " + dimsText(x.dims) +
                    " is not 1");
    axes.insert(a);
  }
  std::vector<int64_t> dims;
  for (int64_t a = 0; a < rank; ++a)
    if (axes.empty() ? x.dims[a] != 1 : !axes.count(a))
      dims.push_back(x.dims[a]);
  return {reshaped(x, dims)};
}

std::vector<Tensor> unsqueeze(const OpContext &ctx, const Inputs &in) {
  const Tensor &x = input(ctx, in, 0);
  std::vector<int64_t> axes = axesOf(ctx, in, 13);
  const int64_t rank = static_cast<int64_t>(x.dims.size() + axes.size());
  std::set<int64_t> at;
  for (int64_t a : axes)
    if (!at.insert(normalizeAxis(ctx, a, rank)).second)
      fail(ctx, "axis " + std::to_string(a) + " is given twice");
  std::vector<int64_t> dims;
  size_t from = 0;
  for (int64_t a = 0; a < rank; ++a)
    dims.push_back(at.count(a) ? 1 : x.dims[from++]);
  return {reshaped(x, dims)};
}

std::vector<Tensor> concat(const OpContext &ctx, const Inputs &in) {
  const Tensor &first = input(ctx, in, 0);
  const int64_t rank = static_cast<int64_t>(first.dims.size());
  const int64_t axis = normalizeAxis(ctx, ctx.node.getInt("axis", 0), rank);
  std::vector<int64_t> dims = first.dims;
  dims[axis] = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    const Tensor &t = input(ctx, in, i);
    for (int64_t a = 0; a < rank; ++a)
      if (t.dims.size() != first.dims.size() ||
          (a != axis && t.dims[a] != first.dims[a]))
        fail(ctx, "input #" + std::to_string(i) + " " + dimsText(t.dims) +
                      " does not join " + dimsText(first.dims) + " on axis " +
                      std::to_string(axis));
    dims[axis] += t.dims[axis];
  }
  int64_t outer = 1;
  for (int64_t a = 0; a < axis; ++a)
    outer *= dims[a];
  Tensor out = makeTensor(first.type, dims);
  size_t at = 0;
  for (int64_t o = 0; o < outer; ++o)
    for (const Tensor *t : in) {
      const int64_t block = t->size() / std::max<int64_t>(outer, 1);
      std::copy(t->values.begin() + o * block,
                t->values.begin() + (o + 1) * block, out.values.begin() + at);
      at += static_cast<size_t>(block);
    }
  return {std::move(out)};
}

std::vector<Tensor> shape(const OpContext &ctx, const Inputs &in) {
  const Tensor &x = input(ctx, in, 0);
  // Opset 15: dims [start, end), negative from the end, clamped.
  const int64_t rank = static_cast<int64_t>(x.dims.size());
  auto bound = [&](const char *attr, int64_t fallback) {
    int64_t v = ctx.node.getInt(attr, fallback);
    if (v < 0)
      v += rank;
    return std::clamp<int64_t>(v, 0, rank);
  };
  const int64_t start = bound("start", 0), end = bound("end", rank);
  Tensor out = makeTensor(ElemType::Int64, {std::max<int64_t>(end - start, 0)});
  for (int64_t a = start; a < end; ++a)
    out.values[a - start] = static_cast<double>(x.dims[a]);
  return {std::move(out)};
}

enum class Reduce { Mean, Sum, Max, Min, SumSquare };

/// Reduces `x` over `axes` (all when empty): each output element gathers
/// the input elements whose kept coordinates equal its own.
Tensor reduce(const Tensor &x, std::set<int64_t> axes, bool keepDims,
              Reduce kind) {
  const int64_t rank = static_cast<int64_t>(x.dims.size());
  if (axes.empty())
    for (int64_t a = 0; a < rank; ++a)
      axes.insert(a);
  std::vector<int64_t> kept = x.dims;
  for (int64_t a : axes)
    kept[a] = 1;
  Tensor out = makeTensor(x.type, kept);
  const double start = kind == Reduce::Max   ? -std::numeric_limits<double>::infinity()
                       : kind == Reduce::Min ? std::numeric_limits<double>::infinity()
                                             : 0.0;
  std::fill(out.values.begin(), out.values.end(), start);
  const std::vector<int64_t> target = broadcastIndex(x.dims, kept);
  for (int64_t e = 0; e < x.size(); ++e) {
    double &o = out.values[target[e]];
    const double v = x.values[e];
    switch (kind) {
    case Reduce::Max: o = std::max(o, v); break;
    case Reduce::Min: o = std::min(o, v); break;
    case Reduce::SumSquare: o += v * v; break;
    default: o += v; break;
    }
  }
  if (kind == Reduce::Mean) {
    const double count = static_cast<double>(x.size()) /
                         static_cast<double>(std::max<int64_t>(out.size(), 1));
    for (double &v : out.values)
      v /= count;
  }
  if (!keepDims) {
    std::vector<int64_t> dims;
    for (int64_t a = 0; a < rank; ++a)
      if (!axes.count(a))
        dims.push_back(x.dims[a]);
    out.dims = dims;
  }
  return out;
}

template <Reduce kind, int64_t inputOpset>
std::vector<Tensor> reduceOp(const OpContext &ctx, const Inputs &in) {
  const Tensor &x = input(ctx, in, 0);
  const int64_t rank = static_cast<int64_t>(x.dims.size());
  std::vector<int64_t> given = axesOf(ctx, in, inputOpset);
  if (given.empty() && ctx.node.getInt("noop_with_empty_axes", 0) != 0)
    return {x};
  std::set<int64_t> axes;
  for (int64_t a : given)
    axes.insert(normalizeAxis(ctx, a, rank));
  return {reduce(x, axes, ctx.node.getInt("keepdims", 1) != 0, kind)};
}

std::vector<Tensor> argExtreme(const OpContext &ctx, const Inputs &in,
                               bool max) {
  const Tensor &x = input(ctx, in, 0);
  const int64_t rank = static_cast<int64_t>(x.dims.size());
  const int64_t axis = normalizeAxis(ctx, ctx.node.getInt("axis", 0), rank);
  const bool last = ctx.node.getInt("select_last_index", 0) != 0;
  int64_t outer = 1, inner = 1;
  for (int64_t a = 0; a < rank; ++a)
    if (a != axis)
      (a < axis ? outer : inner) *= x.dims[a];
  const int64_t length = x.dims[axis];
  std::vector<int64_t> dims = x.dims;
  if (ctx.node.getInt("keepdims", 1) != 0)
    dims[axis] = 1;
  else
    dims.erase(dims.begin() + axis);
  Tensor out = makeTensor(ElemType::Int64, dims);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      int64_t best = 0;
      for (int64_t k = 1; k < length; ++k) {
        const double v = x.values[(o * length + k) * inner + i];
        const double b = x.values[(o * length + best) * inner + i];
        if (max ? (v > b || (last && v == b)) : (v < b || (last && v == b)))
          best = k;
      }
      out.values[o * inner + i] = static_cast<double>(best);
    }
  return {std::move(out)};
}
std::vector<Tensor> argMax(const OpContext &ctx, const Inputs &in) {
  return argExtreme(ctx, in, true);
}
std::vector<Tensor> argMin(const OpContext &ctx, const Inputs &in) {
  return argExtreme(ctx, in, false);
}

} // namespace

void addShapeOps(OpTable &t) {
  t["Flatten"] = flatten;
  t["Reshape"] = reshape;
  t["Transpose"] = transpose;
  t["Squeeze"] = squeeze;
  t["Unsqueeze"] = unsqueeze;
  t["Concat"] = concat;
  t["Shape"] = shape;
  // ReduceSum took its axes as an input from opset 13, the others from 18.
  t["ReduceMean"] = reduceOp<Reduce::Mean, 18>;
  t["ReduceSum"] = reduceOp<Reduce::Sum, 13>;
  t["ReduceMax"] = reduceOp<Reduce::Max, 18>;
  t["ReduceMin"] = reduceOp<Reduce::Min, 18>;
  t["ReduceSumSquare"] = reduceOp<Reduce::SumSquare, 18>;
  t["ArgMax"] = argMax;
  t["ArgMin"] = argMin;
}

} // namespace akida::graph::detail
