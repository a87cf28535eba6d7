//===- OnnxWriter.cpp - The generic import form back to ONNX protobuf -----===//
//
// writeOnnx (OnnxGraph.h): what an OnnxGraph layer stores, so that the part
// of a model left to software is a plain ONNX model any ONNX tool reads.
//
//===----------------------------------------------------------------------===//

#include "compiler/onnx/OnnxGraph.h"

#include <onnx/onnx_pb.h>

namespace akida::onnx {

namespace proto = ::onnx;

namespace {

int protoType(ElemType type) {
  switch (type) {
  case ElemType::Float: return proto::TensorProto::FLOAT;
  case ElemType::UInt8: return proto::TensorProto::UINT8;
  case ElemType::Int8: return proto::TensorProto::INT8;
  case ElemType::Int32: return proto::TensorProto::INT32;
  case ElemType::Int64: return proto::TensorProto::INT64;
  case ElemType::Double: return proto::TensorProto::DOUBLE;
  default: return proto::TensorProto::UNDEFINED;
  }
}

void writeTensor(const Tensor &t, proto::TensorProto &out) {
  out.set_name(t.name);
  out.set_data_type(protoType(t.type));
  for (int64_t d : t.dims)
    out.add_dims(d);
  for (double v : t.values)
    switch (t.type) {
    case ElemType::Float: out.add_float_data(static_cast<float>(v)); break;
    case ElemType::Double: out.add_double_data(v); break;
    case ElemType::Int64: out.add_int64_data(static_cast<int64_t>(v)); break;
    default: out.add_int32_data(static_cast<int32_t>(v)); break;
    }
}

void writeValueInfo(const ValueInfo &v, proto::ValueInfoProto &out) {
  out.set_name(v.name);
  auto *tt = out.mutable_type()->mutable_tensor_type();
  tt->set_elem_type(protoType(v.type));
  auto *shape = tt->mutable_shape();
  for (int64_t d : v.dims) {
    auto *dim = shape->add_dim();
    if (d < 0)
      dim->set_dim_param("?");
    else
      dim->set_dim_value(d);
  }
}

void writeAttribute(const std::string &name, const Attribute &a,
                    proto::AttributeProto &out) {
  out.set_name(name);
  switch (a.kind) {
  case Attribute::Int:
    out.set_type(proto::AttributeProto::INT);
    out.set_i(a.i);
    break;
  case Attribute::Float:
    out.set_type(proto::AttributeProto::FLOAT);
    out.set_f(static_cast<float>(a.f));
    break;
  case Attribute::String:
    out.set_type(proto::AttributeProto::STRING);
    out.set_s(a.s);
    break;
  case Attribute::Ints:
    out.set_type(proto::AttributeProto::INTS);
    for (int64_t v : a.ints)
      out.add_ints(v);
    break;
  case Attribute::Floats:
    out.set_type(proto::AttributeProto::FLOATS);
    for (double v : a.floats)
      out.add_floats(static_cast<float>(v));
    break;
  case Attribute::TensorValue:
    out.set_type(proto::AttributeProto::TENSOR);
    writeTensor(*a.tensor, *out.mutable_t());
    break;
  case Attribute::Other:
    throw ImportError("attribute '" + name +
                      "' has a kind the generic form does not keep");
  }
}

} // namespace

std::string writeOnnx(const Graph &g) {
  proto::ModelProto model;
  model.set_ir_version(8);
  model.set_producer_name("akida");
  auto *opset = model.add_opset_import();
  opset->set_domain("");
  opset->set_version(g.opsetVersion ? g.opsetVersion : 13);
  proto::GraphProto &graph = *model.mutable_graph();
  graph.set_name(g.name);
  for (const auto &[name, t] : g.constants)
    writeTensor(t, *graph.add_initializer());
  for (const ValueInfo &v : g.inputs)
    writeValueInfo(v, *graph.add_input());
  for (const ValueInfo &v : g.outputs)
    writeValueInfo(v, *graph.add_output());
  for (const Node &n : g.nodes) {
    proto::NodeProto &node = *graph.add_node();
    node.set_name(n.name);
    node.set_op_type(n.opType);
    node.set_domain(n.domain);
    for (const std::string &i : n.inputs)
      node.add_input(i);
    for (const std::string &o : n.outputs)
      node.add_output(o);
    for (const auto &[name, a] : n.attributes)
      writeAttribute(name, a, *node.add_attribute());
  }
  std::string bytes;
  if (!model.SerializeToString(&bytes))
    throw ImportError("graph '" + g.name + "' does not serialize");
  return bytes;
}

} // namespace akida::onnx
