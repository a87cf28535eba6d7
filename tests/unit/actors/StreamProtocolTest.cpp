// The stream protocol under CAF's deterministic test coordinator (no
// threads: every message is run by the test, in a fixed order): credits
// bound every queue, outputs arrive in order and equal Model::forward frame
// by frame, drop-oldest drops and counts, a failing device is restarted and
// its frames retried, a device that keeps failing ends the stream with an
// error, and a bad source too.
#include "tests/unit/actors/ActorTestUtil.h"

#include "actors/FromModel.h"
#include "actors/StreamPipeline.h"
#include "device/usb/OpenDevice.h"

#include <caf/scheduler/test_coordinator.hpp>
#include <gtest/gtest.h>

using namespace akida;
using namespace akida::actors;
using namespace akida::actortest;

namespace {

struct TestConfig : caf::actor_system_config {
  TestConfig() {
    set("scheduler.policy", caf::atom("testing"));
    set("logger.verbosity", caf::atom("quiet"));
    addMessageTypes(*this);
  }
};

class StreamProtocol : public ::testing::Test {
protected:
  StreamProtocol()
      : sys(cfg), sched(dynamic_cast<caf::scheduler::test_coordinator &>(
                      sys.scheduler())) {}
  ~StreamProtocol() override { sched.run(); }

  /// A generator of `n` frames of `inputs`' samples.
  static std::unique_ptr<FrameSource> frames(const Array &inputs, int64_t n) {
    return generatorSource([inputs, n](uint64_t i) -> std::optional<Array> {
      if (static_cast<int64_t>(i) >= n)
        return std::nullopt;
      return sample(inputs, static_cast<int64_t>(i));
    });
  }

  static StageOptions options(StagePolicy policy, int64_t capacity,
                              int retries = 2) {
    StageOptions o;
    o.policy = policy;
    o.capacity = capacity;
    o.maxRetries = retries;
    o.detachWorkers = false; // the coordinator runs every actor
    return o;
  }

