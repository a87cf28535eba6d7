//===- Legalize.cpp - ONNX QDQ graphs to Akida layers ---------------------===//

#include "compiler/onnx/Legalize.h"

#include "runtime/reference/Shapes.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <set>

namespace akida::onnx {

namespace {

/// A quantized activation tensor: float = scale * q (zero point 0).
struct QValue {
  int layer = -1; ///< producing layer index; -1: the model input
  double scale = 1;
  int bits = 8;
  bool isSigned = false;
  std::array<int64_t, 3> shape{}; ///< rows, columns, channels
};

/// Integer weights with their scale per output channel.
struct QWeights {
  std::vector<int64_t> q; ///< in the ONNX layout of the weight tensor
  std::vector<int64_t> dims;
  std::vector<double> scale; ///< per output channel
};

/// An Akida layer in the making: the ONNX block it absorbs.
struct Block {
  const Node *op = nullptr; ///< Conv, Gemm or MatMul
  QWeights w;
  std::vector<double> bias;      ///< float bias per output channel
  PoolType pool = PoolType::NoPooling;
  int64_t poolSize = 0, poolStride = 0;
  bool relu = false;
  double clipMax = std::numeric_limits<double>::infinity();
  const Node *quantize = nullptr; ///< the output QuantizeLinear, or null
  std::string output;             ///< the ONNX value the block ends with
};

const std::set<std::string> kSupported = {
    "QuantizeLinear", "DequantizeLinear", "Conv", "Gemm", "MatMul",
    "BatchNormalization", "Relu", "Clip", "MaxPool", "GlobalAveragePool",
    "Flatten", "Reshape", "Identity", "Add", "Concat"};

std::string supportedList() {
  std::string s;
  for (const std::string &op : kSupported)
    s += (s.empty() ? "" : ", ") + op;
  return s;
}

class Legalizer {
public:
  Legalizer(const Graph &g, IpVersion target) : g_(g), target_(target) {}

  Imported run() {
    desc_.ipVersion = target_;
    desc_.name = g_.name.empty() ? "model" : g_.name;
    if (g_.inputs.size() != 1)
      throw ImportError("the graph has " + std::to_string(g_.inputs.size()) +
                        " inputs; the importer takes models with one input");
    readInput();
    for (const Node &n : g_.nodes) {
      if (done_.count(&n))
        continue;
      if (!n.domain.empty() || !kSupported.count(n.opType))
        throw ImportError(n.describe() + ": op " +
                          (n.domain.empty() ? "" : n.domain + ".") + n.opType +
                          " is not supported; the importer takes " +
                          supportedList());
      visit(n);
    }
    if (desc_.layers.empty())
      throw ImportError("the graph has no Conv, Gemm or MatMul: nothing to "
                        "turn into Akida layers");
    if (!finished_)
      throw ImportError("the graph output '" + g_.outputs.at(0).name +
                        "' is not produced by the last layer block");
    if (target_ == IpVersion::v1)
      for (size_t i = 1; i < desc_.layers.size(); ++i)
        if (desc_.layers[i].inbounds != std::vector<int>{static_cast<int>(i) - 1})
          throw ImportError("layer '" + desc_.layers[i].name +
                            "' does not read the layer before it: Akida 1.0 "
                            "models are sequential (use --target v2)");
    Imported out;
    out.desc = std::move(desc_);
    out.tensors = std::move(tensors_);
    out.inputName = inputName_;
    out.inputScale = inputScale_;
    return out;
  }

private:
  [[noreturn]] void fail(const Node &n, const std::string &why) const {
    throw ImportError(n.describe() + ": " + why);
  }

  const Tensor &constantInput(const Node &n, size_t i,
                              const char *what) const {
    const Tensor *t =
        i < n.inputs.size() ? g_.constant(n.inputs[i]) : nullptr;
    if (!t)
      fail(n, std::string(what) + " (input " + std::to_string(i) +
                  ") must be a constant");
    return *t;
  }

  /// The single node reading `value`, or null when none (or a graph output).
  const Node *next(const std::string &value, const Node &from) const {
    std::vector<const Node *> readers = g_.consumers(value);
    if (readers.size() > 1)
      fail(from, "its output '" + value + "' is read by " +
                     std::to_string(readers.size()) +
                     " nodes; inside a layer block (before its "
                     "QuantizeLinear) a value has one reader");
    return readers.empty() ? nullptr : readers[0];
  }

  void readInput() {
    const ValueInfo &in = g_.inputs[0];
    if (in.dims.size() != 4 || in.dims[1] < 1 || in.dims[2] < 1 ||
        in.dims[3] < 1)
      throw ImportError("graph input '" + in.name +
                        "' must be NCHW with known C, H, W; got rank " +
                        std::to_string(in.dims.size()));
    desc_.inputShape = {in.dims[2], in.dims[3], in.dims[1]};
    QValue q;
    q.shape = {in.dims[2], in.dims[3], in.dims[1]};
    if (in.type == ElemType::UInt8) {
      quantized_[in.name] = q; // already the integer image
    } else if (in.type != ElemType::Float) {
      throw ImportError("graph input '" + in.name + "' is " +
                        elemTypeName(in.type) +
                        "; the importer takes float32 (then QuantizeLinear) "
                        "or uint8 inputs");
    }
    inputName_ = in.name;
  }

  /// Scale and zero point of a QuantizeLinear/DequantizeLinear (per tensor).
  std::pair<double, int64_t> scalarQuant(const Node &n) const {
    const Tensor &s = constantInput(n, 1, "the scale");
    if (s.size() != 1)
      fail(n, "activations must be quantized per tensor; the scale has " +
                  std::to_string(s.size()) + " values");
    int64_t zp = 0;
    if (n.inputs.size() > 2 && !n.inputs[2].empty()) {
      const Tensor &z = constantInput(n, 2, "the zero point");
      zp = static_cast<int64_t>(z.values.at(0));
    }
    if (!(s.values[0] > 0))
      fail(n, "the scale must be positive");
    return {s.values[0], zp};
  }

