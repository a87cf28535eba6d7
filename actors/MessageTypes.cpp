//===- MessageTypes.cpp - What actors of a pipeline send each other -------===//

#include "actors/MessageTypes.h"

namespace akida::actors {

const EdgePayload *Frame::edge(int32_t layer) const {
  for (const EdgePayload &e : edges)
    if (e.layer == layer)
      return &e;
  return nullptr;
}

void addMessageTypes(caf::actor_system_config &cfg) {
  cfg.add_message_type<SpikeEvent>("akida::spike_event");
  cfg.add_message_type<SpikeBatch>("akida::spike_batch");
  cfg.add_message_type<DenseTile>("akida::dense_tile");
  cfg.add_message_type<EdgePayload>("akida::edge_payload");
  cfg.add_message_type<Frame>("akida::frame");
  cfg.add_message_type<ActType>("akida::act_type");
}

caf::error makeError(const std::string &message) {
  return caf::make_error(caf::sec::runtime_error, message);
}

std::string errorText(const caf::error &error) {
  const caf::message &ctx = error.context();
  if (ctx.match_elements<std::string>())
    return ctx.get_as<std::string>(0);
  return caf::to_string(error);
}

} // namespace akida::actors
