//===- Constraints.cpp - Hardware constraints per layer -------------------===//
//
// One function per row of the constraint tables (docs/constraints.md cites
// the row of each check). Every check adds a violation and goes on, so that
// one call reports everything a layer breaks.
//
//===----------------------------------------------------------------------===//

#include "compiler/mapping/Constraints.h"

#include "compiler/fbz/LayerSchema.h"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <optional>

namespace akida {

namespace {

// Limits shared by the NP layers of both IP versions.
constexpr int64_t kMaxNpDim = 4096;      ///< rows and columns
constexpr int64_t kMaxNpChannels = 2048; ///< input channels
// Akida 1.0.
constexpr int64_t kV1HrcMinDim = 5;      ///< rows and columns
constexpr int64_t kV1HrcMaxColumns = 256;
constexpr int64_t kV1GapMaxColumns = 32;
constexpr int64_t kV1GapMinRows = 3;     ///< Convolutional only
constexpr int64_t kV1FcMaxFanIn = 57334;
// Akida 2.0.
constexpr int64_t kV2HrcMinDim = 5;
constexpr int64_t kV2HrcMaxColumns = 384;
constexpr int64_t kV2HrcMaxFilters = 512;
constexpr int64_t kV2GapMaxColumns = 64;
constexpr int64_t kV2GapMaxArea = 144;   ///< rows x columns, strictly below
constexpr int64_t kV2DenseMaxFanIn = 2048;
constexpr int64_t kV2BtcMinFifo = 2;
constexpr int64_t kV2BtcMaxFifo = 10;
constexpr int64_t kV2BtcMaxFilters = 2048;

using Set = std::initializer_list<int64_t>;

bool contains(Set set, int64_t v) {
  return std::find(set.begin(), set.end(), v) != set.end();
}

std::string join(Set set, const std::string &suffix = "") {
  std::string s;
  for (int64_t v : set)
    s += (s.empty() ? "" : ", ") + std::to_string(v) + suffix;
  return s;
}

/// "3x3" for each k of `set`.
std::string squares(Set set) {
  std::string s;
  for (int64_t k : set)
    s += (s.empty() ? "" : ", ") + std::to_string(k) + "x" + std::to_string(k);
  return s;
}

std::string pairStr(const std::array<int64_t, 2> &p) {
  return std::to_string(p[0]) + "x" + std::to_string(p[1]);
}

/// A stride prints as one number when both axes agree.
std::string strideStr(const std::array<int64_t, 2> &p) {
  return p[0] == p[1] ? std::to_string(p[0]) : pairStr(p);
}

const char *paddingName(Padding p) {
  switch (p) {
  case Padding::Valid:
    return "Valid";
  case Padding::Same:
    return "Same";
  case Padding::SameUpper:
    return "SameUpper";
  }
  return "?";
}

bool isInputLayer(LayerType type) {
  return type == LayerType::InputData ||
         type == LayerType::InputConvolutional ||
         type == LayerType::InputConv2D;
}

std::optional<IpVersion> family(LayerType type) {
  for (const LayerSchema &s : allLayerSchemas())
    if (s.type == type)
      return s.family;
  return std::nullopt;
}

const char *ipName(IpVersion v) { return v == IpVersion::v1 ? "1.0" : "2.0"; }

class Checker {
public:
  Checker(const LayerDesc &layer, const std::vector<ActType> &inputs,
          const ActType &output, const LayerDesc *next,
          const HardwareFacts &facts)
      : layer(layer), inputs(inputs), output(output), next(next),
        facts(facts) {}

  std::vector<ConstraintViolation> run();

private:
  void add(const char *rule, const std::string &what,
           const std::string &allowed) {
    violations.push_back({rule, "layer '" + layer.name + "' (" +
                                    layerTypeName(layer.type) + "): " + what +
                                    "; allowed: " + allowed});
  }

  const ActType &in() const { return inputs.at(0); }
  int64_t rows() const { return in().shape[0]; }
  int64_t columns() const { return in().shape[1]; }
  int64_t channels() const { return in().shape[2]; }

