//===- DeviceInference.cpp - Running a mapped Model on its device ---------===//
//
// After map(), forward runs the model sequence by sequence: hardware
// sequences as their programs on the simulated device (chain-loaded per
// call), software sequences on the reference kernels. The simulator is
// bit-exact with the reference (tests/unit/sim), so only the clocks differ.
//
//===----------------------------------------------------------------------===//

#include "runtime/model/Model.h"

#include "device/sim/VirtualDevice.h"

#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace akida {

Array Model::forwardOnDevice(const Array &inputs, int batch_size) {
  checkInputs(inputs, "forward");
  if (batch_size < 0)
    throw std::invalid_argument("forward: batch_size is " +
                                std::to_string(batch_size) +
                                " but must be 0 (all at once) or positive");
  ref::Activations in;
  in.type = modelInputType(desc_);
  in.batch = inputs.shape[0];
  in.ints = inputs.ints();

  metrics_ = {};
  metrics_.inference_frames = in.batch;
  metrics_.inference_start =
      std::chrono::duration<double, std::milli>(
          std::chrono::system_clock::now().time_since_epoch())
          .count();
  std::map<int, ref::Activations> acts;
  auto inputOf = [&](int layer) -> const ref::Activations & {
    const LayerDesc &d = desc_.layers[layer];
    if (d.inbounds.empty())
      return in;
    return acts.at(d.inbounds[0]);
  };
  for (const Sequence &seq : mapping_->sequences) {
    if (!seq.hardware) {
      for (int i : seq.layers) {
        std::vector<const ref::Activations *> layerInputs;
        const LayerDesc &d = desc_.layers[i];
        if (d.inbounds.empty())
          layerInputs.push_back(&in);
        for (int j : d.inbounds)
          layerInputs.push_back(&acts.at(j));
        acts[i] = ref::runLayer(d, layerInputs, &states_[i]);
      }
      continue;
    }
    device_->program(seq.program);
    metrics_.program_clk += device_->metrics().program_clk;
    device_->set_batch_size(device_->max_batch_size());
    int source = device_->inputLayer();
    bool fromModelInput =
        source < 0 || desc_.layers[source].type == LayerType::InputData;
    ref::Activations out =
        device_->forward(fromModelInput ? in : inputOf(seq.layers.front()));
    metrics_.inference_clk += device_->metrics().inference_clk;
    for (const auto &[layer, a] : device_->exported())
      acts[layer] = a;
    acts[device_->outputLayer()] = std::move(out);
  }
  metrics_.inference_end =
      metrics_.inference_start +
      static_cast<double>(metrics_.inference_clk) / (clockMhz_ * 1e3);

  const ref::Activations &last = acts.at(get_layer_count() - 1);
  const ActType &t = outputTypes_.back();
  std::vector<int64_t> shape = {in.batch, t.shape[0], t.shape[1], t.shape[2]};
  if (t.isFloat)
    return Array::fromFloats(shape, last.floats);
  std::vector<int64_t> values = last.ints;
  DType dtype = t.bits <= 8 ? (t.isSigned ? DType::Int8 : DType::UInt8)
                            : DType::Int32;
  if (dtype == DType::Int32)
    for (int64_t &v : values)
      v = std::min<int64_t>(v, INT32_MAX);
  return Array::fromInts(dtype, shape, values);
}

Statistics Model::statistics() const {
  Statistics s;
  s.inference_frames = metrics_.inference_frames;
  s.inference_clk = metrics_.inference_clk;
  s.program_clk = metrics_.program_clk;
  double seconds = (metrics_.inference_end - metrics_.inference_start) / 1000;
  s.fps = seconds > 0 ? static_cast<double>(s.inference_frames) / seconds : 0;
  return s;
}

void Model::set_clock_mhz(double mhz) {
  if (!(mhz > 0))
    throw std::invalid_argument("clock must be positive MHz, got " +
                                std::to_string(mhz));
  clockMhz_ = mhz;
}

std::string Statistics::str() const {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "Average framerate = %.2f fps\n"
                "inference_frames: %lld\ninference_clk: %lld\n"
                "program_clk: %lld\n",
                fps, static_cast<long long>(inference_frames),
                static_cast<long long>(inference_clk),
                static_cast<long long>(program_clk));
  return buf;
}

} // namespace akida