  void visit(const Node &n) {
    const std::string &in = n.inputs.empty() ? std::string() : n.inputs[0];
    if (n.opType == "QuantizeLinear") {
      if (g_.constant(in))
        return; // weights: folded by the layer that reads them
      if (in != inputName_)
        fail(n, "quantizes '" + in +
                    "', which is not the model input nor the end of a layer "
                    "block (Conv/Gemm [BatchNormalization] [pool] [Relu] "
                    "[Clip])");
      auto [scale, zp] = scalarQuant(n);
      if (zp != 0)
        fail(n, "the input zero point is " + std::to_string(zp) +
                    "; Akida inputs are unsigned with zero point 0");
      QValue q;
      q.scale = scale;
      q.shape = {desc_.inputShape[0], desc_.inputShape[1], desc_.inputShape[2]};
      quantized_[n.outputs[0]] = q;
      inputScale_ = scale;
      return;
    }
    if (n.opType == "DequantizeLinear") {
      if (g_.constant(in) || (g_.producer(in) &&
                              g_.producer(in)->opType == "QuantizeLinear" &&
                              g_.constant(g_.producer(in)->inputs[0])))
        return; // weights or biases
      auto it = quantized_.find(in);
      if (it == quantized_.end())
        fail(n, "de-quantizes '" + in + "', which is not a quantized "
                                        "activation");
      auto [scale, zp] = scalarQuant(n);
      if (zp != 0 || std::abs(scale - it->second.scale) >
                         1e-6 * it->second.scale)
        fail(n, "de-quantizes with another scale or zero point than the "
                "QuantizeLinear that made '" + in + "'");
      views_[n.outputs[0]] = in;
      return;
    }
    if (n.opType == "Flatten" || n.opType == "Reshape" ||
        n.opType == "Identity") {
      auto it = views_.find(in);
      if (it == views_.end())
        fail(n, "reshapes '" + in + "', which is not a de-quantized "
                                    "activation");
      if (n.opType == "Flatten" && n.getInt("axis", 1) != 1)
        fail(n, "only Flatten with axis 1 is supported");
      views_[n.outputs[0]] = it->second;
      flattened_.insert(n.outputs[0]);
      return;
    }
    if (n.opType == "Conv" || n.opType == "Gemm" || n.opType == "MatMul") {
      layer(n);
      return;
    }
    if (n.opType == "Add" || n.opType == "Concat") {
      merge(n);
      return;
    }
    fail(n, "is not part of a layer block (it must follow a Conv, Gemm or "
            "MatMul)");
  }

  // ---------------------------------------------------------------- weights

  QWeights weights(const Node &n, const std::string &name, int axis) const {
    const Node *dq = g_.producer(name);
    if (!dq || dq->opType != "DequantizeLinear") {
      if (g_.constant(name))
        fail(n, "its weights '" + name +
                    "' are float; a QDQ model quantizes them "
                    "(DequantizeLinear of int8 values)");
      fail(n, "its weights '" + name + "' are not a constant");
    }
    done_.insert(dq);
    const Tensor &scale = constantInput(*dq, 1, "the weight scale");
    QWeights w;
    const Tensor *values = g_.constant(dq->inputs[0]);
    if (values) {
      w.dims = values->dims;
      for (double v : values->values)
        w.q.push_back(static_cast<int64_t>(v));
    } else {
      const Node *q = g_.producer(dq->inputs[0]);
      if (!q || q->opType != "QuantizeLinear" || !g_.constant(q->inputs[0]))
        fail(n, "its weights are not DequantizeLinear of a constant or of "
                "QuantizeLinear(constant)");
      done_.insert(q);
      const Tensor &f = *g_.constant(q->inputs[0]);
      const Tensor &qs = constantInput(*q, 1, "the weight scale");
      if (qs.values != scale.values)
        fail(n, "its weights are quantized and de-quantized with different "
                "scales");
      w.dims = f.dims;
      const int64_t qaxis = q->getInt("axis", 1);
      const int64_t lo = -128, hi = 127;
      for (int64_t i = 0; i < f.size(); ++i) {
        double s = qs.size() == 1 ? qs.values[0]
                                  : qs.values[channelOf(f.dims, qaxis, i)];
        double v = s > 0 ? std::nearbyint(f.values[i] / s) : 0;
        w.q.push_back(std::clamp(static_cast<int64_t>(v), lo, hi));
      }
    }
    if (dq->inputs.size() > 2 && !dq->inputs[2].empty()) {
      const Tensor *zp = g_.constant(dq->inputs[2]);
      if (zp)
        for (double z : zp->values)
          if (z != 0)
            fail(n, "its weights have a non-zero zero point; Akida weights "
                    "are symmetric");
    }
    const int64_t channels = w.dims.at(axis);
    const int64_t dqAxis = dq->getInt("axis", 1);
    if (scale.size() == 1) {
      w.scale.assign(static_cast<size_t>(channels), scale.values[0]);
    } else if (scale.size() == channels && dqAxis == axis) {
      w.scale = scale.values;
    } else {
      fail(n, "its weight scale has " + std::to_string(scale.size()) +
                  " values along axis " + std::to_string(dqAxis) +
                  "; expected one, or one per output channel along axis " +
                  std::to_string(axis));
    }
    for (double s : w.scale)
      if (s < 0 || !std::isfinite(s))
        fail(n, "its weight scales must be finite and non-negative");
    return w;
  }

  static int64_t channelOf(const std::vector<int64_t> &dims, int64_t axis,
                           int64_t flat) {
    int64_t inner = 1;
    for (size_t d = static_cast<size_t>(axis) + 1; d < dims.size(); ++d)
      inner *= dims[d];
    return (flat / inner) % dims[static_cast<size_t>(axis)];
  }

