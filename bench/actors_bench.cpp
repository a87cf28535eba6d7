//===- actors_bench.cpp - Pipeline throughput against bare forward --------===//
//
//   akida-actors-bench [FRAMES_DSCNN] [FRAMES_AKIDANET] [CPU_FRAMES_DSCNN]
//                      [CPU_FRAMES_AKIDANET] [ROUNDS]
//
// For DS-CNN (ds_cnn_kws) and AkidaNet-0.5/224 (akidanet_0.5_224), mapped
// on the virtual AKD1000, one sample per frame:
//   forward  Model::forward called once per frame (the direct path: it
//            programs the device on every call);
//   stages   the pipeline's sequence executors called in a loop, no actors
//            (the device keeps its program between frames);
//   pipeline the same executors as actors, streamed (source -> stage actor
//            -> device actor -> sink, credits), frames per second and the
//            per-hop latency percentiles the stage measured.
// The actors' overhead is pipeline against stages (same work); forward is
// shown for reference (since Model::forward on a mapped model runs through
// the actors too, it is a one-frame pipeline per call). Then the unmapped
// models on the CPU (10x the frames): Model::forward per frame against the
// pipeline's CPU actor, both on runtime/cpu's Plan. Every output is checked
// against forward. The three run in turn ROUNDS times (default 5); the
// figures are medians, the overhead the median of the rounds' ratios.
//
// AKIDA_THREADS=N limits TBB to N threads; AKIDA_CONCURRENCY=K lets the CPU
// stage keep K frames in flight to its actor (StageOptions::concurrency).
//
//===----------------------------------------------------------------------===//

#include "actors/FromModel.h"
#include "actors/ModelPipeline.h"
#include "compiler/fbz/LayerSchema.h"
#include "device/usb/OpenDevice.h"
#include "runtime/zoo/Zoo.h"

#include <tbb/global_control.h>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <cstdio>
#include <random>

using namespace akida;
using namespace akida::actors;

