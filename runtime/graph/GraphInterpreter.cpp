//===- GraphInterpreter.cpp - ONNX nodes run on the host ------------------===//

#include "runtime/graph/GraphInterpreter.h"

#include "runtime/graph/GraphOps.h"

#include <cmath>
#include <mutex>

namespace akida::graph {

using namespace detail;

namespace {

const OpTable &opTable() {
  static const OpTable table = [] {
    OpTable t;
    addElementwiseOps(t);
    addNeuralOps(t);
    addShapeOps(t);
    addQuantizeOps(t);
    return t;
  }();
  return table;
}

} // namespace

namespace detail {

void fail(const OpContext &ctx, const std::string &why) {
  throw std::invalid_argument(ctx.node.describe() + ": " + why);
}

const Tensor &input(const OpContext &ctx, const Inputs &in, size_t i) {
  if (i >= in.size() || !in[i])
    fail(ctx, "input #" + std::to_string(i) + " is missing");
  return *in[i];
}

const Tensor *optionalInput(const Inputs &in, size_t i) {
  return i < in.size() ? in[i] : nullptr;
}

Tensor makeTensor(ElemType type, std::vector<int64_t> dims) {
  Tensor t;
  t.type = type;
  t.dims = std::move(dims);
  t.values.assign(static_cast<size_t>(t.size()), 0.0);
  return t;
}

namespace {
double wrap(double v, double span, double lowest) {
  // Two's-complement storage of an integer value in a type of `span` values.
  double m = std::fmod(v - lowest, span);
  if (m < 0)
    m += span;
  return m + lowest;
}
} // namespace

void storeAs(Tensor &t) {
  switch (t.type) {
  case ElemType::Float:
    for (double &v : t.values)
      v = static_cast<double>(static_cast<float>(v));
    break;
  case ElemType::UInt8:
    for (double &v : t.values)
      v = wrap(std::trunc(v), 256, 0);
    break;
  case ElemType::Int8:
    for (double &v : t.values)
      v = wrap(std::trunc(v), 256, -128);
    break;
  case ElemType::Int32:
    for (double &v : t.values)
      v = wrap(std::trunc(v), 4294967296.0, -2147483648.0);
    break;
  case ElemType::Int64:
    for (double &v : t.values)
      v = std::trunc(v);
    break;
  default:
    break;
  }
}

int64_t normalizeAxis(const OpContext &ctx, int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= std::max<int64_t>(rank, 1))
    fail(ctx, "axis " + std::to_string(axis) + " is out of range for rank " +
                  std::to_string(rank));
  return axis < 0 ? axis + rank : axis;
}

std::vector<int64_t> intsOf(const Tensor &t) {
  std::vector<int64_t> out;
  out.reserve(t.values.size());
  for (double v : t.values)
    out.push_back(static_cast<int64_t>(v));
  return out;
}

std::string dimsText(const std::vector<int64_t> &dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i)
    s += (i ? "," : "") + std::to_string(dims[i]);
  return s + "]";
}

std::vector<int64_t>
broadcastDims(const OpContext &ctx,
              const std::vector<std::vector<int64_t>> &shapes) {
  size_t rank = 0;
  for (const auto &s : shapes)
    rank = std::max(rank, s.size());
  std::vector<int64_t> out(rank, 1);
  for (const auto &s : shapes)
    for (size_t i = 0; i < s.size(); ++i) {
      int64_t &o = out[rank - s.size() + i];
      const int64_t d = s[i];
      if (d == o || d == 1)
        continue;
      if (o != 1)
        fail(ctx, "shapes " + dimsText(shapes[0]) + " and " + dimsText(s) +
                      " do not broadcast");
      o = d;
    }
  return out;
}

std::vector<int64_t> broadcastIndex(const std::vector<int64_t> &out,
                                    const std::vector<int64_t> &dims) {
  const size_t rank = out.size(), offset = rank - dims.size();
  // Stride of each output axis in the input (0 where broadcast).
  std::vector<int64_t> stride(rank, 0);
  int64_t s = 1;
  for (size_t i = dims.size(); i-- > 0;) {
    stride[offset + i] = dims[i] == 1 ? 0 : s;
    s *= dims[i];
  }
  int64_t total = 1;
  for (int64_t d : out)
    total *= d;
  std::vector<int64_t> index(static_cast<size_t>(total));
  std::vector<int64_t> pos(rank, 0);
  int64_t at = 0;
  for (int64_t e = 0; e < total; ++e) {
    index[e] = at;
    for (size_t a = rank; a-- > 0;) {
      at += stride[a];
      if (++pos[a] < out[a])
        break;
      at -= stride[a] * out[a];
      pos[a] = 0;
    }
  }
  return index;
}

} // namespace detail

std::array<int64_t, 3> akidaShape(const std::vector<int64_t> &dims) {
  if (dims.size() == 4)
    return {dims[2], dims[3], dims[1]};
  int64_t features = 1;
  for (size_t a = dims.size() >= 2 ? 1 : 0; a < dims.size(); ++a)
    features *= dims[a];
  return {1, 1, features};
}

