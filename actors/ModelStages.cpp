//===- ModelStages.cpp - The stages of one model in a pipeline ------------===//

#include "actors/ModelStages.h"

#include "actors/Sinks.h"
#include "actors/Sources.h"

#include <set>
#include <stdexcept>
#include <utility>

namespace akida::actors {

SequenceWorker::SequenceWorker(std::shared_ptr<SequenceExecutor> executor,
                               std::shared_ptr<const ModelDesc> model)
    : executor_(std::move(executor)), model_(std::move(model)) {}

Frame SequenceWorker::run(const Frame &in) {
  const StagePlan &plan = executor_->plan();
  LayerActs acts;
  // The model input as a dense tile straight into the fast CPU kernels.
  const EdgePayload *input = in.edge(kModelInputEdge);
  const bool direct = !in.learn &&
                      plan.reads == std::vector<int>{kModelInputEdge} &&
                      input && input->encoding == EdgeEncoding::Dense &&
                      executor_->takesDenseInput(input->dense);
  for (int r : plan.reads) {
    if (direct)
      break;
    const EdgePayload *e = in.edge(r);
    if (!e)
      throw std::invalid_argument(
          "stage '" + plan.name + "': frame " + std::to_string(in.seq) +
          " does not carry " +
          (r == kModelInputEdge
               ? std::string("the model input")
               : "layer '" + model_->layers.at(static_cast<size_t>(r)).name +
                     "'"));
    acts[r] = decodePayload(*e);
  }
  std::set<int> decoded;
  for (const auto &[layer, a] : acts)
    decoded.insert(layer);
  try {
    if (direct)
      executor_->runDense(input->dense, acts);
    else if (in.learn)
      executor_->fit(acts, in.labels);
    else
      executor_->run(acts);
  } catch (...) {
    std::lock_guard<std::mutex> lock(mutex_);
    failure_ = std::current_exception();
    throw;
  }

  Frame out;
  out.seq = in.seq;
  out.timestamp_ns = in.timestamp_ns;
  out.learn = in.learn;
  out.labels = in.labels;
  std::lock_guard<std::mutex> lock(mutex_);
  for (int c : plan.carries) {
    const EdgePayload *passed = in.edge(c);
    auto it = acts.find(c);
    if (passed && (decoded.count(c) || it == acts.end())) {
      out.edges.push_back(*passed); // not computed here: as it came
      continue;
    }
    if (it == acts.end())
      continue; // a later stage that reads it names it
    auto codec = codecs_.try_emplace(c, plan.last ? kModelInputEdge : c).first;
    out.edges.push_back(codec->second.encode(it->second));
  }
  return out;
}

std::map<int, EdgeStats> SequenceWorker::edgeStats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::map<int, EdgeStats> s;
  for (const auto &[layer, codec] : codecs_)
    s[layer] = codec.stats();
  return s;
}

std::exception_ptr SequenceWorker::takeFailure() {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::exchange(failure_, nullptr);
}

std::shared_ptr<ModelStages>
makeModelStages(std::shared_ptr<const ModelDesc> desc,
                const std::vector<Sequence> &sequences, DeviceFactory device) {
  auto st = std::make_shared<ModelStages>();
  st->desc = std::move(desc);
  st->plan = planPipeline(*st->desc, sequences);
  st->inputType = modelInputType(*st->desc);
  bool hardware = false;
  for (const Sequence &s : sequences)
    hardware = hardware || s.hardware;
  if (hardware) {
    if (!device)
      throw std::invalid_argument("pipeline: the model has hardware "
                                  "sequences but no device was given");
    st->slot = std::make_shared<DeviceSlot>(std::move(device));
  }
  for (const std::shared_ptr<SequenceExecutor> &e :
       makeExecutors(st->desc, st->plan, sequences, st->slot))
    st->workers.push_back(std::make_shared<SequenceWorker>(e, st->desc));
  return st;
}

Frame inputFrame(const ModelStages &stages, const Array &inputs, uint64_t seq,
                 int64_t timestampNs, EdgeCodec &codec) {
  Frame f;
  f.seq = seq;
  f.timestamp_ns = timestampNs;
  checkInputFrame(inputs, stages.inputType, "frame " + std::to_string(seq));
  f.edges.push_back(codec.encode(inputs, stages.inputType));
  return f;
}

Frame runStages(ModelStages &stages, Frame frame) {
  for (const std::shared_ptr<SequenceWorker> &w : stages.workers)
    frame = w->run(frame);
  return frame;
}

Array frameOutput(const Frame &frame) {
  const EdgePayload *e = frame.edge(kModelInputEdge);
  if (!e)
    throw std::invalid_argument("frame " + std::to_string(frame.seq) +
                                " carries no model output");
  return outputArray(decodePayload(*e));
}

} // namespace akida::actors
