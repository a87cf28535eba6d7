//===- Remote.h - Model servers and remote stages over CAF's middleman -*- C++ -*-===//
//
// Beyond one machine (CAF 0.17 io module, BASP over TCP): a model server
// publishes an actor that runs every stage of a model on the frames it is
// sent; a remote stage streams frames to it from another process with the
// same credits and ordering as a local stage (up to `concurrency` frames in
// flight, answers reordered by sequence number).
//
// - The server binds 127.0.0.1 unless another address is given.
// - At connect the client says its protocol version (kProtocolVersion); a
//   server speaking another one refuses it, and the client reports both.
// - A lost peer ends the stream with an error naming it (the stage monitors
//   the server's proxy, tries to reconnect once, and gives up).
// - There is no authentication or encryption: keep servers on trusted
//   networks (docs/runtime/actors.md).
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_ACTORS_REMOTE_H
#define AKIDA_ACTORS_REMOTE_H

#include "actors/StreamPipeline.h"

#include <caf/io/all.hpp>

namespace akida::actors {

/// A config with the middleman loaded and the message types registered.
std::unique_ptr<caf::actor_system_config> remoteConfig();

struct ServedModel {
  caf::actor server;
  uint16_t port = 0;
};

/// Spawns the model server for `stages` (on its own thread) and publishes
/// it on `address`:`port` (0: any free port). `onSessionEnd` is called each
/// time a client's stream ends. Throws std::runtime_error when publishing
/// fails.
ServedModel serveModel(caf::actor_system &system,
                       std::shared_ptr<ModelStages> stages, uint16_t port,
                       const std::string &address = "127.0.0.1",
                       std::function<void()> onSessionEnd = {});

/// A connected, version-checked server.
struct RemoteModel {
  std::string host;
  uint16_t port = 0;
  caf::actor server;
  ActType inputType; ///< what the served model reads
};

/// Connects to host:port and checks the protocol version. Throws
/// std::runtime_error naming the peer.
RemoteModel connectRemote(caf::actor_system &system, const std::string &host,
                          uint16_t port);

/// A stage that sends frames to `remote` (first stage: its input type is
/// remote.inputType).
StageSpec remoteStage(const RemoteModel &remote, StageOptions options = {});

/// "host:port" split; std::invalid_argument naming what is wrong.
std::pair<std::string, uint16_t> parseHostPort(const std::string &text);

} // namespace akida::actors

#endif // AKIDA_ACTORS_REMOTE_H