  TestConfig cfg;
  caf::actor_system sys;
  caf::scheduler::test_coordinator &sched;
};

/// Model::forward on each sample alone.
std::vector<Array> referenceOutputs(const Model &mapped, const Array &in) {
  Model m = mapped;
  std::vector<Array> out;
  for (int64_t i = 0; i < in.shape[0]; ++i)
    out.push_back(m.forward(sample(in, i)));
  return out;
}

TEST_F(StreamProtocol, BlockingCreditsBoundQueuesAndKeepOrder) {
  const Model &model = mappedZooModel("gxnor_mnist", "AKD1000", MapMode::Minimal);
  const Array in = randomInputs(model, 12, 3);
  const std::vector<Array> expected = referenceOutputs(model, in);
  std::vector<Output> outputs;
  StreamPipeline p = StreamBuilder()
                         .source(frames(in, 12))
                         .model(makeModelStages(model), options(StagePolicy::Block, 2))
                         .sink(vectorSink(outputs))
                         .sinkCredits(1)
                         .build(sys);
  p.start();
  sched.run();
  ASSERT_TRUE(p.finished());
  StreamResult r = p.wait();
  ASSERT_TRUE(r.outcome.ok) << r.outcome.error;
  EXPECT_EQ(r.outcome.emitted, 12u);
  EXPECT_EQ(r.outcome.delivered, 12);
  EXPECT_EQ(r.outcome.dropped, 0);
  EXPECT_EQ(r.outcome.outOfOrder, 0);
  ASSERT_EQ(outputs.size(), 12u);
  for (size_t i = 0; i < outputs.size(); ++i) {
    EXPECT_EQ(outputs[i].seq, i);
    EXPECT_EQ(outputs[i].value, expected[i]) << "frame " << i;
  }
  ASSERT_GE(r.stages.size(), 2u);
  for (const StageStats &s : r.stages) {
    EXPECT_LE(s.maxQueueDepth, 2) << s.name;
    EXPECT_EQ(s.frames, 12) << s.name;
    EXPECT_EQ(s.dropped, 0) << s.name;
  }
}

TEST_F(StreamProtocol, DropOldestDropsAndCounts) {
  const Model &model = mappedZooModel("ds_cnn_kws", "AKD1000");
  const Array in = randomInputs(model, 16, 4);
  const std::vector<Array> expected = referenceOutputs(model, in);
  std::vector<Output> outputs;
  StreamPipeline p = StreamBuilder()
                         .source(frames(in, 16))
                         .model(makeModelStages(model), options(StagePolicy::DropOldest, 1))
                         .sink(vectorSink(outputs))
                         .build(sys);
  p.start();
  sched.run();
  ASSERT_TRUE(p.finished());
  StreamResult r = p.wait();
  ASSERT_TRUE(r.outcome.ok) << r.outcome.error;
  // The source runs free (bursts of 8) while the one stage holds one frame.
  EXPECT_GT(r.outcome.dropped, 0);
  EXPECT_EQ(r.outcome.delivered + r.outcome.dropped, 16);
  EXPECT_EQ(r.stages[0].dropped, r.outcome.dropped);
  EXPECT_LE(r.stages[0].maxQueueDepth, 1);
  EXPECT_EQ(r.outcome.outOfOrder, 0);
  for (size_t i = 1; i < outputs.size(); ++i)
    EXPECT_LT(outputs[i - 1].seq, outputs[i].seq);
  for (const Output &o : outputs)
    EXPECT_EQ(o.value, expected[o.seq]) << "frame " << o.seq;
  // The last frame is never dropped: nothing comes after it.
  ASSERT_FALSE(outputs.empty());
  EXPECT_EQ(outputs.back().seq, 15u);
}

TEST_F(StreamProtocol, FailingDeviceIsRestartedAndFramesRetried) {
  const Model &model = mappedZooModel("ds_cnn_kws", "AKD1000");
  const Array in = randomInputs(model, 6, 5);
  const std::vector<Array> expected = referenceOutputs(model, in);
  auto faults = std::make_shared<FaultPlan>();
  faults->failuresLeft = 2;
  std::vector<Output> outputs;
  StreamPipeline p =
      StreamBuilder()
          .source(frames(in, 6))
          .model(makeModelStages(model, faultyFactory(AKD1000(), faults)),
                 options(StagePolicy::Block, 2, /*retries=*/2))
          .sink(vectorSink(outputs))
          .build(sys);
  p.start();
  sched.run();
  ASSERT_TRUE(p.finished());
  StreamResult r = p.wait();
  ASSERT_TRUE(r.outcome.ok) << r.outcome.error;
  ASSERT_EQ(outputs.size(), 6u);
  for (size_t i = 0; i < 6; ++i)
    EXPECT_EQ(outputs[i].value, expected[i]) << "frame " << i;
  EXPECT_EQ(r.stages[0].failures, 2);
  EXPECT_EQ(r.stages[0].restarts, 2);
  EXPECT_EQ(r.stages[0].retries, 2);
  // Opened once, re-opened (and so reprogrammed) at each restart.
  EXPECT_EQ(faults->opened, 3);
}

TEST_F(StreamProtocol, RepeatedFailureEndsTheStreamWithAnError) {
  const Model &model = mappedZooModel("ds_cnn_kws", "AKD1000");
  const Array in = randomInputs(model, 4, 6);
  auto faults = std::make_shared<FaultPlan>();
  faults->failuresLeft = 1000;
  std::vector<Output> outputs;
  StreamPipeline p =
      StreamBuilder()
          .source(frames(in, 4))
          .model(makeModelStages(model, faultyFactory(AKD1000(), faults)),
                 options(StagePolicy::Block, 2, /*retries=*/2))
          .sink(vectorSink(outputs))
          .build(sys);
  p.start();
  sched.run();
  ASSERT_TRUE(p.finished()); // an error, not a hang
  StreamResult r = p.wait();
  EXPECT_FALSE(r.outcome.ok);
  EXPECT_NE(r.outcome.error.find("frame 0 failed 3 times"), std::string::npos)
      << r.outcome.error;
  EXPECT_NE(r.outcome.error.find("injected device failure"), std::string::npos)
      << r.outcome.error;
  EXPECT_TRUE(outputs.empty());
  sched.run();
}

TEST_F(StreamProtocol, BadSourceFrameEndsTheStream) {
  const Model &model = mappedZooModel("ds_cnn_kws", "AKD1000");
  std::vector<Output> outputs;
  StreamPipeline p =
      StreamBuilder()
          .source(generatorSource([](uint64_t i) -> std::optional<Array> {
            if (i > 0)
              return std::nullopt;
            return Array::fromInts(DType::Int8, {1, 49, 10, 1},
                                   std::vector<int64_t>(490, 0));
          }))
          .model(makeModelStages(model), options(StagePolicy::Block, 2))
          .sink(vectorSink(outputs))
          .build(sys);
  p.start();
  sched.run();
  ASSERT_TRUE(p.finished());
  StreamResult r = p.wait();
  EXPECT_FALSE(r.outcome.ok);
  EXPECT_NE(r.outcome.error.find("dtype int8 but the model takes uint8"),
            std::string::npos)
      << r.outcome.error;
  sched.run();
}

} // namespace