  /// Float bias per output channel (zeros when absent).
  std::vector<double> bias(const Node &n, size_t input,
                           int64_t channels) const {
    std::vector<double> out(static_cast<size_t>(channels), 0.0);
    if (n.inputs.size() <= input || n.inputs[input].empty())
      return out;
    const std::string &name = n.inputs[input];
    const Tensor *t = g_.constant(name);
    const Node *dq = g_.producer(name);
    if (!t && dq && dq->opType == "DequantizeLinear") {
      done_.insert(dq);
      const Tensor &q = constantInput(*dq, 0, "the bias values");
      const Tensor &s = constantInput(*dq, 1, "the bias scale");
      for (int64_t f = 0; f < channels && f < q.size(); ++f)
        out[f] = q.values[f] * (s.size() == 1 ? s.values[0] : s.values[f]);
      if (q.size() != channels)
        fail(n, "its bias has " + std::to_string(q.size()) + " values for " +
                    std::to_string(channels) + " channels");
      return out;
    }
    if (!t)
      fail(n, "its bias '" + name + "' is not a constant");
    if (t->size() != channels)
      fail(n, "its bias has " + std::to_string(t->size()) + " values for " +
                  std::to_string(channels) + " channels");
    return t->values;
  }

  // ---------------------------------------------------------------- blocks

  void layer(const Node &n) {
    const std::string &x = n.inputs.at(0);
    auto view = views_.find(x);
    if (view == views_.end())
      fail(n, "its input '" + x + "' is not a de-quantized activation "
                                   "(DequantizeLinear of a QuantizeLinear "
                                   "output); every layer input must be "
                                   "quantized");
    const QValue in = quantized_.at(view->second);
    const bool flat = flattened_.count(x) > 0;
    Block b;
    b.op = &n;
    LayerDesc layer;
    layer.name = n.name;
    if (in.layer >= 0)
      layer.inbounds = {in.layer};
    std::array<int64_t, 3> out{};

    if (n.opType == "Conv") {
      if (flat)
        fail(n, "convolves a flattened tensor");
      b.w = weights(n, n.inputs.at(1), 0);
      const std::vector<int64_t> &d = b.w.dims;
      if (d.size() != 4)
        fail(n, "only 2-D convolutions are supported");
      const int64_t filters = d[0], kh = d[2], kw = d[3];
      const int64_t group = n.getInt("group", 1);
      const bool depthwise = group > 1 && group == in.shape[2] &&
                             d[1] == 1 && filters == in.shape[2];
      if (group != 1 && !depthwise)
        fail(n, "grouped convolution (group " + std::to_string(group) +
                    ") is not supported; only group 1 and depthwise");
      if (!depthwise && d[1] != in.shape[2])
        fail(n, "its weights read " + std::to_string(d[1]) +
                    " channels but the input has " +
                    std::to_string(in.shape[2]));
      if (kh != kw)
        fail(n, "kernel " + std::to_string(kh) + "x" + std::to_string(kw) +
                    ": Akida kernels are square");
      for (int64_t dil : n.getInts("dilations", {1, 1}))
        if (dil != 1)
          fail(n, "dilated convolutions are not supported");
      std::vector<int64_t> strides = n.getInts("strides", {1, 1});
      if (strides.size() != 2 || strides[0] != strides[1])
        fail(n, "strides must be equal in both dimensions");
      const int64_t stride = strides[0];
      const Padding padding = paddingOf(n, in.shape, kh, stride);
      out = {windowOutputDim(in.shape[0], kh, stride, padding),
             windowOutputDim(in.shape[1], kw, stride, padding), filters};
      b.bias = bias(n, 2, filters);
      layer.params["padding"] = static_cast<int64_t>(padding);
      setConvLayer(layer, b, in, depthwise, kh, stride);
    } else {
      // Gemm (A x B^T when transB) or MatMul: a dense layer.
      if (n.opType == "Gemm") {
        if (n.getFloat("alpha", 1.0) != 1.0 || n.getFloat("beta", 1.0) != 1.0)
          fail(n, "alpha and beta must be 1");
        if (n.getInt("transA", 0) != 0)
          fail(n, "transA is not supported");
      }
      const bool transB = n.opType == "Gemm" && n.getInt("transB", 0) == 1;
      b.w = weights(n, n.inputs.at(1), transB ? 0 : 1);
      if (b.w.dims.size() != 2)
        fail(n, "its weights must be a matrix");
      const int64_t units = transB ? b.w.dims[0] : b.w.dims[1];
      const int64_t features = transB ? b.w.dims[1] : b.w.dims[0];
      const int64_t inFeatures = in.shape[0] * in.shape[1] * in.shape[2];
      if (!flat && (in.shape[0] != 1 || in.shape[1] != 1))
        fail(n, "multiplies a spatial tensor; Flatten it first");
      if (features != inFeatures)
        fail(n, "its weights read " + std::to_string(features) +
                    " features but the input has " +
                    std::to_string(inFeatures));
      b.bias = n.opType == "Gemm" ? bias(n, 2, units)
                                  : std::vector<double>(units, 0.0);
      out = {1, 1, units};
      setDenseLayer(layer, b, in, transB, units);
    }
    done_.insert(&n);

    // The rest of the block.
    std::string value = follow(b, n.outputs[0], out);
    b.output = value;

    finish(layer, b, in);
    const int index = static_cast<int>(desc_.layers.size());
    desc_.layers.push_back(std::move(layer));
    tensors_.push_back(b.quantize || target_ == IpVersion::v1 ? b.output : "");
    if (b.quantize) {
      QValue q;
      q.layer = index;
      q.scale = quantScale_;
      q.bits = quantBits_;
      q.isSigned = quantSigned_;
      q.shape = out;
      quantized_[b.quantize->outputs[0]] = q;
    } else {
      appendDequantizer(b, out);
      finished_ = true;
    }
  }

  // ---------------------------------------------------------------- merges

  /// The quantized activation a de-quantized input stands for.
  const QValue &viewed(const Node &n, const std::string &value) const {
    auto it = views_.find(value);
    if (it == views_.end() || flattened_.count(value))
      fail(n, "its input '" + value + "' is not a de-quantized activation");
    const QValue &q = quantized_.at(it->second);
    if (q.layer < 0)
      fail(n, "reads the model input directly; a merge needs layers on "
              "both sides");
    return q;
  }

