//===- Learning.cpp - Akida 1.0 edge learning ------------------------------===//

#include "runtime/reference/Learning.h"

#include "compiler/fbz/LayerSchema.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>

namespace akida::learning {

namespace {

[[noreturn]] void refuse(const LayerDesc &layer, const std::string &why) {
  throw std::invalid_argument("compile: layer '" + layer.name + "' (" +
                              layerTypeName(layer.type) + ") " + why);
}

void checkUnit(const LayerDesc &layer, const char *name, float v) {
  if (!(v >= 0.0f && v <= 1.0f))
    refuse(layer, std::string("cannot learn with ") + name + " = " +
                      std::to_string(v) + "; it must be within [0, 1]");
}

/// Weights of neuron `j` of `units`: `num_weights` ones at random rows.
void connectRandomly(std::vector<int64_t> &w, int64_t rows, int64_t units,
                     int64_t j, int64_t numWeights, std::mt19937 &rng) {
  std::vector<int64_t> order(static_cast<size_t>(rows));
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);
  for (int64_t i = 0; i < rows; ++i)
    w[i * units + j] = 0;
  for (int64_t k = 0; k < numWeights; ++k)
    w[order[k] * units + j] = 1;
}

struct State {
  int64_t rows, units;
  std::vector<int64_t> weights, threshold;
  std::vector<float> plasticity;
};

State stateOf(const LayerDesc &layer) {
  State s;
  const Array &w = layer.variables.at("weights").array;
  s.units = w.shape.at(3);
  s.rows = w.shape.at(2);
  s.weights = w.ints();
  s.threshold = layer.variables.at("threshold_learning").array.ints();
  s.plasticity = layer.variables.at("plasticity").array.floats();
  return s;
}

void store(LayerDesc &layer, const State &s) {
  layer.variables["weights"].array =
      Array::fromInts(DType::Int8, {1, 1, s.rows, s.units}, s.weights);
  layer.variables["threshold_learning"] = {
      Array::fromInts(DType::Int32, {s.units}, s.threshold), 32};
  layer.variables["plasticity"] = {Array::fromFloats({s.units}, s.plasticity),
                                   32};
  layer.params["units"] = s.units;
}

} // namespace

void compile(LayerDesc &layer, const ActType &in,
             const AkidaUnsupervised &opt, uint32_t seed) {
  if (layer.type != LayerType::FullyConnected)
    refuse(layer, "cannot learn: only a FullyConnected last layer learns "
                  "(Akida 1.0)");
  if (param(layer, "weights_bits") != 1)
    refuse(layer, "cannot learn: it has " +
                      std::to_string(param(layer, "weights_bits")) +
                      "-bit weights; a learning layer has 1-bit weights");
  if (in.bits != 1 || in.isSigned || in.isFloat)
    refuse(layer, "cannot learn: its input has " + std::to_string(in.bits) +
                      "-bit values; a learning layer reads 1-bit spikes");
  const int64_t rows = in.shape[0] * in.shape[1] * in.shape[2];
  const int64_t units = param(layer, "units");
  if (opt.num_weights < 1 || opt.num_weights > rows)
    refuse(layer, "cannot learn with num_weights = " +
                      std::to_string(opt.num_weights) +
                      "; it must be within [1, " + std::to_string(rows) +
                      "] (the layer's inputs)");
  if (opt.num_classes < 1 || units % opt.num_classes != 0)
    refuse(layer, "cannot learn with num_classes = " +
                      std::to_string(opt.num_classes) + "; it must divide its " +
                      std::to_string(units) + " units");
  checkUnit(layer, "initial_plasticity", opt.initial_plasticity);
  checkUnit(layer, "learning_competition", opt.learning_competition);
  checkUnit(layer, "min_plasticity", opt.min_plasticity);
  checkUnit(layer, "plasticity_decay", opt.plasticity_decay);

  State s;
  s.rows = rows;
  s.units = units;
  s.weights.assign(static_cast<size_t>(rows * units), 0);
  std::mt19937 rng(seed);
  for (int64_t j = 0; j < units; ++j)
    connectRandomly(s.weights, rows, units, j, opt.num_weights, rng);
  s.threshold.assign(static_cast<size_t>(units), 0);
  s.plasticity.assign(static_cast<size_t>(units), opt.initial_plasticity);
  layer.params["num_weights"] = opt.num_weights;
  layer.params["num_classes"] = opt.num_classes;
  layer.variables["learning_parameters"] = {
      Array::fromFloats({4}, {opt.initial_plasticity, opt.learning_competition,
                              opt.min_plasticity, opt.plasticity_decay}),
      32};
  store(layer, s);
}

