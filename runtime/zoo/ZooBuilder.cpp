//===- ZooBuilder.cpp - Building zoo models with calibrated layers --------===//

#include "runtime/zoo/ZooBuilder.h"

#include "compiler/fbz/LayerSchema.h"

#include <algorithm>
#include <cmath>

namespace akida {

namespace {

/// The value that should reach the top output level: the 99.5th percentile of
/// a channel; for a 1x1 output (one value per calibration sample) twice the
/// observed range above `floor`, since a few samples underestimate the tail.
int64_t topValue(const std::vector<int64_t> &values, int64_t floor,
                 bool pooled);

int64_t quantile(std::vector<int64_t> values, double q) {
  if (values.empty())
    return 0;
  size_t k = static_cast<size_t>(q * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), values.begin() + k, values.end());
  return values[k];
}

int64_t topValue(const std::vector<int64_t> &values, int64_t floor,
                 bool pooled) {
  if (!pooled)
    return quantile(values, 0.995);
  return floor + 2 * (quantile(values, 1.0) - floor);
}

bool isPooled(const ref::Activations &a) {
  return a.type.shape[0] * a.type.shape[1] == 1;
}

/// The values of channel `c` of NHWC activations.
std::vector<int64_t> channel(const ref::Activations &a, int64_t c) {
  int64_t channels = a.type.shape[2];
  std::vector<int64_t> out;
  out.reserve(a.ints.size() / channels);
  for (size_t i = c; i < a.ints.size(); i += channels)
    out.push_back(a.ints[i]);
  return out;
}

/// The quantile at which a channel's threshold sits, i.e. its share of
/// zeros. Spatial layers draw one share per layer in [0.45, 0.70]. Layers
/// with a 1x1 output (global pooling, dense) see only one value per sample,
/// and inputs move all channels together, so one share per layer would switch
/// whole samples off: they draw a share per channel in [0.2, 0.9] instead.
class ZeroShare {
public:
  ZeroShare(std::mt19937 &rng, const ref::Activations &a)
      : rng(rng), perChannel(a.type.shape[0] * a.type.shape[1] == 1) {
    layerShare = std::uniform_real_distribution<double>(0.45, 0.70)(rng);
  }
  double next() {
    if (!perChannel)
      return layerShare;
    return std::uniform_real_distribution<double>(0.2, 0.9)(rng);
  }

private:
  std::mt19937 &rng;
  bool perChannel;
  double layerShare;
};

Variable variable(DType dtype, std::vector<int64_t> shape,
                  const std::vector<int64_t> &values) {
  return {Array::fromInts(dtype, std::move(shape), values),
          static_cast<int>(dtypeSize(dtype) * 8)};
}

} // namespace

ZooBuilder::ZooBuilder(IpVersion ip, std::array<int64_t, 3> inputShape,
                       uint32_t seed, int calibrationSamples)
    : rng(seed), samples(calibrationSamples) {
  input.type.shape = inputShape;
  input.type.bits = 8;
  input.batch = samples;
  (void)ip;
}

Variable ZooBuilder::randomWeights(std::vector<int64_t> shape, int bits) {
  int64_t lo = bits == 1 ? 0 : -(int64_t(1) << (bits - 1));
  int64_t hi = bits == 1 ? 1 : (int64_t(1) << (bits - 1)) - 1;
  std::uniform_int_distribution<int64_t> dist(lo, hi);
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  std::vector<int64_t> values(n);
  for (int64_t &v : values)
    v = dist(rng);
  return {Array::fromInts(DType::Int8, std::move(shape), values), bits};
}

ref::Activations ZooBuilder::runLast() {
  int last = model.get_layer_count() - 1;
  const LayerDesc &layer = model.desc().layers[last];
  ref::TemporalState state;
  return ref::runLayer(layer, {last == 0 ? &input : &current}, &state);
}

/// Adds `layer` (replacing any previous layer of that name at the end).
static void appendLayer(Model &model, const LayerDesc &layer,
                        const std::array<int64_t, 3> &inputShape) {
  if (model.get_layer_count() == 0)
    model.add_input(layer, inputShape);
  else
    model.add(layer);
}

void ZooBuilder::inputData(const std::string &name, int inputBits) {
  LayerDesc layer;
  layer.name = name;
  layer.type = LayerType::InputData;
  layer.params = {{"input_bits", inputBits}, {"input_signed", 0}};
  std::uniform_int_distribution<int64_t> dist(0, (int64_t(1) << inputBits) - 1);
  input.type.bits = inputBits;
  input.ints.resize(samples * input.sampleSize());
  for (int64_t &v : input.ints)
    v = dist(rng);
  appendLayer(model, layer, input.type.shape);
  current = runLast();
}

void ZooBuilder::drawImageInputs() {
  // An input convolution reads raw 8-bit images.
  if (model.get_layer_count() != 0 || !input.ints.empty())
    return;
  std::uniform_int_distribution<int64_t> dist(0, 255);
  input.ints.resize(samples * input.sampleSize());
  for (int64_t &v : input.ints)
    v = dist(rng);
}

