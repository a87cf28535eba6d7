//===- SequenceRunner.h - Chain-loading several programs ----------*- C++ -*-===//
//
// A model that does not fit one configuration of the mesh is mapped to
// several hardware sequences, one program each. At inference the SDK
// "chain loads" them: for each input, every program is written to the
// device in turn and run on the output of the earlier ones. SequenceRunner
// does that on a VirtualDevice: it programs sequence 1, runs the input,
// programs sequence 2, runs what sequence 1 wrote out, and so on, keeping
// every layer output the programs write to the event DMA so that a program
// can read any earlier one (a sequence reads exactly one layer of an earlier
// sequence, or the model input).
//
// Clocks: inference_clk sums the programs' inference clocks, program_clk
// the clocks of every programming the chain loading performed (one per
// program and forward call).
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_DEVICE_SIM_SEQUENCERUNNER_H
#define AKIDA_DEVICE_SIM_SEQUENCERUNNER_H

#include "device/sim/VirtualDevice.h"

namespace akida {

struct SequenceMetrics {
  int64_t inference_frames = 0;
  int64_t inference_clk = 0; ///< all programs, last forward call
  int64_t program_clk = 0;   ///< all programmings, last forward call
  std::vector<int64_t> sequence_inference_clk; ///< per program
  std::vector<int64_t> sequence_program_clk;   ///< per program
};

class SequenceRunner {
public:
  /// Runs `programs` (in sequence order) on `device`, which must outlive the
  /// runner. Each program is decoded once here (ProgramError,
  /// std::invalid_argument as VirtualDevice::program), and must read the
  /// model input or a layer an earlier program writes out.
  SequenceRunner(VirtualDevice &device,
                 std::vector<std::vector<uint8_t>> programs);

  size_t size() const { return programs_.size(); }

  /// Chain-loads every program for the batch `input` (the first program's
  /// input) and returns the last program's output. Each program runs the
  /// whole batch at its largest batch size.
  ref::Activations forward(const ref::Activations &input);

  const SequenceMetrics &metrics() const { return metrics_; }

private:
  VirtualDevice &device_;
  std::vector<std::vector<uint8_t>> programs_;
  std::vector<int> inputLayers_, outputLayers_;
  SequenceMetrics metrics_;
};

} // namespace akida

#endif // AKIDA_DEVICE_SIM_SEQUENCERUNNER_H