  /// v2 Add (shift-aligned sum) and Concatenate (channels, one scale).
  void merge(const Node &n) {
    if (target_ == IpVersion::v1)
      fail(n, "Akida 1.0 models are sequential: no " + n.opType +
                  " (use --target v2)");
    if (n.inputs.size() < 2 || (n.opType == "Add" && n.inputs.size() != 2))
      fail(n, "needs two inputs");
    std::vector<const QValue *> in;
    for (const std::string &v : n.inputs)
      in.push_back(&viewed(n, v));
    done_.insert(&n);
    LayerDesc layer;
    layer.name = n.name;
    for (const QValue *q : in)
      layer.inbounds.push_back(q->layer);
    QValue out = *in[0];
    if (n.opType == "Concat") {
      if (n.getInt("axis", 1) != 1)
        fail(n, "only channel concatenation (axis 1 of NCHW) is supported");
      out.shape[2] = 0;
      for (const QValue *q : in) {
        if (std::abs(q->scale - in[0]->scale) > 1e-6 * in[0]->scale ||
            q->bits != in[0]->bits || q->isSigned != in[0]->isSigned)
          fail(n, "its inputs must share one scale and bit width (Akida "
                  "concatenates the integers as they are)");
        if (q->shape[0] != out.shape[0] || q->shape[1] != out.shape[1])
          fail(n, "its inputs must have the same rows and columns");
        out.shape[2] += q->shape[2];
      }
      const Node *q = next(n.outputs[0], n);
      if (!q || q->opType != "QuantizeLinear")
        fail(n, "must be followed by QuantizeLinear");
      auto [scale, zp] = scalarQuant(*q);
      if (zp != 0 || std::abs(scale - out.scale) > 1e-6 * out.scale)
        fail(*q, "re-quantizes the concatenation with another scale; Akida "
                 "keeps the inputs' scale");
      done_.insert(q);
      layer.type = LayerType::Concatenate;
      out.layer = static_cast<int>(desc_.layers.size());
      desc_.layers.push_back(std::move(layer));
      tensors_.push_back(q->outputs[0]);
      quantized_[q->outputs[0]] = out;
      return;
    }
    const QValue &a = *in[0], &b = *in[1];
    if (a.shape != b.shape)
      fail(n, "adds tensors of different shapes");
    // [Relu] QuantizeLinear.
    bool relu = false;
    const Node *q = next(n.outputs[0], n);
    if (q && q->opType == "Relu") {
      relu = true;
      done_.insert(q);
      q = next(q->outputs[0], *q);
    }
    if (!q || q->opType != "QuantizeLinear")
      fail(n, "must be followed by [Relu] QuantizeLinear");
    done_.insert(q);
    auto [scale, zp] = scalarQuant(*q);
    if (zp != 0)
      fail(*q, "the zero point must be 0");
    const Tensor *zpT = q->inputs.size() > 2 ? g_.constant(q->inputs[2]) : nullptr;
    const bool isSigned = !relu && zpT && zpT->type == ElemType::Int8;
    if (!relu && !isSigned)
      fail(*q, "quantizes to unsigned values without a ReLU before");
    // y = a s_a / s_y + b s_b / s_y: both ratios must be powers of two.
    auto log2Exact = [&](double ratio, const char *which) {
      const double e = std::round(std::log2(ratio));
      if (std::abs(ratio - std::ldexp(1.0, static_cast<int>(e))) > 1e-6 * ratio)
        fail(n, std::string("input ") + which + "'s scale is " +
                    std::to_string(ratio) +
                    " times the output's; Akida 2.0 Add aligns inputs by "
                    "shifts, so the ratio must be a power of two");
      return static_cast<int64_t>(e);
    };
    const int64_t ka = log2Exact(a.scale / scale, "A");
    const int64_t kb = log2Exact(b.scale / scale, "B");
    // Shift both left to a common exact sum, round once on output.
    const int64_t m = std::min<int64_t>({ka, kb, 0});
    const int64_t C = a.shape[2];
    layer.type = LayerType::Add;
    layer.params["activation"] = relu ? 1 : 0;
    layer.params["output_bits"] = 8;
    layer.variables["a_shift"] = {
        Array::fromInts(DType::Int8, {C}, std::vector<int64_t>(C, ka - m)), 8};
    layer.variables["b_shift"] = {
        Array::fromInts(DType::Int8, {C}, std::vector<int64_t>(C, kb - m)), 8};
    layer.variables["output_shift"] = {
        Array::fromInts(DType::Int8, {C}, std::vector<int64_t>(C, m)), 8};
    out.layer = static_cast<int>(desc_.layers.size());
    out.scale = scale;
    out.bits = 8;
    out.isSigned = isSigned;
    desc_.layers.push_back(std::move(layer));
    tensors_.push_back(q->outputs[0]);
    quantized_[q->outputs[0]] = out;
  }

  Padding paddingOf(const Node &n, const std::array<int64_t, 3> &in,
                    int64_t k, int64_t stride) const {
    const std::string autoPad = n.getString("auto_pad", "NOTSET");
    if (autoPad == "VALID")
      return Padding::Valid;
    if (autoPad == "SAME_UPPER")
      return Padding::Same;
    if (autoPad != "NOTSET")
      fail(n, "auto_pad " + autoPad + " is not supported (NOTSET, VALID, "
                                      "SAME_UPPER)");
    std::vector<int64_t> pads = n.getInts("pads", {0, 0, 0, 0});
    if (pads.size() != 4)
      fail(n, "pads must have 4 values");
    // 'same' where it pads nothing (1x1 kernels): the padding v1 NPs take.
    for (Padding p : {Padding::Same, Padding::SameUpper}) {
      bool match = true;
      for (int d = 0; d < 2; ++d) {
        int64_t outDim = windowOutputDim(in[d], k, stride, p);
        int64_t total = std::max<int64_t>((outDim - 1) * stride + k - in[d], 0);
        int64_t before = paddingBefore(in[d], k, stride, p);
        match = match && pads[d] == before && pads[d + 2] == total - before;
      }
      if (match && (p == Padding::Same || target_ == IpVersion::v2))
        return p;
    }
    if (std::all_of(pads.begin(), pads.end(), [](int64_t p) { return p == 0; }))
      return Padding::Valid;
    fail(n, "pads [" + std::to_string(pads[0]) + "," + std::to_string(pads[1]) +
                "," + std::to_string(pads[2]) + "," + std::to_string(pads[3]) +
                "] are neither 'valid' nor 'same' for this input");
  }

