//===- ServeCommand.cpp - akida serve: a model server for remote streams --===//
//
//   akida serve [-m MODEL.fbz] [--device NAME [--mode M]] [--port N]
//               [--bind ADDRESS] [--port-file PATH] [--sessions N]
//
// Publishes the model (mapped on the device when one is given) as a CAF
// actor; `akida stream --remote HOST:PORT` streams frames to it. Binds
// 127.0.0.1 unless --bind says otherwise; --port 0 picks a free port
// (printed, and written to --port-file). Serves until killed, or until
// --sessions client streams have ended.
//
//===----------------------------------------------------------------------===//

#include "tools/akida/Args.h"
#include "tools/akida/Commands.h"

#include "actors/FromModel.h"
#include "actors/Remote.h"
#include "device/usb/OpenDevice.h"

#include <condition_variable>
#include <fstream>
#include <iostream>
#include <mutex>

namespace akida::cli {

int serveCommand(const std::vector<std::string> &argv) {
  Args args(argv,
            {{"-m", "model"}, {"--model", "model"}, {"--device", "device"},
             {"-d", "device"}, {"--mode", "mode"}, {"--port", "port"},
             {"-p", "port"}, {"--bind", "bind"}, {"--port-file", "port-file"},
             {"--sessions", "sessions"}});
  if (!args.positional().empty())
    throw UsageError("unexpected argument '" + args.positional()[0] + "'");
  const auto port = static_cast<uint16_t>(args.getInt("port", 0, 0, 65535));
  const long long sessions = args.getInt("sessions", 0, 0, 1 << 30);
  const std::string bind = args.get("bind").value_or("127.0.0.1");
  Model model = loadModelOrDefault(args.get("model"));
  if (std::optional<std::string> device = args.get("device")) {
    std::string modeName = args.get("mode").value_or("AllNps");
    std::optional<MapMode> mode = parseMapMode(modeName);
    if (!mode)
      throw UsageError("--mode is '" + modeName +
                       "' but must be AllNps, HwPr or Minimal");
    model.map(deviceByName(*device), false, *mode);
  } else if (args.has("mode")) {
    throw UsageError("--mode needs --device");
  }

  std::unique_ptr<caf::actor_system_config> cfg = actors::remoteConfig();
  caf::actor_system sys{*cfg};
  std::mutex m;
  std::condition_variable cv;
  long long ended = 0;
  actors::ServedModel served = actors::serveModel(
      sys, actors::makeModelStages(model), port, bind, [&] {
        std::lock_guard<std::mutex> lock(m);
        ++ended;
        cv.notify_all();
      });
  std::string where;
  for (const Sequence &s : model.sequences())
    where += (where.empty() ? "" : ", ") + s.name;
  std::cout << "Serving " << model.get_layer_count() << " layers (" << where
            << ") on " << bind << ":" << served.port << ", protocol "
            << actors::kProtocolVersion << std::endl;
  if (std::optional<std::string> file = args.get("port-file")) {
    // Written whole, then renamed: a reader never sees half a number.
    const std::string tmp = *file + ".tmp";
    std::ofstream(tmp) << served.port << "\n";
    if (std::rename(tmp.c_str(), file->c_str()) != 0)
      throw std::runtime_error("cannot write the port to " + *file);
  }
  {
    std::unique_lock<std::mutex> lock(m);
    cv.wait(lock, [&] { return sessions > 0 && ended >= sessions; });
  }
  std::cout << "Served " << ended << " stream" << (ended == 1 ? "" : "s")
            << std::endl;
  caf::anon_send_exit(served.server, caf::exit_reason::user_shutdown);
  return 0;
}

} // namespace akida::cli