void ZooBuilder::addV1(LayerDesc layer, int actBits) {
  int64_t units = layer.params.count("filters") ? layer.params["filters"]
                                                : layer.params["units"];
  // Pass 1: raw potentials.
  layer.params["activation"] = 0;
  layer.params["act_bits"] = actBits > 0 ? actBits : 1;
  layer.variables["threshold"] =
      variable(DType::Int32, {units}, std::vector<int64_t>(units, 0));
  layer.variables["act_step"] = {
      Array::fromFloats({units}, std::vector<float>(units, 1.0f)), 32};
  drawImageInputs();
  appendLayer(model, layer, input.type.shape);
  ref::Activations potentials = runLast();
  if (actBits == 0) {
    current = std::move(potentials);
    return;
  }

  // Pass 2: thresholds at a per-layer zero fraction, steps so that the
  // top 0.5% of potentials reach the highest level.
  ZeroShare share(rng, potentials);
  int64_t levels = (int64_t(1) << actBits) - 1;
  std::vector<int64_t> thresholds(units);
  std::vector<float> steps(units);
  for (int64_t f = 0; f < units; ++f) {
    std::vector<int64_t> p = channel(potentials, f);
    int64_t t = quantile(p, share.next());
    int64_t top = topValue(p, t, isPooled(potentials));
    double effective = top > t ? double(top - t) / double(levels) : 1.0;
    thresholds[f] = t;
    // Stored act_step is the 4-bit step: s_eff = act_step * 2^(4 - bits).
    steps[f] = static_cast<float>(std::max(effective, 1.0 / 64) *
                                  std::ldexp(1.0, actBits - 4));
  }
  layer.params["activation"] = 1;
  layer.variables["threshold"] = variable(DType::Int32, {units}, thresholds);
  layer.variables["act_step"] = {Array::fromFloats({units}, steps), 32};
  model.pop_layer();
  appendLayer(model, layer, input.type.shape);
  current = runLast();
}

void ZooBuilder::addV2(LayerDesc layer, bool relu) {
  int64_t bufferBits = param(layer, "buffer_bits");
  // Pass 1: the raw accumulator.
  layer.params["activation"] = static_cast<int64_t>(Activation::NoActivation);
  layer.params["output_bits"] = 32;
  layer.params["buffer_bits"] = 32;
  drawImageInputs();
  appendLayer(model, layer, input.type.shape);
  ref::Activations acc = runLast();
  int64_t units = acc.type.shape[2];
  if (!relu) {
    current = std::move(acc);
    return;
  }

  // Pass 2: a bias that zeroes a per-layer share of each channel, and an
  // output scale/shift that maps the top 0.5% to 255.
  ZeroShare share(rng, acc);
  // The bias is added at every position before pooling, so a globally
  // pooled layer adds it once per convolution output position.
  int64_t positions = 1;
  if (param(layer, "pool_type") == static_cast<int64_t>(PoolType::Average)) {
    Window w = layerWindow(layer);
    const auto &in = current.type.shape;
    positions = windowOutputDim(in[0], w.kernel[0], w.stride[0], w.padding) *
                windowOutputDim(in[1], w.kernel[1], w.stride[1], w.padding);
  }
  std::vector<int64_t> bias(units), biasShift(units), scales(units),
      shifts(units);
  for (int64_t f = 0; f < units; ++f) {
    std::vector<int64_t> a = channel(acc, f);
    int64_t target = -quantile(a, share.next()) / positions;
    int64_t s = 0;
    while (std::llabs(target) >> s > 127)
      ++s;
    bias[f] = (target + (s ? (int64_t(1) << (s - 1)) : 0)) >> s;
    biasShift[f] = s;
    int64_t biasTotal = positions * (bias[f] << s);
    int64_t top = topValue(a, -biasTotal, isPooled(acc)) + biasTotal;
    if (top < 1)
      top = 1;
    // y = round(top * scale * 2^shift) ~ 255 with scale in [64, 255].
    int64_t shift = 0;
    int64_t scale = std::min<int64_t>(255, std::max<int64_t>(1, 255 / top));
    while (top > 255 && shift > -31) {
      --shift;
      scale = (int64_t(255) << -shift) / top;
      if (scale >= 64)
        break;
    }
    scales[f] = std::clamp<int64_t>(scale, 1, 255);
    shifts[f] = shift;
  }
  layer.params["activation"] = static_cast<int64_t>(Activation::ReLU);
  layer.params["output_bits"] = 8;
  layer.params["buffer_bits"] = bufferBits;
  layer.variables["bias"] = variable(DType::Int8, {units}, bias);
  layer.variables["bias_shift"] = variable(DType::UInt8, {units}, biasShift);
  layer.variables["output_scales"] = variable(DType::UInt8, {units}, scales);
  layer.variables["output_shift"] = variable(DType::Int8, {units}, shifts);
  model.pop_layer();
  appendLayer(model, layer, input.type.shape);
  current = runLast();
}

