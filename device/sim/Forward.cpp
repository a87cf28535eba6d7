//===- Forward.cpp - Running frames through the programmed mesh -----------===//
//
// One frame at a time: for each pass (reconfiguring the mesh when another
// pass is loaded), the event DMA delivers the pass inputs (the program input
// or outputs of earlier passes), then the units run in layer order and each
// unit's output is moved over its DMA descriptors to the units that read it
// or out through the event DMA. The cost model counts what happened, and
// the power model lays the work on the device timeline for the meter: the
// reconfiguration, the input DMA, then each layer for its slowest unit's
// clocks with the energy of all its units.
//
//===----------------------------------------------------------------------===//
#include "device/sim/VirtualDevice.h"

#include "runtime/reference/Arithmetic.h"

#include <stdexcept>

namespace akida {

namespace {

/// DMA words of channels [first, end) of `f`: one per event for event
/// data, the values packed at their bit width for dense data.
int64_t transferWords(const sim::Frame &f, int64_t first, int64_t end,
                      int64_t wordBytes) {
  if (f.format == DataFormat::Dense) {
    const int64_t bits = f.rows * f.cols * (end - first) * f.bits;
    const int64_t wordBits = 8 * wordBytes;
    return (bits + wordBits - 1) / wordBits;
  }
  int64_t events = 0;
  const int64_t positions = f.rows * f.cols;
  for (int64_t p = 0; p < positions; ++p) {
    const int64_t *v = f.values.data() + p * f.channels;
    for (int64_t c = first - f.ch0; c < end - f.ch0; ++c)
      events += v[c] != 0;
  }
  return events;
}

std::string typeName(int bits, bool isSigned) {
  return (isSigned ? "si" : "ui") + std::to_string(bits);
}

} // namespace

ref::Activations VirtualDevice::forward(const ref::Activations &input) {
  return run(input, nullptr);
}

ref::Activations VirtualDevice::run(const ref::Activations &input,
                                    const std::vector<int64_t> *labels) {
  if (!programmed_)
    throw std::runtime_error("forward: device " + device_.name +
                             " is not programmed");
  const IoDesc &io = program_.input;
  const std::array<int64_t, 3> dims = io.dims;
  if (input.type.isFloat)
    throw std::invalid_argument("forward: the input is float; the device "
                                "takes integer data");
  if (input.type.shape != dims)
    throw std::invalid_argument(
        "forward: the input is " +
        formatDims({input.type.shape.begin(), input.type.shape.end()}) +
        " but the program reads " + formatDims({dims.begin(), dims.end()}));
  const int64_t sample = dims[0] * dims[1] * dims[2];
  if (input.batch < 0 ||
      static_cast<int64_t>(input.ints.size()) != input.batch * sample)
    throw std::invalid_argument("forward: the input holds " +
                                std::to_string(input.ints.size()) +
                                " values for a batch of " +
                                std::to_string(input.batch));
  // The values must fit the program input and the type each unit that
  // reads it expects (e.g. InputData's input_bits).
  std::vector<std::pair<int, bool>> types{{io.bits, io.isSigned}};
  for (const sim::LoadedPass &lp : passes_)
    for (const sim::Delivery &d : lp.inputs)
      if (d.sourceLayer == inputLayer_ && d.destInput == 0) {
        const IoDesc &in = lp.units[size_t(d.target)]->record().input;
        types.push_back({in.bits, in.isSigned});
      }
  for (const auto &[bits, isSigned] : types) {
    const int64_t lo = ref::intMin(bits, isSigned);
    const int64_t hi = ref::intMax(bits, isSigned);
    for (size_t i = 0; i < input.ints.size(); ++i)
      if (input.ints[i] < lo || input.ints[i] > hi)
        throw std::invalid_argument(
            "forward: input value " + std::to_string(input.ints[i]) +
            " at flat index " + std::to_string(i) + " is outside [" +
            std::to_string(lo) + ", " + std::to_string(hi) + "] of the " +
            typeName(bits, isSigned) + " data the program reads");
  }

  metrics_.inference_frames = input.batch;
  metrics_.inference_clk = 0;
  metrics_.reconfigure_clk = 0;
  metrics_.dma_words = 0;
  metrics_.inference_start = metrics_.inference_end = meter_.timeMs();
  metrics_.dynamic_energy = {};
  metrics_.units.clear();
  for (size_t p = 0; p < passes_.size(); ++p)
    for (const auto &u : passes_[p].units) {
      UnitMetrics m;
      m.ident = u->record().ident;
      m.type = u->record().type;
      m.pass = static_cast<int>(p);
      m.layer = u->record().layer;
      m.filters = u->record().filterCount;
      metrics_.units.push_back(m);
    }
  exported_.clear();
  // Frames are independent (the cost of a batch is the sum of its frames'),
  // so the batch size only bounds what one enqueue holds.
  struct Recording {
    PowerMeter &meter;
    ~Recording() { meter.end(); }
  } recording{meter_};
  meter_.begin(powerMeasurement_);
  for (int64_t n = 0; n < input.batch; ++n) {
    runFrame(input, n);
    if (labels && labels->empty())
      learnFrom(-1); // unsupervised
    else if (labels && (*labels)[size_t(n)] >= 0)
      learnFrom((*labels)[size_t(n)]); // a negative label does not train
  }
  auto it = exported_.find(outputLayer_);
  if (it != exported_.end())
    return it->second;
  ref::Activations empty;
  empty.type.shape = program_.output.dims;
  empty.type.bits = program_.output.bits;
  empty.type.isSigned = program_.output.isSigned;
  return empty;
}

void VirtualDevice::advance(int64_t clk, const EnergyBreakdown &energy) {
  const double msPerClk = 1.0 / (clockMhz_ * 1e3);
  const double t0 = metrics_.inference_end;
  metrics_.inference_clk += clk;
  metrics_.inference_end =
      metrics_.inference_start + double(metrics_.inference_clk) * msPerClk;
  metrics_.dynamic_energy += energy;
  meter_.feed(t0, metrics_.inference_end, energy.total());
}

void VirtualDevice::runFrame(const ref::Activations &input, int64_t n) {
  sim::Frame in;
  in.setWhole(program_.input.dims);
  in.bits = program_.input.bits;
  in.isSigned = program_.input.isSigned;
  in.format = program_.input.format;
  const int64_t sample = static_cast<int64_t>(in.values.size());
  std::copy(input.ints.begin() + n * sample,
            input.ints.begin() + (n + 1) * sample, in.values.begin());
  frameExports_.clear();
  frameExportCount_.clear();

  size_t metricBase = 0;
  for (size_t p = 0; p < passes_.size(); ++p) {
    sim::LoadedPass &lp = passes_[p];
    if (loadedPass_ != static_cast<int>(p)) {
      const int64_t clk = cost_.reconfigureClk(program_.passes[p]);
      advance(clk, power_.dmaEnergy(cost_.words(program_.passes[p].dataSize)));
      metrics_.reconfigure_clk += clk;
      loadedPass_ = static_cast<int>(p);
    }
    PassTrace trace;
    trace.pass = static_cast<int>(p);
    for (auto &u : lp.units)
      u->beginSample();
    for (const sim::Delivery &d : lp.inputs) {
      const sim::Frame &src = d.sourceLayer == inputLayer_
                                  ? in
                                  : frameExports_.at(d.sourceLayer);
      const int64_t words =
          transferWords(src, d.first, d.end, cost_.constants().wordBytes);
      trace.inputWords += words;
      trace.inputHops += d.hops;
      metrics_.dma_words += words;
      lp.units[size_t(d.target)]->receive(d.destInput, src, d.first, d.end);
    }
    for (const std::vector<int> &layer : lp.layerUnits) {
      std::vector<UnitTrace> traces;
      for (int ui : layer) {
        sim::Unit &u = *lp.units[size_t(ui)];
        u.run();
        const sim::Frame &out = u.output();
        UnitTrace t;
        t.ident = u.record().ident;
        t.type = u.record().type;
        t.layer = u.record().layer;
        t.filters = u.record().filterCount;
        t.events = u.activity().eventsIn;
        t.synapticOps = u.activity().synapticOps;
        for (const sim::Delivery &d : lp.routes[size_t(ui)]) {
          const int64_t words =
              transferWords(out, d.first, d.end, cost_.constants().wordBytes);
          t.wordsOut += words;
          t.hopsOut += d.hops;
          metrics_.dma_words += words;
          if (d.target >= 0) {
            lp.units[size_t(d.target)]->receive(d.destInput, out, d.first,
                                                d.end);
            continue;
          }
          // Out through the event DMA: assemble the whole layer output.
          sim::Frame &e = frameExports_[d.sourceLayer];
          if (e.values.empty()) {
            e.setWhole(out.layerDims);
            e.bits = out.bits;
            e.isSigned = out.isSigned;
            e.format = out.format;
          }
          for (int64_t y = 0; y < out.rows; ++y)
            for (int64_t x = 0; x < out.cols; ++x)
              for (int64_t c = d.first; c < d.end; ++c)
                e.values[size_t((y * e.cols + out.col0 + x) * e.channels + c)] =
                    out.at(y, x, c - out.ch0);
          frameExportCount_[d.sourceLayer] += out.rows * out.cols * (d.end - d.first);
        }
        UnitMetrics &m = metrics_.units[metricBase + size_t(ui)];
        m.events += t.events;
        m.synapticOps += t.synapticOps;
        m.eventsOut += u.activity().eventsOut;
        m.wordsOut += t.wordsOut;
        m.hopsOut += t.hopsOut;
        m.clk += cost_.unitClk(t);
        traces.push_back(t);
      }
      trace.layers.push_back(std::move(traces));
    }
    // On the timeline: the input DMA, then the layers one after the other.
    advance(cost_.inputClk(trace), power_.dmaEnergy(trace.inputWords));
    for (const std::vector<UnitTrace> &layer : trace.layers) {
      EnergyBreakdown energy;
      for (const UnitTrace &t : layer)
        energy += power_.unitEnergy(t, cost_.unitClk(t));
      advance(cost_.layerClk(layer), energy);
    }
    metricBase += lp.units.size();
  }

  for (auto &[layer, frame] : frameExports_) {
    const int64_t expected = static_cast<int64_t>(frame.values.size());
    if (frameExportCount_[layer] != expected)
      throw std::invalid_argument(
          "simulator: the event DMA received " +
          std::to_string(frameExportCount_[layer]) + " of the " +
          std::to_string(expected) + " values of layer " +
          std::to_string(layer));
    ref::Activations &a = exported_[layer];
    if (a.batch == 0) {
      a.type.shape = frame.layerDims;
      a.type.bits = frame.bits;
      a.type.isSigned = frame.isSigned;
    }
    a.ints.insert(a.ints.end(), frame.values.begin(), frame.values.end());
    ++a.batch;
  }
}

} // namespace akida