namespace {
/// For each NHWC position of one sample, the NCHW element it is.
std::vector<int64_t> nchwIndex(const std::vector<int64_t> &dims) {
  const std::array<int64_t, 3> s = akidaShape(dims);
  std::vector<int64_t> index(static_cast<size_t>(s[0] * s[1] * s[2]));
  for (int64_t y = 0; y < s[0]; ++y)
    for (int64_t x = 0; x < s[1]; ++x)
      for (int64_t c = 0; c < s[2]; ++c)
        index[(y * s[1] + x) * s[2] + c] =
            dims.size() == 4 ? (c * s[0] + y) * s[1] + x : c;
  return index;
}
} // namespace

std::vector<double> fromNhwc(const std::vector<double> &nhwc,
                             const std::vector<int64_t> &dims) {
  const std::vector<int64_t> index = nchwIndex(dims);
  std::vector<double> out(nhwc.size());
  for (size_t i = 0; i < index.size() && i < nhwc.size(); ++i)
    out[index[i]] = nhwc[i];
  return out;
}

std::vector<double> toNhwc(const onnx::Tensor &t) {
  const std::vector<int64_t> index = nchwIndex(t.dims);
  std::vector<double> out(index.size());
  for (size_t i = 0; i < index.size(); ++i)
    out[i] = t.values[index[i]];
  return out;
}

bool supportsOp(const std::string &opType) {
  return opTable().count(opType) != 0;
}

const std::vector<std::string> &supportedOps() {
  static const std::vector<std::string> ops = [] {
    std::vector<std::string> v;
    for (const auto &[name, fn] : opTable())
      v.push_back(name);
    return v;
  }();
  return ops;
}

GraphInterpreter::GraphInterpreter(onnx::Graph graph)
    : graph_(std::move(graph)) {
  for (const Node &n : graph_.nodes) {
    if (!n.domain.empty())
      throw std::invalid_argument(n.describe() + ": domain '" + n.domain +
                                  "' is not run in software (only the "
                                  "default ONNX domain)");
    if (!supportsOp(n.opType))
      throw std::invalid_argument(
          n.describe() + ": op type " + n.opType +
          " is not run in software; the software ops are those of "
          "docs/onnx-import.md, \"Software fallback\"");
  }
}

std::vector<Tensor>
GraphInterpreter::run(const std::vector<Tensor> &inputs) const {
  if (inputs.size() != graph_.inputs.size())
    throw std::invalid_argument("graph '" + graph_.name + "' takes " +
                                std::to_string(graph_.inputs.size()) +
                                " inputs, not " +
                                std::to_string(inputs.size()));
  std::map<std::string, Tensor> values;
  for (size_t i = 0; i < inputs.size(); ++i)
    values[graph_.inputs[i].name] = inputs[i];
  auto lookup = [&](const std::string &name) -> const Tensor * {
    if (auto it = values.find(name); it != values.end())
      return &it->second;
    return graph_.constant(name);
  };
  const OpTable &table = opTable();
  for (const Node &n : graph_.nodes) {
    OpContext ctx{n, graph_.opsetVersion};
    Inputs in;
    for (const std::string &name : n.inputs) {
      const Tensor *t = name.empty() ? nullptr : lookup(name);
      if (!name.empty() && !t)
        fail(ctx, "input '" + name + "' has no value");
      in.push_back(t);
    }
    std::vector<Tensor> out = table.at(n.opType)(ctx, in);
    for (size_t i = 0; i < out.size() && i < n.outputs.size(); ++i) {
      if (n.outputs[i].empty())
        continue;
      storeAs(out[i]);
      out[i].name = n.outputs[i];
      values[n.outputs[i]] = std::move(out[i]);
    }
  }
  std::vector<Tensor> result;
  for (const auto &o : graph_.outputs) {
    const Tensor *t = lookup(o.name);
    if (!t)
      throw std::invalid_argument("graph output '" + o.name +
                                  "' is computed by no node");
    result.push_back(*t);
  }
  return result;
}

std::shared_ptr<const GraphInterpreter>
interpreterFor(const std::vector<uint8_t> &bytes, const std::string &what) {
  static std::mutex mutex;
  static std::vector<std::pair<std::vector<uint8_t>,
                               std::shared_ptr<const GraphInterpreter>>>
      cache;
  std::lock_guard<std::mutex> lock(mutex);
  for (const auto &[key, interp] : cache)
    if (key == bytes)
      return interp;
  onnx::Graph g;
  try {
    g = onnx::readOnnx(std::string(bytes.begin(), bytes.end()), what);
  } catch (const onnx::ImportError &e) {
    throw std::invalid_argument(e.what());
  }
  auto interp = std::make_shared<const GraphInterpreter>(std::move(g));
  if (cache.size() == 8)
    cache.erase(cache.begin());
  cache.emplace_back(bytes, interp);
  return interp;
}

} // namespace akida::graph
