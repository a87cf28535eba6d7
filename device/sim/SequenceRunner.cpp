//===- SequenceRunner.cpp - Chain-loading several programs ----------------===//
#include "device/sim/SequenceRunner.h"

#include <map>
#include <stdexcept>

namespace akida {

SequenceRunner::SequenceRunner(VirtualDevice &device,
                               std::vector<std::vector<uint8_t>> programs)
    : device_(device), programs_(std::move(programs)) {
  if (programs_.empty())
    throw std::invalid_argument("SequenceRunner: no program to run");
  // Decode and check every program once, and check the chain: program i
  // reads the model input (only the first) or a layer an earlier one
  // writes out.
  std::set<int> written;
  for (size_t i = 0; i < programs_.size(); ++i) {
    device_.program(programs_[i]);
    const int in = device_.inputLayer();
    if (i > 0 && !written.count(in))
      throw std::invalid_argument(
          "SequenceRunner: program " + std::to_string(i) + " reads layer " +
          std::to_string(in) + ", which no earlier program writes out");
    inputLayers_.push_back(in);
    outputLayers_.push_back(device_.outputLayer());
    for (const PassProgram &pass : device_.programInfo().passes) {
      auto collect = [&](const UnitRecord &r) {
        for (const DmaDescriptor &d : r.routes)
          if (d.destLayer == -1)
            written.insert(d.sourceLayer);
      };
      if (pass.hrc)
        collect(*pass.hrc);
      for (const UnitRecord &r : pass.nps)
        collect(r);
      for (const UnitRecord &r : pass.merges)
        collect(r);
    }
  }
  device_.unprogram();
}

ref::Activations SequenceRunner::forward(const ref::Activations &input) {
  metrics_ = SequenceMetrics{};
  metrics_.inference_frames = input.batch;
  std::map<int, ref::Activations> outputs;
  ref::Activations last;
  for (size_t i = 0; i < programs_.size(); ++i) {
    device_.program(programs_[i]);
    device_.set_batch_size(device_.max_batch_size());
    const ref::Activations &in =
        i == 0 ? input : outputs.at(inputLayers_[i]);
    last = device_.forward(in);
    for (const auto &[layer, act] : device_.exported())
      outputs[layer] = act;
    metrics_.sequence_program_clk.push_back(device_.metrics().program_clk);
    metrics_.sequence_inference_clk.push_back(device_.metrics().inference_clk);
    metrics_.program_clk += device_.metrics().program_clk;
    metrics_.inference_clk += device_.metrics().inference_clk;
  }
  return last;
}

} // namespace akida