  /// BatchNormalization, pooling, activation and the output quantizer.
  std::string follow(Block &b, std::string value, std::array<int64_t, 3> &out) {
    const Node *from = b.op;
    bool activated = false;
    while (const Node *n = next(value, *from)) {
      const std::string &op = n->opType;
      if (op == "BatchNormalization") {
        if (activated || b.pool != PoolType::NoPooling)
          fail(*n, "BatchNormalization must follow the Conv/Gemm directly");
        foldBatchNorm(*n, b);
      } else if (op == "MaxPool") {
        if (b.pool != PoolType::NoPooling)
          fail(*n, "a layer takes one pooling");
        std::vector<int64_t> k = n->getInts("kernel_shape", {});
        std::vector<int64_t> s = n->getInts("strides", {1, 1});
        std::vector<int64_t> pads = n->getInts("pads", {0, 0, 0, 0});
        if (k.size() != 2 || k[0] != k[1] || s.size() != 2 || s[0] != s[1])
          fail(*n, "pooling windows and strides must be square");
        if (std::any_of(pads.begin(), pads.end(),
                        [](int64_t p) { return p != 0; }) ||
            n->getInt("ceil_mode", 0) != 0)
          fail(*n, "padded or ceil-mode max pooling is not supported");
        if (n->outputs.size() > 1)
          fail(*n, "the Indices output is not supported");
        b.pool = PoolType::Max;
        b.poolSize = k[0];
        b.poolStride = s[0];
        out[0] = (out[0] - k[0]) / s[0] + 1;
        out[1] = (out[1] - k[1]) / s[1] + 1;
      } else if (op == "GlobalAveragePool") {
        if (activated)
          fail(*n, "global average pooling after the activation cannot be "
                   "folded: Akida averages the potentials, before the "
                   "activation");
        if (b.pool != PoolType::NoPooling)
          fail(*n, "a layer takes one pooling");
        b.pool = PoolType::Average;
        gapPositions_ = out[0] * out[1];
        out[0] = out[1] = 1;
      } else if (op == "Relu") {
        b.relu = true;
        activated = true;
      } else if (op == "Clip") {
        double lo = -std::numeric_limits<double>::infinity();
        double hi = std::numeric_limits<double>::infinity();
        if (n->inputs.size() > 1 && !n->inputs[1].empty())
          lo = constantInput(*n, 1, "the clip minimum").values.at(0);
        if (n->inputs.size() > 2 && !n->inputs[2].empty())
          hi = constantInput(*n, 2, "the clip maximum").values.at(0);
        lo = n->getFloat("min", lo);
        hi = n->getFloat("max", hi);
        if (lo != 0 && !(b.relu && lo <= 0))
          fail(*n, "a clip must start at 0 (a bounded ReLU)");
        b.relu = true;
        b.clipMax = std::min(b.clipMax, hi);
        activated = true;
      } else if (op == "QuantizeLinear") {
        b.quantize = n;
        done_.insert(n);
        return n->outputs[0];
      } else {
        fail(*n, "cannot end the layer block of " + b.op->describe() +
                     "; a block is Conv/Gemm/MatMul [BatchNormalization] "
                     "[MaxPool|GlobalAveragePool] [Relu] [Clip] "
                     "QuantizeLinear");
      }
      done_.insert(n);
      value = n->outputs[0];
      from = n;
    }
    if (activated || std::find_if(g_.outputs.begin(), g_.outputs.end(),
                                  [&](const ValueInfo &v) {
                                    return v.name == value;
                                  }) == g_.outputs.end())
      fail(*from, "the layer block ends without QuantizeLinear; only the "
                  "model output may stay float, and then without an "
                  "activation");
    return value;
  }

  void foldBatchNorm(const Node &n, Block &b) {
    const Tensor &gamma = constantInput(n, 1, "the scale");
    const Tensor &beta = constantInput(n, 2, "the bias");
    const Tensor &mean = constantInput(n, 3, "the mean");
    const Tensor &var = constantInput(n, 4, "the variance");
    const double eps = n.getFloat("epsilon", 1e-5);
    const size_t channels = b.w.scale.size();
    if (gamma.size() != static_cast<int64_t>(channels))
      fail(n, "its parameters do not have one value per channel");
    const int axis = b.op->opType == "Conv" ? 0 : 1;
    for (size_t f = 0; f < channels; ++f) {
      double g = gamma.values[f] / std::sqrt(var.values[f] + eps);
      b.bias[f] = (b.bias[f] - mean.values[f]) * g + beta.values[f];
      b.w.scale[f] *= std::abs(g);
      if (g < 0)
        for (size_t i = 0; i < b.w.q.size(); ++i)
          if (channelOf(b.w.dims, axis, static_cast<int64_t>(i)) ==
              static_cast<int64_t>(f))
            b.w.q[i] = -b.w.q[i];
    }
  }

  // ---------------------------------------------------------------- layers

  static int weightBits(const std::vector<int64_t> &q) {
    int64_t m = 0;
    for (int64_t v : q)
      m = std::max(m, v < 0 ? -v - 1 : v);
    for (int bits : {2, 4, 8})
      if (m < (int64_t(1) << (bits - 1)))
        return bits;
    return 8;
  }

