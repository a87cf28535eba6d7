//===- OnnxGraph.cpp - ONNX models in the generic import form -------------===//

#include "compiler/onnx/OnnxGraph.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

namespace akida::onnx {

namespace proto = ::onnx;

const char *elemTypeName(ElemType type) {
  switch (type) {
  case ElemType::Undefined: return "undefined";
  case ElemType::Float: return "float32";
  case ElemType::UInt8: return "uint8";
  case ElemType::Int8: return "int8";
  case ElemType::Int32: return "int32";
  case ElemType::Int64: return "int64";
  case ElemType::Double: return "float64";
  case ElemType::Other: return "other";
  }
  return "other";
}

int64_t Tensor::size() const {
  int64_t n = 1;
  for (int64_t d : dims)
    n *= d;
  return n;
}

namespace {

ElemType elemTypeOf(int type) {
  switch (type) {
  case proto::TensorProto::FLOAT: return ElemType::Float;
  case proto::TensorProto::UINT8: return ElemType::UInt8;
  case proto::TensorProto::INT8: return ElemType::Int8;
  case proto::TensorProto::INT32: return ElemType::Int32;
  case proto::TensorProto::INT64: return ElemType::Int64;
  case proto::TensorProto::DOUBLE: return ElemType::Double;
  case proto::TensorProto::UNDEFINED: return ElemType::Undefined;
  default: return ElemType::Other;
  }
}

/// Little-endian values of `T` in raw_data.
template <typename T>
void readRaw(const std::string &raw, int64_t count, std::vector<double> &out,
             const std::string &what) {
  if (raw.size() != static_cast<size_t>(count) * sizeof(T))
    throw ImportError(what + ": raw_data holds " + std::to_string(raw.size()) +
                      " bytes for " + std::to_string(count) + " values of " +
                      std::to_string(sizeof(T)) + " bytes");
  out.resize(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    T v;
    std::memcpy(&v, raw.data() + i * sizeof(T), sizeof(T));
    out[i] = static_cast<double>(v);
  }
}

Tensor readTensor(const proto::TensorProto &t, const std::string &where) {
  Tensor out;
  out.name = t.name();
  const std::string what = where + " tensor '" + t.name() + "'";
  out.type = elemTypeOf(t.data_type());
  for (int64_t d : t.dims()) {
    if (d < 0)
      throw ImportError(what + " has a negative dimension");
    out.dims.push_back(d);
  }
  if (t.data_location() == proto::TensorProto::EXTERNAL)
    throw ImportError(what + " keeps its data in an external file; only "
                             "embedded tensors are read");
  const int64_t count = out.size();
  if (count > (int64_t(1) << 31))
    throw ImportError(what + " has " + std::to_string(count) +
                      " elements; at most 2^31 are read");
  const bool raw = t.has_raw_data();
  switch (out.type) {
  case ElemType::Float:
    if (raw)
      readRaw<float>(t.raw_data(), count, out.values, what);
    else
      out.values.assign(t.float_data().begin(), t.float_data().end());
    break;
  case ElemType::Double:
    if (raw)
      readRaw<double>(t.raw_data(), count, out.values, what);
    else
      out.values.assign(t.double_data().begin(), t.double_data().end());
    break;
  case ElemType::UInt8:
    if (raw)
      readRaw<uint8_t>(t.raw_data(), count, out.values, what);
    else
      out.values.assign(t.int32_data().begin(), t.int32_data().end());
    break;
  case ElemType::Int8:
    if (raw)
      readRaw<int8_t>(t.raw_data(), count, out.values, what);
    else
      out.values.assign(t.int32_data().begin(), t.int32_data().end());
    break;
  case ElemType::Int32:
    if (raw)
      readRaw<int32_t>(t.raw_data(), count, out.values, what);
    else
      out.values.assign(t.int32_data().begin(), t.int32_data().end());
    break;
  case ElemType::Int64:
    if (raw)
      readRaw<int64_t>(t.raw_data(), count, out.values, what);
    else
      out.values.assign(t.int64_data().begin(), t.int64_data().end());
    break;
  default:
    throw ImportError(what + " has element type " +
                      std::to_string(t.data_type()) +
                      "; the importer reads float32, float64, uint8, int8, "
                      "int32 and int64");
  }
  if (static_cast<int64_t>(out.values.size()) != count)
    throw ImportError(what + " holds " + std::to_string(out.values.size()) +
                      " values but its shape needs " + std::to_string(count));
  return out;
}

Attribute readAttribute(const proto::AttributeProto &a,
                        const std::string &where) {
  Attribute out;
  switch (a.type()) {
  case proto::AttributeProto::INT:
    out.kind = Attribute::Int;
    out.i = a.i();
    break;
  case proto::AttributeProto::FLOAT:
    out.kind = Attribute::Float;
    out.f = a.f();
    break;
  case proto::AttributeProto::STRING:
    out.kind = Attribute::String;
    out.s = a.s();
    break;
  case proto::AttributeProto::INTS:
    out.kind = Attribute::Ints;
    out.ints.assign(a.ints().begin(), a.ints().end());
    break;
  case proto::AttributeProto::FLOATS:
    out.kind = Attribute::Floats;
    out.floats.assign(a.floats().begin(), a.floats().end());
    break;
  case proto::AttributeProto::TENSOR:
    out.kind = Attribute::TensorValue;
    out.tensor = readTensor(a.t(), where + " attribute '" + a.name() + "'");
    break;
  default:
    out.kind = Attribute::Other;
    break;
  }
  return out;
}

ValueInfo readValueInfo(const proto::ValueInfoProto &v) {
  ValueInfo out;
  out.name = v.name();
  if (v.type().has_tensor_type()) {
    const auto &tt = v.type().tensor_type();
    out.type = elemTypeOf(tt.elem_type());
    if (tt.has_shape())
      for (const auto &d : tt.shape().dim())
        out.dims.push_back(d.has_dim_value() ? d.dim_value() : -1);
  }
  return out;
}

std::string shapeText(const std::vector<int64_t> &dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i)
    s += (i ? "," : "") + (dims[i] < 0 ? std::string("?") : std::to_string(dims[i]));
  return s + "]";
}

std::string number(double v) {
  std::ostringstream os;
  os.precision(9);
  os << v;
  return os.str();
}

} // namespace