namespace {

double now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// Process CPU time (every thread), seconds.
double cpuSeconds() {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec +
         1e-6 * (u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

Array randomFrames(const Model &model, int64_t n) {
  const std::array<int64_t, 3> s = model.input_shape();
  std::mt19937 rng(1);
  std::uniform_int_distribution<int> d(0, 255);
  std::vector<int64_t> v(n * s[0] * s[1] * s[2]);
  for (int64_t &x : v)
    x = d(rng);
  return Array::fromInts(DType::UInt8, {n, s[0], s[1], s[2]}, v);
}

Array frame(const Array &a, int64_t i) {
  Array out;
  out.dtype = a.dtype;
  out.shape = a.shape;
  out.shape[0] = 1;
  const size_t per = a.bytes.size() / static_cast<size_t>(a.shape[0]);
  out.bytes.assign(a.bytes.begin() + i * per, a.bytes.begin() + (i + 1) * per);
  return out;
}

/// The median of `v` (not empty).
double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/// One model, one sample per frame: forward per frame, the executors in a
/// loop (stages), the pipeline streamed, `rounds` times in turn (the load
/// of a shared machine changes within seconds; alternating puts the three
/// under the same conditions). Mapped on AKD1000, the actors' overhead is
/// against stages (forward programs the device on every call); unmapped
/// (the fast CPU kernels), against forward. Prints the medians and the
/// median of the per-round ratios.
void bench(const std::string &name, int64_t n, bool mapped, int rounds) {
  if (n < 1)
    return;
  Model model = buildZooModel(name, 0);
  if (mapped)
    model.map(AKD1000());
  const Array in = randomFrames(model, n);
  if (!mapped)
    model.forward(frame(in, 0)); // builds the plan
  std::vector<Array> expected;
  for (int64_t i = 0; i < n; ++i)
    expected.push_back(model.forward(frame(in, i)));

  std::shared_ptr<ModelStages> stages = makeModelStages(model);
  EdgeCodec codec(kModelInputEdge);
  StageOptions options;
  if (const char *c = std::getenv("AKIDA_CONCURRENCY"))
    options.concurrency = std::atoi(c);
  ModelPipeline pipeline(makeModelStages(model), options);
  pipeline.forwardStream(frame(in, 0), 1); // warm up (programs the device)

  bool same = true;
  std::vector<double> forwardS, stagesS, pipelineS, cpuS, ratio;
  for (int r = 0; r < rounds; ++r) {
    double t0 = now();
    for (int64_t i = 0; i < n; ++i)
      same = same && model.forward(frame(in, i)) == expected[size_t(i)];
    forwardS.push_back(now() - t0);

    t0 = now();
    for (int64_t i = 0; i < n; ++i) {
      Frame f = runStages(*stages, inputFrame(*stages, frame(in, i),
                                               static_cast<uint64_t>(i), 0,
                                               codec));
      same = same && frameOutput(f) == expected[size_t(i)];
    }
    stagesS.push_back(now() - t0);

    const double cpu0 = cpuSeconds();
    t0 = now();
    Array out = pipeline.forwardStream(in, 1);
    pipelineS.push_back(now() - t0);
    cpuS.push_back(cpuSeconds() - cpu0);
    for (int64_t i = 0; i < n; ++i)
      same = same && frame(out, i) == expected[size_t(i)];
    ratio.push_back(pipelineS.back() / (mapped ? stagesS : forwardS).back());
  }

  if (mapped)
    std::printf("%s on AKD1000, %lld frames x %d rounds, %zu sequence(s): "
                "outputs %s\n",
                name.c_str(), static_cast<long long>(n), rounds,
                stages->workers.size(), same ? "identical" : "DIFFER");
  else
    std::printf("%s on the CPU (unmapped), %lld frames x %d rounds, %d "
                "lane(s): outputs %s\n",
                name.c_str(), static_cast<long long>(n), rounds,
                stages->workers.front()->executor().lanes(),
                same ? "identical" : "DIFFER");
  auto line = [&](const char *what, const std::vector<double> &s) {
    const double m = median(s);
    std::printf("  %-9s %8.1f fps  %8.1f us/frame (median; rounds %.1f to "
                "%.1f)\n",
                what, n / m, 1e6 * m / n,
                1e6 * *std::min_element(s.begin(), s.end()) / n,
                1e6 * *std::max_element(s.begin(), s.end()) / n);
  };
  line("forward", forwardS);
  line("stages", stagesS);
  line("pipeline", pipelineS);
  std::printf("  pipeline vs %s: %+.1f%% time (median of the rounds' "
              "ratios; %+.1f%% to %+.1f%%)\n",
              mapped ? "stages" : "forward", 100.0 * (median(ratio) - 1),
              100.0 * (*std::min_element(ratio.begin(), ratio.end()) - 1),
              100.0 * (*std::max_element(ratio.begin(), ratio.end()) - 1));
  std::printf("  pipeline CPU time %.1f us/frame (all threads, median)\n",
              1e6 * median(cpuS) / n);
  for (const StageStats &s : pipeline.statistics())
    std::printf("  hop %-20s latency p50 %.1f us p90 %.1f us p99 %.1f us "
                "(last round)\n",
                s.name.c_str(), s.latencyP50Us, s.latencyP90Us,
                s.latencyP99Us);
}

} // namespace

int main(int argc, char **argv) {
  // AKIDA_THREADS=N: at most N TBB threads (default: every core).
  std::unique_ptr<tbb::global_control> limit;
  if (const char *t = std::getenv("AKIDA_THREADS"))
    limit = std::make_unique<tbb::global_control>(
        tbb::global_control::max_allowed_parallelism,
        static_cast<size_t>(std::max(1, std::atoi(t))));
  const int64_t dscnn = argc > 1 ? std::atoll(argv[1]) : 300;
  const int64_t akidanet = argc > 2 ? std::atoll(argv[2]) : 20;
  const int rounds = argc > 5 ? std::max(1, std::atoi(argv[5])) : 5;
  bench("ds_cnn_kws", dscnn, true, rounds);
  bench("akidanet_0.5_224", akidanet, true, rounds);
  bench("ds_cnn_kws", argc > 3 ? std::atoll(argv[3]) : dscnn * 10, false,
        rounds);
  bench("akidanet_0.5_224", argc > 4 ? std::atoll(argv[4]) : akidanet * 10,
        false, rounds);
  return 0;
}
