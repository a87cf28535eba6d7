//===- StreamCommand.cpp - akida stream: frames through an actor pipeline -===//
//
//   akida stream [-m MODEL.fbz [--device NAME [--mode M]] | --remote HOST:PORT]
//                [-i INPUTS.npy|IMAGE|DIR] [-o OUTPUTS.npy] [--policy block|drop-oldest]
//                [--capacity N] [--concurrency N] [--retries N]
//
// Streams each input sample as a frame through the model's actors (one per
// sequence) or through a model server (akida serve), and prints what each
// stage did. Outputs (forward's integers or floats) go to -o in order.
//
//===----------------------------------------------------------------------===//

#include "tools/akida/Args.h"
#include "tools/akida/Commands.h"

#include "actors/FromModel.h"
#include "actors/Remote.h"
#include "device/usb/OpenDevice.h"
#include "runtime/io/Npy.h"
#include "tools/akida/DefaultModel.h"

#include <cstdio>
#include <iostream>

namespace akida::cli {

int streamCommand(const std::vector<std::string> &argv) {
  Args args(argv,
            {{"-m", "model"}, {"--model", "model"}, {"-i", "input"},
             {"--input", "input"}, {"-o", "output"}, {"--output", "output"},
             {"--device", "device"}, {"-d", "device"}, {"--mode", "mode"},
             {"--remote", "remote"}, {"--policy", "policy"},
             {"--capacity", "capacity"}, {"--concurrency", "concurrency"},
             {"--retries", "retries"}});
  if (!args.positional().empty())
    throw UsageError("unexpected argument '" + args.positional()[0] + "'");
  const std::optional<std::string> remote = args.get("remote");
  if (remote && (args.has("model") || args.has("device") || args.has("mode")))
    throw UsageError("--remote excludes -m, --device and --mode (the server "
                     "has the model)");
  if (remote && !args.has("input"))
    throw UsageError("--remote needs -i INPUTS");
  std::optional<std::pair<std::string, uint16_t>> hostPort;
  if (remote)
    hostPort = actors::parseHostPort(*remote);
  actors::StageOptions options;
  const std::string policy = args.get("policy").value_or("block");
  std::optional<actors::StagePolicy> p = actors::parseStagePolicy(policy);
  if (!p)
    throw UsageError("--policy is '" + policy +
                     "' but must be block or drop-oldest");
  options.policy = *p;
  options.capacity = args.getInt("capacity", 4, 1, 1 << 20);
  options.concurrency = args.getInt("concurrency", remote ? 4 : 1, 1, 1024);
  options.maxRetries = static_cast<int>(args.getInt("retries", 2, 0, 100));

  std::unique_ptr<caf::actor_system_config> cfg = actors::remoteConfig();
  caf::actor_system sys{*cfg};
  actors::StreamBuilder builder;
  std::unique_ptr<actors::FrameSource> source;
  if (std::optional<std::string> in = args.get("input")) {
    source = actors::fileSource(*in);
  } else if (!args.has("model")) {
    const std::vector<uint8_t> &s = embedded::samples();
    source = actors::arraySource(parseNpy(s.data(), s.size(),
                                          "<embedded samples>"));
  } else {
    throw UsageError("missing -i INPUTS (.npy file, image or directory)");
  }
  builder.source(std::move(source));

  std::optional<Model> model;
  if (remote) {
    actors::RemoteModel r =
        actors::connectRemote(sys, hostPort->first, hostPort->second);
    std::cout << "Connected to " << *remote << " (protocol "
              << actors::kProtocolVersion << ")\n";
    builder.stage(actors::remoteStage(r, options), r.inputType);
  } else {
    model = loadModelOrDefault(args.get("model"));
    std::optional<std::string> device = args.get("device");
    if (!device && !args.has("model"))
      device = "AKD1000"; // the default model runs as akida run runs it
    if (device) {
      std::string modeName = args.get("mode").value_or("AllNps");
      std::optional<MapMode> mode = parseMapMode(modeName);
      if (!mode)
        throw UsageError("--mode is '" + modeName +
                         "' but must be AllNps, HwPr or Minimal");
      model->map(deviceByName(*device), false, *mode);
    } else if (args.has("mode")) {
      throw UsageError("--mode needs --device");
    }
    builder.model(actors::makeModelStages(*model), options);
  }
  std::vector<actors::Output> outputs;
  builder.sink(actors::vectorSink(outputs));
  actors::StreamPipeline pipeline = builder.build(sys);
  actors::StreamResult r = pipeline.run();

  std::printf("Frames: %llu emitted, %lld delivered, %lld dropped, in %.3f s\n",
              static_cast<unsigned long long>(r.outcome.emitted),
              static_cast<long long>(r.outcome.delivered),
              static_cast<long long>(r.outcome.dropped), r.seconds);
  for (const actors::StageStats &s : r.stages)
    std::printf("Stage %s\n", s.str().c_str());
  if (std::optional<std::string> out = args.get("output")) {
    Array all = actors::concatOutputs(outputs);
    writeNpy(*out, all);
    std::cout << "Outputs written to " << *out << " (" << dtypeName(all.dtype)
              << ")\n";
  }
  return 0;
}

} // namespace akida::cli
