//===- Model.cpp - The Akida Model API ------------------------------------===//

#include "runtime/model/Model.h"

#include "actors/ModelPipeline.h"
#include "compiler/fbz/Fbz.h"
#include "compiler/fbz/LayerSchema.h"
#include "device/usb/OpenDevice.h"

#include <algorithm>
#include <stdexcept>

namespace akida {

namespace {

[[noreturn]] void badLayer(const LayerDesc &layer, const std::string &what) {
  throw std::invalid_argument("layer '" + layer.name + "' (" +
                              layerTypeName(layer.type) + "): " + what);
}

} // namespace

//===----------------------------------------------------------------------===//
// Layer
//===----------------------------------------------------------------------===//

const LayerDesc &Layer::desc() const { return model->desc_.layers.at(index); }

int64_t Layer::param(const std::string &name) const {
  return akida::param(desc(), name);
}

std::vector<std::string> Layer::inbounds() const {
  std::vector<std::string> names;
  for (int i : desc().inbounds)
    names.push_back(model->desc_.layers[i].name);
  return names;
}

std::array<int64_t, 3> Layer::input_dims() const {
  const LayerDesc &d = desc();
  if (d.inbounds.empty())
    return model->input_shape();
  return model->outputTypes_.at(d.inbounds[0]).shape;
}

std::array<int64_t, 3> Layer::output_dims() const {
  return output_type().shape;
}

const ActType &Layer::output_type() const {
  return model->outputTypes_.at(index);
}

std::vector<std::string> Layer::get_variable_names() const {
  std::vector<std::string> names;
  for (const VariableSpec &spec : layerSchema(type()).variables)
    names.push_back(spec.name);
  return names;
}

const Array &Layer::get_variable(const std::string &name) const {
  const LayerDesc &d = desc();
  if (!layerSchema(d.type).findVariable(name))
    badLayer(d, "has no variable '" + name + "'");
  auto it = d.variables.find(name);
  if (it == d.variables.end())
    badLayer(d, "variable '" + name + "' is not set");
  return it->second.array;
}

void Layer::set_variable(const std::string &name, const Array &values) {
  LayerDesc &d = model->desc_.layers.at(index);
  const VariableSpec *spec = layerSchema(d.type).findVariable(name);
  if (!spec)
    badLayer(d, "has no variable '" + name + "'");
  Variable previous;
  bool had = d.variables.count(name);
  if (had)
    previous = d.variables[name];
  d.variables[name] = Variable{values, variableBits(d, *spec)};
  model->unmap();       // the programs hold the old values
  model->plan_.reset(); // so does the CPU plan
  try {
    model->validateLayer(index);
  } catch (...) {
    if (had)
      d.variables[name] = previous;
    else
      d.variables.erase(name);
    throw;
  }
}

//===----------------------------------------------------------------------===//
// Construction and validation
//===----------------------------------------------------------------------===//

Model::Model(const std::string &path) : Model(loadFbz(path)) {}

Model Model::from_buffer(const std::vector<uint8_t> &bytes) {
  return Model(decodeFbz(bytes.data(), bytes.size(), "<buffer>"));
}

Model::Model(ModelDesc desc) : desc_(std::move(desc)) {
  for (LayerDesc &layer : desc_.layers)
    fillDefaultParams(layer);
  validateAll();
}

Model::Model(std::array<int64_t, 3> input_shape, std::vector<LayerDesc> layers) {
  if (layers.empty())
    throw std::invalid_argument("a model needs at least an input layer");
  add_input(layers.front(), input_shape);
  for (size_t i = 1; i < layers.size(); ++i) {
    std::vector<std::string> inbounds;
    for (int j : layers[i].inbounds) {
      if (j < 0 || static_cast<size_t>(j) >= i)
        badLayer(layers[i], "inbound " + std::to_string(j) +
                                " is not an earlier layer");
      inbounds.push_back(desc_.layers[j].name);
    }
    add(layers[i], inbounds);
  }
}

void Model::validateAll() {
  outputTypes_.clear();
  for (size_t i = 0; i < desc_.layers.size(); ++i)
    validateLayer(i);
  states_.assign(desc_.layers.size(), {});
}

void Model::validateLayer(size_t index) {
  const LayerDesc &layer = desc_.layers[index];
  const LayerSchema &schema = layerSchema(layer.type);

  // Place in the graph and IP version.
  if (schema.isInput != (index == 0))
    badLayer(layer, schema.isInput ? "an input layer must be the first layer"
                                   : "the first layer must be an input layer "
                                     "(InputData, InputConvolutional or "
                                     "InputConv2D)");
  if (schema.family && *schema.family != desc_.ipVersion)
    badLayer(layer, std::string("is an Akida ") +
                        (*schema.family == IpVersion::v1 ? "1.0" : "2.0") +
                        " layer but the model is Akida " +
                        (desc_.ipVersion == IpVersion::v1 ? "1.0" : "2.0") +
                        "; v1 and v2 layers do not mix");
  for (int in : layer.inbounds)
    if (in < 0 || static_cast<size_t>(in) >= index)
      badLayer(layer, "inbound " + std::to_string(in) +
                          " is not an earlier layer");
  for (size_t j = 0; j < index; ++j)
    if (desc_.layers[j].name == layer.name)
      badLayer(layer, "the name is already used by layer " + std::to_string(j));

  // Parameters: known names only (the schema and Shapes check values).
  for (const auto &[key, value] : layer.params) {
    bool known = schema.findParam(key) != nullptr;
    if (!known && key.size() > 2) {
      const ParamSpec *pair = schema.findParam(key.substr(0, key.size() - 2));
      known = pair && pair->kind == ParamKind::Pair;
    }
    if (!known)
      badLayer(layer, "unknown parameter '" + key + "'");
  }

  std::vector<ActType> inputs;
  if (schema.isInput)
    inputs.push_back(modelInputType(desc_));
  for (int in : layer.inbounds)
    inputs.push_back(outputTypes_.at(in));
  ActType out = inferLayerOutput(layer, inputs);

  // Variables: known, right dtype and shape, values within their bit width.
  for (const auto &[name, var] : layer.variables) {
    const VariableSpec *spec = schema.findVariable(name);
    if (!spec)
      badLayer(layer, "unknown variable '" + name + "'");
    if (var.array.dtype != spec->dtype)
      badLayer(layer, "variable '" + name + "' has dtype " +
                          dtypeName(var.array.dtype) + " but must be " +
                          dtypeName(spec->dtype));
    auto shapes = allowedVariableShapes(layer, name, inputs);
    if (std::find(shapes.begin(), shapes.end(), var.array.shape) ==
        shapes.end()) {
      std::string allowed;
      for (size_t i = 0; i < shapes.size(); ++i)
        allowed += (i ? " or " : "") + formatShape(shapes[i]);
      badLayer(layer, "variable '" + name + "' has shape " +
                          formatShape(var.array.shape) + " but must be " +
                          allowed);
    }
    if (static_cast<int64_t>(var.array.bytes.size()) !=
        var.array.size() * static_cast<int64_t>(dtypeSize(var.array.dtype)))
      badLayer(layer, "variable '" + name + "' holds " +
                          std::to_string(var.array.bytes.size()) +
                          " bytes, not what its shape needs");
    if (spec->bitsParam) {
      int bits = variableBits(layer, *spec);
      int64_t lo = bits == 1 ? 0 : -(int64_t(1) << (bits - 1));
      int64_t hi = bits == 1 ? 1 : (int64_t(1) << (bits - 1)) - 1;
      for (int64_t i = 0; i < var.array.size(); ++i) {
        int64_t v = var.array.intAt(i);
        if (v < lo || v > hi)
          badLayer(layer, "variable '" + name + "' has value " +
                              std::to_string(v) + " at flat index " +
                              std::to_string(i) + " outside [" +
                              std::to_string(lo) + ", " + std::to_string(hi) +
                              "] (" + spec->bitsParam + " = " +
                              std::to_string(bits) + ")");
      }
    }
  }

  if (outputTypes_.size() <= index)
    outputTypes_.resize(index + 1);
  outputTypes_[index] = out;
}

void Model::add(LayerDesc layer, const std::vector<std::string> &inbounds) {
  if (desc_.layers.empty())
    badLayer(layer, "the first layer of a model needs an input shape: use "
                    "add_input(layer, input_shape)");
  fillDefaultParams(layer);
  const LayerSchema &schema = layerSchema(layer.type);
  layer.inbounds.clear();
  if (inbounds.empty()) {
    layer.inbounds.push_back(get_layer_count() - 1);
  } else {
    for (const std::string &name : inbounds)
      layer.inbounds.push_back(layerIndex(name));
  }
  if (static_cast<int>(layer.inbounds.size()) < schema.minInbounds ||
      static_cast<int>(layer.inbounds.size()) > schema.maxInbounds)
    badLayer(layer, "takes " + std::to_string(schema.minInbounds) +
                        (schema.maxInbounds > schema.minInbounds ? " or more"
                                                                 : "") +
                        " inbound layers, got " +
                        std::to_string(layer.inbounds.size()));
  if (layer.name.empty())
    layer.name = std::string(schema.mnemonic) + "_" +
                 std::to_string(get_layer_count());
  if (schema.family && desc_.layers.size() == 1 &&
      desc_.layers[0].type == LayerType::InputData)
    desc_.ipVersion = *schema.family; // InputData fits both versions.
  desc_.layers.push_back(std::move(layer));
  unmap();
  plan_.reset();
  try {
    validateLayer(desc_.layers.size() - 1);
  } catch (...) {
    desc_.layers.pop_back();
    throw;
  }
  states_.resize(desc_.layers.size());
}

void Model::add_input(LayerDesc layer, std::array<int64_t, 3> input_shape) {
  if (!desc_.layers.empty())
    badLayer(layer, "the model already has an input layer ('" +
                        desc_.layers[0].name + "')");
  const LayerSchema &schema = layerSchema(layer.type);
  if (!schema.isInput)
    badLayer(layer, "is not an input layer (InputData, InputConvolutional "
                    "or InputConv2D)");
  for (int64_t d : input_shape)
    if (d < 1)
      badLayer(layer, "input shape " +
                          formatShape({input_shape.begin(), input_shape.end()}) +
                          " must have positive dimensions");
  fillDefaultParams(layer);
  layer.inbounds.clear();
  if (layer.name.empty())
    layer.name = "input";
  ModelDesc saved = desc_;
  desc_.inputShape = {input_shape.begin(), input_shape.end()};
  desc_.ipVersion = schema.family.value_or(IpVersion::v2);
  desc_.layers.push_back(std::move(layer));
  plan_.reset();
  try {
    validateAll();
  } catch (...) {
    desc_ = saved;
    throw;
  }
}

void Model::pop_layer() {
  if (desc_.layers.empty())
    throw std::runtime_error("pop_layer: the model has no layers");
  desc_.layers.pop_back();
  unmap();
  plan_.reset();
  outputTypes_.resize(desc_.layers.size());
  states_.resize(desc_.layers.size());
  if (desc_.layers.empty())
    desc_.inputShape.clear();
}

int Model::layerIndex(const std::string &name) const {
  for (size_t i = 0; i < desc_.layers.size(); ++i)
    if (desc_.layers[i].name == name)
      return static_cast<int>(i);
  throw std::invalid_argument("no layer named '" + name + "' in the model");
}

Layer Model::get_layer(const std::string &name) {
  return Layer(this, layerIndex(name));
}

Layer Model::get_layer(int index) {
  if (index < 0 || index >= get_layer_count())
    throw std::invalid_argument("layer index " + std::to_string(index) +
                                " is out of range [0, " +
                                std::to_string(get_layer_count()) + ")");
  return Layer(this, index);
}

std::vector<Layer> Model::layers() {
  std::vector<Layer> out;
  for (int i = 0; i < get_layer_count(); ++i)
    out.push_back(Layer(this, i));
  return out;
}

std::array<int64_t, 3> Model::input_shape() const {
  if (desc_.inputShape.size() != 3)
    throw std::runtime_error("the model has no input layer yet");
  return {desc_.inputShape[0], desc_.inputShape[1], desc_.inputShape[2]};
}

std::array<int64_t, 3> Model::output_shape() const {
  if (outputTypes_.empty())
    throw std::runtime_error("the model has no layers");
  return outputTypes_.back().shape;
}

IpVersion Model::ip_version() const { return desc_.ipVersion; }

void Model::save(const std::string &path) const { saveFbz(desc_, path); }

std::vector<uint8_t> Model::to_buffer() const { return encodeFbz(desc_); }

void Model::map(const Device &device, bool hw_only, MapMode mode) {
  checkRunnable();
  ModelMapping mapping = mapModel(desc_, device, mode, hw_only);
  std::shared_ptr<ProgrammableDevice> opened = openDevice(device);
  unmap();
  mapping_ = std::move(mapping);
  device_ = std::move(opened);
  metrics_ = {};
}

void Model::map(std::shared_ptr<ProgrammableDevice> device, bool hw_only,
                MapMode mode) {
  if (!device)
    throw std::invalid_argument("map: no device");
  checkRunnable();
  ModelMapping mapping = mapModel(desc_, device->device(), mode, hw_only);
  unmap();
  mapping_ = std::move(mapping);
  device_ = std::move(device);
  metrics_ = {};
}

std::vector<Sequence> Model::sequences() const {
  if (mapping_)
    return mapping_->sequences;
  Sequence all;
  all.name = "SW/" + desc_.layers.front().name + "-" + desc_.layers.back().name;
  for (int i = 0; i < get_layer_count(); ++i)
    all.layers.push_back(i);
  return {all};
}

std::vector<NpMapping> Model::layer_nps(const std::string &name) const {
  if (!mapping_)
    throw std::runtime_error("layer_nps: the model is not mapped; call map() "
                             "first");
  auto it = mapping_->nps.find(layerIndex(name));
  return it == mapping_->nps.end() ? std::vector<NpMapping>{} : it->second;
}

void Model::reset_states() {
  for (ref::TemporalState &s : states_)
    s.reset();
  if (pipeline_.pipeline)
    pipeline_.pipeline->resetStates();
}

void Model::unmap() {
  pipeline_.pipeline.reset(); // before the device it runs on
  mapping_.reset();
  device_.reset();
}

} // namespace akida
