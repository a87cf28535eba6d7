//===- EndpointActors.h - The source and sink actors of a stream --*- C++ -*-===//
//
// The two ends of a streaming pipeline. The source actor asks its
// FrameSource for a frame only while it holds a credit from the first stage,
// stamps it (sequence number, steady-clock timestamp), encodes it as the
// model input edge and sends it; at the end it sends eos with the number of
// frames. The sink actor decodes each frame's output, checks the order,
// hands it to its FrameSink and gives a credit back; it counts the drops
// stages report, and finishes the stream (done callback) at eos or at the
// first failure any actor reports.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_ACTORS_ENDPOINTACTORS_H
#define AKIDA_ACTORS_ENDPOINTACTORS_H

#include "actors/MessageTypes.h"
#include "actors/Sinks.h"
#include "actors/Sources.h"

#include <functional>
#include <memory>

namespace akida::actors {

/// How a stream ended.
struct StreamOutcome {
  bool ok = false;
  std::string error; ///< the first failure (empty when ok)
  uint64_t emitted = 0;  ///< frames the source sent
  int64_t delivered = 0; ///< frames the sink received
  int64_t dropped = 0;   ///< frames dropped by drop-oldest stages
  int64_t outOfOrder = 0; ///< frames that arrived after a later one (0)
  int64_t lastSeq = -1;
};

struct SourceConfig {
  std::shared_ptr<FrameSource> source;
  ActType inputType;
  caf::actor downstream;
  caf::actor sink;
  int64_t burst = 8; ///< frames sent before yielding to other actors
};

struct SourceState {
  SourceConfig cfg;
  int64_t credits = 0;
  bool started = false;
  bool done = false;
  bool pulling = false;
  uint64_t seq = 0;
  EdgeCodec codec{kModelInputEdge};
  static const char *name;
};

caf::behavior sourceActor(caf::stateful_actor<SourceState> *self,
                          SourceConfig cfg);

struct SinkConfig {
  std::shared_ptr<FrameSink> sink;
  int64_t credits = 8; ///< frames the last stage may send ahead
  std::function<void(StreamOutcome)> done;
};

struct SinkState {
  SinkConfig cfg;
  caf::actor upstream;
  StreamOutcome outcome;
  bool finished = false;
  static const char *name;
};

caf::behavior sinkActor(caf::stateful_actor<SinkState> *self, SinkConfig cfg);

} // namespace akida::actors

#endif // AKIDA_ACTORS_ENDPOINTACTORS_H
