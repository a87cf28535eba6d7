//===- DeviceInference.cpp - Running a mapped Model on its device ---------===//
//
// After map(), forward runs the model through its actor pipeline
// (actors/ModelPipeline.h, built once per map): a device actor per hardware
// sequence, running its program on the mapped device (the simulator, or a
// chip over USB), a CPU actor per software sequence; activations between
// them as spike events or dense tiles. The whole batch is one frame, and
// every call programs the hardware sequences again (chain loading), so the
// counters are the SDK's: program_clk of every program, inference_clk of
// every forward. The simulator is bit-exact with the reference
// (tests/unit/sim), so only the clocks differ from the CPU path. The
// inference window and the power events are on the device's simulated
// timeline, at the model's clock.
//
//===----------------------------------------------------------------------===//

#include "runtime/model/Model.h"

#include "actors/ModelPipeline.h"
#include "device/ProgrammableDevice.h"

#include <cstdio>
#include <stdexcept>

namespace akida {

actors::ModelPipeline &Model::pipeline() {
  if (!pipeline_.pipeline) {
    std::shared_ptr<actors::ModelStages> stages = actors::makeModelStages(
        std::make_shared<const ModelDesc>(desc_), mapping_->sequences,
        [dev = device_] { return dev; });
    if (stages->slot)
      stages->slot->keepPowerEvents(true);
    actors::StageOptions options;
    options.maxRetries = 0; // a failure is the caller's, as it was
    pipeline_.pipeline =
        std::make_shared<actors::ModelPipeline>(std::move(stages), options);
  }
  return *pipeline_.pipeline;
}

Array Model::forwardOnDevice(const Array &inputs, int batch_size) {
  checkInputs(inputs, "forward");
  if (batch_size < 0)
    throw std::invalid_argument("forward: batch_size is " +
                                std::to_string(batch_size) +
                                " but must be 0 (all at once) or positive");
  return runOnDevice(inputs, nullptr);
}

Array Model::runOnDevice(const Array &inputs,
                         const std::vector<int64_t> *labels) {
  actors::ModelPipeline &p = pipeline();
  metrics_ = {};
  metrics_.inference_frames = inputs.shape[0];
  device_->set_clock_mhz(clockMhz_);
  device_->set_power_measurement_enabled(powerMeasurement_);
  powerEvents_.clear();
  metrics_.inference_start = device_->time_ms();
  if (p.stages().slot)
    p.stages().slot->unload(); // every call programs, as the SDK counts
  Array out = labels ? p.fit(inputs, *labels) : p.forward(inputs);
  if (out.shape.empty()) // no samples, so no frame
    out = actors::outputArray(outputTypes_.back(), 0, {}, {});
  const actors::DeviceRun &run = p.deviceRun();
  metrics_.program_clk = run.program_clk;
  metrics_.inference_clk = run.inference_clk;
  powerEvents_ = run.powerEvents;
  // Programming is not on the timeline, so the sequences' forwards are
  // back to back: the window is inference_clk at the clock.
  metrics_.inference_end = device_->time_ms();
  return out;
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