  void setConvLayer(LayerDesc &layer, const Block &b, const QValue &in,
                    bool depthwise, int64_t k, int64_t stride) {
    const bool first = in.layer < 0;
    const std::vector<int64_t> &d = b.w.dims; // [F, C|1, k, k]
    const int64_t filters = d[0];
    const int64_t channels = depthwise ? in.shape[2] : d[1];
    if (first && depthwise)
      fail(*b.op, "the first layer cannot be a depthwise convolution");
    layer.params["filters"] = filters;
    const int wbits = weightBits(b.w.q);
    if (target_ == IpVersion::v1) {
      layer.type = first ? LayerType::InputConvolutional
                         : LayerType::Convolutional;
      layer.params["kernel_size_x"] = k;
      layer.params["kernel_size_y"] = k;
      layer.params["kernel_stride_x"] = stride;
      layer.params["kernel_stride_y"] = stride;
      layer.params["weights_bits"] = wbits;
      // (kx, ky, C, F); v1 Convolutional is a true convolution: flipped.
      std::vector<int64_t> w(static_cast<size_t>(k * k * channels * filters), 0);
      for (int64_t f = 0; f < filters; ++f)
        for (int64_t c = 0; c < channels; ++c) {
          if (depthwise && c != f)
            continue;
          for (int64_t i = 0; i < k; ++i)
            for (int64_t j = 0; j < k; ++j) {
              int64_t src = depthwise ? ((f * 1 + 0) * k + i) * k + j
                                      : ((f * d[1] + c) * k + i) * k + j;
              int64_t ii = first ? i : k - 1 - i, jj = first ? j : k - 1 - j;
              w[((ii * k + jj) * channels + c) * filters + f] = b.w.q[src];
            }
        }
      layer.variables["weights"] = {
          Array::fromInts(DType::Int8, {k, k, channels, filters}, w), wbits};
      return;
    }
    layer.type = first ? LayerType::InputConv2D
                 : depthwise ? LayerType::DepthwiseConv2D
                             : LayerType::Conv2D;
    if (!depthwise)
      layer.params["filters"] = filters;
    else
      layer.params.erase("filters");
    layer.params["kernel_size"] = k;
    layer.params["kernel_stride"] = stride;
    layer.params["weights_bits"] = wbits;
    if (depthwise) {
      std::vector<int64_t> w(static_cast<size_t>(k * k * channels));
      for (int64_t c = 0; c < channels; ++c)
        for (int64_t i = 0; i < k; ++i)
          for (int64_t j = 0; j < k; ++j)
            w[(i * k + j) * channels + c] = b.w.q[(c * k + i) * k + j];
      layer.variables["weights"] = {
          Array::fromInts(DType::Int8, {k, k, channels}, w), wbits};
    } else {
      std::vector<int64_t> w(static_cast<size_t>(k * k * channels * filters));
      for (int64_t f = 0; f < filters; ++f)
        for (int64_t c = 0; c < channels; ++c)
          for (int64_t i = 0; i < k; ++i)
            for (int64_t j = 0; j < k; ++j)
              w[((i * k + j) * channels + c) * filters + f] =
                  b.w.q[((f * channels + c) * k + i) * k + j];
      layer.variables["weights"] = {
          Array::fromInts(DType::Int8, {k, k, channels, filters}, w), wbits};
    }
  }

  void setDenseLayer(LayerDesc &layer, const Block &b, const QValue &in,
                     bool transB, int64_t units) {
    const int64_t H = in.shape[0], W = in.shape[1], C = in.shape[2];
    const int64_t features = H * W * C;
    const int wbits = weightBits(b.w.q);
    // ONNX flattens NCHW: feature c*H*W + h*W + w.
    std::vector<int64_t> w(static_cast<size_t>(features * units));
    for (int64_t h = 0; h < H; ++h)
      for (int64_t x = 0; x < W; ++x)
        for (int64_t c = 0; c < C; ++c) {
          const int64_t onnxIndex = (c * H + h) * W + x;
          const int64_t akida = target_ == IpVersion::v1
                                    ? c * H * W + x * H + h
                                    : (h * W + x) * C + c;
          for (int64_t u = 0; u < units; ++u)
            w[akida * units + u] =
                b.w.q[transB ? u * features + onnxIndex
                             : onnxIndex * units + u];
        }
    if (target_ == IpVersion::v1) {
      layer.type = LayerType::FullyConnected;
      layer.params["units"] = units;
      layer.params["weights_bits"] = wbits;
      layer.variables["weights"] = {
          Array::fromInts(DType::Int8, {1, 1, features, units}, w), wbits};
    } else {
      layer.type = LayerType::Dense1D;
      layer.params["units"] = units;
      layer.params["weights_bits"] = wbits;
      layer.variables["weights"] = {
          Array::fromInts(DType::Int8, {features, units}, w), wbits};
    }
  }

  /// Pooling, activation and requantization parameters.
  void finish(LayerDesc &layer, const Block &b, const QValue &in) {
    const Node &n = *b.op;
    const int64_t F = static_cast<int64_t>(b.w.scale.size());
    // Pooling.
    if (b.pool != PoolType::NoPooling) {
      if (layer.type == LayerType::FullyConnected ||
          layer.type == LayerType::Dense1D)
        fail(n, "a dense layer cannot pool");
      layer.params["pool_type"] = static_cast<int64_t>(b.pool);
      if (b.pool == PoolType::Max) {
        if (target_ == IpVersion::v1) {
          layer.params["pool_size_x"] = layer.params["pool_size_y"] = b.poolSize;
          layer.params["pool_stride_x"] = layer.params["pool_stride_y"] =
              b.poolStride;
        } else {
          layer.params["pool_size"] = b.poolSize;
          layer.params["pool_stride"] = b.poolStride;
        }
      }
    }
    const double positions =
        b.pool == PoolType::Average ? static_cast<double>(gapPositions_) : 1.0;

    // Output quantization.
    quantBits_ = 0;
    quantSigned_ = false;
    quantScale_ = 1;
    if (b.quantize) {
      auto [scale, zp] = scalarQuant(*b.quantize);
      if (zp != 0)
        fail(*b.quantize, "the zero point is " + std::to_string(zp) +
                              "; Akida activations have zero point 0");
      const Tensor *zpT = b.quantize->inputs.size() > 2
                              ? g_.constant(b.quantize->inputs[2])
                              : nullptr;
      quantSigned_ = zpT && zpT->type == ElemType::Int8;
      if (quantSigned_ && b.relu)
        quantSigned_ = false; // ReLU output: the sign bit is never used
      double qmax = quantSigned_ ? 127 : 255;
      if (std::isfinite(b.clipMax))
        qmax = std::min(qmax, std::floor(b.clipMax / scale + 0.5));
      int bits = 1;
      while ((int64_t(1) << bits) - 1 < static_cast<int64_t>(qmax))
        ++bits;
      quantBits_ = quantSigned_ ? 8 : bits;
      quantScale_ = scale;
      clipExact_ = (int64_t(1) << bits) - 1 == static_cast<int64_t>(qmax);
      if (!b.relu && !quantSigned_)
        fail(*b.quantize, "quantizes to unsigned values without a ReLU "
                          "before: the negative values would be lost");
    }

    // Per channel: the multiplier from the accumulator to the output, and
    // the bias in accumulator units.
    std::vector<double> M(F), accBias(F), floatBias(F);
    std::vector<bool> dead(F);
    for (int64_t f = 0; f < F; ++f) {
      const double accScale = in.scale * b.w.scale[f];
      // A zero weight scale (all-zero weights quantized with scale 0): the
      // output is the constant the bias alone gives.
      dead[f] = !(accScale > 0);
      M[f] = accScale / positions / (b.quantize ? quantScale_ : 1.0);
      accBias[f] = accScale > 0 ? b.bias[f] / accScale : 0.0;
      floatBias[f] = b.bias[f];
    }

    if (target_ == IpVersion::v1)
      finishV1(layer, b, M, accBias, floatBias, dead, positions);
    else
      finishV2(layer, b, M, accBias, floatBias, dead, positions);
  }