int64_t Node::getInt(const std::string &attr, int64_t fallback) const {
  auto it = attributes.find(attr);
  if (it == attributes.end())
    return fallback;
  if (it->second.kind != Attribute::Int)
    throw ImportError(describe() + ": attribute '" + attr +
                      "' must be an integer");
  return it->second.i;
}

double Node::getFloat(const std::string &attr, double fallback) const {
  auto it = attributes.find(attr);
  if (it == attributes.end())
    return fallback;
  if (it->second.kind != Attribute::Float)
    throw ImportError(describe() + ": attribute '" + attr +
                      "' must be a float");
  return it->second.f;
}

std::vector<int64_t> Node::getInts(const std::string &attr,
                                   std::vector<int64_t> fallback) const {
  auto it = attributes.find(attr);
  if (it == attributes.end())
    return fallback;
  if (it->second.kind != Attribute::Ints)
    throw ImportError(describe() + ": attribute '" + attr +
                      "' must be a list of integers");
  return it->second.ints;
}

std::string Node::getString(const std::string &attr,
                            std::string fallback) const {
  auto it = attributes.find(attr);
  if (it == attributes.end())
    return fallback;
  if (it->second.kind != Attribute::String)
    throw ImportError(describe() + ": attribute '" + attr +
                      "' must be a string");
  return it->second.s;
}

std::string Node::describe() const {
  return "node '" + name + "' (" + opType + ")";
}

const Tensor &Graph::constantInput(const Node &n, size_t i,
                                   const char *what) const {
  const Tensor *t = i < n.inputs.size() ? constant(n.inputs[i]) : nullptr;
  if (!t)
    throw ImportError(n.describe() + ": " + what + " (input " +
                      std::to_string(i) + ") must be a constant");
  return *t;
}

const Node *Graph::producer(const std::string &value) const {
  for (const Node &n : nodes)
    for (const std::string &o : n.outputs)
      if (o == value)
        return &n;
  return nullptr;
}

std::vector<const Node *> Graph::consumers(const std::string &value) const {
  std::vector<const Node *> out;
  for (const Node &n : nodes)
    for (const std::string &i : n.inputs)
      if (i == value) {
        out.push_back(&n);
        break;
      }
  return out;
}

Tensor readTensorFile(const std::string &path) {
  std::ifstream file(path, std::ios::binary);
  if (!file)
    throw ImportError(path + ": cannot open the tensor file");
  std::string bytes((std::istreambuf_iterator<char>(file)),
                    std::istreambuf_iterator<char>());
  proto::TensorProto t;
  // Protobuf parses many other messages as a TensorProto too; a tensor
  // file names a known element type.
  if (!t.ParseFromString(bytes) || !t.has_data_type() ||
      elemTypeOf(t.data_type()) == ElemType::Undefined ||
      elemTypeOf(t.data_type()) == ElemType::Other)
    throw ImportError(path + ": not an ONNX TensorProto of float32, "
                             "float64, uint8, int8, int32 or int64");
  Tensor out = readTensor(t, path + ":");
  out.name.clear(); // named by what it binds
  return out;
}

void bindInputs(Graph &graph, const std::map<std::string, Tensor> &bindings) {
  for (const auto &[name, value] : bindings) {
    auto it = std::find_if(graph.inputs.begin(), graph.inputs.end(),
                           [&](const ValueInfo &v) { return v.name == name; });
    if (it == graph.inputs.end()) {
      std::string names;
      for (const ValueInfo &v : graph.inputs)
        names += (names.empty() ? "" : ", ") + v.name;
      throw ImportError("cannot bind '" + name +
                        "': it is not a graph input (inputs: " + names + ")");
    }
    if (it->type != ElemType::Undefined && value.type != it->type)
      throw ImportError("cannot bind '" + name + "': the value is " +
                        elemTypeName(value.type) + " but the input is " +
                        elemTypeName(it->type));
    bool shapeOk = it->dims.size() == value.dims.size();
    for (size_t d = 0; shapeOk && d < value.dims.size(); ++d)
      shapeOk = it->dims[d] < 0 || it->dims[d] == value.dims[d];
    if (!shapeOk)
      throw ImportError("cannot bind '" + name + "': the value has " +
                        std::to_string(value.dims.size()) +
                        " dimensions or sizes that differ from the input's");
    Tensor t = value;
    t.name = name;
    graph.constants[name] = std::move(t);
    graph.inputs.erase(it);
  }
}

