//===- ZooBuilder.h - Building zoo models with calibrated layers -*- C++ -*-===//
//
// Adds layers with seeded-random weights at their bit widths and calibrates
// each layer on the activations the model produces so far (random
// calibration inputs through the reference kernels): v1 thresholds and
// act_steps, v2 biases, output scales and shifts, chosen so that each layer
// has a realistic share of zero activations (drawn per layer in [45%, 70%])
// and its largest activations just reach the top of the output range.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_RUNTIME_ZOO_ZOOBUILDER_H
#define AKIDA_RUNTIME_ZOO_ZOOBUILDER_H

#include "runtime/model/Model.h"

#include <random>

namespace akida {

class ZooBuilder {
public:
  /// `inputBits`/`inputSigned` describe an InputData first layer; models
  /// that start with an input convolution read 8-bit unsigned data.
  ZooBuilder(IpVersion ip, std::array<int64_t, 3> inputShape, uint32_t seed,
             int calibrationSamples = 4);

  // Akida 1.0 layers.
  void inputData(const std::string &name, int inputBits);
  void inputConvolutional(const std::string &name, int filters, int kernel,
                          int stride, int weightsBits, int actBits,
                          PoolType pool = PoolType::NoPooling);
  void convolutional(const std::string &name, int filters, int kernel,
                     int stride, int weightsBits, int actBits,
                     PoolType pool = PoolType::NoPooling);
  void separable(const std::string &name, int filters, int stride,
                 int weightsBits, int actBits,
                 PoolType pool = PoolType::NoPooling);
  /// `actBits` 0: no activation (the classifier's raw potentials).
  void fullyConnected(const std::string &name, int units, int weightsBits,
                      int actBits);

  // Akida 2.0 layers (8-bit unless said otherwise).
  void inputConv2D(const std::string &name, int filters, int kernel,
                   int stride);
  void conv2D(const std::string &name, int filters, int kernel, int stride,
              PoolType pool = PoolType::NoPooling);
  void depthwiseConv2D(const std::string &name, int kernel, int stride);
  /// A classifier without activation (32-bit output), then a Dequantizer.
  void dense1DClassifier(const std::string &name, int units);

  Model finish();

private:
  /// Random weights in the range of `bits`.
  Variable randomWeights(std::vector<int64_t> shape, int bits);
  /// Appends `layer`, runs it on the cached activations, then calibrates it.
  void addV1(LayerDesc layer, int actBits);
  void addV2(LayerDesc layer, bool relu);
  ref::Activations runLast();
  /// Random 8-bit calibration images, when the first layer reads images.
  void drawImageInputs();

  Model model;
  std::mt19937 rng;
  ref::Activations current; ///< output of the last layer on the calibration set
  ref::Activations input;
  int samples;
};

} // namespace akida

#endif // AKIDA_RUNTIME_ZOO_ZOOBUILDER_H
