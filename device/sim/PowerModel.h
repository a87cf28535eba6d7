//===- PowerModel.h - Power and energy of the virtual device ------*- C++ -*-===//
//
// The power a simulated device draws, next to its clock model (CostModel.h),
// and the meter that samples it: the counterpart of the SDK's SocDriver
// power measurement (`soc.power_measurement_enabled`, `soc.power_meter`
// with `events()` and `floor`, PowerEvent{ts, voltage, current, power}).
//
//   power(t) = floorMw                                  (board or chip idle)
//            + dynamic energy of the work at t / its duration
//
//   dynamic energy = events          x eventPj   (NP input events; HRC values)
//                  + synaptic ops    x macPj     (NPs and the HRC)
//                  + DMA words       x dmaWordPj (event DMA in and out, mesh
//                                                 transfers, reconfiguration)
//                  + active NP clocks x npClkPj  (each unit's own clocks)
//
// The work of a frame is laid on the device timeline as the clock model
// counts it: per pass, [reconfiguration], the input DMA, then each layer
// for the clocks of its slowest unit, carrying the energy of all its units.
// The timeline runs at the clock rate the device is given (300 MHz by
// default). The meter integrates that piecewise-constant power and emits one
// PowerEvent at every multiple of samplePeriodMs: the average power over
// the period that ends there (an integrating meter, so the events conserve
// energy). docs/device/simulator.md, "Power model", gives the calibration.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_DEVICE_SIM_POWERMODEL_H
#define AKIDA_DEVICE_SIM_POWERMODEL_H

#include "device/Device.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace akida {

struct UnitTrace;

/// The power constants of one device.
struct PowerConstants {
  /// Idle power of the board (or of the chip for an IP), mW.
  double floorMw = 0;
  /// Voltage of the measured supply rail, µV (current = power / voltage).
  int64_t supplyUv = 0;
  /// Meter sample period, ms of device time.
  double samplePeriodMs = 1.0;
  /// Per input event an NP processes (per input value for the HRC), pJ.
  double eventPj = 0;
  /// Per synaptic operation (multiply-accumulate), pJ.
  double macPj = 0;
  /// Per word a DMA descriptor moves, or per configuration word written
  /// during a partial reconfiguration, pJ.
  double dmaWordPj = 0;
  /// Per clock a unit is active (its unitClk), pJ: the clock tree, control
  /// and SRAM standby of a working NP.
  double npClkPj = 0;
};

/// AKD1000 (NSoC_v1, NSoC_v2) on its PCIe reference board: the one place
/// its power constants are written. The floor is the published board floor
/// (912 to 914 mW); the per-operation energies are calibrated so that a
/// dense AkidaNet 0.5/224 frame (a random input, AllNps, 300 MHz) averages
/// about 1000 mW (docs/device/simulator.md, "Power model").
inline constexpr PowerConstants kAkd1000PowerConstants{
    /*floorMw=*/912.0,
    /*supplyUv=*/12'000'000, // the PCIe 12 V rail
    /*samplePeriodMs=*/1.0,
    /*eventPj=*/100.0,
    /*macPj=*/10.0,
    /*dmaWordPj=*/150.0,
    /*npClkPj=*/20.0,
};
/// AKD1500 (AKD1500_v1). No published power figures (the SDK reports power
/// measurement disabled on its boards): a chosen 200 mW floor on a 3.3 V
/// rail, so that the busiest case measured here (DS-CNN AllNps, +86 mW)
/// stays under the marketing "800 GOPS at < 300 mW"; the per-operation
/// energies are AKD1000's (same v1 NPs).
inline constexpr PowerConstants kAkd1500PowerConstants{
    /*floorMw=*/200.0,
    /*supplyUv=*/3'300'000,
    /*samplePeriodMs=*/1.0,
    /*eventPj=*/100.0,
    /*macPj=*/10.0,
    /*dmaWordPj=*/150.0,
    /*npClkPj=*/20.0,
};
/// IP meshes (TwoNodesIP, TwoNodesIPv2, SixNodesIPv2, FPGA_v2,
/// create_device): no board; a chosen 50 mW idle floor for the IP on a
/// 0.9 V core rail, AKD1000's per-operation energies.
inline constexpr PowerConstants kIpPowerConstants{
    /*floorMw=*/50.0,
    /*supplyUv=*/900'000,
    /*samplePeriodMs=*/1.0,
    /*eventPj=*/100.0,
    /*macPj=*/10.0,
    /*dmaWordPj=*/150.0,
    /*npClkPj=*/20.0,
};

