//===- NeuralOps.cpp - Convolution, matrix products, pooling, softmax -----===//
//
// Conv, Gemm, MatMul, MaxPool, AveragePool, GlobalAveragePool,
// GlobalMaxPool, BatchNormalization (inference), Softmax and LogSoftmax,
// in float with double accumulators. Convolutions and pools take 1-D or 2-D
// spatial inputs (NCW, NCHW).
//
//===----------------------------------------------------------------------===//

#include "runtime/graph/GraphOps.h"

#include <cmath>
#include <limits>

namespace akida::graph::detail {

namespace {

/// One spatial axis of a window op.
struct Axis {
  int64_t in = 1, kernel = 1, stride = 1, dilation = 1, padBegin = 0,
          padEnd = 0, out = 1;
};

/// NCW becomes NCHW with H = 1; other ranks than 3 and 4 are refused.
std::vector<int64_t> spatialDims(const OpContext &ctx, const Tensor &x) {
  if (x.dims.size() == 4)
    return {x.dims[2], x.dims[3]};
  if (x.dims.size() == 3)
    return {1, x.dims[2]};
  fail(ctx, "input of shape " + dimsText(x.dims) +
                " is not run: 1-D (NCW) and 2-D (NCHW) inputs are");
}

/// Attribute `name` per spatial axis (padded to 2-D for a 1-D op).
std::vector<int64_t> perAxis(const OpContext &ctx, const char *name,
                             size_t rank, int64_t fallback, bool twice = false) {
  std::vector<int64_t> v = ctx.node.getInts(name, {});
  const size_t want = twice ? 2 * rank : rank;
  if (v.empty())
    v.assign(want, fallback);
  if (v.size() != want)
    fail(ctx, std::string("attribute '") + name + "' has " +
                  std::to_string(v.size()) + " values, not " +
                  std::to_string(want));
  if (rank == 1) // 1-D: the row axis is a unit axis
    v = twice ? std::vector<int64_t>{0, v[0], 0, v[1]}
              : std::vector<int64_t>{name == std::string("pads") ? 0 : 1, v[0]};
  return v;
}

std::vector<Axis> windowGeometry(const OpContext &ctx, const Tensor &x,
                                 std::vector<int64_t> kernel, bool pool) {
  const std::vector<int64_t> in = spatialDims(ctx, x);
  const size_t rank = x.dims.size() - 2;
  if (rank == 1 && kernel.size() == 1)
    kernel = {1, kernel[0]};
  const std::vector<int64_t> strides = perAxis(ctx, "strides", rank, 1);
  const std::vector<int64_t> dilations = perAxis(ctx, "dilations", rank, 1);
  const std::vector<int64_t> pads = perAxis(ctx, "pads", rank, 0, true);
  const std::string autoPad = ctx.node.getString("auto_pad", "NOTSET");
  const bool ceilMode = pool && ctx.node.getInt("ceil_mode", 0) != 0;
  std::vector<Axis> axes(2);
  for (size_t a = 0; a < 2; ++a) {
    Axis &g = axes[a];
    g.in = in[a];
    g.kernel = kernel[a];
    g.stride = strides[a];
    g.dilation = dilations[a];
    if (g.stride < 1 || g.dilation < 1 || g.kernel < 1)
      fail(ctx, "kernel, strides and dilations must be positive");
    const int64_t extent = (g.kernel - 1) * g.dilation + 1;
    if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
      g.out = (g.in + g.stride - 1) / g.stride;
      const int64_t total =
          std::max<int64_t>(0, (g.out - 1) * g.stride + extent - g.in);
      const int64_t small = total / 2;
      g.padBegin = autoPad == "SAME_UPPER" ? small : total - small;
      g.padEnd = total - g.padBegin;
      continue;
    }
    if (autoPad == "NOTSET") {
      g.padBegin = pads[a];
      g.padEnd = pads[a + 2];
    } else if (autoPad != "VALID") {
      fail(ctx, "auto_pad '" + autoPad +
                    "' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER");
    }
    const int64_t span = g.in + g.padBegin + g.padEnd - extent;
    if (span < 0)
      fail(ctx, "the window is larger than the padded input");
    g.out = (ceilMode ? (span + g.stride - 1) / g.stride : span / g.stride) + 1;
    if (ceilMode && (g.out - 1) * g.stride >= g.in + g.padBegin)
      --g.out;
  }
  return axes;
}

/// The output dims of a window op: N, channels, then the spatial axes in
/// the input's rank.
std::vector<int64_t> windowDims(const Tensor &x, int64_t channels,
                                const std::vector<Axis> &g) {
  if (x.dims.size() == 3)
    return {x.dims[0], channels, g[1].out};
  return {x.dims[0], channels, g[0].out, g[1].out};
}

std::vector<Tensor> conv(const OpContext &ctx, const Inputs &in) {
  const Tensor &x = input(ctx, in, 0), &w = input(ctx, in, 1);
  const Tensor *b = optionalInput(in, 2);
  if (w.dims.size() != x.dims.size())
    fail(ctx, "weights of shape " + dimsText(w.dims) +
                  " do not match the input's rank " +
                  std::to_string(x.dims.size()));
  const std::vector<int64_t> kernel(w.dims.begin() + 2, w.dims.end());
  const std::vector<Axis> g = windowGeometry(ctx, x, kernel, false);
  const int64_t group = ctx.node.getInt("group", 1);
  const int64_t n = x.dims[0], c = x.dims[1], m = w.dims[0], cg = w.dims[1];
  if (group < 1 || c != cg * group || m % group != 0)
    fail(ctx, "group " + std::to_string(group) + " does not divide input " +
                  dimsText(x.dims) + " and weights " + dimsText(w.dims));
  if (b && b->size() != m)
    fail(ctx, "bias has " + std::to_string(b->size()) + " values for " +
                  std::to_string(m) + " filters");
  Tensor out = makeTensor(x.type, windowDims(x, m, g));
  const int64_t H = g[0].in, W = g[1].in, OH = g[0].out, OW = g[1].out;
  const int64_t KH = g[0].kernel, KW = g[1].kernel, perGroup = m / group;
  for (int64_t s = 0; s < n; ++s)
    for (int64_t f = 0; f < m; ++f) {
      const int64_t c0 = (f / perGroup) * cg;
      for (int64_t oy = 0; oy < OH; ++oy)
        for (int64_t ox = 0; ox < OW; ++ox) {
          double acc = b ? b->values[f] : 0.0;
          for (int64_t k = 0; k < cg; ++k)
            for (int64_t ky = 0; ky < KH; ++ky) {
              const int64_t y = oy * g[0].stride - g[0].padBegin + ky * g[0].dilation;
              if (y < 0 || y >= H)
                continue;
              for (int64_t kx = 0; kx < KW; ++kx) {
                const int64_t xx = ox * g[1].stride - g[1].padBegin + kx * g[1].dilation;
                if (xx < 0 || xx >= W)
                  continue;
                acc += x.values[((s * c + c0 + k) * H + y) * W + xx] *
                       w.values[((f * cg + k) * KH + ky) * KW + kx];
              }
            }
          out.values[((s * m + f) * OH + oy) * OW + ox] = acc;
        }
    }
  return {std::move(out)};
}

std::vector<Tensor> pool(const OpContext &ctx, const Inputs &in, bool max) {
  const Tensor &x = input(ctx, in, 0);
  if (ctx.node.outputs.size() > 1 && !ctx.node.outputs[1].empty())
    fail(ctx, "its Indices output is not run");
  const std::vector<int64_t> kernel = ctx.node.getInts("kernel_shape", {});
  if (kernel.size() + 2 != x.dims.size())
    fail(ctx, "kernel_shape " + dimsText(kernel) + " does not match input " +
                  dimsText(x.dims));
  const std::vector<Axis> g = windowGeometry(ctx, x, kernel, true);
  const bool includePad = ctx.node.getInt("count_include_pad", 0) != 0;
  const int64_t n = x.dims[0], c = x.dims[1];
  Tensor out = makeTensor(x.type, windowDims(x, c, g));
  const int64_t H = g[0].in, W = g[1].in, OH = g[0].out, OW = g[1].out;
  for (int64_t p = 0; p < n * c; ++p)
    for (int64_t oy = 0; oy < OH; ++oy)
      for (int64_t ox = 0; ox < OW; ++ox) {
        double acc = max ? -std::numeric_limits<double>::infinity() : 0.0;
        int64_t count = 0;
        for (int64_t ky = 0; ky < g[0].kernel; ++ky) {
          const int64_t y = oy * g[0].stride - g[0].padBegin + ky * g[0].dilation;
          for (int64_t kx = 0; kx < g[1].kernel; ++kx) {
            const int64_t xx = ox * g[1].stride - g[1].padBegin + kx * g[1].dilation;
            const bool inside = y >= 0 && y < H && xx >= 0 && xx < W;
            const bool padded = y >= -g[0].padBegin && y < H + g[0].padEnd &&
                                xx >= -g[1].padBegin && xx < W + g[1].padEnd;
            if (inside) {
              const double v = x.values[(p * H + y) * W + xx];
              acc = max ? std::max(acc, v) : acc + v;
            }
            count += inside || (includePad && padded);
          }
        }
        out.values[(p * OH + oy) * OW + ox] =
            max ? acc : (count ? acc / static_cast<double>(count) : 0.0);
      }
  return {std::move(out)};
}

std::vector<Tensor> maxPool(const OpContext &ctx, const Inputs &in) {
  return pool(ctx, in, true);
}
std::vector<Tensor> averagePool(const OpContext &ctx, const Inputs &in) {
  if (ctx.node.getInts("dilations", {}).size())
    fail(ctx, "dilated average pooling is not run");
  return pool(ctx, in, false);
}

std::vector<Tensor> globalPool(const OpContext &ctx, const Inputs &in,
                               bool max) {
  const Tensor &x = input(ctx, in, 0);
  if (x.dims.size() < 3)
    fail(ctx, "input of shape " + dimsText(x.dims) + " has no spatial axis");
  std::vector<int64_t> dims = x.dims;
  int64_t positions = 1;
  for (size_t a = 2; a < dims.size(); ++a) {
    positions *= dims[a];
    dims[a] = 1;
  }
  Tensor out = makeTensor(x.type, dims);
  for (int64_t p = 0; p < out.size(); ++p) {
    double acc = max ? -std::numeric_limits<double>::infinity() : 0.0;
    for (int64_t i = 0; i < positions; ++i) {
      const double v = x.values[p * positions + i];
      acc = max ? std::max(acc, v) : acc + v;
    }
    out.values[p] = max ? acc : acc / static_cast<double>(positions);
  }
  return {std::move(out)};
}
std::vector<Tensor> globalAveragePool(const OpContext &ctx, const Inputs &in) {
  return globalPool(ctx, in, false);
}
std::vector<Tensor> globalMaxPool(const OpContext &ctx, const Inputs &in) {
  return globalPool(ctx, in, true);
}

/// C = A (M x K) . B (K x N) for row-major blocks.
void matmulBlock(const double *a, const double *b, double *c, int64_t M,
                 int64_t K, int64_t N, bool transA, bool transB) {
  for (int64_t i = 0; i < M; ++i)
    for (int64_t j = 0; j < N; ++j) {
      double acc = 0;
      for (int64_t k = 0; k < K; ++k)
        acc += (transA ? a[k * M + i] : a[i * K + k]) *
               (transB ? b[j * K + k] : b[k * N + j]);
      c[i * N + j] = acc;
    }
}

std::vector<Tensor> gemm(const OpContext &ctx, const Inputs &in) {
  const Tensor &a = input(ctx, in, 0), &b = input(ctx, in, 1);
  const Tensor *c = optionalInput(in, 2);
  if (a.dims.size() != 2 || b.dims.size() != 2)
    fail(ctx, "A " + dimsText(a.dims) + " and B " + dimsText(b.dims) +
                  " must be matrices");
  const bool ta = ctx.node.getInt("transA", 0), tb = ctx.node.getInt("transB", 0);
  const int64_t M = ta ? a.dims[1] : a.dims[0], K = ta ? a.dims[0] : a.dims[1];
  const int64_t KB = tb ? b.dims[1] : b.dims[0], N = tb ? b.dims[0] : b.dims[1];
  if (K != KB)
    fail(ctx, "A " + dimsText(a.dims) + " and B " + dimsText(b.dims) +
                  " do not multiply");
  Tensor out = makeTensor(a.type, {M, N});
  matmulBlock(a.values.data(), b.values.data(), out.values.data(), M, K, N, ta,
              tb);
  const double alpha = ctx.node.getFloat("alpha", 1.0);
  const double beta = ctx.node.getFloat("beta", 1.0);
  std::vector<int64_t> cIndex;
  if (c) {
    if (broadcastDims(ctx, {out.dims, c->dims}) != out.dims)
      fail(ctx, "C " + dimsText(c->dims) + " does not broadcast to " +
                    dimsText(out.dims));
    cIndex = broadcastIndex(out.dims, c->dims);
  }
  for (size_t e = 0; e < out.values.size(); ++e)
    out.values[e] = alpha * out.values[e] + (c ? beta * c->values[cIndex[e]] : 0.0);
  return {std::move(out)};
}

std::vector<Tensor> matmul(const OpContext &ctx, const Inputs &in) {
  Tensor a = input(ctx, in, 0), b = input(ctx, in, 1);
  const bool vecA = a.dims.size() == 1, vecB = b.dims.size() == 1;
  if (vecA)
    a.dims.insert(a.dims.begin(), 1);
  if (vecB)
    b.dims.push_back(1);
  if (a.dims.size() < 2 || b.dims.size() < 2)
    fail(ctx, "inputs must have at least one axis");
  const int64_t M = a.dims[a.dims.size() - 2], K = a.dims.back();
  const int64_t N = b.dims.back();
  if (b.dims[b.dims.size() - 2] != K)
    fail(ctx, "shapes " + dimsText(input(ctx, in, 0).dims) + " and " +
                  dimsText(input(ctx, in, 1).dims) + " do not multiply");
  const std::vector<int64_t> batchA(a.dims.begin(), a.dims.end() - 2);
  const std::vector<int64_t> batchB(b.dims.begin(), b.dims.end() - 2);
  std::vector<int64_t> batch = broadcastDims(ctx, {batchA, batchB});
  const std::vector<int64_t> ia = broadcastIndex(batch, batchA);
  const std::vector<int64_t> ib = broadcastIndex(batch, batchB);
  std::vector<int64_t> dims = batch;
  if (!vecA)
    dims.push_back(M);
  if (!vecB)
    dims.push_back(N);
  Tensor out = makeTensor(a.type, dims);
  for (size_t p = 0; p < ia.size(); ++p)
    matmulBlock(a.values.data() + ia[p] * M * K, b.values.data() + ib[p] * K * N,
                out.values.data() + p * M * N, M, K, N, false, false);
  return {std::move(out)};
}

std::vector<Tensor> batchNorm(const OpContext &ctx, const Inputs &in) {
  if (ctx.node.getInt("training_mode", 0) != 0)
    fail(ctx, "training_mode is not run (inference only)");
  const Tensor &x = input(ctx, in, 0);
  const Tensor &scale = input(ctx, in, 1), &bias = input(ctx, in, 2);
  const Tensor &mean = input(ctx, in, 3), &var = input(ctx, in, 4);
  const double eps = ctx.node.getFloat("epsilon", 1e-5);
  if (x.dims.size() < 2)
    fail(ctx, "input of shape " + dimsText(x.dims) + " has no channel axis");
  const int64_t c = x.dims[1];
  for (const Tensor *t : {&scale, &bias, &mean, &var})
    if (t->size() != c)
      fail(ctx, "its parameters must have one value per channel (" +
                    std::to_string(c) + ")");
  int64_t inner = 1;
  for (size_t a = 2; a < x.dims.size(); ++a)
    inner *= x.dims[a];
  Tensor out = x;
  for (int64_t e = 0; e < out.size(); ++e) {
    const int64_t k = (e / inner) % c;
    out.values[e] = (x.values[e] - mean.values[k]) /
                        std::sqrt(var.values[k] + eps) * scale.values[k] +
                    bias.values[k];
  }
  return {std::move(out)};
}

std::vector<Tensor> softmax(const OpContext &ctx, const Inputs &in, bool log) {
  const Tensor &x = input(ctx, in, 0);
  const int64_t rank = static_cast<int64_t>(x.dims.size());
  const bool coerced = ctx.opset < 13;
  const int64_t axis =
      normalizeAxis(ctx, ctx.node.getInt("axis", coerced ? 1 : -1), rank);
  // Softmax runs over `length` values `stride` apart, for every (outer,
  // inner) position; opset < 13 flattens everything from `axis` into one.
  int64_t outer = 1, length = 1, inner = 1;
  for (int64_t a = 0; a < rank; ++a)
    (a < axis ? outer : a == axis || coerced ? length : inner) *= x.dims[a];
  Tensor out = x;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      const int64_t base = o * length * inner + i;
      double top = -std::numeric_limits<double>::infinity();
      for (int64_t k = 0; k < length; ++k)
        top = std::max(top, x.values[base + k * inner]);
      double total = 0;
      for (int64_t k = 0; k < length; ++k)
        total += std::exp(x.values[base + k * inner] - top);
      for (int64_t k = 0; k < length; ++k) {
        const double z = x.values[base + k * inner] - top;
        out.values[base + k * inner] =
            log ? z - std::log(total) : std::exp(z) / total;
      }
    }
  return {std::move(out)};
}
std::vector<Tensor> softmaxOp(const OpContext &ctx, const Inputs &in) {
  return softmax(ctx, in, false);
}
std::vector<Tensor> logSoftmax(const OpContext &ctx, const Inputs &in) {
  return softmax(ctx, in, true);
}

} // namespace

void addNeuralOps(OpTable &t) {
  t["Conv"] = conv;
  t["Gemm"] = gemm;
  t["MatMul"] = matmul;
  t["MaxPool"] = maxPool;
  t["AveragePool"] = averagePool;
  t["GlobalAveragePool"] = globalAveragePool;
  t["GlobalMaxPool"] = globalMaxPool;
  t["BatchNormalization"] = batchNorm;
  t["Softmax"] = softmaxOp;
  t["LogSoftmax"] = logSoftmax;
}

} // namespace akida::graph::detail