std::optional<AkidaUnsupervised> optimizerOf(const LayerDesc &layer) {
  auto it = layer.variables.find("learning_parameters");
  if (layer.type != LayerType::FullyConnected || it == layer.variables.end() ||
      !layer.params.count("num_weights"))
    return std::nullopt;
  const std::vector<float> p = it->second.array.floats();
  AkidaUnsupervised o;
  o.num_weights = layer.params.at("num_weights");
  o.num_classes = optionalParam(layer, "num_classes").value_or(1);
  o.initial_plasticity = p.at(0);
  o.learning_competition = p.at(1);
  o.min_plasticity = p.at(2);
  o.plasticity_decay = p.at(3);
  return o;
}

std::vector<int64_t> features(const ref::Activations &in, int64_t s) {
  const int64_t h = in.type.shape[0], w = in.type.shape[1],
                c = in.type.shape[2];
  std::vector<int64_t> flat(static_cast<size_t>(h * w * c));
  for (int64_t row = 0; row < h; ++row)
    for (int64_t col = 0; col < w; ++col)
      for (int64_t ch = 0; ch < c; ++ch)
        flat[ch * (h * w) + col * h + row] = in.ints[in.index(s, row, col, ch)];
  return flat;
}

int64_t learn(LayerDesc &layer, const std::vector<int64_t> &x, int64_t label) {
  const std::optional<AkidaUnsupervised> opt = optimizerOf(layer);
  if (!opt)
    throw std::runtime_error("fit: the model is not compiled for learning; "
                             "call compile() first");
  State s = stateOf(layer);
  if (static_cast<int64_t>(x.size()) != s.rows)
    throw std::invalid_argument("fit: layer '" + layer.name + "' reads " +
                                std::to_string(s.rows) + " features, not " +
                                std::to_string(x.size()));
  // The neurons that may learn from this sample.
  int64_t first = 0, last = s.units;
  if (opt->num_classes > 1 && label >= 0) {
    if (label >= opt->num_classes)
      return -1; // a label outside the classes does not train
    const int64_t per = s.units / opt->num_classes;
    first = label * per;
    last = first + per;
  }
  // The winner: the highest potential; neurons that have not learned yet
  // compete at (1 - learning_competition) of theirs.
  int64_t winner = -1;
  double best = -1;
  for (int64_t j = first; j < last; ++j) {
    int64_t p = 0;
    for (int64_t i = 0; i < s.rows; ++i)
      p += (x[i] > 0) & (s.weights[i * s.units + j] != 0);
    const double score =
        s.threshold[j] > 0 ? p : p * (1.0 - opt->learning_competition);
    if (score > best) {
      best = score;
      winner = j;
    }
  }
  if (winner < 0 || !(s.plasticity[winner] > 0.0f))
    return -1;
  const float plasticity = s.plasticity[winner];
  // Move connections from silent inputs to spiking unconnected ones.
  std::vector<int64_t> add, drop;
  for (int64_t i = 0; i < s.rows; ++i) {
    const bool spiked = x[i] > 0, connected = s.weights[i * s.units + winner] != 0;
    if (spiked && !connected)
      add.push_back(i);
    else if (!spiked && connected)
      drop.push_back(i);
  }
  // Which ones: a shuffle seeded by the sample and the neuron, so that the
  // same samples learn the same way (after a reload too) without favouring
  // low feature indices.
  uint64_t seed = 1469598103934665603ull ^ static_cast<uint64_t>(winner);
  for (int64_t i : add)
    seed = (seed ^ static_cast<uint64_t>(i)) * 1099511628211ull;
  std::mt19937_64 rng(seed);
  std::shuffle(add.begin(), add.end(), rng);
  std::shuffle(drop.begin(), drop.end(), rng);
  const size_t movable = std::min(add.size(), drop.size());
  const size_t moves = std::min(
      movable, static_cast<size_t>(std::ceil(plasticity * movable)));
  for (size_t k = 0; k < moves; ++k) {
    s.weights[drop[k] * s.units + winner] = 0;
    s.weights[add[k] * s.units + winner] = 1;
  }
  int64_t potential = 0;
  for (int64_t i = 0; i < s.rows; ++i)
    potential += (x[i] > 0) & (s.weights[i * s.units + winner] != 0);
  s.threshold[winner] = potential;
  s.plasticity[winner] =
      std::max(opt->min_plasticity,
               plasticity - opt->plasticity_decay * opt->initial_plasticity);
  store(layer, s);
  return winner;
}