/// The constants of `device`, by hardware version: AKD1000's for NSoC_v1
/// and NSoC_v2, AKD1500's for AKD1500_v1, the IP's otherwise.
PowerConstants powerConstantsFor(const Device &device);

/// Dynamic energy by cause, mJ.
struct EnergyBreakdown {
  double events = 0;
  double macs = 0;
  double dma = 0;
  double npClk = 0;
  double total() const { return events + macs + dma + npClk; }
  EnergyBreakdown &operator+=(const EnergyBreakdown &o) {
    events += o.events;
    macs += o.macs;
    dma += o.dma;
    npClk += o.npClk;
    return *this;
  }
};

class PowerModel {
public:
  explicit PowerModel(PowerConstants constants) : k_(constants) {}
  const PowerConstants &constants() const { return k_; }
  double floor() const { return k_.floorMw; }

  /// Dynamic energy of one unit's work on a frame; `clk` is its unitClk.
  EnergyBreakdown unitEnergy(const UnitTrace &unit, int64_t clk) const;
  /// Dynamic energy of moving `words` DMA (or configuration) words.
  EnergyBreakdown dmaEnergy(int64_t words) const;

private:
  PowerConstants k_;
};

/// akida.PowerEvent: one meter sample.
struct PowerEvent {
  double ts = 0;       ///< ms on the device timeline (end of the period)
  int64_t voltage = 0; ///< µV
  double current = 0;  ///< mA
  double power = 0;    ///< mW, averaged over the period ending at ts
};

/// akida.PowerMeter: integrates the power the device feeds it and samples it
/// every samplePeriodMs (at ts = k x period on the device timeline). It
/// always integrates; events are kept only while recording.
class PowerMeter {
public:
  explicit PowerMeter(const PowerConstants &constants);

  /// The floor power, mW (what an idle device measures).
  double floor() const { return floorMw_; }
  double samplePeriodMs() const { return periodMs_; }
  /// The events of the last recording (the last forward or idle call of
  /// the device while power measurement was enabled).
  const std::vector<PowerEvent> &events() const { return events_; }

  /// Starts a recording: clears the events and keeps the next ones when
  /// `record` (power measurement enabled).
  void begin(bool record);
  void end() { recording_ = false; }
  /// The device spent [t0Ms, t1Ms] at the floor plus `dynamicMj` of
  /// dynamic energy spread evenly. Time between the last segment and t0 is
  /// idle (floor). Segments come in time order.
  void feed(double t0Ms, double t1Ms, double dynamicMj);
  /// Time fed so far, ms.
  double timeMs() const { return timeMs_; }

private:
  void emit(double ts, double energyUj);

  double floorMw_;
  double periodMs_;
  int64_t supplyUv_;
  bool recording_ = false;
  std::vector<PowerEvent> events_;
  double timeMs_ = 0;
  int64_t nextTick_ = 1;   ///< the next sample is at nextTick_ x period
  double bucketUj_ = 0;    ///< energy since the last sample, µJ
};

/// The power figures of akida.Statistics.
struct PowerRange {
  double avg = 0, min = 0, max = 0, std = 0; ///< mW
};
struct PowerFigures {
  PowerRange power;
  double energy = 0; ///< mJ per frame
};

/// The SDK's rule (statistics.py): the events with start <= ts <= end; the
/// first is dropped and at least two must remain, otherwise there is no
/// figure. Avg, Min, Max and the sample standard deviation (n - 1, Python's
/// statistics.stdev) of the rest; energy = Avg x (end - start) / frames.
/// Also none for frames <= 0 or end <= start.
std::optional<PowerFigures> powerFigures(const std::vector<PowerEvent> &events,
                                         double startMs, double endMs,
                                         int64_t frames);

} // namespace akida

#endif // AKIDA_DEVICE_SIM_POWERMODEL_H