  /// The output feeds a layer that may run on the hardware.
  bool feedsHardware() const {
    return next && !alwaysSoftware(next->type);
  }
  std::string nextStr() const {
    if (!next)
      return "it is a model output";
    return std::string("next is '") + next->name + "' (" +
           layerTypeName(next->type) + ")";
  }

  /// The convolution output (before pooling) along both axes.
  std::array<int64_t, 2> convOutput(const Window &w) const {
    return {windowOutputDim(rows(), w.kernel[0], w.stride[0], w.padding),
            windowOutputDim(columns(), w.kernel[1], w.stride[1], w.padding)};
  }

  // Rows shared by several layers.
  void needHrc();
  void npDims();
  void hrcDims(int64_t minDim, int64_t maxColumns);
  void hrcChannels();
  void squareKernel(const Window &w, Set allowed, const char *where);
  void npStride(const Window &w, bool sameAxes);
  void padding(const Window &w, bool validAllowed);
  void noHrcGlobalPool(const Window &w, const char *allowed);
  void gapColumns(const std::array<int64_t, 2> &out, int64_t maxColumns);
  void maxPoolNext(Set allowedNext);
  void bits(const char *what, int64_t value, Set allowed, const char *where);
  void inputAndWeightBits(Set allowed, const char *where);
  void fanIn(int64_t maxFanIn);
  void maxFilters(int64_t cap, const char *limit);
  void v1Activation();
  void v2Output(Set allowed);
  void lut(bool lutCapable, const Window *w);
  void firstLayer();

  // One function per layer family.
  void v1InputConv();
  void v1Conv(bool separable);
  void v1FullyConnected();
  void v2InputConv();
  void v2Conv(bool depthwise);
  void v2Transpose();
  void v2Dense();
  void v2TempConv(bool depthwise);
  void merge();