LearnMem learnMemOf(const LayerDesc &layer) {
  if (!optimizerOf(layer))
    throw std::runtime_error("learn_mem: layer '" + layer.name +
                             "' is not compiled for learning");
  return {layer.variables.at("weights").array,
          layer.variables.at("threshold_learning").array,
          layer.variables.at("plasticity").array};
}

void setLearnMem(LayerDesc &layer, const LearnMem &mem) {
  const LearnMem now = learnMemOf(layer);
  auto check = [&](const char *name, const Array &have, const Array &give) {
    if (have.dtype != give.dtype || have.shape != give.shape ||
        give.bytes.size() != have.bytes.size())
      throw std::invalid_argument(
          "learn_mem: layer '" + layer.name + "' variable '" + name + "' is " +
          dtypeName(have.dtype) + " " + formatDims(have.shape) + ", not " +
          dtypeName(give.dtype) + " " + formatDims(give.shape));
  };
  check("weights", now.weights, mem.weights);
  check("threshold_learning", now.threshold_learning, mem.threshold_learning);
  check("plasticity", now.plasticity, mem.plasticity);
  for (int64_t w : mem.weights.ints())
    if (w != 0 && w != 1)
      throw std::invalid_argument("learn_mem: layer '" + layer.name +
                                  "' weights must be 0 or 1, got " +
                                  std::to_string(w));
  layer.variables["weights"].array = mem.weights;
  layer.variables["threshold_learning"].array = mem.threshold_learning;
  layer.variables["plasticity"].array = mem.plasticity;
}

void addClasses(LayerDesc &layer, int64_t count, uint32_t seed) {
  const std::optional<AkidaUnsupervised> opt = optimizerOf(layer);
  if (!opt)
    throw std::runtime_error("add_classes: the model is not compiled for "
                             "learning; call compile() first");
  if (count < 1)
    throw std::invalid_argument("add_classes: num_add_classes is " +
                                std::to_string(count) + " but must be >= 1");
  const State old = stateOf(layer);
  const int64_t per = old.units / opt->num_classes;
  State s;
  s.rows = old.rows;
  s.units = old.units + count * per;
  s.weights.assign(static_cast<size_t>(s.rows * s.units), 0);
  for (int64_t i = 0; i < s.rows; ++i)
    for (int64_t j = 0; j < old.units; ++j)
      s.weights[i * s.units + j] = old.weights[i * old.units + j];
  std::mt19937 rng(seed);
  for (int64_t j = old.units; j < s.units; ++j)
    connectRandomly(s.weights, s.rows, s.units, j, opt->num_weights, rng);
  s.threshold = old.threshold;
  s.threshold.resize(static_cast<size_t>(s.units), 0);
  s.plasticity = old.plasticity;
  s.plasticity.resize(static_cast<size_t>(s.units), opt->initial_plasticity);
  // threshold and act_step grow with the units: new neurons copy neuron 0's.
  for (const char *name : {"threshold", "act_step"}) {
    Variable &v = layer.variables.at(name);
    if (v.array.dtype == DType::Float32) {
      std::vector<float> f = v.array.floats();
      f.resize(static_cast<size_t>(s.units), f.at(0));
      v.array = Array::fromFloats({s.units}, f);
    } else {
      std::vector<int64_t> t = v.array.ints();
      t.resize(static_cast<size_t>(s.units), t.at(0));
      v.array = Array::fromInts(v.array.dtype, {s.units}, t);
    }
  }
  layer.params["num_classes"] = opt->num_classes + count;
  store(layer, s);
}

} // namespace akida::learning
