//===- LayerBlocks.cpp - ONNX blocks that become one Akida layer ----------===//
//
// A Conv/Gemm/MatMul with what follows it up to its QuantizeLinear; a
// QLinearConv/QLinearMatMul/ConvInteger/MatMulInteger node; a pooling on
// its own (an identity 1x1 layer that pools). Geometry, pooling, zero
// points and activation are read here; the integer output stage comes from
// Requantize.h.
//
//===----------------------------------------------------------------------===//

#include "compiler/onnx/Legalizer.h"

#include "compiler/onnx/WeightLayout.h"
#include "runtime/reference/Shapes.h"

#include <algorithm>
#include <cmath>

namespace akida::onnx::detail {

namespace {

std::string padsText(const std::vector<int64_t> &pads) {
  std::string s;
  for (int64_t p : pads)
    s += (s.empty() ? "" : ",") + std::to_string(p);
  return "[" + s + "]";
}

} // namespace

void Legalizer::layer(const Node &n) {
  const std::string &x = n.inputs.at(0);
  auto view = views_.find(x);
  if (view == views_.end())
    fail(n, "its input '" + x + "' is not a de-quantized activation "
                                 "(DequantizeLinear of a QuantizeLinear "
                                 "output); every layer input must be "
                                 "quantized");
  Block b;
  b.op = &n;
  b.in = quantized_.at(view->second);
  const bool flat = flattened_.count(x) > 0;
  std::array<int64_t, 3> out{};
  if (n.opType == "Conv") {
    if (flat)
      fail(n, "convolves a flattened tensor");
    b.w = quantizedWeights(g_, n, n.inputs.at(1), 0, done_);
    out = convGeometry(b, n);
    b.bias = floatBias(g_, n, 2, out[2], done_);
  } else {
    // Gemm (A x B^T when transB) or MatMul: a dense layer.
    if (n.opType == "Gemm") {
      if (n.getFloat("alpha", 1.0) != 1.0 || n.getFloat("beta", 1.0) != 1.0)
        fail(n, "alpha and beta must be 1");
      if (n.getInt("transA", 0) != 0)
        fail(n, "transA is not supported");
    }
    b.transB = n.opType == "Gemm" && n.getInt("transB", 0) == 1;
    b.w = quantizedWeights(g_, n, n.inputs.at(1), b.transB ? 0 : 1, done_);
    out = denseGeometry(b, n, flat);
    b.bias = n.opType == "Gemm" ? floatBias(g_, n, 2, out[2], done_)
                                : std::vector<double>(out[2], 0.0);
  }
  done_.insert(&n);
  b.output = follow(b, nullptr, n.outputs[0], out);
  emit(b, out);
}

void Legalizer::qlinearLayer(const Node &n) {
  const bool qlinear = n.opType.rfind("QLinear", 0) == 0;
  const bool conv = n.opType == "QLinearConv" || n.opType == "ConvInteger";
  const std::string &x = n.inputs.at(0);
  if (!quantized_.count(x))
    fail(n, "its input '" + x + "' is not a quantized tensor (the uint8 "
                                 "model input or a QuantizeLinear output)");
  // Inputs: QLinear (x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp
  // [, bias]); Integer (x, w [, x_zp] [, w_zp]).
  auto optional = [&](size_t i) {
    return n.inputs.size() > i && !n.inputs[i].empty();
  };
  int64_t xz = 0;
  if (optional(2))
    xz = static_cast<int64_t>(
        g_.constantInput(n, 2, "the input zero point").values.at(0));
  Block b;
  b.op = &n;
  if (qlinear) {
    const Tensor &xs = g_.constantInput(n, 1, "the input scale");
    if (xs.size() != 1 || !(xs.values[0] > 0))
      fail(n, "the input scale must be one positive value");
    b.in = readQuantized(n, x, xs.values[0], xz);
  } else {
    const QValue &q = quantized_.at(x);
    b.in = readQuantized(n, x, q.known ? q.scale : 1.0, xz);
    b.in.scale = 1; // the accumulator is the output
  }
  const int axis = conv ? 0 : 1;
  b.w = qlinear ? integerWeights(g_, n, 3, 4, 5, axis)
                : integerWeights(g_, n, 1, -1, 3, axis);
  std::array<int64_t, 3> out =
      conv ? convGeometry(b, n) : denseGeometry(b, n, false);
  b.bias.assign(static_cast<size_t>(out[2]), 0.0);
  if (n.opType == "QLinearConv" && optional(8)) {
    // int32 in units of x_scale * w_scale (before any re-fit of w).
    const Tensor &bias = g_.constantInput(n, 8, "the bias");
    const Tensor &ws = g_.constantInput(n, 4, "the weight scale");
    if (bias.size() != out[2])
      fail(n, "its bias has " + std::to_string(bias.size()) + " values for " +
                  std::to_string(out[2]) + " channels");
    for (int64_t f = 0; f < out[2]; ++f)
      b.bias[f] = bias.values[f] * b.in.scale *
                  ws.values[ws.size() == 1 ? 0 : static_cast<size_t>(f)];
  }
  b.output = n.outputs.at(0);
  if (qlinear) {
    OutQuant o;
    o.what = n.describe();
    const Tensor &ys = g_.constantInput(n, 6, "the output scale");
    if (ys.size() != 1 || !(ys.values[0] > 0))
      fail(n, "the output scale must be one positive value");
    o.scale = ys.values[0];
    if (optional(7)) {
      const Tensor &yz = g_.constantInput(n, 7, "the output zero point");
      o.zeroPoint = static_cast<int64_t>(yz.values.at(0));
      o.int8 = yz.type == ElemType::Int8;
    }
    o.output = b.output;
    b.quantize = o;
  } else {
    if (!isGraphOutput(b.output))
      fail(n, "its int32 output is read by other nodes; Akida layers "
              "re-quantize their outputs, so only the model output may be "
              "an accumulator");
    b.integerOutput = true;
  }
  done_.insert(&n);
  emit(b, out);
}

void Legalizer::poolLayer(const Node &n) {
  const std::string &x = n.inputs.at(0);
  Block b;
  b.op = &n;
  b.identity = true;
  bool direct = false;
  auto view = views_.find(x);
  if (view != views_.end() && !flattened_.count(x)) {
    b.in = quantized_.at(view->second);
  } else if (quantized_.count(x) && n.opType == "MaxPool") {
    b.in = quantized_.at(x); // max of the integers: same scale and zero
    direct = true;
  } else {
    fail(n, "pools '" + x + "', which is neither a de-quantized activation "
                            "nor (for MaxPool) a quantized tensor");
  }
  const int64_t C = b.in.shape[2];
  b.w.dims = {C, C, 1, 1};
  b.w.q.assign(static_cast<size_t>(C * C), 0);
  for (int64_t c = 0; c < C; ++c)
    b.w.q[static_cast<size_t>(c * C + c)] = 1;
  b.w.scale.assign(static_cast<size_t>(C), 1.0);
  b.bias.assign(static_cast<size_t>(C), 0.0);
  b.padding = Padding::Same; // a 1x1 kernel pads nothing either way
  std::array<int64_t, 3> out = b.in.shape;
  if (direct) {
    setPooling(b, n, out);
    done_.insert(&n);
    OutQuant o;
    o.what = n.describe();
    o.scale = b.in.scale;
    o.zeroPoint = b.in.zeroPoint;
    o.int8 = b.in.isSigned;
    o.output = n.outputs.at(0);
    b.quantize = o;
    b.relu = !b.in.isSigned && b.in.zeroPoint == 0; // codes are >= 0
    b.output = o.output;
  } else {
    b.output = follow(b, &n, x, out);
  }
  emit(b, out);
}

std::array<int64_t, 3> Legalizer::convGeometry(Block &b, const Node &n) {
  const std::vector<int64_t> &d = b.w.dims;
  if (d.size() != 4)
    fail(n, "only 2-D convolutions are supported");
  const std::array<int64_t, 3> &in = b.in.shape;
  const int64_t filters = d[0], kh = d[2], kw = d[3];
  const int64_t group = n.getInt("group", 1);
  b.depthwise = group > 1 && group == in[2] && d[1] == 1 && filters == in[2];
  if (group != 1 && !b.depthwise)
    fail(n, "grouped convolution (group " + std::to_string(group) +
                ") is not supported; only group 1 and depthwise");
  if (!b.depthwise && d[1] != in[2])
    fail(n, "its weights read " + std::to_string(d[1]) +
                " channels but the input has " + std::to_string(in[2]));
  if (kh != kw)
    fail(n, "kernel " + std::to_string(kh) + "x" + std::to_string(kw) +
                ": Akida kernels are square");
  for (int64_t dil : n.getInts("dilations", {1, 1}))
    if (dil != 1)
      fail(n, "dilated convolutions are not supported");
  std::vector<int64_t> strides = n.getInts("strides", {1, 1});
  if (strides.size() != 2 || strides[0] != strides[1])
    fail(n, "strides must be equal in both dimensions");
  b.kernel = kh;
  b.stride = strides[0];
  b.padding = paddingOf(n, in, kh, b.stride);
  return {windowOutputDim(in[0], kh, b.stride, b.padding),
          windowOutputDim(in[1], kw, b.stride, b.padding), filters};
}

std::array<int64_t, 3> Legalizer::denseGeometry(Block &b, const Node &n,
                                                bool flat) {
  if (b.w.dims.size() != 2)
    fail(n, "its weights must be a matrix");
  b.dense = true;
  const int64_t units = b.transB ? b.w.dims[0] : b.w.dims[1];
  const int64_t features = b.transB ? b.w.dims[1] : b.w.dims[0];
  const std::array<int64_t, 3> &in = b.in.shape;
  const int64_t inFeatures = in[0] * in[1] * in[2];
  if (!flat && (in[0] != 1 || in[1] != 1))
    fail(n, "multiplies a spatial tensor; Flatten it first");
  if (features != inFeatures)
    fail(n, "its weights read " + std::to_string(features) +
                " features but the input has " + std::to_string(inFeatures));
  return {1, 1, units};
}

Padding Legalizer::paddingOf(const Node &n, const std::array<int64_t, 3> &in,
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
  fail(n, "pads " + padsText(pads) +
              " are neither 'valid' nor 'same' for this input");
}

void Legalizer::setPooling(Block &b, const Node &n,
                           std::array<int64_t, 3> &out) {
  if (b.pool != PoolType::NoPooling)
    fail(n, "a layer takes one pooling");
  if (n.opType == "GlobalAveragePool") {
    b.pool = PoolType::Average;
    b.gapPositions = out[0] * out[1];
    out[0] = out[1] = 1;
    return;
  }
  std::vector<int64_t> k = n.getInts("kernel_shape", {});
  std::vector<int64_t> s = n.getInts("strides", {1, 1});
  if (k.size() != 2 || k[0] != k[1] || s.size() != 2 || s[0] != s[1])
    fail(n, "pooling windows and strides must be square");
  for (int64_t dil : n.getInts("dilations", {1, 1}))
    if (dil != 1)
      fail(n, "dilated pooling is not supported");
  if (n.outputs.size() > 1)
    fail(n, "the Indices output is not supported");
  // ONNX's windows: explicit pads or auto_pad, floor or ceil.
  std::vector<int64_t> pads = n.getInts("pads", {0, 0, 0, 0});
  if (pads.size() != 4)
    fail(n, "pads must have 4 values");
  const std::string autoPad = n.getString("auto_pad", "NOTSET");
  const bool ceilMode = n.getInt("ceil_mode", 0) != 0;
  std::array<int64_t, 2> onnxOut{}, onnxBefore{};
  for (int d = 0; d < 2; ++d) {
    const int64_t in = out[d];
    int64_t before = pads[d], after = pads[d + 2];
    if (autoPad == "VALID") {
      before = after = 0;
    } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
      const int64_t o = (in + s[0] - 1) / s[0];
      const int64_t total = std::max<int64_t>((o - 1) * s[0] + k[0] - in, 0);
      before = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
      after = total - before;
    } else if (autoPad != "NOTSET") {
      fail(n, "auto_pad " + autoPad + " is not supported");
    }
    const int64_t span = in + before + after - k[0];
    onnxOut[d] = (ceilMode ? (span + s[0] - 1) / s[0] : span / s[0]) + 1;
    onnxBefore[d] = before;
  }
  // Akida pools with its layer's padding rule; an identity layer may
  // choose it.
  std::vector<Padding> choices = {b.padding};
  if (b.identity)
    choices = {Padding::Valid, Padding::Same, Padding::SameUpper};
  for (Padding p : choices) {
    if (p == Padding::SameUpper && target_ == IpVersion::v1)
      continue;
    bool match = true;
    std::array<int64_t, 2> akida{};
    for (int d = 0; d < 2; ++d) {
      akida[d] = windowOutputDim(out[d], k[0], s[0], p);
      match = match && akida[d] == onnxOut[d] &&
              paddingBefore(out[d], k[0], s[0], p) == onnxBefore[d];
    }
    if (!match)
      continue;
    b.padding = p;
    b.pool = PoolType::Max;
    b.poolSize = k[0];
    b.poolStride = s[0];
    out[0] = akida[0];
    out[1] = akida[1];
    return;
  }
  fail(n, "max pooling " + std::to_string(k[0]) + "x" + std::to_string(k[0]) +
              " stride " + std::to_string(s[0]) + " with pads " +
              padsText(pads) + (ceilMode ? " (ceil mode)" : "") +
              " gives " + std::to_string(onnxOut[0]) + "x" +
              std::to_string(onnxOut[1]) +
              " windows that Akida's pooling, which pads like its layer "
              "('valid' or 'same'), does not place");
}

