//===- DeviceInference.cpp - Running a mapped Model on its device ---------===//
//
// After map(), forward runs the model sequence by sequence: hardware
// sequences as their programs on the simulated device (chain-loaded per
// call), software sequences on the reference kernels. The simulator is
// bit-exact with the reference (tests/unit/sim), so only the clocks differ.
// The inference window and the power events are on the device's simulated
// timeline, at the model's clock.
//
//===----------------------------------------------------------------------===//

#include "runtime/model/Model.h"

#include "device/ProgrammableDevice.h"

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
  device_->set_clock_mhz(clockMhz_);
  device_->set_power_measurement_enabled(powerMeasurement_);
  powerEvents_.clear();
  metrics_.inference_start = device_->time_ms();
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
    const std::vector<PowerEvent> &events = device_->inference_power_events();
    powerEvents_.insert(powerEvents_.end(), events.begin(), events.end());
    for (const auto &[layer, a] : device_->exported())
      acts[layer] = a;
    acts[device_->outputLayer()] = std::move(out);
  }
  // Programming is not on the timeline, so the sequences' forwards are
  // back to back: the window is inference_clk at the clock.
  metrics_.inference_end = device_->time_ms();

  const ref::Activations &last = acts.at(get_layer_count() - 1);
  return outputArray(outputTypes_.back(), in.batch, last.ints, last.floats);
}

Statistics Model::statistics() const {
  Statistics s;
  s.inference_frames = metrics_.inference_frames;
  s.inference_clk = metrics_.inference_clk;
  s.program_clk = metrics_.program_clk;
  double seconds = (metrics_.inference_end - metrics_.inference_start) / 1000;
  s.fps = seconds > 0 ? static_cast<double>(s.inference_frames) / seconds : 0;
  if (std::optional<PowerFigures> f =
          powerFigures(powerEvents_, metrics_.inference_start,
                       metrics_.inference_end, metrics_.inference_frames)) {
    s.power = f->power;
    s.energy = f->energy;
  }
  return s;
}

void Model::set_power_measurement_enabled(bool enabled) {
  powerMeasurement_ = enabled;
  if (device_)
    device_->set_power_measurement_enabled(enabled);
}

double Model::power_floor() const {
  if (!mapping_ || !device_)
    throw std::runtime_error("power_floor: the model is not mapped on a "
                             "device; call map() first");
  return device_->power_floor();
}

void Model::set_clock_mhz(double mhz) {
  if (!(mhz > 0))
    throw std::invalid_argument("clock must be positive MHz, got " +
                                std::to_string(mhz));
  clockMhz_ = mhz;
}

std::string Statistics::str() const {
  char buf[256];
  std::snprintf(buf, sizeof buf, "Average framerate = %.2f fps\n", fps);
  std::string s = buf;
  if (power) {
    std::snprintf(buf, sizeof buf,
                  "Last inference power range (mW): Avg %.2f / Min %.2f / "
                  "Max %.2f / Std %.2f\n",
                  power->avg, power->min, power->max, power->std);
    s += buf;
  }
  if (energy) {
    std::snprintf(buf, sizeof buf,
                  "Last inference energy consumed (mJ/frame): %.2f\n",
                  *energy);
    s += buf;
  }
  std::snprintf(buf, sizeof buf,
                "inference_frames: %lld\ninference_clk: %lld\n"
                "program_clk: %lld\n",
                static_cast<long long>(inference_frames),
                static_cast<long long>(inference_clk),
                static_cast<long long>(program_clk));
  return s + buf;
}

} // namespace akida