  const LayerDesc &layer;
  const std::vector<ActType> &inputs;
  const ActType &output;
  const LayerDesc *next;
  const HardwareFacts &facts;
  std::vector<ConstraintViolation> violations;
};

//===----------------------------------------------------------------------===//
// Shared rows
//===----------------------------------------------------------------------===//

void Checker::needHrc() {
  if (!facts.hasHrc)
    add("layer_type",
        "runs on the input convolution block (HRC) but the device has none",
        "devices with an HRC");
}

/// "H, W <= 4096, C <= 2048" (Convolutional, SeparableConvolutional, Conv2D,
/// DepthwiseConv2D, transposed and temporal convolutions).
void Checker::npDims() {
  if (rows() > kMaxNpDim || columns() > kMaxNpDim)
    add("input_dims",
        "input " + formatDims({rows(), columns(), channels()}) +
            " has more than " + std::to_string(kMaxNpDim) +
            " rows or columns",
        "rows and columns <= " + std::to_string(kMaxNpDim));
  if (channels() > kMaxNpChannels)
    add("input_channels",
        "input_channels " + std::to_string(channels()) + " exceed the NP limit",
        "at most " + std::to_string(kMaxNpChannels));
}

/// Input convolution "Width"/"Height": columns in [minDim, maxColumns], rows
/// >= minDim (docs/constraints.md, "Axes").
void Checker::hrcDims(int64_t minDim, int64_t maxColumns) {
  if (rows() < minDim || columns() < minDim || columns() > maxColumns)
    add("input_dims",
        "input " + std::to_string(rows()) + "x" + std::to_string(columns()) +
            " (rows x columns) is not supported on the input convolution "
            "block",
        "rows >= " + std::to_string(minDim) + ", columns " +
            std::to_string(minDim) + ".." + std::to_string(maxColumns));
}

void Checker::hrcChannels() {
  if (channels() != 1 && channels() != 3)
    add("input_channels",
        "input_channels " + std::to_string(channels()) +
            " is not supported on the input convolution block",
        "1, 3");
}

void Checker::squareKernel(const Window &w, Set allowed, const char *where) {
  if (w.kernel[0] != w.kernel[1] || !contains(allowed, w.kernel[0]))
    add("kernel_size",
        "kernel_size " + pairStr(w.kernel) + " is not supported " + where,
        squares(allowed));
}

/// CNP kernel_stride "1, 2 (2 only with 3x3 kernels)"; `sameAxes` (Akida
/// 1.0) also requires the same stride and a 3x3 kernel on both axes.
void Checker::npStride(const Window &w, bool sameAxes) {
  const bool kernel3 = w.kernel[0] == 3 && (!sameAxes || w.kernel[1] == 3);
  if ((sameAxes && w.stride[0] != w.stride[1]) ||
      !contains({1, 2}, w.stride[0]))
    add("stride", "kernel_stride " + strideStr(w.stride) + " is not supported",
        sameAxes ? "1, 2 (the same on both axes; 2 only with 3x3 kernels)"
                 : "1, 2 (2 only with 3x3 kernels)");
  else if (w.stride[0] == 2 && !kernel3)
    add("stride",
        "kernel_stride 2 is only supported with 3x3 kernels, not " +
            pairStr(w.kernel),
        "stride 1 with " + pairStr(w.kernel) + ", stride 1 or 2 with 3x3");
}

/// "Same" (or "Same, Valid" when `validAllowed`). SameUpper differs from Same
/// only by where an odd padding unit goes; it is accepted where it pads
/// exactly like Same (even total padding on both axes, for the convolution
/// and for a max pool).
void Checker::padding(const Window &w, bool validAllowed) {
  const std::string allowed = validAllowed ? "Same, Valid" : "Same";
  if (w.padding == Padding::Same)
    return;
  if (w.padding == Padding::Valid) {
    if (!validAllowed)
      add("padding", "padding Valid is not supported", allowed);
    return;
  }
  bool same = true;
  std::array<int64_t, 2> out = convOutput(w);
  for (int i = 0; i < 2; ++i) {
    int64_t size = in().shape[i];
    same &= paddingBefore(size, w.kernel[i], w.stride[i], Padding::Same) ==
            paddingBefore(size, w.kernel[i], w.stride[i], Padding::SameUpper);
    if (w.pool == PoolType::Max)
      same &= paddingBefore(out[i], w.poolSize[i], w.poolStride[i],
                            Padding::Same) ==
              paddingBefore(out[i], w.poolSize[i], w.poolStride[i],
                            Padding::SameUpper);
  }
  if (!same)
    add("padding",
        std::string("padding ") + paddingName(w.padding) +
            " puts the odd padding row or column first, which the hardware "
            "does not do",
        allowed + " (SameUpper only where it pads like Same)");
}

/// The input convolution block has no global average pooling; `allowed`
/// lists the pooling it has.
void Checker::noHrcGlobalPool(const Window &w, const char *allowed) {
  if (w.pool == PoolType::Average)
    add("pooling",
        "global average pooling is not supported on the input convolution "
        "block",
        allowed);
}

/// Global average pooling over at most `maxColumns` convolution output
/// columns (`out`: rows x columns).
void Checker::gapColumns(const std::array<int64_t, 2> &out,
                         int64_t maxColumns) {
  if (out[1] > maxColumns)
    add("pooling",
        "global average pooling over " + pairStr(out) +
            " (rows x columns) is wider than the hardware pools",
        "pooled width (columns) 1.." + std::to_string(maxColumns));
}

/// "a layer with max pooling must be followed by" one of `allowedNext`.
void Checker::maxPoolNext(Set allowedNext) {
  bool ok = false;
  std::string names;
  for (int64_t t : allowedNext) {
    LayerType type = static_cast<LayerType>(t);
    ok |= next && next->type == type;
    names += (names.empty() ? "" : ", ") + std::string(layerTypeName(type));
  }
  if (!ok)
    add("pooling",
        "max pooling must be followed by a convolution but " + nextStr(),
        "next layer " + names);
}

void Checker::bits(const char *what, int64_t value, Set allowed,
                   const char *where) {
  if (!contains(allowed, value))
    add("bits",
        std::string(what) + " " + std::to_string(value) +
            " is not supported " + where,
        join(allowed) + " bits");
}

/// Input bits and weights_bits, both in `allowed`.
void Checker::inputAndWeightBits(Set allowed, const char *where) {
  bits("input bits", in().bits, allowed, where);
  bits("weights_bits", param(layer, "weights_bits"), allowed, where);
}

/// The flattened input of a fully connected layer: at most `maxFanIn`.
void Checker::fanIn(int64_t maxFanIn) {
  int64_t n = rows() * columns() * channels();
  if (n > maxFanIn)
    add("fan_in",
        "fan-in " + std::to_string(n) + " (input " +
            formatDims({rows(), columns(), channels()}) +
            " flattened) is too large",
        "at most " + std::to_string(maxFanIn));
}

/// At most `cap` filters; `limit` names whose limit it is.
void Checker::maxFilters(int64_t cap, const char *limit) {
  int64_t filters = param(layer, "filters");
  if (filters > cap)
    add("filters", "filters " + std::to_string(filters) + " exceed " + limit,
        "at most " + std::to_string(cap));
}

/// Akida 1.0 act_bits (with activation) and bounded activations: a layer
/// without activation outputs unbounded 32-bit potentials, which only the
/// host can take.
void Checker::v1Activation() {
  if (param(layer, "activation")) {
    bits("act_bits", output.bits, {1, 2, 4}, "on Akida 1.0");
    return;
  }
  if (feedsHardware())
    add("topology",
        "activation is off (unbounded 32-bit potentials) but the output "
        "feeds hardware layer '" +
            next->name + "' (" + layerTypeName(next->type) + ")",
        "activation on (act_bits 1, 2, 4), or no activation on a model "
        "output");
}

/// Akida 2.0 output bits: `allowed` with or without activation; without
/// activation, a wider (raw buffer) output only where it leaves the
/// hardware.
void Checker::v2Output(Set allowed) {
  if (contains(allowed, output.bits))
    return;
  bool activation = param(layer, "activation") !=
                    static_cast<int64_t>(Activation::NoActivation);
  if (!activation && output.bits > 8 && !feedsHardware())
    return;
  add("bits",
      "output_bits " + std::to_string(output.bits) +
          " is not supported on Akida 2.0" +
          (activation ? "" : " (a wider output needs no activation and no "
                             "hardware layer after it; " + nextStr() + ")"),
      join(allowed) + " bits; wider only without activation on a model "
                      "output");
}

/// "LUT activation: for non-ReLU activations on InputConv2D, Conv2D,
/// DepthwiseConv2D and both transposed layers; never together with max
/// pooling", on devices with LUT NPs.
void Checker::lut(bool lutCapable, const Window *w) {
  if (param(layer, "activation") != static_cast<int64_t>(Activation::LUT))
    return;
  if (!lutCapable) {
    add("activation",
        "activation LUT is not supported on this layer type",
        "ReLU or no activation (LUT only on InputConv2D, Conv2D, "
        "DepthwiseConv2D, Conv2DTranspose, DepthwiseConv2DTranspose)");
    return;
  }
  if (!facts.hasLut)
    add("activation", "activation LUT needs NPs with a LUT; the device has none",
        "ReLU or no activation");
  if (w && w->pool == PoolType::Max)
    add("activation",
        "activation LUT cannot be combined with max pooling (pool_size " +
            pairStr(w->poolSize) + ")",
        "LUT without pooling or with global average pooling, or max pooling "
        "with ReLU");
}

/// "The first layer is InputData or InputConvolutional" (v1; v2 likewise
/// with InputConv2D): a layer without inbound is the model's first.
void Checker::firstLayer() {
  if (layer.inbounds.empty() && !isInputLayer(layer.type))
    add("topology", "is the first layer (no inbound) but not an input layer",
        facts.ipVersion == IpVersion::v1
            ? "InputData, InputConvolutional first"
            : "InputData, InputConv2D first");
}

//===----------------------------------------------------------------------===//
// Akida 1.0 (docs/constraints.md, "Akida 1.0")
//===----------------------------------------------------------------------===//

void Checker::v1InputConv() {
  needHrc();
  hrcDims(kV1HrcMinDim, kV1HrcMaxColumns);
  hrcChannels();
  Window w = layerWindow(layer);
  squareKernel(w, {3, 5, 7}, "on the input convolution block");
  if (w.stride[0] != w.stride[1] || !contains({1, 2, 3}, w.stride[0]))
    add("stride",
        "kernel_stride " + strideStr(w.stride) +
            " is not supported on the input convolution block",
        "1, 2, 3 (the same on both axes)");
  padding(w, true);

  // Filters: 512/192/96 (1 channel) and 192/64/32 (3 channels) for k 3/5/7.
  if (w.kernel[0] == w.kernel[1] && (channels() == 1 || channels() == 3)) {
    int64_t k = w.kernel[0];
    int64_t cap = 0;
    if (channels() == 1)
      cap = k == 3 ? 512 : k == 5 ? 192 : k == 7 ? 96 : 0;
    else
      cap = k == 3 ? 192 : k == 5 ? 64 : k == 7 ? 32 : 0;
    int64_t filters = param(layer, "filters");
    if (cap && filters > cap)
      add("filters",
          "filters " + std::to_string(filters) +
              " exceed the input convolution block's limit for " +
              pairStr(w.kernel) + " kernels on " +
              std::to_string(channels()) + " channel" +
              (channels() == 1 ? "" : "s"),
          "at most " + std::to_string(cap));
  }

  // Max pool 1x2, 2x1, 2x2 with pool_stride = pool_size; no global pooling.
  if (w.pool == PoolType::Max) {
    bool sizeOk = (w.poolSize[0] == 1 && w.poolSize[1] == 2) ||
                  (w.poolSize[0] == 2 && w.poolSize[1] == 1) ||
                  (w.poolSize[0] == 2 && w.poolSize[1] == 2);
    if (!sizeOk || w.poolStride != w.poolSize)
      add("pooling",
          "max pool_size " + pairStr(w.poolSize) + " with pool_stride " +
              pairStr(w.poolStride) +
              " is not supported on the input convolution block",
          "pool_size 1x2, 2x1, 2x2 with pool_stride = pool_size");
  }
  noHrcGlobalPool(w, "no pooling, or max pooling 1x2, 2x1, 2x2");

  inputAndWeightBits({8}, "on the input convolution block");
  v1Activation();
}

void Checker::v1Conv(bool separable) {
  npDims();
  Window w = layerWindow(layer);
  if (separable)
    squareKernel(w, {3, 5, 7}, "on a CNP");
  else
    squareKernel(w, {1, 3, 5, 7}, "on a CNP");
  npStride(w, true);
  padding(w, false);

  if (w.pool == PoolType::Max) {
    bool ok = w.poolSize[0] == 2 && w.poolSize[1] == 2;
    for (int i = 0; i < 2; ++i)
      ok &= w.poolStride[i] >= 1 && w.poolStride[i] <= 2 &&
            w.poolStride[i] <= w.poolSize[i];
    if (!ok)
      add("pooling",
          "max pool_size " + pairStr(w.poolSize) + " with pool_stride " +
              pairStr(w.poolStride) + " is not supported",
          "pool_size 2x2 with pool_stride 1 or 2");
    maxPoolNext({static_cast<int64_t>(LayerType::Convolutional),
                 static_cast<int64_t>(LayerType::SeparableConvolutional)});
  } else if (w.pool == PoolType::Average) {
    std::array<int64_t, 2> out = convOutput(w);
    gapColumns(out, kV1GapMaxColumns);
    if (!separable && out[0] < kV1GapMinRows)
      add("pooling",
          "global average pooling needs at least " +
              std::to_string(kV1GapMinRows) +
              " rows of convolution output, got " + pairStr(out) +
              " (rows x columns)",
          "convolution output rows >= " + std::to_string(kV1GapMinRows));
    if (separable && rows() == 1 && columns() == 1)
      add("pooling",
          "global average pooling on a 1x1 input is not supported on a "
          "separable convolution",
          "inputs larger than 1x1");
  }

  bits("input bits", in().bits, {1, 2, 4}, "on a CNP");
  if (separable)
    bits("weights_bits", param(layer, "weights_bits"), {2, 4},
         "on a separable convolution");
  else
    bits("weights_bits", param(layer, "weights_bits"), {1, 2, 4}, "on a CNP");
  v1Activation();
}

void Checker::v1FullyConnected() {
  fanIn(kV1FcMaxFanIn);
  inputAndWeightBits({1, 2, 4}, "on an FNP");
  v1Activation();
}

//===----------------------------------------------------------------------===//
// Akida 2.0 (docs/constraints.md, "Akida 2.0")
//===----------------------------------------------------------------------===//

void Checker::v2InputConv() {
  needHrc();
  hrcDims(kV2HrcMinDim, kV2HrcMaxColumns);
  hrcChannels();
  Window w = layerWindow(layer);
  squareKernel(w, {3, 4, 5, 7}, "on the input convolution block");
  // Kernel 3: stride 1-3, 4: 1-4, 5: 1-5, 7: 1-6.
  int64_t k = w.kernel[0];
  int64_t maxStride = k == 3 ? 3 : k == 4 ? 4 : k == 5 ? 5 : k == 7 ? 6 : 0;
  if (maxStride && w.stride[0] > maxStride)
    add("stride",
        "kernel_stride " + strideStr(w.stride) + " is not supported with " +
            pairStr(w.kernel) + " kernels on the input convolution block",
        "1.." + std::to_string(maxStride) + " with " + pairStr(w.kernel) +
            " (3x3: 1..3, 4x4: 1..4, 5x5: 1..5, 7x7: 1..6)");
  padding(w, true);
  maxFilters(kV2HrcMaxFilters, "the input convolution block's limit");

  // (pool_size, pool_stride) = (2, 2) or (3, 2); no global pooling.
  if (w.pool == PoolType::Max) {
    bool ok = w.poolStride[0] == 2 &&
              (w.poolSize[0] == 2 || w.poolSize[0] == 3);
    if (!ok)
      add("pooling",
          "max pool_size " + std::to_string(w.poolSize[0]) +
              " with pool_stride " + std::to_string(w.poolStride[0]) +
              " is not supported on the input convolution block",
          "(pool_size, pool_stride) (2, 2), (3, 2)");
  }
  noHrcGlobalPool(w, "no pooling, or max pooling (2, 2), (3, 2)");

  lut(true, &w);
  inputAndWeightBits({8}, "on the input convolution block");
  v2Output({4, 8});
}

void Checker::v2Conv(bool depthwise) {
  npDims();
  Window w = layerWindow(layer);
  if (depthwise)
    squareKernel(w, {3, 5, 7}, "on a depthwise convolution");
  else
    squareKernel(w, {1, 3, 5, 7}, "on a CNP");
  npStride(w, false);
  padding(w, false);

  if (w.pool == PoolType::Max) {
    if (w.poolSize[0] != 2 || !contains({1, 2}, w.poolStride[0]))
      add("pooling",
          "max pool_size " + std::to_string(w.poolSize[0]) +
              " with pool_stride " + std::to_string(w.poolStride[0]) +
              " is not supported",
          "pool_size 2 with pool_stride 1 or 2");
    maxPoolNext({static_cast<int64_t>(LayerType::Conv2D),
                 static_cast<int64_t>(LayerType::DepthwiseConv2D)});
  } else if (w.pool == PoolType::Average) {
    std::array<int64_t, 2> out = convOutput(w);
    gapColumns(out, kV2GapMaxColumns);
    if (out[0] * out[1] >= kV2GapMaxArea)
      add("pooling",
          "global average pooling over " + pairStr(out) + " (" +
              std::to_string(out[0] * out[1]) +
              " positions) is larger than the hardware pools",
          "rows x columns < " + std::to_string(kV2GapMaxArea));
    if (out[0] < 1)
      add("pooling",
          "global average pooling needs at least 1 row of convolution "
          "output, got " + pairStr(out),
          "convolution output rows >= 1");
  }

  lut(true, &w);
  inputAndWeightBits({4, 8}, "on Akida 2.0");
  v2Output({4, 8});
}

void Checker::v2Transpose() {
  npDims();
  int64_t k = param(layer, "kernel_size");
  if (!contains({3, 4}, k))
    add("kernel_size",
        "kernel_size " + std::to_string(k) + "x" + std::to_string(k) +
            " is not supported on a transposed convolution",
        "3x3, 4x4");
  lut(true, nullptr);
  inputAndWeightBits({8}, "on a transposed convolution");
  v2Output({8});
}

void Checker::v2Dense() {
  fanIn(kV2DenseMaxFanIn);
  lut(false, nullptr);
  inputAndWeightBits({4, 8}, "on Akida 2.0");
  v2Output({4, 8});
}

void Checker::v2TempConv(bool depthwise) {
  if (!facts.hasTnp)
    add("layer_type", "runs on a TNP_B NP but the device has none",
        "devices with TNP_B NPs");
  npDims();
  int64_t fifo = param(layer, "fifo_size");
  if (fifo < kV2BtcMinFifo || fifo > kV2BtcMaxFifo)
    add("fifo_size", "fifo_size " + std::to_string(fifo) + " is not supported",
        std::to_string(kV2BtcMinFifo) + ".." + std::to_string(kV2BtcMaxFifo));
  if (!depthwise)
    maxFilters(kV2BtcMaxFilters, "the TNP limit");
  lut(false, nullptr);
  inputAndWeightBits({8}, "on a temporal convolution");
  v2Output({8});
}

/// Add / Concatenate: no branches on v1; on v2 the second branch travels
/// over a skip-DMA channel.
void Checker::merge() {
  if (facts.ipVersion == IpVersion::v1) {
    add("topology",
        "Akida 1.0 models are strictly sequential; merging branches is not "
        "supported",
        "sequential layers only (Add and Concatenate need Akida 2.0)");
    return;
  }
  if (facts.skipDmaChannels <= 0)
    add("topology",
        "merging branches needs a skip-DMA channel but the device has " +
            std::to_string(facts.skipDmaChannels),
        "devices with skip-DMA channels");
}

std::vector<ConstraintViolation> Checker::run() {
  if (alwaysSoftware(layer.type)) {
    add("layer_type", "always runs in software",
        "hardware layer types of Akida " +
            std::string(ipName(facts.ipVersion)));
    return violations;
  }
  if (layer.type == LayerType::Add || layer.type == LayerType::Concatenate) {
    merge();
    return violations;
  }
  std::optional<IpVersion> fam = family(layer.type);
  if (layer.type != LayerType::InputData &&
      (!fam || *fam != facts.ipVersion)) {
    add("layer_type",
        fam ? std::string("is an Akida ") + ipName(*fam) +
                  " layer but the device is Akida " + ipName(facts.ipVersion)
            : std::string("is not a hardware layer type"),
        std::string("Akida ") + ipName(facts.ipVersion) + " layer types");
    return violations;
  }
  firstLayer();
  switch (layer.type) {
  case LayerType::InputData:
    break;
  case LayerType::InputConvolutional:
    v1InputConv();
    break;
  case LayerType::Convolutional:
    v1Conv(false);
    break;
  case LayerType::SeparableConvolutional:
    v1Conv(true);
    break;
  case LayerType::FullyConnected:
    v1FullyConnected();
    break;
  case LayerType::InputConv2D:
    v2InputConv();
    break;
  case LayerType::Conv2D:
    v2Conv(false);
    break;
  case LayerType::DepthwiseConv2D:
    v2Conv(true);
    break;
  case LayerType::Conv2DTranspose:
  case LayerType::DepthwiseConv2DTranspose:
    v2Transpose();
    break;
  case LayerType::Dense1D:
    v2Dense();
    break;
  case LayerType::BufferTempConv:
    v2TempConv(false);
    break;
  case LayerType::DepthwiseBufferTempConv:
    v2TempConv(true);
    break;
  default:
    add("layer_type", "is not a hardware layer type",
        std::string("Akida ") + ipName(facts.ipVersion) + " layer types");
    break;
  }
  return violations;
}

} // namespace

std::vector<ConstraintViolation> checkLayer(const LayerDesc &layer,
                                            const std::vector<ActType> &inputs,
                                            const ActType &output,
                                            const LayerDesc *next,
                                            const HardwareFacts &facts) {
  return Checker(layer, inputs, output, next, facts).run();
}

bool alwaysSoftware(LayerType type) {
  return type == LayerType::Dequantizer || type == LayerType::ExtractToken ||
         type == LayerType::OnnxGraph;
}

} // namespace akida
