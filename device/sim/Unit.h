//===- Unit.h - One configured unit of the simulated mesh ---------*- C++ -*-===//
//
// A unit is what one configuration record of a program sets up: an NP
// (CNP1/CNP2/FNP2/FNP3/TNP_B) holding a slice of a layer's filters and one
// column block of its input, the HRC running the input convolution, or a
// skip-DMA channel running a merge layer (Add, Concatenate). A unit is built
// from its record alone (parameters, IO types, filter and column ranges,
// tensors); it never sees the model.
//
// Per sample, the device clears the unit's input ports, delivers the DMA
// transfers routed to it (receive), then runs it: the unit computes its
// output channels over the output columns it owns, event by event, with the
// exact integer arithmetic of runtime/reference/Arithmetic.h
// (docs/device/simulator.md, "Execution").
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_DEVICE_SIM_UNIT_H
#define AKIDA_DEVICE_SIM_UNIT_H

#include "compiler/program/Program.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace akida::sim {

/// One sample of a layer output, or the window of it a unit produces:
/// `rows` x `cols` x `channels` int64 values (HWC order) covering columns
/// [col0, col0 + cols) and channels [ch0, ch0 + channels) of an output of
/// layerDims (rows, columns, channels).
struct Frame {
  std::array<int64_t, 3> layerDims{};
  int64_t rows = 0, cols = 0, channels = 0;
  int64_t col0 = 0, ch0 = 0;
  int bits = 8;
  bool isSigned = false;
  DataFormat format = DataFormat::Events;
  std::vector<int64_t> values;

  /// A whole layer output of `dims`, zeroed.
  void setWhole(const std::array<int64_t, 3> &dims);
  int64_t at(int64_t y, int64_t x, int64_t c) const {
    return values[static_cast<size_t>((y * cols + x) * channels + c)];
  }
};

/// What a unit did on one sample: the quantities the cost model counts.
struct UnitActivity {
  int64_t eventsIn = 0;  ///< non-zero input values processed (dense: all)
  int64_t synapticOps = 0; ///< multiply-accumulates performed
  int64_t outputs = 0;   ///< values produced
  int64_t eventsOut = 0; ///< non-zero values produced
};

/// An input of a unit (one inbound position of its layer): the source
/// layer's output for the current sample, filled by DMA transfers.
struct Port {
  std::array<int64_t, 3> dims{};
  int bits = 8;
  bool isSigned = false;
  bool bound = false;
  std::vector<int64_t> values;
  /// Values received per channel, to check that every needed channel came.
  std::vector<int64_t> received;
};

/// What a unit computes.
enum class Kernel {
  InputConvV1,    ///< InputConvolutional on the HRC
  ConvV1,         ///< Convolutional (true convolution)
  SeparableV1,    ///< SeparableConvolutional
  FullyConnectedV1,
  ConvV2,         ///< InputConv2D (HRC) or Conv2D
  DepthwiseV2,    ///< DepthwiseConv2D
  Dense1D,
  TransposeV2,    ///< Conv2DTranspose / DepthwiseConv2DTranspose
  TemporalV2,     ///< BufferTempConv / DepthwiseBufferTempConv
  Add,
  Concatenate,
};

class Unit {
public:
  /// Configures the unit from `record`; throws std::invalid_argument naming
  /// the unit when the record cannot be executed (a kernel the simulator
  /// does not have, a tensor of the wrong size, inconsistent geometry).
  explicit Unit(const UnitRecord &record);

  const UnitRecord &record() const { return rec_; }
  /// "NP (1, 3, 2) CNP1 layer 4 (Convolutional)" for messages.
  const std::string &name() const { return name_; }
  Kernel kernel() const { return kernel_; }

  /// Output columns [first, end) of the layer this unit owns: its column
  /// block's share (all of them for a single block).
  int64_t ownedFirst() const { return x0_; }
  int64_t ownedEnd() const { return x1_; }
  /// Input columns [first, end) the unit keeps (its block plus the halo its
  /// kernel needs); events outside are dropped on arrival.
  int64_t keptFirst() const { return k0_; }
  int64_t keptEnd() const { return k1_; }
  /// Input channels [first, end) the unit needs on its first input.
  int64_t neededFirst() const { return needLo_; }
  int64_t neededEnd() const { return needHi_; }

