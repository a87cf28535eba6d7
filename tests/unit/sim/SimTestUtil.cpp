//===- SimTestUtil.cpp - Mapping zoo models for the simulator tests -------===//
#include "tests/unit/sim/SimTestUtil.h"

#include "compiler/fbz/LayerSchema.h"
#include "compiler/mapping/Constraints.h"
#include "runtime/zoo/Zoo.h"

#include <map>
#include <random>

namespace akida::simtest {

namespace {

HardwareFacts factsOf(const Device &device) {
  HardwareFacts facts;
  facts.ipVersion = device.ipVersion();
  facts.hasHrc = device.mesh.hrc.has_value();
  for (const NpInfo &np : device.mesh.nps) {
    facts.hasLut |= np.hasLut;
    facts.hasTnp |= np.types.count(NpType::TNP_B) > 0;
  }
  facts.skipDmaChannels = skipDmaChannels(device.mesh);
  return facts;
}

} // namespace

Mapped mapModel(const Model &model, const Device &device, MapMode mode) {
  const ModelDesc &desc = model.desc();
  const size_t n = desc.layers.size();
  std::vector<ActType> outputs;
  std::vector<MapLayer> layers;
  const HardwareFacts facts = factsOf(device);
  for (size_t i = 0; i < n; ++i) {
    const LayerDesc &l = desc.layers[i];
    std::vector<ActType> inputs;
    if (l.inbounds.empty())
      inputs.push_back(modelInputType(desc));
    for (int j : l.inbounds)
      inputs.push_back(outputs[size_t(j)]);
    outputs.push_back(inferLayerOutput(l, inputs));
    const LayerDesc *next = nullptr;
    for (size_t j = i + 1; j < n && !next; ++j)
      for (int in : desc.layers[j].inbounds)
        if (in == static_cast<int>(i))
          next = &desc.layers[j];
    MapLayer m;
    m.desc = &l;
    m.input = inputs.front();
    m.output = outputs.back();
    m.hardware = !alwaysSoftware(l.type) &&
                 checkLayer(l, inputs, outputs.back(), next, facts).empty();
    layers.push_back(m);
  }
  Mapped out;
  out.plan = planMapping(layers, device, mode, false);
  for (const SequencePlan &seq : out.plan.sequences) {
    if (!seq.hardware)
      continue;
    out.programs.push_back(emitProgram(desc, outputs, seq, device));
    out.passes.push_back(seq.passes.size());
    out.lastHardwareLayer = seq.layers.back();
  }
  return out;
}

const ZooMapping &akd1000AllNps(const std::string &name) {
  static std::map<std::string, ZooMapping> cache;
  auto it = cache.find(name);
  if (it == cache.end()) {
    ZooMapping z{buildZooModel(name, 0), {}};
    z.mapped = mapModel(z.model, AKD1000(), MapMode::AllNps);
    it = cache.emplace(name, std::move(z)).first;
  }
  return it->second;
}

Model truncated(const Model &model, int last) {
  Model m = model;
  while (m.get_layer_count() > last + 1)
    m.pop_layer();
  return m;
}

Array randomInputs(const Model &model, int n, uint32_t seed, double density) {
  const ActType t = modelInputType(model.desc());
  const LayerDesc &first = model.desc().layers.front();
  int bits = t.bits;
  if (first.type == LayerType::InputData)
    bits = static_cast<int>(param(first, "input_bits"));
  const std::array<int64_t, 3> s = t.shape;
  std::mt19937 rng(seed);
  const int64_t lo = t.isSigned ? -(int64_t(1) << (bits - 1)) : 0;
  const int64_t hi = t.isSigned ? (int64_t(1) << (bits - 1)) - 1
                                : (int64_t(1) << bits) - 1;
  std::uniform_int_distribution<int64_t> dist(lo, hi);
  std::bernoulli_distribution keep(density);
  std::vector<int64_t> v(size_t(n * s[0] * s[1] * s[2]));
  // Density 1 draws exactly what `akida run` draws for a random input.
  for (int64_t &x : v)
    x = density >= 1.0 || keep(rng) ? dist(rng) : 0;
  return Array::fromInts(t.isSigned ? DType::Int8 : DType::UInt8,
                         {n, s[0], s[1], s[2]}, v);
}

ref::Activations toActivations(const Array &a, const ActType &type) {
  ref::Activations act;
  act.type = type;
  act.batch = a.shape.empty() ? 0 : a.shape[0];
  act.ints = a.ints();
  return act;
}

std::vector<int64_t> referenceOutput(Model &model, const Array &inputs) {
  return model.forward(inputs).ints();
}

std::vector<ref::Activations> referenceActivations(const Model &model,
                                                   const Array &inputs) {
  const ModelDesc &desc = model.desc();
  ref::Activations input = toActivations(inputs, modelInputType(desc));
  std::vector<ref::Activations> acts;
  std::vector<ref::TemporalState> states(desc.layers.size());
  for (size_t i = 0; i < desc.layers.size(); ++i) {
    const LayerDesc &layer = desc.layers[i];
    std::vector<const ref::Activations *> in;
    if (layer.inbounds.empty())
      in.push_back(&input);
    for (int j : layer.inbounds)
      in.push_back(&acts[size_t(j)]);
    acts.push_back(ref::runLayer(layer, in, &states[i]));
  }
  return acts;
}

std::vector<int64_t> programMismatches(const Mapped &mapped,
                                       const Device &device,
                                       const std::vector<ref::Activations> &acts,
                                       const ref::Activations &modelInput,
                                       std::vector<int64_t> *clk) {
  std::vector<int64_t> out;
  VirtualDevice dev(device);
  for (const std::vector<uint8_t> &bytes : mapped.programs) {
    dev.program(bytes);
    const int in = dev.inputLayer();
    const ref::Activations &x =
        in < 0 ? modelInput : acts[static_cast<size_t>(in)];
    ref::Activations y = dev.forward(x);
    const ref::Activations &expected = acts[size_t(dev.outputLayer())];
    if (y.ints.size() != expected.ints.size()) {
      out.push_back(-1);
    } else {
      int64_t diff = 0;
      for (size_t i = 0; i < y.ints.size(); ++i)
        diff += y.ints[i] != expected.ints[i];
      out.push_back(diff);
    }
    if (clk)
      clk->push_back(dev.metrics().inference_clk);
  }
  return out;
}

} // namespace akida::simtest
