//===- OnChipLearning.cpp - Edge learning inside the simulated device -----===//
//
// Akida 1.0 learns on the chip: the last layer, a FullyConnected compiled
// for learning, keeps its binary weights in the NPs that run it, and after
// each sample the device updates them (the engine's toggle_learn, fit and
// learn_mem). The program says which layer learns: its records carry the
// layer's learning state (learning_parameters whole, threshold_learning
// and plasticity cut per filter, num_weights and num_classes in the
// parameters). Here the device assembles that state once per program (its
// learn_mem), then per sample of fit():
//
//  1. runs the sample through the mesh as forward() does;
//  2. reads the learning layer's input (the 1-bit spikes every unit of the
//     layer received);
//  3. takes one learning step on the state (learning::learn: the same rule
//     Model::fit applies on the CPU, so both learn bit for bit alike);
//  4. writes the new weights into the units, each its own filters.
//
// A learning program takes one sample per enqueue.
//
//===----------------------------------------------------------------------===//
#include "device/sim/VirtualDevice.h"

#include <stdexcept>

namespace akida {

namespace {

/// The units of pass `pass` in the order VirtualDevice::load adds them.
std::vector<const UnitRecord *> passRecords(const PassProgram &pass) {
  std::vector<const UnitRecord *> out;
  if (pass.hrc)
    out.push_back(&*pass.hrc);
  for (const UnitRecord &r : pass.nps)
    out.push_back(&r);
  for (const UnitRecord &r : pass.merges)
    out.push_back(&r);
  return out;
}

/// Copies the per-filter tensor `name` of `r` (last axis cut to the unit's
/// filters) into `whole` (last axis: every filter).
void gather(const UnitRecord &r, const std::string &name, Array &whole) {
  const ProgramTensor *t = r.tensor(name);
  if (!t || !t->perFilter)
    throw std::invalid_argument("simulator: learning layer " +
                                std::to_string(r.layer) + " NP " +
                                r.ident.str() + " has no per-filter tensor '" +
                                name + "'");
  const Array part = t->toArray();
  if (whole.shape.empty()) {
    whole.dtype = part.dtype;
    whole.shape = part.shape;
    whole.shape.back() = r.totalFilters;
    int64_t n = 1;
    for (int64_t d : whole.shape)
      n *= d;
    whole.bytes.assign(size_t(n) * dtypeSize(part.dtype), 0);
  }
  const size_t es = dtypeSize(part.dtype);
  const int64_t count = r.filterCount, total = r.totalFilters;
  const int64_t outer = count ? t->size() / count : 0;
  for (int64_t o = 0; o < outer; ++o)
    std::copy(part.bytes.begin() + o * count * int64_t(es),
              part.bytes.begin() + (o + 1) * count * int64_t(es),
              whole.bytes.begin() + (o * total + r.firstFilter) * int64_t(es));
}

} // namespace

sim::LearningState VirtualDevice::readLearning(const DecodedProgram &p) {
  int layer = -1;
  std::vector<std::pair<size_t, size_t>> units;
  LayerDesc learner;
  for (size_t pi = 0; pi < p.passes.size(); ++pi) {
    const std::vector<const UnitRecord *> records = passRecords(p.passes[pi]);
    for (size_t ui = 0; ui < records.size(); ++ui) {
      const UnitRecord &r = *records[ui];
      if (r.layerType != LayerType::FullyConnected ||
          !r.tensor("learning_parameters"))
        continue;
      if (layer >= 0 && r.layer != layer)
        throw std::invalid_argument(
            "simulator: the program learns in layers " + std::to_string(layer) +
            " and " + std::to_string(r.layer) + "; only one layer learns");
      if (layer < 0) {
        layer = r.layer;
        const PassProgram &pass = p.passes[pi];
        for (size_t k = 0; k < pass.layers.size(); ++k)
          if (pass.layers[k] == layer && k < pass.layerNames.size())
            learner.name = pass.layerNames[k];
        learner.type = LayerType::FullyConnected;
        learner.params = r.params;
        Variable params;
        params.array = r.tensor("learning_parameters")->toArray();
        params.bitwidth = 32;
        learner.variables["learning_parameters"] = params;
      }
      units.push_back({pi, ui});
      gather(r, "weights", learner.variables["weights"].array);
      gather(r, "threshold_learning",
             learner.variables["threshold_learning"].array);
      gather(r, "plasticity", learner.variables["plasticity"].array);
    }
  }
  if (layer >= 0) {
    learner.variables["threshold_learning"].bitwidth = 32;
    learner.variables["plasticity"].bitwidth = 32;
    if (layer != p.passes.back().layers.back())
      throw std::invalid_argument("simulator: learning layer " +
                                  std::to_string(layer) +
                                  " is not the program's last layer");
    learning::learnMemOf(learner); // throws unless the state is complete
  }
  return {layer, std::move(units), std::move(learner)};
}

ref::Activations VirtualDevice::fit(const ref::Activations &input,
                                    const std::vector<int64_t> &labels) {
  if (!programmed_)
    throw std::runtime_error("fit: device " + device_.name +
                             " is not programmed");
  if (learning_.layer < 0)
    throw std::invalid_argument(
        "fit: the program on device " + device_.name +
        " has no learning layer (compile the model for learning before "
        "mapping it)");
  if (!labels.empty() && static_cast<int64_t>(labels.size()) != input.batch)
    throw std::invalid_argument("fit: got " + std::to_string(labels.size()) +
                                " labels for " + std::to_string(input.batch) +
                                " samples; give one per sample, or none");
  return run(input, &labels);
}

void VirtualDevice::learnFrom(int64_t label) {
  // Every unit of the layer received the whole input; the first one's is
  // the layer's.
  const auto [pi, ui] = learning_.units.front();
  const sim::Port &in = passes_[pi].units[ui]->input(0);
  ref::Activations spikes;
  spikes.type.shape = in.dims;
  spikes.type.bits = in.bits;
  spikes.batch = 1;
  spikes.ints = in.values;
  if (learning::learn(learning_.learner, learning::features(spikes, 0), label) >= 0)
    storeLearnedWeights();
}

void VirtualDevice::storeLearnedWeights() {
  const Array &whole = learning_.learner.variables.at("weights").array;
  const std::vector<int64_t> w = whole.ints();
  const int64_t units = whole.shape.back();
  const int64_t rows = units ? static_cast<int64_t>(w.size()) / units : 0;
  for (const auto &[pi, ui] : learning_.units) {
    sim::Unit &u = *passes_[pi].units[ui];
    const int64_t first = u.record().firstFilter, count = u.record().filterCount;
    std::vector<int64_t> mine(size_t(rows * count));
    for (int64_t i = 0; i < rows; ++i)
      std::copy(w.begin() + i * units + first,
                w.begin() + i * units + first + count,
                mine.begin() + i * count);
    u.setWeights(std::move(mine));
  }
}

learning::LearnMem VirtualDevice::learn_mem() {
  if (learning_.layer < 0)
    throw std::runtime_error("learn_mem: the program on device " +
                             device_.name + " has no learning layer");
  return learning::learnMemOf(learning_.learner);
}

void VirtualDevice::update_learn_mem(const learning::LearnMem &mem) {
  if (learning_.layer < 0)
    throw std::invalid_argument("update_learn_mem: the program on device " +
                                device_.name + " has no learning layer");
  learning::setLearnMem(learning_.learner, mem);
  storeLearnedWeights();
}

} // namespace akida