std::string Legalizer::follow(Block &b, const Node *first, std::string value,
                              std::array<int64_t, 3> &out) {
  const Node *from = b.op;
  bool activated = false;
  for (const Node *n = first ? first : next(value, *from); n;
       n = next(value, *from)) {
    const std::string &op = n->opType;
    if (op == "BatchNormalization") {
      if (activated || b.pool != PoolType::NoPooling || b.identity)
        fail(*n, "BatchNormalization must follow the Conv/Gemm directly");
      foldBatchNorm(g_, *n, b.w.axis, b.w, b.bias);
    } else if (op == "MaxPool" || op == "GlobalAveragePool") {
      if (op == "GlobalAveragePool" && activated)
        fail(*n, "global average pooling after the activation cannot be "
                 "folded: Akida averages the potentials, before the "
                 "activation");
      setPooling(b, *n, out);
    } else if (op == "Relu") {
      b.relu = true;
      activated = true;
    } else if (op == "Clip") {
      double lo = -std::numeric_limits<double>::infinity();
      double hi = std::numeric_limits<double>::infinity();
      if (n->inputs.size() > 1 && !n->inputs[1].empty())
        lo = g_.constantInput(*n, 1, "the clip minimum").values.at(0);
      if (n->inputs.size() > 2 && !n->inputs[2].empty())
        hi = g_.constantInput(*n, 2, "the clip maximum").values.at(0);
      lo = n->getFloat("min", lo);
      hi = n->getFloat("max", hi);
      if (lo != 0 && !(b.relu && lo <= 0))
        fail(*n, "a clip must start at 0 (a bounded ReLU)");
      b.relu = true;
      b.clipMax = std::min(b.clipMax, hi);
      activated = true;
    } else if (op == "QuantizeLinear") {
      b.quantize = quantizerOf(*n);
      done_.insert(n);
      return n->outputs[0];
    } else if (options_.softwareFallback && target_ == IpVersion::v2 &&
               !activated) {
      // The node is left to software: the block ends with its float
      // output (a Dequantizer) for the software part to read.
      return value;
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
  if (activated || !isGraphOutput(value))
    fail(*from, "the layer block ends without QuantizeLinear; only the "
                "model output may stay float, and then without an "
                "activation");
  return value;
}

void Legalizer::setConvLayer(LayerDesc &layer, Block &b) {
  bool first = b.in.layer < 0;
  if (first && (b.depthwise || b.identity)) {
    b.in.layer = inputLayer(); // not an input layer: InputData in front
    first = false;
  }
  const int64_t filters = b.w.dims[0]; // [F, C|1, k, k]
  const int64_t channels = b.depthwise ? b.in.shape[2] : b.w.dims[1];
  const int64_t k = b.kernel;
  const int wbits = weightBits(b.w.q);
  layer.params["padding"] = static_cast<int64_t>(b.padding);
  layer.params["weights_bits"] = wbits;
  if (target_ == IpVersion::v1) {
    layer.type = first ? LayerType::InputConvolutional
                       : LayerType::Convolutional;
    layer.params["filters"] = filters;
    layer.params["kernel_size_x"] = layer.params["kernel_size_y"] = k;
    layer.params["kernel_stride_x"] = layer.params["kernel_stride_y"] =
        b.stride;
    // A v1 NP computes a true convolution; the HRC a cross-correlation.
    layer.variables["weights"] = {
        Array::fromInts(DType::Int8, {k, k, channels, filters},
                        convKernel(b.w.q, filters, channels, k, b.depthwise,
                                   /*flip=*/!first)),
        wbits};
    return;
  }
  layer.params["kernel_size"] = k;
  layer.params["kernel_stride"] = b.stride;
  if (b.depthwise) {
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

void Legalizer::setDenseLayer(LayerDesc &layer, Block &b) {
  if (b.in.layer < 0)
    b.in.layer = inputLayer();
  const std::array<int64_t, 3> &in = b.in.shape;
  const int64_t features = in[0] * in[1] * in[2];
  const int64_t units = b.w.scale.size();
  const int wbits = weightBits(b.w.q);
  std::vector<int64_t> w = denseMatrix(b.w.q, b.transB, in[0], in[1], in[2],
                                       units, target_);
  layer.type = target_ == IpVersion::v1 ? LayerType::FullyConnected
                                        : LayerType::Dense1D;
  layer.params["units"] = units;
  layer.params["weights_bits"] = wbits;
  std::vector<int64_t> shape = {features, units};
  if (target_ == IpVersion::v1)
    shape = {1, 1, features, units};
  layer.variables["weights"] = {Array::fromInts(DType::Int8, shape, w), wbits};
}

OutputSpec Legalizer::finish(LayerDesc &layer, const Block &b) {
  const Node &n = *b.op;
  const int64_t F = static_cast<int64_t>(b.w.scale.size());
  // Pooling.
  if (b.pool != PoolType::NoPooling) {
    if (b.dense)
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
  const double positions = b.pool == PoolType::Average
                               ? static_cast<double>(b.gapPositions)
                               : 1.0;

  // Output quantization.
  OutputSpec spec;
  spec.op = n.describe();
  spec.relu = b.relu;
  spec.clipMax = b.clipMax;
  if (b.quantize) {
    const OutQuant &q = *b.quantize;
    spec.quantizer = q.what;
    spec.scale = q.scale;
    spec.zeroPoint = q.zeroPoint;
    if (q.zeroPoint != 0 && b.relu)
      fail(n, "a ReLU or clip before the zero point " +
                  std::to_string(q.zeroPoint) +
                  " clips at that code, but Akida's ReLU clips at 0: use "
                  "zero point 0 after a ReLU");
    // After a ReLU the sign bit of an int8 output is never used.
    spec.isSigned = q.int8 && !b.relu;
    // A uint8 output with a zero point saturates at code 0: a ReLU of the
    // shifted value.
    if (q.zeroPoint != 0 && !q.int8)
      spec.relu = true;
    if (!spec.relu && !spec.isSigned)
      throw ImportError(q.what + ": quantizes to unsigned values without a "
                                 "ReLU before: the negative values would "
                                 "be lost");
    double qmax = spec.isSigned ? 127 : 255;
    if (std::isfinite(b.clipMax))
      qmax = std::min(qmax, std::floor(b.clipMax / q.scale + 0.5));
    int bits = 1;
    while ((int64_t(1) << bits) - 1 < static_cast<int64_t>(qmax))
      ++bits;
    spec.quantized = true;
    spec.scale = q.scale;
    spec.bits = spec.isSigned ? 8 : bits;
    spec.clipExact = (int64_t(1) << bits) - 1 == static_cast<int64_t>(qmax);
  }

  // Per channel: the multiplier from the accumulator to the output, and
  // the bias in accumulator units (per position).
  ChannelScales c;
  c.positions = positions;
  c.M.resize(F);
  c.accBias.resize(F);
  c.dead.resize(F);
  c.floatBias = b.bias;
  for (int64_t f = 0; f < F; ++f) {
    const double accScale = b.in.scale * b.w.scale[f];
    // A zero weight scale (all-zero weights quantized with scale 0): the
    // output is the constant the bias alone gives.
    c.dead[f] = !(accScale > 0);
    c.M[f] = accScale / positions / spec.scale;
    c.accBias[f] = accScale > 0 ? b.bias[f] / accScale : 0.0;
  }
  // The input's zero point: sum (x - z) w = sum x w - z sum w, exact where
  // no tap falls in the padding (v1's input layer pads with z itself).
  if (b.in.zeroPoint != 0) {
    bool pads = false;
    for (int d = 0; d < 2 && !b.dense; ++d) {
      const int64_t in = b.in.shape[d];
      const int64_t o = windowOutputDim(in, b.kernel, b.stride, b.padding);
      pads = pads || (o - 1) * b.stride + b.kernel > in;
    }
    if (pads && layer.type == LayerType::InputConvolutional)
      layer.params["padding_value"] = b.in.zeroPoint;
    else if (pads)
      fail(n, "its input has zero point " + std::to_string(b.in.zeroPoint) +
                  " and the convolution pads: Akida pads with 0, not the "
                  "zero point (use zero point 0, or no padding)");
    std::vector<double> sums(static_cast<size_t>(F), 0.0);
    for (size_t i = 0; i < b.w.q.size(); ++i)
      sums[channelOf(b.w.dims, b.w.axis, static_cast<int64_t>(i))] +=
          static_cast<double>(b.w.q[i]);
    for (int64_t f = 0; f < F; ++f)
      c.accBias[f] -= static_cast<double>(b.in.zeroPoint) * sums[f];
  }
  // The output's zero point: round(acc M) + z = round((acc + z / M) M).
  if (spec.zeroPoint != 0)
    for (int64_t f = 0; f < F; ++f)
      if (!c.dead[f])
        c.accBias[f] += static_cast<double>(spec.zeroPoint) / (c.M[f] * positions);

  if (b.integerOutput) {
    if (target_ == IpVersion::v1)
      fail(n, "its int32 output needs Akida 2.0 (--target v2): an Akida "
              "1.0 layer without activation outputs its potentials before "
              "the threshold");
    for (int64_t f = 0; f < F; ++f) {
      int64_t value = 0, shift = 0;
      splitBias(c.accBias[f], value, shift);
      if (std::ldexp(static_cast<double>(value), static_cast<int>(shift)) !=
          c.accBias[f])
        fail(n, "its input zero point adds " +
                    std::to_string(static_cast<int64_t>(c.accBias[f])) +
                    " to channel " + std::to_string(f) +
                    ", which an Akida bias (int8 << shift) cannot hold "
                    "exactly");
    }
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

void Legalizer::emit(Block &b, const std::array<int64_t, 3> &out) {
  LayerDesc layer;
  layer.name = b.op->name;
  if (b.dense)
    setDenseLayer(layer, b);
  else
    setConvLayer(layer, b);
  if (b.in.layer >= 0)
    layer.inbounds = {b.in.layer};
  const OutputSpec spec = finish(layer, b);
  const bool keeps = b.quantize || b.integerOutput || target_ == IpVersion::v1;
  const int index = addLayer(std::move(layer), keeps ? b.output : "");
  if (b.quantize) {
    QValue q;
    q.layer = index;
    q.scale = spec.scale;
    q.zeroPoint = spec.zeroPoint;
    q.bits = spec.bits;
    q.isSigned = spec.isSigned;
    q.shape = out;
    q.rank = b.dense ? 2 : 4;
    quantized_[b.quantize->output] = q;
    finished_ = isGraphOutput(b.quantize->output);
  } else if (b.integerOutput) {
    finished_ = true;
  } else {
    appendDequantizer(b, out);
    finished_ = true;
  }
}

void Legalizer::appendDequantizer(const Block &b,
                                  const std::array<int64_t, 3> &out) {
  if (target_ == IpVersion::v1)
    return;
  const double positions = b.pool == PoolType::Average
                               ? static_cast<double>(b.gapPositions)
                               : 1.0;
  const int64_t F = out[2];
  std::vector<float> scales(F);
  bool constant = false;
  for (int64_t f = 0; f < F; ++f) {
    scales[f] = static_cast<float>(b.in.scale * b.w.scale[f] / positions);
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
  QValue f;
  f.layer = addLayer(std::move(dq), b.output);
  f.shape = out;
  f.rank = b.dense ? 2 : 4;
  floatOutputs_[b.output] = f;
}

} // namespace akida::onnx::detail