  /// A step s for v1 levels: out >= n + 1 iff p > T + n s, and exactly
  /// iff p > t + n / M (p integer), i.e. floor(T + n s) = floor(t + n / M)
  /// for n = 1 .. 2^bits - 2. The s satisfying all of them form an interval;
  /// its middle is used, or 1/M when it is empty (the boundaries then move
  /// by less than one potential unit).
  static double levelStep(double t, double m, int64_t T, int bits) {
    const double exact = 1.0 / m;
    double lo = 0, hi = std::numeric_limits<double>::infinity();
    const int levels = (1 << bits) - 1;
    for (int n = 1; n < levels; ++n) {
      const double k = std::floor(t + n * exact);
      lo = std::max(lo, (k - static_cast<double>(T)) / n);
      hi = std::min(hi, (k + 1 - static_cast<double>(T)) / n);
    }
    if (!(lo < hi) || !std::isfinite(hi))
      return exact;
    const float mid = static_cast<float>(lo + (hi - lo) / 2);
    for (int n = 1; n < levels; ++n)
      if (std::floor(static_cast<double>(T) + n * static_cast<double>(mid)) !=
          std::floor(t + n * exact))
        return exact;
    return mid;
  }

  static int64_t clampInt32(double v) {
    if (!(v > -2147483648.0))
      return std::numeric_limits<int32_t>::min();
    if (!(v < 2147483647.0))
      return std::numeric_limits<int32_t>::max();
    return static_cast<int64_t>(v);
  }

  void finishV1(LayerDesc &layer, const Block &b, const std::vector<double> &M,
                const std::vector<double> &accBias,
                const std::vector<double> &floatBias,
                const std::vector<bool> &dead, double positions) {
    const int64_t F = static_cast<int64_t>(M.size());
    std::vector<int64_t> threshold(F);
    std::vector<float> step(F);
    if (!b.quantize) {
      // Potentials out; predict de-quantizes (p - threshold) / act_step.
      layer.params["activation"] = 0;
      for (int64_t f = 0; f < F; ++f) {
        if (dead[f]) {
          threshold[f] = floatBias[f] > 0 ? -1 : floatBias[f] < 0 ? 1 : 0;
          step[f] = floatBias[f] != 0 ? static_cast<float>(1 / std::abs(floatBias[f])) : 1.0f;
          continue;
        }
        threshold[f] = clampInt32(std::nearbyint(-accBias[f] * positions));
        step[f] = static_cast<float>(1.0 / M[f]);
      }
    } else {
      if (!b.relu)
        fail(*b.quantize, "Akida 1.0 activations are unsigned (ReLU); use "
                          "--target v2 for signed outputs");
      if (quantBits_ != 1 && quantBits_ != 2 && quantBits_ != 4)
        fail(*b.quantize,
             "quantizes to " + std::to_string(quantBits_) +
                 " bits; Akida 1.0 activations have 1, 2 or 4 bits (use "
                 "--target v2 for 8-bit models)");
      if (!clipExact_)
        fail(*b.quantize, "its clip is not at the top of the " +
                              std::to_string(quantBits_) +
                              "-bit range; Akida 1.0 saturates there");
      layer.params["activation"] = 1;
      layer.params["act_bits"] = quantBits_;
      const double factor = std::ldexp(1.0, quantBits_ - 4);
      for (int64_t f = 0; f < F; ++f) {
        if (dead[f]) {
          // A constant output: clamp(round(bias / s_y)).
          const double c = std::clamp(std::nearbyint(floatBias[f] / quantScale_),
                                      0.0, std::ldexp(1.0, quantBits_) - 1);
          threshold[f] = -static_cast<int64_t>(c);
          step[f] = static_cast<float>(factor);
          continue;
        }
        // round((p + b) M) = ceil((p - t) M) with t = 1/(2M) - b. The
        // integer threshold floor(t) keeps the zero/non-zero decision
        // exact; the step is then chosen so that every level boundary falls
        // between the same integers as the exact one (levelStep).
        const double t = 0.5 / M[f] - accBias[f] * positions;
        threshold[f] = clampInt32(std::floor(t));
        step[f] = static_cast<float>(
            factor * levelStep(t, M[f], threshold[f], quantBits_));
      }
    }
    if (layer.type != LayerType::FullyConnected) {
      if (b.quantize == nullptr)
        fail(*b.op, "only a dense layer may end the model without "
                    "quantization on Akida 1.0");
    }
    layer.variables["threshold"] = {
        Array::fromInts(DType::Int32, {F}, threshold), 32};
    layer.variables["act_step"] = {Array::fromFloats({F}, step), 32};
  }

  /// v * M ~ roundShift(v * scale, shift), scale uint8.
  static void multiplier(double m, int64_t &scale, int64_t &shift) {
    if (!(m > 0)) {
      scale = 0;
      shift = 0;
      return;
    }
    int e = 0;
    std::frexp(m, &e); // m = f 2^e, f in [0.5, 1)
    shift = e - 8;     // scale = m 2^-shift in [128, 256)
    if (shift < -32)
      shift = -32;
    if (shift > 31)
      shift = 31;
    scale = static_cast<int64_t>(std::nearbyint(std::ldexp(m, -static_cast<int>(shift))));
    if (scale > 255) {
      scale = (scale + 1) / 2;
      ++shift;
    }
  }

