//===- MessageTypes.h - What actors of a pipeline send each other -*- C++ -*-===//
//
// The messages of the actor runtime, registered once (addMessageTypes) so
// that they also cross the network: a Frame (sequence number, timestamp,
// the edges it carries), the atoms of the stream protocol, and the protocol
// version a remote peer must speak. CAF 0.17 spelling: atoms of at most ten
// characters, inspect() returning Inspector::result_type.
//
//   source ──Frame──► stage ──Frame──► ... ──Frame──► sink
//          ◄─credit──       ◄─credit──      ◄─credit──
//   eos (end of stream) follows the frames; drop and fail go to the sink.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_ACTORS_MESSAGETYPES_H
#define AKIDA_ACTORS_MESSAGETYPES_H

#include "actors/EdgeCodec.h"

#include <caf/all.hpp>

#include <string>
#include <vector>

namespace akida {

template <class Inspector>
typename Inspector::result_type inspect(Inspector &f, ActType &x) {
  return f(caf::meta::type_name("act_type"), x.shape, x.bits, x.isSigned,
           x.isFloat);
}

namespace actors {

/// Version of the frame protocol; a remote peer speaking another one is
/// refused at connect.
constexpr uint32_t kProtocolVersion = 2;

/// One frame on its way through a pipeline.
struct Frame {
  uint64_t seq = 0;          ///< sequence number given by the source
  int64_t timestamp_ns = 0;  ///< steady clock at the source, ns
  std::vector<EdgePayload> edges;
  /// Edge learning (Model::fit): the sequence holding the learning layer
  /// learns from each sample of the frame after computing it. `labels`:
  /// one per sample (a negative one does not train), or empty
  /// (unsupervised).
  bool learn = false;
  std::vector<int64_t> labels;
  /// The edge of `layer`, or null.
  const EdgePayload *edge(int32_t layer) const;
};

using start_atom = caf::atom_constant<caf::atom("start")>;
using pull_atom = caf::atom_constant<caf::atom("pull")>;
using credit_atom = caf::atom_constant<caf::atom("credit")>;
using eos_atom = caf::atom_constant<caf::atom("eos")>;
using drop_atom = caf::atom_constant<caf::atom("drop")>;
using fail_atom = caf::atom_constant<caf::atom("fail")>;
using hello_atom = caf::atom_constant<caf::atom("hello")>;
using upstream_atom = caf::atom_constant<caf::atom("upstream")>;

template <class Inspector>
typename Inspector::result_type inspect(Inspector &f, SpikeEvent &x) {
  return f(caf::meta::type_name("spike_event"), x.x, x.y, x.c, x.value);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector &f, SpikeBatch &x) {
  return f(caf::meta::type_name("spike_batch"), x.type, x.batch, x.events,
           x.sampleEnds);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector &f, DenseTile &x) {
  return f(caf::meta::type_name("dense_tile"), x.type, x.batch, x.valueBytes,
           x.bytes, x.floats);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector &f, EdgePayload &x) {
  return f(caf::meta::type_name("edge_payload"), x.layer, x.encoding,
           x.sparse, x.dense, x.events);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector &f, Frame &x) {
  return f(caf::meta::type_name("frame"), x.seq, x.timestamp_ns, x.edges,
           x.learn, x.labels);
}

/// Registers every message type with `cfg` (needed before frames cross
/// the network).
void addMessageTypes(caf::actor_system_config &cfg);

/// An error carrying a one-line message.
caf::error makeError(const std::string &message);
/// The one-line message of an error made by makeError, or CAF's rendering.
std::string errorText(const caf::error &error);

} // namespace actors
} // namespace akida

#endif // AKIDA_ACTORS_MESSAGETYPES_H
