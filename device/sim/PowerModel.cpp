//===- PowerModel.cpp - Power and energy of the virtual device ------------===//
#include "device/sim/PowerModel.h"

#include "device/sim/CostModel.h"

#include <algorithm>
#include <cmath>

namespace akida {

namespace {
constexpr double kPjToMj = 1e-9;
} // namespace

PowerConstants powerConstantsFor(const Device &device) {
  if (device.version == hw::NSoC_v1 || device.version == hw::NSoC_v2)
    return kAkd1000PowerConstants;
  if (device.version == hw::AKD1500_v1)
    return kAkd1500PowerConstants;
  return kIpPowerConstants;
}

EnergyBreakdown PowerModel::unitEnergy(const UnitTrace &u, int64_t clk) const {
  EnergyBreakdown e;
  e.events = double(u.events) * k_.eventPj * kPjToMj;
  e.macs = double(u.synapticOps) * k_.macPj * kPjToMj;
  e.dma = double(u.wordsOut) * k_.dmaWordPj * kPjToMj;
  e.npClk = double(clk) * k_.npClkPj * kPjToMj;
  return e;
}

EnergyBreakdown PowerModel::dmaEnergy(int64_t words) const {
  EnergyBreakdown e;
  e.dma = double(words) * k_.dmaWordPj * kPjToMj;
  return e;
}

//===----------------------------------------------------------------------===//
// PowerMeter
//===----------------------------------------------------------------------===//

PowerMeter::PowerMeter(const PowerConstants &k)
    : floorMw_(k.floorMw), periodMs_(k.samplePeriodMs), supplyUv_(k.supplyUv) {}

void PowerMeter::begin(bool record) {
  events_.clear();
  recording_ = record;
}

void PowerMeter::emit(double ts, double energyUj) {
  PowerEvent e;
  e.ts = ts;
  e.power = energyUj / periodMs_; // µJ / ms = mW
  e.voltage = supplyUv_;
  e.current = supplyUv_ > 0 ? e.power / (double(supplyUv_) * 1e-6) : 0; // mA
  events_.push_back(e);
}

void PowerMeter::feed(double t0, double t1, double dynamicMj) {
  if (t0 > timeMs_)
    feed(timeMs_, t0, 0); // idle in between
  t0 = std::max(t0, timeMs_);
  t1 = std::max(t1, t0);
  const double dynamicUj = dynamicMj * 1e3;
  // Power over the segment, mW (= µJ/ms).
  const double power =
      floorMw_ + (t1 > t0 ? dynamicUj / (t1 - t0) : 0.0);
  double at = t0;
  if (!recording_ && double(nextTick_) * periodMs_ <= t1) {
    // Nothing to keep: jump to the last sample point <= t1.
    int64_t last = static_cast<int64_t>(std::floor(t1 / periodMs_));
    while (double(last + 1) * periodMs_ <= t1)
      ++last;
    while (last > 0 && double(last) * periodMs_ > t1)
      --last;
    at = std::max(at, double(last) * periodMs_);
    nextTick_ = last + 1;
    bucketUj_ = 0;
  }
  for (double tick = double(nextTick_) * periodMs_; tick <= t1;
       tick = double(nextTick_) * periodMs_) {
    bucketUj_ += power * (tick - at);
    if (recording_)
      emit(tick, bucketUj_);
    bucketUj_ = 0;
    at = tick;
    ++nextTick_;
  }
  bucketUj_ += power * (t1 - at);
  if (t1 == t0)
    bucketUj_ += dynamicUj; // work that takes no time
  timeMs_ = t1;
}

//===----------------------------------------------------------------------===//
// Statistics
//===----------------------------------------------------------------------===//

std::optional<PowerFigures> powerFigures(const std::vector<PowerEvent> &events,
                                         double start, double end,
                                         int64_t frames) {
  if (frames <= 0 || !(end > start))
    return std::nullopt;
  std::vector<double> powers;
  for (const PowerEvent &e : events)
    if (e.ts >= start && e.ts <= end)
      powers.push_back(e.power);
  if (powers.size() < 3) // the first is dropped, two must remain
    return std::nullopt;
  powers.erase(powers.begin());
  const double n = double(powers.size());
  PowerFigures f;
  double sum = 0;
  f.power.min = f.power.max = powers.front();
  for (double p : powers) {
    sum += p;
    f.power.min = std::min(f.power.min, p);
    f.power.max = std::max(f.power.max, p);
  }
  f.power.avg = sum / n;
  double squares = 0;
  for (double p : powers)
    squares += (p - f.power.avg) * (p - f.power.avg);
  f.power.std = std::sqrt(squares / (n - 1));
  f.energy = f.power.avg * (end - start) / 1000.0 / double(frames);
  return f;
}

} // namespace akida