  /// Clears the input ports for a new sample.
  void beginSample();
  /// Delivers channels [ch0, ch1) of `src` (the columns it covers) as input
  /// `port`; returns the non-zero values delivered.
  int64_t receive(int port, const Frame &src, int64_t ch0, int64_t ch1);
  /// Computes the output of the current sample from the ports.
  void run();
  const Frame &output() const { return out_; }
  const UnitActivity &activity() const { return act_; }
  /// Clears the FIFO of a temporal unit.
  void resetState() { fifo_.clear(); }
  /// What input `i` received for the current sample; std::invalid_argument
  /// naming the unit when nothing came.
  const Port &input(int i) const { return port(i); }
  /// On-chip learning: replaces a FullyConnected unit's weights by
  /// `weights` (features x its filters, C order, as its record's tensor).
  void setWeights(std::vector<int64_t> weights);

  /// The spatial geometry of the unit's layer, from its parameters and IO
  /// dims (the kernels in Kernels.h read it).
  struct Geometry {
    int64_t h = 0, w = 0, c = 0;        ///< first input
    int64_t kh = 1, kw = 1, sh = 1, sw = 1, pt = 0, pl = 0;
    int64_t ohc = 0, owc = 0;           ///< convolution output
    PoolType pool = PoolType::NoPooling;
    int64_t pkh = 0, pkw = 0, psh = 0, psw = 0, ppt = 0, ppl = 0;
    int64_t oh = 0, ow = 0;             ///< final output
    int64_t c0 = 0, c1 = 0;             ///< convolution columns computed
  };

private:
  void configure();
  void configureGeometry();
  void configureColumns();
  std::vector<int64_t> ints(const std::string &name, bool required) const;
  std::vector<float> floats(const std::string &name) const;
  /// A per-filter tensor expanded to the unit's filters: a (count) tensor
  /// as stored, a (1) tensor repeated, `neutral` when absent.
  std::vector<int64_t> perFilter(const std::string &name, int64_t neutral) const;
  int64_t param(const std::string &name) const;
  [[noreturn]] void fail(const std::string &what) const;
  const Port &port(int i) const;

  // Kernel implementations (UnitV1.cpp, UnitV2.cpp, UnitMerge.cpp). run()
  // starts the output of the weighted ones over the owned columns and calls
  // them only when the unit owns at least one.
  void runV1();
  void runV2();
  void runTemporal();
  void runMerge();
  /// Steps 5 to 8 of the v2 pipeline for the unit's filter `ch`.
  int64_t finishV2(int64_t acc, size_t ch) const;
  void startOutput(int64_t rows, int64_t cols, int64_t col0);

  UnitRecord rec_;
  std::string name_;
  Kernel kernel_ = Kernel::ConvV1;
  Geometry g_;
  int64_t first_ = 0, count_ = 0; ///< filters (channels if depthwise)
  bool depthwise_ = false;
  int64_t x0_ = 0, x1_ = 0, k0_ = 0, k1_ = 0;
  int64_t needLo_ = 0, needHi_ = 0;

  // Decoded tensors and parameters.
  std::vector<int64_t> weights_, weightsPw_;
  std::vector<int64_t> threshold_;
  std::vector<float> actStep_;
  int actBits_ = 1;
  bool activation_ = false;
  int64_t padValue_ = 0;
  int64_t kernelSize_ = 1, fifoSize_ = 1;
  // v2 pipeline.
  int bufferBits_ = 32, postBits_ = 32;
  Activation v2Act_ = Activation::NoActivation;
  bool hasBias_ = false, hasClip_ = false;
  std::vector<int64_t> bias_, clip_, actScale_, actShift_, lut_;
  std::vector<int64_t> outScale_, outShift_, inShift_;
  // Add.
  std::vector<int64_t> aShift_, bShift_, addOutShift_;

  std::vector<Port> ports_;
  std::vector<int64_t> fifo_; ///< temporal units: fifo_size frames
  Frame out_;
  UnitActivity act_;
};

} // namespace akida::sim

#endif // AKIDA_DEVICE_SIM_UNIT_H
