//===- Legalize.cpp - ONNX QDQ graphs to Akida layers ---------------------===//

#include "compiler/onnx/Legalize.h"

#include "compiler/onnx/QuantizedWeights.h"
#include "compiler/onnx/Requantize.h"
#include "compiler/onnx/WeightLayout.h"
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
    return g_.constantInput(n, i, what);
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
      b.w = quantizedWeights(g_, n, n.inputs.at(1), 0, done_);
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
      b.bias = floatBias(g_, n, 2, filters, done_);
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
      b.w = quantizedWeights(g_, n, n.inputs.at(1), transB ? 0 : 1, done_);
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
      b.bias = n.opType == "Gemm" ? floatBias(g_, n, 2, units, done_)
                                  : std::vector<double>(units, 0.0);
      out = {1, 1, units};
      setDenseLayer(layer, b, in, transB, units);
    }
    done_.insert(&n);

    // The rest of the block.
    std::string value = follow(b, n.outputs[0], out);
    b.output = value;

    const OutputSpec spec = finish(layer, b, in);
    const int index = static_cast<int>(desc_.layers.size());
    desc_.layers.push_back(std::move(layer));
    tensors_.push_back(b.quantize || target_ == IpVersion::v1 ? b.output : "");
    if (b.quantize) {
      QValue q;
      q.layer = index;
      q.scale = spec.scale;
      q.bits = spec.bits;
      q.isSigned = spec.isSigned;
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
        foldBatchNorm(g_, *n,
                      b.op->opType == "Conv" || b.op->getInt("transB", 0) == 1
                          ? 0
                          : 1,
                      b.w, b.bias);
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

  void setConvLayer(LayerDesc &layer, const Block &b, const QValue &in,
                    bool depthwise, int64_t k, int64_t stride) {
    const bool first = in.layer < 0;
    const int64_t filters = b.w.dims[0]; // [F, C|1, k, k]
    const int64_t channels = depthwise ? in.shape[2] : b.w.dims[1];
    if (first && depthwise)
      fail(*b.op, "the first layer cannot be a depthwise convolution");
    const int wbits = weightBits(b.w.q);
    layer.params["weights_bits"] = wbits;
    if (target_ == IpVersion::v1) {
      layer.type = first ? LayerType::InputConvolutional
                         : LayerType::Convolutional;
      layer.params["filters"] = filters;
      layer.params["kernel_size_x"] = layer.params["kernel_size_y"] = k;
      layer.params["kernel_stride_x"] = layer.params["kernel_stride_y"] = stride;
      // A v1 NP computes a true convolution; the HRC a cross-correlation.
      layer.variables["weights"] = {
          Array::fromInts(DType::Int8, {k, k, channels, filters},
                          convKernel(b.w.q, filters, channels, k, depthwise,
                                     /*flip=*/!first)),
          wbits};
      return;
    }
    layer.params["kernel_size"] = k;
    layer.params["kernel_stride"] = stride;
    if (depthwise) {
      layer.type = LayerType::DepthwiseConv2D;
      layer.variables["weights"] = {
          Array::fromInts(DType::Int8, {k, k, channels},
                          depthwiseKernel(b.w.q, channels, k)),
          wbits};
      return;
    }
    layer.type = first ? LayerType::InputConv2D : LayerType::Conv2D;
    layer.params["filters"] = filters;
    layer.variables["weights"] = {
        Array::fromInts(DType::Int8, {k, k, channels, filters},
                        convKernel(b.w.q, filters, channels, k, false, false)),
        wbits};
  }

  void setDenseLayer(LayerDesc &layer, const Block &b, const QValue &in,
                     bool transB, int64_t units) {
    const int64_t features = in.shape[0] * in.shape[1] * in.shape[2];
    const int wbits = weightBits(b.w.q);
    std::vector<int64_t> w = denseMatrix(b.w.q, transB, in.shape[0],
                                         in.shape[1], in.shape[2], units,
                                         target_);
    layer.type = target_ == IpVersion::v1 ? LayerType::FullyConnected
                                          : LayerType::Dense1D;
    layer.params["units"] = units;
    layer.params["weights_bits"] = wbits;
    std::vector<int64_t> shape = {features, units};
    if (target_ == IpVersion::v1)
      shape = {1, 1, features, units};
    layer.variables["weights"] = {Array::fromInts(DType::Int8, shape, w),
                                  wbits};
  }

  /// Pooling, activation and requantization parameters.
  OutputSpec finish(LayerDesc &layer, const Block &b, const QValue &in) {
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
    OutputSpec spec;
    spec.op = n.describe();
    spec.relu = b.relu;
    spec.clipMax = b.clipMax;
    if (b.quantize) {
      auto [scale, zp] = scalarQuant(*b.quantize);
      if (zp != 0)
        fail(*b.quantize, "the zero point is " + std::to_string(zp) +
                              "; Akida activations have zero point 0");
      const Tensor *zpT = b.quantize->inputs.size() > 2
                              ? g_.constant(b.quantize->inputs[2])
                              : nullptr;
      // After a ReLU the sign bit of an int8 output is never used.
      spec.isSigned = zpT && zpT->type == ElemType::Int8 && !b.relu;
      if (!b.relu && !spec.isSigned)
        fail(*b.quantize, "quantizes to unsigned values without a ReLU "
                          "before: the negative values would be lost");
      double qmax = spec.isSigned ? 127 : 255;
      if (std::isfinite(b.clipMax))
        qmax = std::min(qmax, std::floor(b.clipMax / scale + 0.5));
      int bits = 1;
      while ((int64_t(1) << bits) - 1 < static_cast<int64_t>(qmax))
        ++bits;
      spec.quantized = true;
      spec.quantizer = b.quantize->describe();
      spec.scale = scale;
      spec.bits = spec.isSigned ? 8 : bits;
      spec.clipExact = (int64_t(1) << bits) - 1 == static_cast<int64_t>(qmax);
    }

    // Per channel: the multiplier from the accumulator to the output, and
    // the bias in accumulator units.
    ChannelScales c;
    c.positions = positions;
    c.M.resize(F);
    c.accBias.resize(F);
    c.dead.resize(F);
    c.floatBias = b.bias;
    for (int64_t f = 0; f < F; ++f) {
      const double accScale = in.scale * b.w.scale[f];
      // A zero weight scale (all-zero weights quantized with scale 0): the
      // output is the constant the bias alone gives.
      c.dead[f] = !(accScale > 0);
      c.M[f] = accScale / positions / spec.scale;
      c.accBias[f] = accScale > 0 ? b.bias[f] / accScale : 0.0;
    }
    if (target_ == IpVersion::v1) {
      if (!b.quantize && layer.type != LayerType::FullyConnected)
        fail(n, "only a dense layer may end the model without quantization "
                "on Akida 1.0");
      setV1Activation(layer, c, spec);
    } else {
      setV2Activation(layer, c, spec);
    }
    return spec;
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
