// Model::forward / predict on a mapped model run through the actor pipeline
// (one device actor per hardware sequence, one CPU actor per software
// sequence): the outputs equal the reference kernels on the unmapped model,
// bit for bit; the forwards run on the actors' threads, not the caller's;
// the counters, statistics and power events equal those of the device
// driven directly, program then forward per hardware sequence (computed
// here, independently of the pipeline).
#include "tests/unit/actors/ActorTestUtil.h"

#include "device/usb/OpenDevice.h"
#include "runtime/zoo/Zoo.h"

#include <gtest/gtest.h>

using namespace akida;
using namespace akida::actortest;

namespace {

struct Case {
  std::string model, device;
  MapMode mode;
  size_t minSequences;
  bool software; ///< a software sequence among them
};

void PrintTo(const Case &c, std::ostream *os) {
  *os << c.model << " on " << c.device << " " << mapModeName(c.mode);
}

class MappedForward : public ::testing::TestWithParam<Case> {};

/// Predict on `m`, or its error message (a model whose output has an
/// activation has no predict).
std::string predictOrError(Model &m, const Array &in, Array &out) {
  try {
    out = m.predict(in);
    return "";
  } catch (const std::exception &e) {
    return e.what();
  }
}

TEST_P(MappedForward, ThroughTheActorsEqualsTheReference) {
  const Case &c = GetParam();
  Model reference = buildZooModel(c.model, 0); // unmapped
  const Array in = randomInputs(reference, 3, 17);
  const Array expected = reference.forward_reference(in);

  auto devices = std::make_shared<FaultPlan>(); // no faults: records threads
  Model model = buildZooModel(c.model, 0);
  model.map(faultyFactory(deviceByName(c.device), devices)(), false, c.mode);
  const std::vector<Sequence> seqs = model.sequences();
  ASSERT_GE(seqs.size(), c.minSequences);
  bool software = false;
  for (const Sequence &s : seqs)
    software = software || !s.hardware;
  EXPECT_EQ(software, c.software);

  EXPECT_EQ(model.forward(in), expected);
  EXPECT_EQ(model.forward(in, 1), expected); // batch_size: the same frame
  {
    std::lock_guard<std::mutex> lock(devices->mutex);
    ASSERT_FALSE(devices->forwardThreads.empty());
    EXPECT_EQ(devices->forwardThreads.count(std::this_thread::get_id()), 0u)
        << "the device ran on the caller's thread, not a device actor's";
  }
  Array mappedPred, refPred;
  const std::string mappedErr = predictOrError(model, in, mappedPred);
  const std::string refErr = predictOrError(reference, in, refPred);
  EXPECT_EQ(mappedErr, refErr);
  if (mappedErr.empty())
    EXPECT_EQ(mappedPred, refPred);
  EXPECT_EQ(model.predict_classes(in), reference.predict_classes(in));

  // A copy runs its own pipeline on the same device; a re-map replaces it.
  Model copy = model;
  EXPECT_EQ(copy.forward(in), expected);
  model.map(deviceByName(c.device), false, c.mode);
  EXPECT_EQ(model.forward(in), expected);
}

INSTANTIATE_TEST_SUITE_P(
    Zoo, MappedForward,
    ::testing::Values(
        Case{"ds_cnn_kws", "AKD1000", MapMode::AllNps, 1, false},
        Case{"akidanet_0.25_96_vww", "TwoNodesIP", MapMode::AllNps, 3, false},
        Case{"gxnor_mnist", "AKD1000", MapMode::Minimal, 2, true},
        Case{"ds_cnn_kws_v2", "TwoNodesIPv2", MapMode::AllNps, 2, true}));

/// What the SDK counts for one forward of `in` on a fresh `device`:
/// every hardware sequence programmed, then run on the whole batch, in
/// order, the power events of each forward appended.
struct DirectRun {
  Metrics metrics;
  std::vector<PowerEvent> events;
};

DirectRun runDirectly(const Model &model, const Array &in, double mhz,
                      bool power, ProgrammableDevice &dev) {
  DirectRun r;
  ref::Activations input;
  input.type = modelInputType(model.desc());
  input.batch = in.shape[0];
  input.ints = in.ints();
  std::map<int, ref::Activations> acts;
  dev.set_clock_mhz(mhz);
  dev.set_power_measurement_enabled(power);
  r.metrics.inference_frames = in.shape[0];
  r.metrics.inference_start = dev.time_ms();
  for (const Sequence &seq : model.sequences()) {
    EXPECT_TRUE(seq.hardware) << seq.name;
    dev.program(seq.program);
    r.metrics.program_clk += dev.metrics().program_clk;
    dev.set_batch_size(dev.max_batch_size());
    const int source = dev.inputLayer();
    const LayerDesc &first = model.desc().layers.at(seq.layers.front());
    const bool fromInput =
        source < 0 ||
        model.desc().layers.at(source).type == LayerType::InputData;
    ref::Activations out =
        dev.forward(fromInput ? input : acts.at(first.inbounds.at(0)));
    r.metrics.inference_clk += dev.metrics().inference_clk;
    const std::vector<PowerEvent> &e = dev.inference_power_events();
    r.events.insert(r.events.end(), e.begin(), e.end());
    for (const auto &[layer, a] : dev.exported())
      acts[layer] = a;
    acts[dev.outputLayer()] = std::move(out);
  }
  r.metrics.inference_end = dev.time_ms();
  return r;
}

void expectSameRun(const Model &model, const DirectRun &d) {
  const Metrics &m = model.metrics();
  EXPECT_EQ(m.inference_frames, d.metrics.inference_frames);
  EXPECT_EQ(m.program_clk, d.metrics.program_clk);
  EXPECT_EQ(m.inference_clk, d.metrics.inference_clk);
  EXPECT_EQ(m.inference_start, d.metrics.inference_start);
  EXPECT_EQ(m.inference_end, d.metrics.inference_end);
  ASSERT_EQ(model.power_events().size(), d.events.size());
  for (size_t i = 0; i < d.events.size(); ++i) {
    EXPECT_EQ(model.power_events()[i].ts, d.events[i].ts) << i;
    EXPECT_EQ(model.power_events()[i].power, d.events[i].power) << i;
  }
  const Statistics s = model.statistics();
  EXPECT_EQ(s.inference_clk, d.metrics.inference_clk);
  EXPECT_EQ(s.program_clk, d.metrics.program_clk);
  EXPECT_DOUBLE_EQ(s.fps, d.metrics.inference_frames * 1000.0 /
                              (d.metrics.inference_end -
                               d.metrics.inference_start));
}

TEST(MappedForward, CountersStatisticsAndPowerEventsAreTheDevices) {
  for (const auto &[name, device] :
       {std::pair<std::string, std::string>{"ds_cnn_kws", "AKD1000"},
        {"akidanet_0.25_96_vww", "TwoNodesIP"}}) {
    SCOPED_TRACE(name);
    Model model = buildZooModel(name, 0);
    model.map(deviceByName(device));
    model.set_power_measurement_enabled(true);
    model.set_clock_mhz(100);
    std::shared_ptr<ProgrammableDevice> direct =
        openDevice(deviceByName(device));
    // Twice: every call programs again and continues the timeline.
    for (uint32_t call = 0; call < 2; ++call) {
      const Array in = randomInputs(model, 8, 30 + call);
      model.forward(in);
      const DirectRun d = runDirectly(model, in, 100, true, *direct);
      EXPECT_GT(d.metrics.program_clk, 0);
      EXPECT_GE(d.events.size(), 2u);
      expectSameRun(model, d);
    }
  }
}

TEST(MappedForward, DeviceErrorsKeepTheirTypeAndMessage) {
  auto faults = std::make_shared<FaultPlan>();
  Model model = buildZooModel("ds_cnn_kws", 0);
  model.map(faultyFactory(AKD1000(), faults)());
  const Array in = randomInputs(model, 1, 3);
  faults->failuresLeft = 1;
  try {
    model.forward(in);
    FAIL() << "no error";
  } catch (const std::runtime_error &e) {
    EXPECT_STREQ(e.what(), "injected device failure");
  }
  // Not retried (the failure is the caller's), and the next call works.
  EXPECT_EQ(faults->failuresLeft, 0);
  EXPECT_EQ(model.forward(in), buildZooModel("ds_cnn_kws", 0).forward(in));
  // Bad input: the one-line error of the direct path, before any actor.
  Array bad = Array::fromInts(DType::UInt8, {1, 4, 4, 1},
                              std::vector<int64_t>(16, 1));
  EXPECT_THROW(model.forward(bad), std::invalid_argument);
}

} // namespace