Graph readOnnx(const std::string &bytes, const std::string &what) {
  proto::ModelProto model;
  if (!model.ParseFromString(bytes))
    throw ImportError(what + ": not an ONNX model (the protobuf does not "
                             "parse)");
  if (!model.has_graph())
    throw ImportError(what + ": the ONNX model has no graph");
  Graph g;
  for (const auto &opset : model.opset_import())
    if (opset.domain().empty() || opset.domain() == "ai.onnx")
      g.opsetVersion = opset.version();
  const proto::GraphProto &graph = model.graph();
  g.name = graph.name();
  for (const auto &init : graph.initializer())
    g.constants[init.name()] = readTensor(init, what + ": initializer");
  for (const auto &in : graph.input())
    if (!g.constants.count(in.name()))
      g.inputs.push_back(readValueInfo(in));
  for (const auto &out : graph.output())
    g.outputs.push_back(readValueInfo(out));
  for (int i = 0; i < graph.node_size(); ++i) {
    const proto::NodeProto &n = graph.node(i);
    Node node;
    node.opType = n.op_type();
    node.domain = n.domain() == "ai.onnx" ? "" : n.domain();
    node.name = n.name().empty()
                    ? n.op_type() + " #" + std::to_string(i)
                    : n.name();
    node.inputs.assign(n.input().begin(), n.input().end());
    node.outputs.assign(n.output().begin(), n.output().end());
    for (const auto &a : n.attribute())
      node.attributes[a.name()] = readAttribute(a, what + ": " + node.describe());
    if (node.opType == "Constant" && node.domain.empty()) {
      auto it = node.attributes.find("value");
      if (it == node.attributes.end() || !it->second.tensor ||
          node.outputs.size() != 1)
        throw ImportError(what + ": " + node.describe() +
                          " must hold one tensor 'value' (other Constant "
                          "forms are not read)");
      Tensor t = *it->second.tensor;
      t.name = node.outputs[0];
      g.constants[t.name] = std::move(t);
      continue;
    }
    g.nodes.push_back(std::move(node));
  }
  if (g.inputs.empty())
    throw ImportError(what + ": the graph has no input");
  return g;
}

Graph readOnnxFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw ImportError(path + ": cannot open the file");
  std::ostringstream buf;
  buf << in.rdbuf();
  return readOnnx(buf.str(), path);
}

std::string print(const Graph &g) {
  std::ostringstream os;
  os << "graph " << g.name << " (opset " << g.opsetVersion << ")\n";
  for (const ValueInfo &v : g.inputs)
    os << "input " << v.name << ": " << elemTypeName(v.type)
       << shapeText(v.dims) << "\n";
  for (const auto &[name, t] : g.constants) {
    os << "const " << name << ": " << elemTypeName(t.type) << shapeText(t.dims);
    if (t.size() <= 4) {
      os << " =";
      for (double v : t.values)
        os << " " << number(v);
    }
    os << "\n";
  }
  for (const Node &n : g.nodes) {
    os << n.name << " = " << (n.domain.empty() ? "" : n.domain + ".")
       << n.opType;
    if (!n.attributes.empty()) {
      os << " {";
      bool first = true;
      for (const auto &[key, a] : n.attributes) {
        os << (first ? "" : ", ") << key << "=";
        first = false;
        switch (a.kind) {
        case Attribute::Int: os << a.i; break;
        case Attribute::Float: os << number(a.f); break;
        case Attribute::String: os << '"' << a.s << '"'; break;
        case Attribute::Ints: os << shapeText(a.ints); break;
        case Attribute::Floats: {
          os << "[";
          for (size_t i = 0; i < a.floats.size(); ++i)
            os << (i ? "," : "") << number(a.floats[i]);
          os << "]";
          break;
        }
        case Attribute::TensorValue: os << "tensor"; break;
        case Attribute::Other: os << "?"; break;
        }
      }
      os << "}";
    }
    os << " (";
    for (size_t i = 0; i < n.inputs.size(); ++i)
      os << (i ? ", " : "") << n.inputs[i];
    os << ") -> (";
    for (size_t i = 0; i < n.outputs.size(); ++i)
      os << (i ? ", " : "") << n.outputs[i];
    os << ")\n";
  }
  for (const ValueInfo &v : g.outputs)
    os << "output " << v.name << ": " << elemTypeName(v.type)
       << shapeText(v.dims) << "\n";
  return os.str();
}

} // namespace akida::onnx
