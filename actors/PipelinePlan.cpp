//===- PipelinePlan.cpp - A mapped model as a chain of actors -------------===//

#include "actors/PipelinePlan.h"

#include "actors/EdgeCodec.h"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace akida::actors {

int hardwareInputLayer(const ModelDesc &model, const Sequence &seq) {
  const LayerDesc &first = model.layers.at(static_cast<size_t>(seq.layers.front()));
  if (first.inbounds.empty() || first.type == LayerType::InputData)
    return kModelInputEdge;
  const int source = first.inbounds[0];
  if (model.layers.at(static_cast<size_t>(source)).type == LayerType::InputData)
    return kModelInputEdge;
  return source;
}

PipelinePlan planPipeline(const ModelDesc &model,
                          const std::vector<Sequence> &sequences) {
  if (sequences.empty())
    throw std::invalid_argument("pipeline: the model has no sequences");
  PipelinePlan plan;
  plan.outputLayer = static_cast<int>(model.layers.size()) - 1;
  for (size_t s = 0; s < sequences.size(); ++s) {
    const Sequence &seq = sequences[s];
    if (seq.layers.empty())
      throw std::invalid_argument("pipeline: sequence '" + seq.name +
                                  "' has no layers");
    StagePlan st;
    st.name = seq.name;
    st.hardware = seq.hardware;
    st.sequence = s;
    st.layers = seq.layers;
    std::set<int> reads;
    if (seq.hardware) {
      reads.insert(hardwareInputLayer(model, seq));
    } else {
      std::set<int> local;
      for (int i : seq.layers) {
        const LayerDesc &d = model.layers.at(static_cast<size_t>(i));
        if (d.inbounds.empty())
          reads.insert(kModelInputEdge);
        for (int j : d.inbounds)
          if (!local.count(j))
            reads.insert(j);
        local.insert(i);
      }
    }
    st.reads.assign(reads.begin(), reads.end());
    plan.stages.push_back(std::move(st));
  }
  // Carried after stage s: what stages after s read, among what is
  // available by then (the model input, and every earlier stage's layers).
  std::set<int> available = {kModelInputEdge};
  for (size_t s = 0; s < plan.stages.size(); ++s) {
    StagePlan &st = plan.stages[s];
    for (int r : st.reads)
      if (!available.count(r))
        throw std::invalid_argument(
            "pipeline: sequence '" + st.name + "' reads layer '" +
            model.layers.at(static_cast<size_t>(r)).name +
            "', which no earlier sequence computes");
    available.insert(st.layers.begin(), st.layers.end());
    if (s + 1 == plan.stages.size()) {
      if (!available.count(plan.outputLayer))
        throw std::invalid_argument("pipeline: no sequence computes the "
                                    "output layer '" +
                                    model.layers.back().name + "'");
      st.carries = {plan.outputLayer};
      st.last = true;
      break;
    }
    std::set<int> later;
    for (size_t t = s + 1; t < plan.stages.size(); ++t)
      later.insert(plan.stages[t].reads.begin(), plan.stages[t].reads.end());
    later.insert(plan.outputLayer);
    for (int l : later)
      if (available.count(l))
        st.carries.push_back(l);
  }
  return plan;
}

} // namespace akida::actors