static LayerDesc v1Layer(LayerType type, const std::string &name, int filters,
                         int kernel, int stride, int weightsBits,
                         PoolType pool) {
  LayerDesc layer;
  layer.name = name;
  layer.type = type;
  layer.params = {{"filters", filters},
                  {"kernel_size_x", kernel},
                  {"kernel_size_y", kernel},
                  {"weights_bits", weightsBits},
                  {"pool_type", static_cast<int64_t>(pool)}};
  if (stride != 1) {
    layer.params["kernel_stride_x"] = stride;
    layer.params["kernel_stride_y"] = stride;
  }
  if (pool == PoolType::Max) {
    layer.params["pool_size_x"] = 2;
    layer.params["pool_size_y"] = 2;
  }
  return layer;
}

void ZooBuilder::inputConvolutional(const std::string &name, int filters,
                                    int kernel, int stride, int weightsBits,
                                    int actBits, PoolType pool) {
  LayerDesc layer = v1Layer(LayerType::InputConvolutional, name, filters,
                            kernel, stride, weightsBits, pool);
  layer.variables["weights"] = randomWeights(
      {kernel, kernel, input.type.shape[2], filters}, weightsBits);
  addV1(layer, actBits);
}

void ZooBuilder::convolutional(const std::string &name, int filters,
                               int kernel, int stride, int weightsBits,
                               int actBits, PoolType pool) {
  LayerDesc layer = v1Layer(LayerType::Convolutional, name, filters, kernel,
                            stride, weightsBits, pool);
  layer.variables["weights"] = randomWeights(
      {kernel, kernel, current.type.shape[2], filters}, weightsBits);
  addV1(layer, actBits);
}

void ZooBuilder::separable(const std::string &name, int filters, int stride,
                           int weightsBits, int actBits, PoolType pool) {
  LayerDesc layer = v1Layer(LayerType::SeparableConvolutional, name, filters,
                            3, stride, weightsBits, pool);
  int64_t c = current.type.shape[2];
  layer.variables["weights"] = randomWeights({3, 3, c, 1}, weightsBits);
  layer.variables["weights_pw"] = randomWeights({1, 1, c, filters}, weightsBits);
  addV1(layer, actBits);
}

void ZooBuilder::fullyConnected(const std::string &name, int units,
                                int weightsBits, int actBits) {
  LayerDesc layer;
  layer.name = name;
  layer.type = LayerType::FullyConnected;
  layer.params = {{"units", units}, {"weights_bits", weightsBits}};
  const auto &s = current.type.shape;
  layer.variables["weights"] =
      randomWeights({1, 1, s[0] * s[1] * s[2], units}, weightsBits);
  addV1(layer, actBits);
}

static LayerDesc v2Layer(LayerType type, const std::string &name, int kernel,
                         int stride, PoolType pool) {
  LayerDesc layer;
  layer.name = name;
  layer.type = type;
  layer.params = {{"kernel_size", kernel},
                  {"kernel_stride", stride},
                  {"pool_type", static_cast<int64_t>(pool)}};
  fillDefaultParams(layer);
  return layer;
}

void ZooBuilder::inputConv2D(const std::string &name, int filters, int kernel,
                             int stride) {
  LayerDesc layer =
      v2Layer(LayerType::InputConv2D, name, kernel, stride, PoolType::NoPooling);
  layer.params["filters"] = filters;
  layer.variables["weights"] =
      randomWeights({kernel, kernel, input.type.shape[2], filters}, 8);
  addV2(layer, true);
}

void ZooBuilder::conv2D(const std::string &name, int filters, int kernel,
                        int stride, PoolType pool) {
  LayerDesc layer = v2Layer(LayerType::Conv2D, name, kernel, stride, pool);
  layer.params["filters"] = filters;
  layer.variables["weights"] =
      randomWeights({kernel, kernel, current.type.shape[2], filters}, 8);
  addV2(layer, true);
}

void ZooBuilder::depthwiseConv2D(const std::string &name, int kernel,
                                 int stride) {
  LayerDesc layer = v2Layer(LayerType::DepthwiseConv2D, name, kernel, stride,
                            PoolType::NoPooling);
  layer.variables["weights"] =
      randomWeights({kernel, kernel, current.type.shape[2]}, 8);
  addV2(layer, true);
}

void ZooBuilder::dense1DClassifier(const std::string &name, int units) {
  LayerDesc layer;
  layer.name = name;
  layer.type = LayerType::Dense1D;
  layer.params = {{"units", units}};
  fillDefaultParams(layer);
  const auto &s = current.type.shape;
  layer.variables["weights"] = randomWeights({s[0] * s[1] * s[2], units}, 8);
  addV2(layer, false);

  // De-quantize to roughly [-1, 1].
  std::vector<float> scales(units);
  for (int64_t f = 0; f < units; ++f) {
    std::vector<int64_t> a = channel(current, f);
    int64_t m = 1;
    for (int64_t v : a)
      m = std::max<int64_t>(m, std::llabs(v));
    scales[f] = 1.0f / static_cast<float>(m);
  }
  LayerDesc dq;
  dq.name = "dequantizer";
  dq.type = LayerType::Dequantizer;
  dq.variables["scales"] = {Array::fromFloats({units}, scales), 32};
  model.add(dq);
  current = runLast();
}

Model ZooBuilder::finish() { return std::move(model); }

} // namespace akida
