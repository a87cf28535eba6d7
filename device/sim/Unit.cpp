//===- Unit.cpp - Configuring a unit from its record, DMA delivery ---------===//
//
// Everything a unit knows comes from its UnitRecord: the kernel from the
// layer type, the geometry from the parameters and IO dims, the slices of
// the variables from the tensors. The output columns a column-block unit
// owns, and the input columns it keeps, are derived here
// (docs/device/simulator.md, "Column blocks").
//
//===----------------------------------------------------------------------===//
#include "device/sim/Unit.h"

#include "runtime/reference/Arithmetic.h"
#include "runtime/reference/Shapes.h"
#include "runtime/reference/WindowPlacement.h"

#include <algorithm>
#include <stdexcept>

namespace akida::sim {

namespace {

int64_t ceilDiv(int64_t a, int64_t b) { // b > 0
  return a >= 0 ? (a + b - 1) / b : -((-a) / b);
}
int64_t floorDiv(int64_t a, int64_t b) { // b > 0
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

std::string dims(const std::vector<int64_t> &d) { return formatShape(d); }

} // namespace

void Frame::setWhole(const std::array<int64_t, 3> &d) {
  layerDims = d;
  rows = d[0];
  cols = d[1];
  channels = d[2];
  col0 = ch0 = 0;
  values.assign(static_cast<size_t>(rows * cols * channels), 0);
}

Unit::Unit(const UnitRecord &record) : rec_(record) {
  name_ = std::string(npTypeName(rec_.type)) + " " + rec_.ident.str() +
          " layer " + std::to_string(rec_.layer) + " (" +
          layerTypeName(rec_.layerType) + ")";
  configure();
}

void Unit::fail(const std::string &what) const {
  throw std::invalid_argument("simulator: " + name_ + ": " + what);
}

int64_t Unit::param(const std::string &name) const {
  auto it = rec_.params.find(name);
  if (it == rec_.params.end())
    fail("the record has no parameter '" + name + "'");
  return it->second;
}

std::vector<int64_t> Unit::ints(const std::string &name, bool required) const {
  const ProgramTensor *t = rec_.tensor(name);
  if (!t) {
    if (required)
      fail("the record has no tensor '" + name + "'");
    return {};
  }
  Array a = t->toArray();
  if (!isIntegerDType(a.dtype))
    fail("tensor '" + name + "' is " + dtypeName(a.dtype) +
         " but must hold integers");
  return a.ints();
}

std::vector<float> Unit::floats(const std::string &name) const {
  const ProgramTensor *t = rec_.tensor(name);
  if (!t)
    fail("the record has no tensor '" + name + "'");
  Array a = t->toArray();
  if (a.dtype != DType::Float32)
    fail("tensor '" + name + "' is " + dtypeName(a.dtype) +
         " but must be float32");
  return a.floats();
}

std::vector<int64_t> Unit::perFilter(const std::string &name,
                                     int64_t neutral) const {
  if (!rec_.tensor(name))
    return std::vector<int64_t>(static_cast<size_t>(count_), neutral);
  std::vector<int64_t> v = ints(name, true);
  if (static_cast<int64_t>(v.size()) == count_)
    return v;
  if (v.size() == 1)
    return std::vector<int64_t>(static_cast<size_t>(count_), v[0]);
  fail("tensor '" + name + "' has " + std::to_string(v.size()) +
       " values for the unit's " + std::to_string(count_) + " filters");
}

void Unit::configure() {
  const LayerType t = rec_.layerType;
  switch (t) {
  case LayerType::InputConvolutional:
    kernel_ = Kernel::InputConvV1;
    break;
  case LayerType::Convolutional:
    kernel_ = Kernel::ConvV1;
    break;
  case LayerType::SeparableConvolutional:
    kernel_ = Kernel::SeparableV1;
    break;
  case LayerType::FullyConnected:
    kernel_ = Kernel::FullyConnectedV1;
    break;
  case LayerType::InputConv2D:
  case LayerType::Conv2D:
    kernel_ = Kernel::ConvV2;
    break;
  case LayerType::DepthwiseConv2D:
    kernel_ = Kernel::DepthwiseV2;
    depthwise_ = true;
    break;
  case LayerType::Dense1D:
    kernel_ = Kernel::Dense1D;
    break;
  case LayerType::Conv2DTranspose:
  case LayerType::DepthwiseConv2DTranspose:
    kernel_ = Kernel::TransposeV2;
    depthwise_ = t == LayerType::DepthwiseConv2DTranspose;
    break;
  case LayerType::BufferTempConv:
  case LayerType::DepthwiseBufferTempConv:
    kernel_ = Kernel::TemporalV2;
    depthwise_ = t == LayerType::DepthwiseBufferTempConv;
    break;
  case LayerType::Add:
    kernel_ = Kernel::Add;
    break;
  case LayerType::Concatenate:
    kernel_ = Kernel::Concatenate;
    break;
  default:
    fail("the simulator has no kernel for this layer type");
  }
  const bool onHrc = rec_.type == NpType::HRC;
  const bool inputConv =
      t == LayerType::InputConvolutional || t == LayerType::InputConv2D;
  if (onHrc != inputConv)
    fail(onHrc ? "the HRC only runs input convolutions"
               : "an input convolution runs on the HRC");
  const bool merge = kernel_ == Kernel::Add || kernel_ == Kernel::Concatenate;
  if (merge != (rec_.type == NpType::SKIP_DMA_LOAD))
    fail(merge ? "merge layers run on a skip-DMA channel"
               : "a skip-DMA channel only runs merge layers");

  first_ = rec_.firstFilter;
  count_ = rec_.filterCount;
  if (first_ < 0 || count_ < 1 || first_ + count_ > rec_.output.dims[2])
    fail("filters [" + std::to_string(first_) + ", +" +
         std::to_string(count_) + ") outside the output's " +
         std::to_string(rec_.output.dims[2]) + " channels");
  configureGeometry();
  configureColumns();

  // Tensors and parameters.
  const int64_t C = g_.c, F = count_;
  auto expect = [&](const std::vector<int64_t> &v, const char *name,
                    std::vector<int64_t> shape) {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    if (static_cast<int64_t>(v.size()) != n)
      fail(std::string("tensor '") + name + "' holds " +
           std::to_string(v.size()) + " values but the unit needs " +
           dims(shape));
  };
  const bool v1 = kernel_ == Kernel::InputConvV1 || kernel_ == Kernel::ConvV1 ||
                  kernel_ == Kernel::SeparableV1 ||
                  kernel_ == Kernel::FullyConnectedV1;
  if (!merge) {
    weights_ = ints("weights", true);
    switch (kernel_) {
    case Kernel::InputConvV1:
    case Kernel::ConvV1:
    case Kernel::ConvV2:
      expect(weights_, "weights", {g_.kh, g_.kw, C, F});
      break;
    case Kernel::SeparableV1:
      expect(weights_, "weights", {g_.kh, g_.kw, C, 1});
      weightsPw_ = ints("weights_pw", true);
      expect(weightsPw_, "weights_pw", {1, 1, C, F});
      break;
    case Kernel::FullyConnectedV1:
      expect(weights_, "weights", {1, 1, g_.h * g_.w * C, F});
      break;
    case Kernel::DepthwiseV2:
      expect(weights_, "weights", {g_.kh, g_.kw, F});
      break;
    case Kernel::Dense1D:
      expect(weights_, "weights", {g_.h * g_.w * C, F});
      break;
    case Kernel::TransposeV2:
      kernelSize_ = param("kernel_size");
      if (depthwise_)
        expect(weights_, "weights", {kernelSize_, kernelSize_, F});
      else
        expect(weights_, "weights", {kernelSize_, kernelSize_, C, F});
      break;
    case Kernel::TemporalV2:
      fifoSize_ = param("fifo_size");
      if (fifoSize_ < 1)
        fail("fifo_size must be at least 1");
      if (depthwise_)
        expect(weights_, "weights", {fifoSize_, F});
      else
        expect(weights_, "weights", {fifoSize_, C, F});
      break;
    default:
      break;
    }
  }
  if (v1) {
    activation_ = param("activation") != 0;
    if (activation_) {
      actBits_ = static_cast<int>(param("act_bits"));
      threshold_ = ints("threshold", true);
      actStep_ = floats("act_step");
      expect(threshold_, "threshold", {F});
      if (static_cast<int64_t>(actStep_.size()) != F)
        fail("tensor 'act_step' does not hold one value per filter");
    }
    if (kernel_ == Kernel::InputConvV1) {
      padValue_ = param("padding_value");
      if (padValue_ < 0 || padValue_ > 255)
        fail("padding_value " + std::to_string(padValue_) + " (0 to 255)");
    }
    return;
  }
  if (kernel_ == Kernel::Concatenate)
    return;
  bufferBits_ = static_cast<int>(param("buffer_bits"));
  postBits_ = static_cast<int>(param("post_op_buffer_bits"));
  if (bufferBits_ < 1 || bufferBits_ > 32 || postBits_ < 1 || postBits_ > 32)
    fail("buffer widths must be 1 to 32 bits");
  const int64_t act = param("activation");
  if (kernel_ == Kernel::Add) {
    if (act != 0 && act != 1)
      fail("activation " + std::to_string(act) + " (0 or 1)");
    v2Act_ = act ? Activation::ReLU : Activation::NoActivation;
    auto whole = [&](const char *name) {
      std::vector<int64_t> v = ints(name, false);
      if (v.empty())
        v.assign(static_cast<size_t>(g_.c), 0);
      if (v.size() == 1)
        v.assign(static_cast<size_t>(g_.c), v[0]);
      expect(v, name, {g_.c});
      return v;
    };
    aShift_ = whole("a_shift");
    bShift_ = whole("b_shift");
    addOutShift_ = whole("output_shift");
    return;
  }
  if (act < 0 || act > 2)
    fail("activation " + std::to_string(act) + " (0 none, 1 ReLU, 2 LUT)");
  v2Act_ = static_cast<Activation>(act);
  // Shifts of 40 or more saturate any 32-bit buffer like the exact value.
  constexpr int64_t kShiftCap = 40;
  hasBias_ = rec_.tensor("bias") != nullptr;
  if (hasBias_) {
    bias_ = perFilter("bias", 0);
    std::vector<int64_t> shift = perFilter("bias_shift", 0);
    for (int64_t i = 0; i < F; ++i)
      bias_[i] *= int64_t(1) << std::min(shift[i], kShiftCap);
  }
  hasClip_ = v2Act_ == Activation::ReLU && rec_.tensor("max_value");
  if (hasClip_) {
    clip_ = perFilter("max_value", 0);
    std::vector<int64_t> shift = perFilter("max_value_shift", 0);
    for (int64_t i = 0; i < F; ++i)
      clip_[i] *= int64_t(1) << std::min(shift[i], kShiftCap);
  }
  if (v2Act_ == Activation::LUT) {
    lut_ = ints("lut_values", true);
    if (lut_.size() < 2)
      fail("tensor 'lut_values' needs at least 2 values");
    actScale_ = perFilter("activation_scales", 1);
    actShift_ = perFilter("activation_shift", 0);
  }
  outScale_ = perFilter("output_scales", 1);
  outShift_ = perFilter("output_shift", 0);
  // input_shift: per input channel; a depthwise unit holds its channels.
  inShift_ = ints("input_shift", false);
  const int64_t shiftCount = depthwise_ ? F : C;
  if (inShift_.empty())
    inShift_.assign(static_cast<size_t>(shiftCount), 0);
  expect(inShift_, "input_shift", {shiftCount});
  for (int64_t s : inShift_)
    if (s < 0 || s > 31)
      fail("input_shift " + std::to_string(s) + " (0 to 31)");
}

void Unit::configureGeometry() {
  Geometry &g = g_;
  g.h = rec_.input.dims[0];
  g.w = rec_.input.dims[1];
  g.c = rec_.input.dims[2];
  const auto &od = rec_.output.dims;
  switch (kernel_) {
  case Kernel::InputConvV1:
  case Kernel::ConvV1:
  case Kernel::SeparableV1:
  case Kernel::ConvV2:
  case Kernel::DepthwiseV2: {
    LayerDesc d;
    d.name = "layer " + std::to_string(rec_.layer);
    d.type = rec_.layerType;
    d.params = rec_.params;
    Window win;
    try {
      win = layerWindow(d);
    } catch (const std::invalid_argument &e) {
      fail(e.what());
    }
    ref::placeWindow(g.h, g.w, win.kernel, win.stride, win.padding, g.kh, g.kw,
                     g.sh, g.sw, g.pt, g.pl, g.ohc, g.owc);
    g.pool = win.pool;
    g.oh = g.ohc;
    g.ow = g.owc;
    if (g.pool == PoolType::Max)
      ref::placeWindow(g.ohc, g.owc, win.poolSize, win.poolStride, win.padding,
                       g.pkh, g.pkw, g.psh, g.psw, g.ppt, g.ppl, g.oh, g.ow);
    else if (g.pool == PoolType::Average)
      g.oh = g.ow = 1;
    if (g.ohc < 1 || g.owc < 1)
      fail("the kernel does not fit the input");
    break;
  }
  case Kernel::FullyConnectedV1:
  case Kernel::Dense1D:
    g.oh = g.ow = 1;
    break;
  case Kernel::TransposeV2:
    g.oh = 2 * g.h;
    g.ow = 2 * g.w;
    break;
  default: // temporal and merge layers keep the spatial size
    g.oh = g.h;
    g.ow = g.w;
    break;
  }
  if (g.oh != od[0] || g.ow != od[1])
    fail("the parameters give a " + std::to_string(g.oh) + "x" +
         std::to_string(g.ow) + " output but the record says " +
         formatDims({od.begin(), od.end()}));
  const int64_t channels = depthwise_ || kernel_ == Kernel::Add ? g.c : -1;
  if (channels >= 0 && od[2] != channels)
    fail("the output has " + std::to_string(od[2]) + " channels but the input " +
         std::to_string(channels));
}

void Unit::configureColumns() {
  const int64_t W = g_.w, OW = g_.ow;
  const int64_t a = rec_.firstColumn, b = rec_.firstColumn + rec_.columnCount;
  if (rec_.columnBlocks < 1 || a < 0 || b > W || a >= b)
    fail("column block [" + std::to_string(a) + ", " + std::to_string(b) +
         ") outside the input's " + std::to_string(W) + " columns");
  if (rec_.columnBlocks == 1) {
    x0_ = 0;
    x1_ = OW;
  } else {
    // Output column X belongs to the block holding input column
    // floor(X * W / OW) (its anchor).
    x0_ = ceilDiv(a * OW, W);
    x1_ = ceilDiv(b * OW, W);
  }
  needLo_ = depthwise_ ? first_ : 0;
  needHi_ = depthwise_ ? first_ + count_ : g_.c;
  if (x0_ >= x1_) { // owns nothing: keeps nothing
    k0_ = k1_ = 0;
    g_.c0 = g_.c1 = 0;
    return;
  }
  const Geometry &g = g_;
  switch (kernel_) {
  case Kernel::InputConvV1:
  case Kernel::ConvV1:
  case Kernel::SeparableV1:
  case Kernel::ConvV2:
  case Kernel::DepthwiseV2: {
    int64_t c0 = x0_, c1 = x1_;
    if (g.pool == PoolType::Max) {
      c0 = std::max<int64_t>(0, x0_ * g.psw - g.ppl);
      c1 = std::min<int64_t>(g.owc, (x1_ - 1) * g.psw - g.ppl + g.pkw);
    } else if (g.pool == PoolType::Average) {
      c0 = 0;
      c1 = g.owc;
    }
    g_.c0 = c0;
    g_.c1 = c1;
    k0_ = std::max<int64_t>(0, c0 * g.sw - g.pl);
    k1_ = std::min<int64_t>(W, (c1 - 1) * g.sw - g.pl + g.kw);
    break;
  }
  case Kernel::TransposeV2: {
    const int64_t k = param("kernel_size");
    const int64_t pad = std::max<int64_t>(k - 2, 0) / 2;
    k0_ = std::max<int64_t>(0, ceilDiv(x0_ + pad - (k - 1), 2));
    k1_ = std::min<int64_t>(W, floorDiv(x1_ - 1 + pad, 2) + 1);
    break;
  }
  case Kernel::TemporalV2:
    k0_ = x0_;
    k1_ = x1_;
    break;
  default: // dense layers read everything; merges are never split
    k0_ = 0;
    k1_ = W;
    break;
  }
}

void Unit::beginSample() {
  for (Port &p : ports_) {
    std::fill(p.values.begin(), p.values.end(), 0);
    std::fill(p.received.begin(), p.received.end(), 0);
  }
}

int64_t Unit::receive(int index, const Frame &src, int64_t ch0, int64_t ch1) {
  if (index < 0 || index > 255)
    fail("DMA transfer to input " + std::to_string(index));
  if (static_cast<size_t>(index) >= ports_.size())
    ports_.resize(static_cast<size_t>(index) + 1);
  Port &p = ports_[static_cast<size_t>(index)];
  if (!p.bound || p.dims != src.layerDims) {
    p.dims = src.layerDims;
    p.values.assign(static_cast<size_t>(p.dims[0] * p.dims[1] * p.dims[2]), 0);
    p.received.assign(static_cast<size_t>(p.dims[2]), 0);
    p.bound = true;
  }
  p.bits = src.bits;
  p.isSigned = src.isSigned;
  if (ch0 < src.ch0 || ch1 > src.ch0 + src.channels || ch0 >= ch1)
    fail("DMA transfer of channels [" + std::to_string(ch0) + ", " +
         std::to_string(ch1) + ") that its source does not produce");
  const bool merge = kernel_ == Kernel::Add || kernel_ == Kernel::Concatenate;
  const int64_t lo = std::max(src.col0, merge ? int64_t(0) : k0_);
  const int64_t hi = std::min(src.col0 + src.cols, merge ? p.dims[1] : k1_);
  const int64_t C = p.dims[2], W = p.dims[1];
  int64_t events = 0;
  for (int64_t y = 0; y < src.rows; ++y)
    for (int64_t x = lo; x < hi; ++x) {
      const int64_t *s =
          src.values.data() + (y * src.cols + (x - src.col0)) * src.channels;
      int64_t *d = p.values.data() + (y * W + x) * C;
      for (int64_t c = ch0; c < ch1; ++c) {
        const int64_t v = s[c - src.ch0];
        d[c] = v;
        events += v != 0;
      }
    }
  if (hi > lo)
    for (int64_t c = ch0; c < ch1; ++c)
      p.received[static_cast<size_t>(c)] += src.rows * (hi - lo);
  return events;
}

void Unit::setWeights(std::vector<int64_t> weights) {
  if (kernel_ != Kernel::FullyConnectedV1)
    fail("only a FullyConnected unit learns");
  if (weights.size() != weights_.size())
    fail("new weights hold " + std::to_string(weights.size()) +
         " values, not " + std::to_string(weights_.size()));
  weights_ = std::move(weights);
}

const Port &Unit::port(int i) const {
  if (static_cast<size_t>(i) >= ports_.size() || !ports_[size_t(i)].bound)
    fail("input " + std::to_string(i) + " received no DMA transfer");
  return ports_[static_cast<size_t>(i)];
}

void Unit::startOutput(int64_t rows, int64_t cols, int64_t col0) {
  out_.layerDims = rec_.output.dims;
  out_.rows = rows;
  out_.cols = cols;
  out_.col0 = col0;
  out_.ch0 = first_;
  out_.channels = count_;
  out_.bits = rec_.output.bits;
  out_.isSigned = rec_.output.isSigned;
  out_.format = rec_.output.format;
  out_.values.assign(static_cast<size_t>(rows * cols * count_), 0);
}

void Unit::run() {
  act_ = UnitActivity{};
  const bool merge = kernel_ == Kernel::Add || kernel_ == Kernel::Concatenate;
  // Every channel the unit needs must have arrived over its kept columns.
  const int inputs = merge ? static_cast<int>(ports_.size()) : 1;
  if (merge && inputs < 2)
    fail("a merge layer needs at least 2 inputs, " + std::to_string(inputs) +
         " received DMA transfers");
  for (int i = 0; i < inputs && x1_ > x0_; ++i) {
    const Port &p = port(i);
    const int64_t lo = merge ? 0 : needLo_;
    const int64_t hi = merge ? p.dims[2] : needHi_;
    const int64_t cols = merge ? p.dims[1] : k1_ - k0_;
    if (!merge && i == 0 && (p.dims[1] != g_.w || p.dims[2] != g_.c ||
                             p.dims[0] != g_.h))
      fail("input 0 is " + formatDims({p.dims.begin(), p.dims.end()}) +
           " but the record says " +
           formatDims({rec_.input.dims.begin(), rec_.input.dims.end()}));
    for (int64_t c = lo; c < hi; ++c)
      if (p.received[static_cast<size_t>(c)] != p.dims[0] * cols)
        fail("input " + std::to_string(i) + " channel " + std::to_string(c) +
             ": " + std::to_string(p.received[size_t(c)]) + " values of " +
             std::to_string(p.dims[0] * cols) +
             " arrived (no DMA descriptor routes the rest)");
  }
  if (merge) {
    runMerge();
  } else {
    // The other kernels compute the output columns the unit owns; a unit
    // that owns none outputs an empty window.
    startOutput(g_.oh, x1_ - x0_, x0_);
    if (x1_ > x0_) {
      switch (kernel_) {
      case Kernel::InputConvV1:
      case Kernel::ConvV1:
      case Kernel::SeparableV1:
      case Kernel::FullyConnectedV1:
        runV1();
        break;
      case Kernel::TemporalV2:
        runTemporal();
        break;
      default:
        runV2();
        break;
      }
    }
  }
  for (int64_t v : out_.values)
    act_.eventsOut += v != 0;
  act_.outputs = static_cast<int64_t>(out_.values.size());
}

} // namespace akida::sim
