//===- Legalize.cpp - ONNX QDQ graphs to Akida layers: the walk -----------===//
//
// The graph is walked in order; each node either starts a layer block
// (LayerBlocks.cpp), a merge (Merges.cpp), or is bookkeeping done here: the
// model input, QuantizeLinear on it, DequantizeLinear views of quantized
// tensors (and the Dequantizer of a quantized model output), reshapes.
//
//===----------------------------------------------------------------------===//

#include "compiler/onnx/Legalizer.h"

#include <algorithm>
#include <cmath>

namespace akida::onnx {

namespace detail {

namespace {

const std::set<std::string> kSupported = {
    "QuantizeLinear", "DequantizeLinear", "Conv", "Gemm", "MatMul",
    "QLinearConv", "QLinearMatMul", "ConvInteger", "MatMulInteger",
    "BatchNormalization", "Relu", "Clip", "MaxPool", "GlobalAveragePool",
    "Flatten", "Reshape", "Identity", "Add", "Concat"};

std::string supportedList() {
  std::string s;
  for (const std::string &op : kSupported)
    s += (s.empty() ? "" : ", ") + op;
  return s;
}

} // namespace

Imported Legalizer::run() {
  desc_.ipVersion = target_;
  desc_.name = g_.name.empty() ? "model" : g_.name;
  if (g_.inputs.size() != 1)
    throw ImportError("the graph has " + std::to_string(g_.inputs.size()) +
                      " inputs; the importer takes models with one input "
                      "(bind the others to constants)");
  if (g_.outputs.size() != 1)
    throw ImportError("the graph has " + std::to_string(g_.outputs.size()) +
                      " outputs; the importer takes models with one output");
  readInput();
  for (const Node &n : g_.nodes) {
    if (done_.count(&n))
      continue;
    if (!options_.softwareFallback) {
      take(n);
      continue;
    }
    Checkpoint saved = checkpoint();
    try {
      take(n);
    } catch (const ImportError &e) {
      restore(std::move(saved));
      leaveToSoftware(n, e.what());
      break;
    }
  }
  if (desc_.layers.empty())
    throw ImportError("the graph has no Conv, Gemm, MatMul, pooling or "
                      "DequantizeLinear of its input: nothing to turn into "
                      "Akida layers");
  if (!finished_)
    throw ImportError("the graph output '" + g_.outputs.at(0).name +
                      "' is not produced by the last layer block");
  if (target_ == IpVersion::v1)
    for (size_t i = 1; i < desc_.layers.size(); ++i)
      if (desc_.layers[i].inbounds !=
          std::vector<int>{static_cast<int>(i) - 1})
        throw ImportError("layer '" + desc_.layers[i].name +
                          "' does not read the layer before it: Akida 1.0 "
                          "models are sequential (use --target v2)");
  Imported out;
  out.desc = std::move(desc_);
  out.tensors = std::move(tensors_);
  out.inputName = inputName_;
  out.inputDims = g_.inputs[0].dims;
  out.inputScale = inputScale_;
  out.inputZeroPoint = inputZeroPoint_;
  out.software = software_;
  return out;
}

Legalizer::Checkpoint Legalizer::checkpoint() const {
  return {desc_.layers.size(), quantized_, views_,
          floatOutputs_,       flattened_, done_,
          inputScale_,         inputZeroPoint_, finished_};
}

void Legalizer::restore(Checkpoint c) {
  desc_.layers.resize(c.layers);
  tensors_.resize(c.layers);
  quantized_ = std::move(c.quantized);
  views_ = std::move(c.views);
  floatOutputs_ = std::move(c.floatOutputs);
  flattened_ = std::move(c.flattened);
  done_ = std::move(c.done);
  inputScale_ = c.inputScale;
  inputZeroPoint_ = c.inputZeroPoint;
  finished_ = c.finished;
}

void Legalizer::take(const Node &n) {
  if (!n.domain.empty() || !kSupported.count(n.opType))
    throw ImportError(n.describe() + ": op " +
                      (n.domain.empty() ? "" : n.domain + ".") + n.opType +
                      " is not supported; the importer takes " +
                      supportedList());
  visit(n);
}

void Legalizer::fail(const Node &n, const std::string &why) const {
  throw ImportError(n.describe() + ": " + why);
}

const Node *Legalizer::next(const std::string &value, const Node &from) const {
  std::vector<const Node *> readers = g_.consumers(value);
  if (readers.size() > 1)
    fail(from, "its output '" + value + "' is read by " +
                   std::to_string(readers.size()) +
                   " nodes; inside a layer block (before its "
                   "QuantizeLinear) a value has one reader");
  return readers.empty() ? nullptr : readers[0];
}

bool Legalizer::isGraphOutput(const std::string &value) const {
  return std::any_of(g_.outputs.begin(), g_.outputs.end(),
                     [&](const ValueInfo &v) { return v.name == value; });
}

void Legalizer::readInput() {
  const ValueInfo &in = g_.inputs[0];
  const std::vector<int64_t> &d = in.dims;
  auto known = [&](size_t from) {
    return std::all_of(d.begin() + static_cast<long>(from), d.end(),
                       [](int64_t v) { return v >= 1; });
  };
  // NCHW images; (N, features) or (features) vectors.
  if (d.size() == 4 && known(1))
    desc_.inputShape = {d[2], d[3], d[1]};
  else if ((d.size() == 2 && known(1)) || (d.size() == 1 && known(0)))
    desc_.inputShape = {1, 1, d.back()};
  else
    throw ImportError("graph input '" + in.name +
                      "' must be NCHW with known C, H, W, or (N, features) "
                      "or (features); got rank " + std::to_string(d.size()));
  QValue q;
  q.shape = {desc_.inputShape[0], desc_.inputShape[1], desc_.inputShape[2]};
  q.rank = static_cast<int>(d.size());
  if (in.type == ElemType::UInt8) {
    q.known = false; // the integer image; its reader tells the scale
    quantized_[in.name] = q;
  } else if (in.type != ElemType::Float) {
    throw ImportError("graph input '" + in.name + "' is " +
                      elemTypeName(in.type) +
                      "; the importer takes float32 (then QuantizeLinear) "
                      "or uint8 inputs");
  }
  inputName_ = in.name;
}

std::pair<double, int64_t> Legalizer::scalarQuant(const Node &n) const {
  const Tensor &s = g_.constantInput(n, 1, "the scale");
  if (s.size() != 1)
    fail(n, "activations must be quantized per tensor; the scale has " +
                std::to_string(s.size()) + " values");
  int64_t zp = 0;
  if (n.inputs.size() > 2 && !n.inputs[2].empty())
    zp = static_cast<int64_t>(
        g_.constantInput(n, 2, "the zero point").values.at(0));
  if (!(s.values[0] > 0))
    fail(n, "the scale must be positive");
  return {s.values[0], zp};
}

OutQuant Legalizer::quantizerOf(const Node &q) const {
  OutQuant o;
  o.what = q.describe();
  std::tie(o.scale, o.zeroPoint) = scalarQuant(q);
  const Tensor *zp =
      q.inputs.size() > 2 ? g_.constant(q.inputs[2]) : nullptr;
  o.int8 = zp && zp->type == ElemType::Int8;
  o.output = q.outputs.at(0);
  return o;
}

QValue &Legalizer::readQuantized(const Node &n, const std::string &value,
                                 double scale, int64_t zeroPoint) {
  auto it = quantized_.find(value);
  if (it == quantized_.end())
    fail(n, "reads '" + value + "', which is not a quantized tensor (the "
                                "uint8 model input or a QuantizeLinear "
                                "output)");
  QValue &q = it->second;
  if (!q.known) {
    if (zeroPoint < 0 || zeroPoint > 255)
      fail(n, "the zero point " + std::to_string(zeroPoint) +
                  " is outside the uint8 input's range");
    q.scale = scale;
    q.zeroPoint = zeroPoint;
    q.known = true;
    if (value == inputName_) {
      inputScale_ = scale;
      inputZeroPoint_ = zeroPoint;
    }
  } else if (zeroPoint != q.zeroPoint ||
             std::abs(scale - q.scale) > 1e-6 * q.scale) {
    fail(n, "reads '" + value + "' with another scale or zero point than "
                                "the one it was quantized with");
  }
  return q;
}

void Legalizer::visit(const Node &n) {
  const std::string &in = n.inputs.empty() ? std::string() : n.inputs[0];
  if (n.opType == "QuantizeLinear") {
    if (g_.constant(in))
      return; // weights: folded by the layer that reads them
    if (in != inputName_)
      fail(n, "quantizes '" + in +
                  "', which is not the model input nor the end of a layer "
                  "block (Conv/Gemm [BatchNormalization] [pool] [Relu] "
                  "[Clip])");
    const OutQuant q = quantizerOf(n);
    if (q.int8)
      fail(n, "quantizes the input to int8; Akida inputs are uint8");
    QValue v;
    v.scale = q.scale;
    v.zeroPoint = q.zeroPoint;
    v.shape = {desc_.inputShape[0], desc_.inputShape[1], desc_.inputShape[2]};
    v.rank = static_cast<int>(g_.inputs[0].dims.size());
    quantized_[q.output] = v;
    inputScale_ = q.scale;
    inputZeroPoint_ = q.zeroPoint;
    if (isGraphOutput(q.output))
      fail(n, "the model only quantizes its input: there is no layer to "
              "convert (an Akida model takes the quantized input)");
    return;
  }
  if (n.opType == "DequantizeLinear") {
    dequantize(n);
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
  if (n.opType == "QLinearConv" || n.opType == "QLinearMatMul" ||
      n.opType == "ConvInteger" || n.opType == "MatMulInteger") {
    qlinearLayer(n);
    return;
  }
  if (n.opType == "MaxPool" || n.opType == "GlobalAveragePool") {
    poolLayer(n);
    return;
  }
  if (n.opType == "Add" || n.opType == "Concat") {
    merge(n);
    return;
  }
  fail(n, "is not part of a layer block (it must follow a Conv, Gemm or "
          "MatMul)");
}

void Legalizer::dequantize(const Node &n) {
  const std::string &in = n.inputs.at(0);
  if (g_.constant(in) ||
      (g_.producer(in) && g_.producer(in)->opType == "QuantizeLinear" &&
       g_.constant(g_.producer(in)->inputs[0])))
    return; // weights or biases
  if (!quantized_.count(in))
    fail(n, "de-quantizes '" + in + "', which is not a quantized "
                                    "activation");
  if (!isGraphOutput(n.outputs.at(0))) {
    auto [scale, zp] = scalarQuant(n);
    readQuantized(n, in, scale, zp);
    views_[n.outputs[0]] = in;
    return;
  }
  // The model output: a Dequantizer (per tensor or per channel).
  if (target_ == IpVersion::v1)
    fail(n, "de-quantizes the model output; Akida 1.0 has no Dequantizer "
            "(end the model with a dense layer, or use --target v2)");
  const Tensor &s = g_.constantInput(n, 1, "the scale");
  QValue &q = quantized_.at(in);
  const int64_t C = q.shape[2];
  const int64_t rank = q.rank;
  int64_t axis = n.getInt("axis", 1);
  if (axis < 0)
    axis += rank;
  if (s.size() != 1 && (s.size() != C || axis != std::min<int64_t>(1, rank - 1)))
    fail(n, "its scale has " + std::to_string(s.size()) +
                " values; expected one, or one per channel (axis 1)");
  std::vector<double> zps(static_cast<size_t>(s.size()), 0.0);
  if (n.inputs.size() > 2 && !n.inputs[2].empty())
    zps = g_.constantInput(n, 2, "the zero point").values;
  if (zps.size() != static_cast<size_t>(s.size()))
    fail(n, "its zero point and scale have different sizes");
  if (s.size() == 1) {
    readQuantized(n, in, s.values[0], static_cast<int64_t>(zps[0]));
  } else if (!q.known) {
    q.known = true; // per channel: the Dequantizer holds them
  } else {
    fail(n, "de-quantizes per channel a tensor quantized per tensor");
  }
  std::vector<float> scales(static_cast<size_t>(C));
  std::vector<int64_t> offsets(static_cast<size_t>(C));
  for (int64_t c = 0; c < C; ++c) {
    const size_t i = s.size() == 1 ? 0 : static_cast<size_t>(c);
    if (!(s.values[i] > 0))
      fail(n, "its scales must be positive");
    scales[c] = static_cast<float>(s.values[i]);
    offsets[c] = static_cast<int64_t>(zps[i]);
  }
  LayerDesc dq;
  dq.name = n.name;
  dq.type = LayerType::Dequantizer;
  dq.inbounds = {q.layer >= 0 ? q.layer : inputLayer()};
  dq.variables["scales"] = {Array::fromFloats({C}, scales), 32};
  if (std::any_of(offsets.begin(), offsets.end(),
                  [](int64_t z) { return z != 0; }))
    dq.variables["zero_points"] = {Array::fromInts(DType::Int32, {C}, offsets),
                                   32};
  QValue f = q;
  f.layer = addLayer(std::move(dq), n.outputs[0]);
  f.rank = static_cast<int>(rank);
  floatOutputs_[n.outputs[0]] = f;
  finished_ = true;
}

int Legalizer::inputLayer() {
  if (!desc_.layers.empty()) {
    if (desc_.layers[0].type != LayerType::InputData)
      throw ImportError("the model input is read by more than one layer; "
                        "the first layer must be the only one reading it");
    return 0;
  }
  const QValue &q = quantized_.count(inputName_)
                        ? quantized_.at(inputName_)
                        : QValue{};
  LayerDesc in;
  in.name = "input";
  in.type = LayerType::InputData;
  in.params["input_bits"] = 8;
  in.params["input_signed"] = q.isSigned ? 1 : 0;
  return addLayer(std::move(in), inputName_);
}

int Legalizer::addLayer(LayerDesc layer, const std::string &tensor) {
  desc_.layers.push_back(std::move(layer));
  tensors_.push_back(tensor);
  return static_cast<int>(desc_.layers.size()) - 1;
}

} // namespace detail

Imported importGraph(const Graph &graph, IpVersion target,
                     const ImportOptions &options) {
  return detail::Legalizer(graph, target, options).run();
}

Imported importOnnxFile(const std::string &path, IpVersion target,
                        const std::map<std::string, Tensor> &bindings,
                        const ImportOptions &options) {
  Graph graph = readOnnxFile(path);
  bindInputs(graph, bindings);
  Imported imported = importGraph(graph, target, options);
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
