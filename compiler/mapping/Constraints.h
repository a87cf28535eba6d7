//===- Constraints.h - Hardware constraints per layer -------------*- C++ -*-===//
//
// Whether a layer can run on the Akida hardware of one IP version: the
// published constraint tables (BrainChip "Akida 1.0 / 2.0 hardware
// constraints" pages) as checks. The mapper asks checkLayer() for every
// layer; a layer with no violation may go into a hardware sequence, the
// others run in software. docs/constraints.md lists every rule with the row
// it comes from and the interpretations chosen.
//
// The checker needs only the IP version and a few device facts
// (HardwareFacts), so it does not depend on the device library; fill them
// from a Device's mesh (hrc present, NPs with LUT, skip-DMA channels, TNP_B
// NPs).
//
// Shapes are (rows, columns, channels) as everywhere in the project. The
// tables' "width" is the column count and "height" the row count
// (docs/constraints.md, "Axes").
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_COMPILER_MAPPING_CONSTRAINTS_H
#define AKIDA_COMPILER_MAPPING_CONSTRAINTS_H

#include "compiler/fbz/ModelDesc.h"
#include "runtime/reference/Shapes.h"

#include <string>
#include <vector>

namespace akida {

/// One hardware rule a layer breaks.
struct ConstraintViolation {
  /// Short id of the rule: "input_dims", "input_channels", "kernel_size",
  /// "stride", "padding", "filters", "pooling", "bits", "fan_in",
  /// "fifo_size", "activation", "topology" or "layer_type".
  std::string rule;
  /// One line naming the layer, the offending value and what is allowed,
  /// e.g. "layer 'conv_0' (InputConvolutional): kernel_size 9x9 is not
  /// supported on the input convolution block; allowed: 3x3, 5x5, 7x7".
  std::string message;

  bool operator==(const ConstraintViolation &o) const {
    return rule == o.rule && message == o.message;
  }
};

/// What the checker needs to know about the device.
struct HardwareFacts {
  IpVersion ipVersion = IpVersion::v1;
  bool hasHrc = true;      ///< an input-convolution block (HRC) exists
  bool hasLut = false;     ///< NPs with a LUT (activation lookup table) exist
  int skipDmaChannels = 0; ///< skip-DMA channels for Add/Concatenate (v2)
  bool hasTnp = false;     ///< TNP_B NPs exist (BufferTempConv layers)
};

/// Checks `layer` against the constraint tables of `facts.ipVersion`:
/// `inputs` are its input types (one per inbound; the model input for an
/// input layer), `output` its output type (inferLayerOutput), `next` the
/// layer that consumes its output, or null when it is a model output (used
/// by the pooling and topology rules). Returns every rule the layer breaks,
/// in table order; empty means the layer can run on the hardware.
///
/// The layer must be well-formed (inferLayerOutput accepted it); malformed
/// parameters throw std::invalid_argument as in Shapes.h. Layers that always
/// run in software (alwaysSoftware) get one "layer_type" violation. InputData
/// gets none: it uses no NP but belongs to the hardware sequence it feeds.
std::vector<ConstraintViolation> checkLayer(const LayerDesc &layer,
                                            const std::vector<ActType> &inputs,
                                            const ActType &output,
                                            const LayerDesc *next,
                                            const HardwareFacts &facts);

/// Layers that never run on the hardware, whatever the device: Dequantizer
/// (float output), ExtractToken (only a VIT_NODE could run it, and no
/// device here has one) and OnnxGraph (ONNX nodes run on the host).
/// InputData is not one of them: it has no NP but is allowed at the head of
/// a hardware sequence.
bool alwaysSoftware(LayerType type);

} // namespace akida

#endif // AKIDA_COMPILER_MAPPING_CONSTRAINTS_H
