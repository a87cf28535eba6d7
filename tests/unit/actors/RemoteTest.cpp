// Remote model servers over CAF's middleman on loopback: `akida serve` in a
// child process, the client stream in this one. Frames streamed to
// a server come back in order and equal Model::forward; a server that goes
// away mid-stream ends the client's stream with an error naming the lost
// peer (after one reconnect attempt), not a hang; connecting to a closed
// port names the peer. (The protocol version check: tests/lit/actors.)
#include "tests/unit/actors/ActorTestUtil.h"

#include "actors/FromModel.h"
#include "actors/Remote.h"
#include "runtime/zoo/Zoo.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <future>
#include <thread>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace akida;
using namespace akida::actors;
using namespace akida::actortest;

namespace {

/// `akida serve` for `model` in a child process (two processes, as two
/// hosts would be: CAF's node ids are per process), on a free port.
struct Server {
  pid_t pid = -1;
  uint16_t port = 0;
  std::string dir;
  explicit Server(const Model &model) {
    char tmpl[] = "/tmp/akida-remote-XXXXXX";
    dir = mkdtemp(tmpl);
    const std::string fbz = dir + "/model.fbz", portFile = dir + "/port";
    model.save(fbz);
    std::vector<std::string> args = {AKIDA_CLI, "serve",      "-m", fbz,
                                     "--port",  "0", "--port-file", portFile};
    std::vector<char *> argv;
    for (std::string &a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t quiet;
    posix_spawn_file_actions_init(&quiet);
    posix_spawn_file_actions_addopen(&quiet, 1, "/dev/null", O_WRONLY, 0);
    if (posix_spawn(&pid, AKIDA_CLI, &quiet, nullptr, argv.data(), environ))
      pid = -1;
    posix_spawn_file_actions_destroy(&quiet);
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (pid > 0 && port == 0 && std::chrono::steady_clock::now() < deadline) {
      std::ifstream f(portFile);
      int p = 0;
      if (f >> p)
        port = static_cast<uint16_t>(p);
      else
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  /// The host goes away at once (no goodbye on the connection).
  void kill() {
    if (pid <= 0)
      return;
    ::kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    pid = -1;
  }
  ~Server() {
    kill();
    std::filesystem::remove_all(dir);
  }
};

/// `n` frames cycling through the samples of `in`; from frame `slowFrom`
/// on, each waits `delay` (time for the server to vanish mid-stream).
std::unique_ptr<FrameSource> frames(const Array &in, int64_t n,
                                    int64_t slowFrom = -1,
                                    std::chrono::milliseconds delay = {}) {
  return generatorSource(
      [in, n, slowFrom, delay](uint64_t i) -> std::optional<Array> {
        if (static_cast<int64_t>(i) >= n)
          return std::nullopt;
        if (slowFrom >= 0 && static_cast<int64_t>(i) >= slowFrom)
          std::this_thread::sleep_for(delay);
        return sample(in, static_cast<int64_t>(i) % in.shape[0]);
      });
}

TEST(Remote, StreamsInOrderAndEqualsForward) {
  Model model = buildZooModel("ds_cnn_kws", 0);
  const Array in = randomInputs(model, 4, 31);
  Server server(model);
  ASSERT_NE(server.port, 0) << "akida serve did not start";

  auto cfg = remoteConfig();
  caf::actor_system sys(*cfg);
  const RemoteModel remote = connectRemote(sys, "127.0.0.1", server.port);
  EXPECT_EQ(remote.inputType, modelInputType(model.desc()));
  std::vector<Output> outputs;
  StageOptions options;
  options.capacity = 3;
  StreamResult r = StreamBuilder()
                       .source(frames(in, 12))
                       .stage(remoteStage(remote, options), remote.inputType)
                       .sink(vectorSink(outputs))
                       .build(sys)
                       .run();
  ASSERT_TRUE(r.outcome.ok) << r.outcome.error;
  ASSERT_EQ(outputs.size(), 12u);
  for (size_t i = 0; i < outputs.size(); ++i) {
    EXPECT_EQ(outputs[i].seq, i);
    EXPECT_EQ(outputs[i].value, model.forward(sample(in, int64_t(i) % 4)));
  }
}

TEST(Remote, LostPeerEndsTheStreamWithAnError) {
  Model model = buildZooModel("ds_cnn_kws", 0);
  const Array in = randomInputs(model, 2, 32);
  Server server(model);
  const uint16_t port = server.port;
  ASSERT_NE(port, 0) << "akida serve did not start";

  auto cfg = remoteConfig();
  caf::actor_system sys(*cfg);
  const RemoteModel remote = connectRemote(sys, "127.0.0.1", port);
  std::atomic<int64_t> delivered{0};
  // Frames 5.. come slowly: the server vanishes after the first outputs.
  StreamPipeline p =
      StreamBuilder()
          .source(frames(in, 1000, 5, std::chrono::milliseconds(20)))
          .stage(remoteStage(remote), remote.inputType)
          .sink(callbackSink([&](Output) { ++delivered; }))
          .build(sys);
  p.start();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (delivered < 3 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_GE(delivered.load(), 3) << "no outputs from the server";
  server.kill();

  // The stream must end by itself, with the peer named.
  auto result = std::async(std::launch::async, [&] { return p.wait(); });
  ASSERT_EQ(result.wait_for(std::chrono::seconds(60)),
            std::future_status::ready)
      << "the stream hangs after the peer was lost";
  const StreamResult r = result.get();
  EXPECT_FALSE(r.outcome.ok);
  std::cout << "stream error: " << r.outcome.error << "\n";
  EXPECT_NE(r.outcome.error.find("lost peer 127.0.0.1:" + std::to_string(port)),
            std::string::npos)
      << r.outcome.error;
  EXPECT_LT(r.outcome.delivered, 1000);
  EXPECT_GE(r.outcome.delivered, 3);
}

TEST(Remote, ConnectingToNothingNamesThePeer) {
  auto cfg = remoteConfig();
  caf::actor_system sys(*cfg);
  uint16_t port = 0;
  {
    Model model = buildZooModel("ds_cnn_kws", 0);
    Server server(model); // a port that was served a moment ago
    port = server.port;
  }
  try {
    connectRemote(sys, "127.0.0.1", port);
    FAIL() << "connected to a closed port";
  } catch (const std::runtime_error &e) {
    EXPECT_NE(std::string(e.what()).find("cannot connect to 127.0.0.1:" +
                                         std::to_string(port)),
              std::string::npos)
        << e.what();
  }
}

} // namespace
