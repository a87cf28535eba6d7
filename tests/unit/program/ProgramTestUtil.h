// Hand-made models, sequence plans and devices for the program tests. Nothing
// here reads the virtual devices or runs the allocator: every plan is written
// out so that the expected records are known.
#ifndef AKIDA_TESTS_UNIT_PROGRAM_PROGRAMTESTUTIL_H
#define AKIDA_TESTS_UNIT_PROGRAM_PROGRAMTESTUTIL_H

#include "compiler/program/Program.h"

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace akida::test {

/// Deterministic pseudo-random values (std::mt19937 is fully specified).
struct Rng {
  std::mt19937 gen;
  explicit Rng(uint32_t seed) : gen(seed) {}
  int64_t range(int64_t lo, int64_t hi) {
    return lo + int64_t(gen() % uint64_t(hi - lo + 1));
  }
};

/// Lowest and highest weight of a bit width (1-bit: {0, 1}).
int64_t weightMin(int bits);
int64_t weightMax(int bits);

/// A v1 mesh: event DMA (1,1,0), conf DMA (1,1,1), HRC at (1,1,2), and
/// nodes (col 1..3, row 2..3) of 4 NPs; every NP is CNP1/CNP2, the id-0 NPs
/// also FNP3 and node (3,3) also FNP2.
Device v1Device();
/// A v2 mesh: the same nodes with TNP_B and LUTs, FNP3 on id 0, and skip DMAs
/// (1,1,3) with 2 channels and (2,1,3) with 1.
Device v2Device();

/// Akida 1.0: InputConvolutional (8x9x3 -> 5 filters, on the HRC) ->
/// SeparableConvolutional (7 filters) -> FullyConnected (3 units). All
/// weights at `bits` bits. The FC has no activation unless `fcActivation`.
ModelDesc v1Model(int bits, bool fcActivation = false);
/// Akida 2.0: InputData (6x6x4) -> Conv2D (6) -> DepthwiseConv2D (LUT) ->
/// Add(conv, depthwise) -> Dense1D (5 units, no activation). All weights at
/// `bits` bits; every kind of v2 variable appears.
ModelDesc v2Model(int bits);

/// Output types of every layer (the runtime's shape inference).
std::vector<ActType> outputTypes(const ModelDesc &model);

/// One pass for the v1 model: HRC for layer 0; layer 1 on 6 NPs (2 column
/// blocks x filters 3+2+2); layer 2 on the FNP3 (1,2,0).
SequencePlan v1Plan();
/// The same layers in two passes: {0, 1} and {2} (partial reconfiguration).
SequencePlan v1TwoPassPlan();
/// One pass for the v2 model: conv on 2 NPs (4+2), depthwise on 3 NPs (2+2+2),
/// Add on a skip DMA, Dense1D on an FNP3.
SequencePlan v2Plan();

/// The elements of `a` whose last index is in [first, first + count), in C
/// order, as an array with that last axis (what a per-filter tensor holds).
Array sliceLastAxis(const Array &a, int64_t first, int64_t count);

/// The ProgramError message reading `bytes` gives, or nullopt when it reads.
/// Any other exception fails the test.
std::optional<std::string> readError(const std::vector<uint8_t> &bytes);

/// Recomputes both checksums (and ProgramInfo.data_size) after the bytes of
/// a program were patched, so that forged content reaches the validation.
void reseal(std::vector<uint8_t> &program);
/// Byte offset in `program` of a scalar field of the ProgramInfo table
/// (vtable offset `field`, e.g. pfb::ProgramInfo::VT_FORMAT_VERSION), or of
/// PassSpan `span` when span >= 0.
size_t infoFieldOffset(const std::vector<uint8_t> &program, uint16_t field,
                       int span = -1);

} // namespace akida::test

#endif // AKIDA_TESTS_UNIT_PROGRAM_PROGRAMTESTUTIL_H
