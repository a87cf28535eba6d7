//===- CostModel.h - Clock counts of the virtual device -----------*- C++ -*-===//
//
// How many hardware clocks programming and inference take on a simulated
// device: the `program_clk` and `inference_clk` metrics of the SDK. The
// counts come from what the simulator actually did (events per NP, filters
// per NP, DMA words, mesh hops, configuration words), through a handful of
// constants calibrated on the published AKD1000 figures
// (docs/device/simulator.md, "Cost model", gives the derivation and the
// calibration error).
//
//   program_clk   = programOverheadClk
//                 + configWordClk * ceil(program bytes / wordBytes)
//                 + recordClk * records of pass 0
//   reconfigure   = configWordClk * ceil(pass bytes / wordBytes)
//                 + recordClk * records of the pass    (HwPr, per switch)
//
//   inference_clk = sum over frames, over passes of the frame:
//                   [reconfigure when the pass is not the loaded one]
//                   + input DMA words * dmaWordClk
//                   + sum over the layers of the pass of the slowest unit:
//     unit clocks = events * eventClk
//                 + ceil(synaptic ops / macsPerClk)   (hrcMacsPerClk: HRC)
//                 + words sent * dmaWordClk
//                 + descriptor hops * hopClk
//
// Events are the non-zero input values a unit processes (the HRC reads its
// dense window, so every value counts), synaptic ops the multiply-
// accumulates its events trigger (events x kernel taps x filters for a
// CNP), words what its DMA descriptors carry (one per event for event
// outputs, packed values for dense ones), hops the Manhattan distance
// between the node coordinates of each descriptor's ends. A sparse input
// therefore costs fewer clocks than a dense one.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_DEVICE_SIM_COSTMODEL_H
#define AKIDA_DEVICE_SIM_COSTMODEL_H

#include "compiler/program/Program.h"
#include "device/Device.h"

#include <cstdint>
#include <vector>

namespace akida {

/// The constants of the clock model of one device.
struct CostConstants {
  /// Bytes per DMA and configuration word.
  int64_t wordBytes = 4;
  /// Per input event an NP (or the HRC, per input value) processes.
  double eventClk = 0;
  /// Multiply-accumulates an NP performs per clock.
  double macsPerClk = 1;
  /// Multiply-accumulates the HRC performs per clock (its dense window).
  double hrcMacsPerClk = 1;
  /// Per word a DMA descriptor moves (the event DMA, mesh transfers).
  double dmaWordClk = 0;
  /// Per mesh hop of each DMA descriptor used in a frame.
  double hopClk = 0;
  /// Per configuration word written (program, partial reconfiguration).
  double configWordClk = 0;
  /// Per unit record configured (register setup of one NP).
  double recordClk = 0;
  /// Fixed cost of programming (reset, DMA setup).
  double programOverheadClk = 0;
};

/// AKD1000's constants: the one place they are written. Calibrated on the
/// published AKD1000 runs (docs/device/simulator.md, "Calibration"): DS-CNN
/// KWS and AkidaNet 0.5/224, AllNps, one random frame.
inline constexpr CostConstants kAkd1000CostConstants{
    /*wordBytes=*/4,
    /*eventClk=*/0.5,
    /*macsPerClk=*/4.07,    // per NP
    /*hrcMacsPerClk=*/16.0,
    /*dmaWordClk=*/0.5,
    /*hopClk=*/2.0,
    /*configWordClk=*/4.54, // per 32-bit configuration word
    /*recordClk=*/620.0,    // per unit record
    /*programOverheadClk=*/0.0,
};
inline CostConstants akd1000CostConstants() { return kAkd1000CostConstants; }
/// The constants of `device`: AKD1000's for every device (no other device
/// has published clock figures; the counts still follow each mesh's NPs,
/// hops and programs).
CostConstants costConstantsFor(const Device &device);

/// What one unit did on one frame, as the cost model counts it.
struct UnitTrace {
  NpIdent ident;
  NpType type = NpType::CNP1;
  int layer = 0;
  int64_t filters = 0;
  int64_t events = 0;
  int64_t synapticOps = 0;
  int64_t wordsOut = 0; ///< DMA words of its descriptors
  int64_t hopsOut = 0;  ///< sum of the hops of its descriptors
};

/// What one pass did on one frame.
struct PassTrace {
  int pass = 0;
  /// Units per layer of the pass, in pass order.
  std::vector<std::vector<UnitTrace>> layers;
  int64_t inputWords = 0; ///< words the event DMA brought in
  int64_t inputHops = 0;
};

class CostModel {
public:
  explicit CostModel(CostConstants constants) : k_(constants) {}
  const CostConstants &constants() const { return k_; }

  /// Configuration words of `bytes` bytes.
  int64_t words(int64_t bytes) const;
  /// Clocks of a unit's work on one frame.
  int64_t unitClk(const UnitTrace &unit) const;
  /// Clocks of the input DMA of a pass on one frame.
  int64_t inputClk(const PassTrace &pass) const;
  /// Clocks of one layer of a pass on one frame: its slowest unit.
  int64_t layerClk(const std::vector<UnitTrace> &layer) const;
  /// Clocks of one pass on one frame (without reconfiguration): inputClk
  /// plus layerClk of each layer.
  int64_t passClk(const PassTrace &pass) const;
  /// Clocks of programming `program` (pass 0 written with every pass's data
  /// loaded in memory: the whole program is transferred).
  int64_t programClk(const DecodedProgram &program) const;
  /// Clocks of reconfiguring the mesh for `pass` (partial reconfiguration).
  int64_t reconfigureClk(const PassProgram &pass) const;

private:
  CostConstants k_;
};

} // namespace akida

#endif // AKIDA_DEVICE_SIM_COSTMODEL_H
