//===- StreamPipeline.cpp - Building and running a streaming pipeline -----===//

#include "actors/StreamPipeline.h"

#include "actors/SequenceActors.h"

#include <algorithm>
#include <stdexcept>

namespace akida::actors {

StreamBuilder &StreamBuilder::source(std::unique_ptr<FrameSource> source) {
  source_ = std::move(source);
  return *this;
}

StreamBuilder &StreamBuilder::model(std::shared_ptr<ModelStages> stages,
                                    StageOptions options) {
  if (!inputType_ && stages_.empty())
    inputType_ = stages->inputType;
  for (const std::shared_ptr<SequenceWorker> &w : stages->workers) {
    StageSpec spec;
    spec.name = w->plan().name;
    spec.options = options;
    // A thread of its own gets two frames per lane: one running, the next
    // already in its mailbox (no wake-up between frames).
    if (options.detachWorkers)
      spec.options.concurrency = std::max<int64_t>(
          options.concurrency, 2 * int64_t{sequenceLanes(*w, options)});
    spec.spawnWorker = [w, options](caf::local_actor *self) {
      return spawnSequenceActor(self, w, options);
    };
    spec.restart = [w] { w->executor().restart(); };
    stages_.push_back(std::move(spec));
  }
  return *this;
}

StreamBuilder &StreamBuilder::stage(StageSpec spec,
                                    std::optional<ActType> inputType) {
  if (!inputType_ && stages_.empty())
    inputType_ = inputType;
  stages_.push_back(std::move(spec));
  return *this;
}

StreamBuilder &StreamBuilder::sink(std::unique_ptr<FrameSink> sink) {
  sink_ = std::move(sink);
  return *this;
}

StreamBuilder &StreamBuilder::sinkCredits(int64_t credits) {
  if (credits < 1)
    throw std::invalid_argument("sink credits are " + std::to_string(credits) +
                                " but must be at least 1");
  sinkCredits_ = credits;
  return *this;
}

StreamPipeline StreamBuilder::build(caf::actor_system &sys) {
  if (!source_)
    throw std::invalid_argument("pipeline: no source");
  if (!sink_)
    throw std::invalid_argument("pipeline: no sink");
  if (stages_.empty())
    throw std::invalid_argument("pipeline: no stage (add a model)");
  if (!inputType_)
    throw std::invalid_argument("pipeline: the first stage does not say "
                                "what input it takes");
  for (const StageSpec &s : stages_)
    if (s.options.capacity < 1 || s.options.concurrency < 1 ||
        s.options.maxRetries < 0)
      throw std::invalid_argument(
          "stage '" + s.name + "': capacity " +
          std::to_string(s.options.capacity) + ", concurrency " +
          std::to_string(s.options.concurrency) + ", retries " +
          std::to_string(s.options.maxRetries) +
          " (capacity and concurrency at least 1, retries at least 0)");
  StreamPipeline p;
  p.promise_ = std::make_shared<std::promise<StreamOutcome>>();
  p.future_ = p.promise_->get_future().share();
  SinkConfig sc;
  sc.sink = std::move(sink_);
  sc.credits = sinkCredits_;
  sc.done = [promise = p.promise_](StreamOutcome o) {
    promise->set_value(std::move(o));
  };
  caf::actor sink = sys.spawn(sinkActor, std::move(sc));
  caf::actor next = sink;
  std::vector<caf::actor> stages;
  for (auto it = stages_.rbegin(); it != stages_.rend(); ++it) {
    StageConfig c;
    c.name = it->name;
    c.options = it->options;
    c.spawnWorker = it->spawnWorker;
    c.restart = it->restart;
    c.ownsWorker = it->ownsWorker;
    c.downstream = next;
    c.sink = sink;
    c.stats = std::make_shared<StageStatsBox>(it->name);
    p.stats_.insert(p.stats_.begin(), c.stats);
    next = sys.spawn(stageActor, std::move(c));
    stages.insert(stages.begin(), next);
  }
  SourceConfig src;
  src.source = std::move(source_);
  src.inputType = *inputType_;
  src.downstream = next;
  src.sink = sink;
  p.source_ = sys.spawn(sourceActor, std::move(src));
  p.actors_.push_back(p.source_);
  p.actors_.insert(p.actors_.end(), stages.begin(), stages.end());
  p.actors_.push_back(sink);
  stages_.clear();
  return p;
}

void StreamPipeline::start() {
  startNs_ = steadyNowNs();
  caf::anon_send(source_, start_atom::value);
}

bool StreamPipeline::finished() const {
  return future_.valid() && future_.wait_for(std::chrono::seconds(0)) ==
                                std::future_status::ready;
}

std::vector<StageStats> StreamPipeline::stats() const {
  std::vector<StageStats> s;
  for (const auto &b : stats_)
    s.push_back(b->snapshot());
  return s;
}

void StreamPipeline::stop() {
  for (const caf::actor &a : actors_)
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  actors_.clear();
}

StreamResult StreamPipeline::wait() {
  StreamResult r;
  r.outcome = future_.get();
  r.seconds = static_cast<double>(steadyNowNs() - startNs_) / 1e9;
  stop();
  r.stages = stats();
  return r;
}

StreamResult StreamPipeline::run() {
  start();
  StreamResult r = wait();
  if (!r.outcome.ok)
    throw std::runtime_error(r.outcome.error);
  return r;
}

StreamPipeline::~StreamPipeline() { stop(); }

} // namespace akida::actors
