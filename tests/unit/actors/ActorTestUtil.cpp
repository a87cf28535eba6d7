//===- ActorTestUtil.cpp - Models, inputs and faulty devices for actor tests -===//

#include "tests/unit/actors/ActorTestUtil.h"

#include "compiler/fbz/LayerSchema.h"
#include "device/usb/OpenDevice.h"
#include "runtime/zoo/Zoo.h"

#include <map>
#include <mutex>
#include <random>
#include <stdexcept>

namespace akida::actortest {

const Model &mappedZooModel(const std::string &name, const std::string &device,
                            MapMode mode) {
  static std::mutex m;
  static std::map<std::string, std::unique_ptr<Model>> cache;
  std::lock_guard<std::mutex> lock(m);
  const std::string key = name + "@" + device + "/" + mapModeName(mode);
  auto it = cache.find(key);
  if (it == cache.end()) {
    auto model = std::make_unique<Model>(buildZooModel(name, 0));
    model->map(deviceByName(device), false, mode);
    it = cache.emplace(key, std::move(model)).first;
  }
  return *it->second;
}

Array randomInputs(const Model &model, int64_t n, uint32_t seed) {
  const std::array<int64_t, 3> s = model.input_shape();
  const LayerDesc &first = model.desc().layers.front();
  const bool isSigned = first.type == LayerType::InputData &&
                        param(first, "input_signed") != 0;
  const int bits = first.type == LayerType::InputData
                       ? static_cast<int>(param(first, "input_bits"))
                       : 8;
  const int64_t lo = isSigned ? -(int64_t(1) << (bits - 1)) : 0;
  const int64_t hi = isSigned ? (int64_t(1) << (bits - 1)) - 1
                              : (int64_t(1) << bits) - 1;
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int64_t> d(lo, hi);
  std::vector<int64_t> v(n * s[0] * s[1] * s[2]);
  for (int64_t &x : v)
    x = d(rng);
  return Array::fromInts(isSigned ? DType::Int8 : DType::UInt8,
                         {n, s[0], s[1], s[2]}, v);
}

Array sample(const Array &a, int64_t i) {
  Array out;
  out.dtype = a.dtype;
  out.shape = a.shape;
  out.shape[0] = 1;
  const size_t per = a.bytes.size() / static_cast<size_t>(a.shape[0]);
  out.bytes.assign(a.bytes.begin() + i * per, a.bytes.begin() + (i + 1) * per);
  return out;
}

namespace {

/// A VirtualDevice whose forward fails while the plan says so.
class FaultyDevice final : public ProgrammableDevice {
public:
  FaultyDevice(const Device &d, std::shared_ptr<FaultPlan> plan)
      : inner_(d), plan_(std::move(plan)) {}
  const Device &device() const override { return inner_.device(); }
  void set_clock_mhz(double mhz) override { inner_.set_clock_mhz(mhz); }
  void set_power_measurement_enabled(bool e) override {
    inner_.set_power_measurement_enabled(e);
  }
  double time_ms() const override { return inner_.time_ms(); }
  double power_floor() const override { return inner_.power_floor(); }
  void program(const std::vector<uint8_t> &bytes) override {
    inner_.program(bytes);
  }
  int max_batch_size() const override { return inner_.max_batch_size(); }
  void set_batch_size(int b) override { inner_.set_batch_size(b); }
  int inputLayer() const override { return inner_.inputLayer(); }
  int outputLayer() const override { return inner_.outputLayer(); }
  ref::Activations forward(const ref::Activations &in) override {
    {
      std::lock_guard<std::mutex> lock(plan_->mutex);
      plan_->forwardThreads.insert(std::this_thread::get_id());
    }
    if (plan_->failuresLeft.fetch_sub(1) > 0)
      throw std::runtime_error("injected device failure");
    return inner_.forward(in);
  }
  const DeviceMetrics &metrics() const override { return inner_.metrics(); }
  const std::vector<PowerEvent> &inference_power_events() const override {
    return inner_.inference_power_events();
  }
  const std::map<int, ref::Activations> &exported() const override {
    return inner_.exported();
  }
  ref::Activations fit(const ref::Activations &in,
                       const std::vector<int64_t> &labels) override {
    return inner_.fit(in, labels);
  }
  learning::LearnMem learn_mem() override { return inner_.learn_mem(); }
  void update_learn_mem(const learning::LearnMem &mem) override {
    inner_.update_learn_mem(mem);
  }

private:
  VirtualDevice inner_;
  std::shared_ptr<FaultPlan> plan_;
};

} // namespace

actors::DeviceFactory faultyFactory(const Device &device,
                                    std::shared_ptr<FaultPlan> plan) {
  return [device, plan]() -> std::shared_ptr<ProgrammableDevice> {
    ++plan->opened;
    return std::make_shared<FaultyDevice>(device, plan);
  };
}

} // namespace akida::actortest