  /// A bias in accumulator units as int8 << uint8.
  static void splitBias(double v, int64_t &value, int64_t &shift) {
    shift = 0;
    double r = std::nearbyint(v);
    while (std::abs(r) > 127 && shift < 31) {
      ++shift;
      r = std::nearbyint(std::ldexp(v, -static_cast<int>(shift)));
    }
    value = static_cast<int64_t>(std::clamp(r, -128.0, 127.0));
  }

  void finishV2(LayerDesc &layer, const Block &b, const std::vector<double> &M,
                const std::vector<double> &accBias,
                const std::vector<double> &floatBias,
                const std::vector<bool> &dead, double positions) {
    const int64_t F = static_cast<int64_t>(M.size());
    std::vector<int64_t> biasV(F), biasS(F), scale(F, 1), shift(F, 0),
        maxV(F, 0), maxS(F, 0);
    bool anyBias = false;
    for (int64_t f = 0; f < F; ++f) {
      splitBias(dead[f] ? 0 : accBias[f], biasV[f], biasS[f]);
      anyBias = anyBias || biasV[f] != 0;
    }
    if (!b.quantize) {
      layer.params["activation"] = static_cast<int64_t>(Activation::NoActivation);
      layer.params["output_bits"] = 32;
      layer.params["buffer_bits"] = 32;
    } else {
      layer.params["activation"] = static_cast<int64_t>(
          b.relu ? Activation::ReLU : Activation::NoActivation);
      if (quantBits_ != 4 && quantBits_ != 8)
        fail(*b.quantize, "quantizes to " + std::to_string(quantBits_) +
                              " bits; Akida 2.0 activations have 4 or 8 bits");
      layer.params["output_bits"] = quantBits_;
      for (int64_t f = 0; f < F; ++f) {
        if (dead[f]) {
          // A constant output c: bias +-1 (summed over the positions of a
          // global average), scaled by c / positions.
          const double c = std::clamp(std::nearbyint(floatBias[f] / quantScale_),
                                      b.relu ? 0.0 : -128.0, 255.0);
          biasV[f] = c > 0 ? 1 : c < 0 ? -1 : 0;
          biasS[f] = 0;
          multiplier(std::abs(c) / positions, scale[f], shift[f]);
          anyBias = anyBias || biasV[f] != 0;
          continue;
        }
        multiplier(M[f], scale[f], shift[f]);
      }
      if (b.relu && std::isfinite(b.clipMax) && !clipExact_) {
        // A bounded ReLU below the saturation: max_value in accumulator
        // units (before the output scale).
        for (int64_t f = 0; f < F; ++f) {
          double accMax = M[f] > 0 ? b.clipMax / quantScale_ / M[f] : 0;
          splitBias(accMax, maxV[f], maxS[f]);
          maxV[f] = std::clamp<int64_t>(maxV[f], 0, 255);
        }
        layer.variables["max_value"] = {
            Array::fromInts(DType::UInt8, {F}, maxV), 8};
        layer.variables["max_value_shift"] = {
            Array::fromInts(DType::UInt8, {F}, maxS), 8};
      }
      layer.variables["output_scales"] = {
          Array::fromInts(DType::UInt8, {F}, scale), 8};
      layer.variables["output_shift"] = {
          Array::fromInts(DType::Int8, {F}, shift), 8};
    }
    if (anyBias) {
      layer.variables["bias"] = {Array::fromInts(DType::Int8, {F}, biasV), 8};
      layer.variables["bias_shift"] = {
          Array::fromInts(DType::UInt8, {F}, biasS), 8};
    }
  }

  /// v2: a Dequantizer after a last layer without quantized output.
  void appendDequantizer(const Block &b, const std::array<int64_t, 3> &out) {
    if (target_ == IpVersion::v1)
      return;
    const QValue &in = quantized_.at(views_.at(b.op->inputs[0]));
    const double positions =
        b.pool == PoolType::Average ? static_cast<double>(gapPositions_) : 1.0;
    const int64_t F = out[2];
    std::vector<float> scales(F);
    bool constant = false;
    for (int64_t f = 0; f < F; ++f) {
      scales[f] = static_cast<float>(in.scale * b.w.scale[f] / positions);
      constant = constant || (scales[f] == 0 && b.bias[f] != 0);
    }
    if (constant)
      fail(*b.op, "an output channel with all-zero weights and a bias is not "
                  "representable after the Dequantizer");
    LayerDesc dq;
    dq.name = b.op->name + "/dequantize";
    dq.type = LayerType::Dequantizer;
    dq.inbounds = {static_cast<int>(desc_.layers.size()) - 1};
    dq.variables["scales"] = {Array::fromFloats({F}, scales), 32};
    desc_.layers.push_back(std::move(dq));
    tensors_.push_back(b.output);
  }

  const Graph &g_;
  IpVersion target_;
  ModelDesc desc_;
  std::string inputName_;
  std::vector<std::string> tensors_;
  double inputScale_ = 1;
  std::map<std::string, QValue> quantized_;   ///< integer activations
  std::map<std::string, std::string> views_;  ///< float view -> quantized
  std::set<std::string> flattened_;
  mutable std::set<const Node *> done_;
  bool finished_ = false;
  // Set per block by follow/finish.
  int64_t gapPositions_ = 1;
  double quantScale_ = 1;
  int quantBits_ = 8;
  bool quantSigned_ = false;
  bool clipExact_ = true;
};

} // namespace

Imported importGraph(const Graph &graph, IpVersion target) {
  return Legalizer(graph, target).run();
}

Imported importOnnxFile(const std::string &path, IpVersion target) {
  Imported imported = importGraph(readOnnxFile(path), target);
  ModelDesc &desc = imported.desc;
  std::string stem = path.substr(path.find_last_of('/') + 1);
  stem = stem.substr(0, stem.find('.'));
  std::string name;
  for (char c : stem)
    name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (!name.empty() && !std::isdigit(static_cast<unsigned char>(name[0])))
    desc.name = name;
  return imported;
}

} // namespace akida::onnx
