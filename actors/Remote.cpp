//===- Remote.cpp - Model servers and remote stages over CAF's middleman --===//

#include "actors/Remote.h"

#include <stdexcept>

namespace akida::actors {

std::unique_ptr<caf::actor_system_config> remoteConfig() {
  auto cfg = std::make_unique<caf::actor_system_config>();
  cfg->load<caf::io::middleman>();
  addMessageTypes(*cfg);
  // As ModelPipeline: sequence actors have their own threads.
  cfg->set("scheduler.max-threads", size_t{2});
  cfg->set("work-stealing.aggressive-poll-attempts", size_t{0});
  cfg->set("work-stealing.moderate-poll-attempts", size_t{0});
  return cfg;
}

namespace {

caf::behavior modelServer(caf::event_based_actor *,
                          std::shared_ptr<ModelStages> stages,
                          std::function<void()> onSessionEnd) {
  return {
      [stages](hello_atom, uint32_t version)
          -> caf::result<uint32_t, ActType> {
        if (version != kProtocolVersion)
          return makeError("protocol version " + std::to_string(version) +
                           " refused: this server speaks version " +
                           std::to_string(kProtocolVersion));
        return {kProtocolVersion, stages->inputType};
      },
      [stages](const Frame &in) -> caf::result<Frame> {
        try {
          return runStages(*stages, in);
        } catch (const std::exception &e) {
          return makeError(std::string("model server: ") + e.what());
        }
      },
      [onSessionEnd](eos_atom, uint64_t) {
        if (onSessionEnd)
          onSessionEnd();
      },
  };
}

} // namespace

ServedModel serveModel(caf::actor_system &sys,
                       std::shared_ptr<ModelStages> stages, uint16_t port,
                       const std::string &address,
                       std::function<void()> onSessionEnd) {
  ServedModel s;
  s.server = sys.spawn<caf::detached>(modelServer, std::move(stages),
                                      std::move(onSessionEnd));
  caf::expected<uint16_t> p =
      sys.middleman().publish(s.server, port, address.c_str(), true);
  if (!p) {
    caf::anon_send_exit(s.server, caf::exit_reason::user_shutdown);
    throw std::runtime_error("cannot serve on " + address + ":" +
                             std::to_string(port) + ": " +
                             sys.render(p.error()));
  }
  s.port = *p;
  return s;
}

RemoteModel connectRemote(caf::actor_system &sys, const std::string &host,
                          uint16_t port) {
  RemoteModel r;
  r.host = host;
  r.port = port;
  const std::string peer = host + ":" + std::to_string(port);
  caf::expected<caf::actor> a = sys.middleman().remote_actor(host, port);
  if (!a)
    throw std::runtime_error("cannot connect to " + peer + ": " +
                             sys.render(a.error()));
  r.server = *a;
  caf::scoped_actor self{sys};
  std::string error;
  self->request(r.server, std::chrono::seconds(30), hello_atom::value,
                kProtocolVersion)
      .receive(
          [&](uint32_t, ActType &type) { r.inputType = type; },
          [&](caf::error &e) { error = errorText(e); });
  if (!error.empty())
    throw std::runtime_error(peer + ": " + error);
  return r;
}

StageSpec remoteStage(const RemoteModel &remote, StageOptions options) {
  StageSpec spec;
  spec.name = "remote " + remote.host + ":" + std::to_string(remote.port);
  spec.options = options;
  spec.ownsWorker = false;
  auto first = std::make_shared<bool>(true);
  spec.spawnWorker = [remote, first](caf::local_actor *self) -> caf::actor {
    if (*first) {
      *first = false;
      return remote.server;
    }
    // A restart: the peer was lost or failed; connect again (once).
    caf::expected<caf::actor> a =
        self->system().middleman().remote_actor(remote.host, remote.port);
    if (!a)
      throw std::runtime_error("lost peer " + remote.host + ":" +
                               std::to_string(remote.port) + " (" +
                               self->system().render(a.error()) + ")");
    return *a;
  };
  return spec;
}

std::pair<std::string, uint16_t> parseHostPort(const std::string &text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    throw std::invalid_argument("'" + text + "' is not HOST:PORT");
  const std::string port = text.substr(colon + 1);
  if (port.find_first_not_of("0123456789") != std::string::npos ||
      port.size() > 5 || std::stoul(port) == 0 || std::stoul(port) > 65535)
    throw std::invalid_argument("port '" + port + "' in '" + text +
                                "' must be 1 to 65535");
  return {text.substr(0, colon), static_cast<uint16_t>(std::stoul(port))};
}

} // namespace akida::actors
