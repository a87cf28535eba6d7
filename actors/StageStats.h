//===- StageStats.h - Per-stage statistics of a pipeline ----------*- C++ -*-===//
//
// What each stage of a pipeline did: frames out, throughput, latency
// percentiles (from a frame's arrival at the stage to its departure), the
// queue depth now and at most, frames dropped by drop-oldest, worker
// failures, restarts and retries, and the events each layer sent (from the
// edge codecs). Written by the stage actor, read by anyone (thread-safe).
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_ACTORS_STAGESTATS_H
#define AKIDA_ACTORS_STAGESTATS_H

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace akida::actors {

struct StageStats {
  std::string name;
  int64_t frames = 0;     ///< frames that left the stage
  int64_t dropped = 0;    ///< frames dropped (drop-oldest)
  int64_t failures = 0;   ///< worker failures
  int64_t restarts = 0;   ///< worker restarts
  int64_t retries = 0;    ///< frames sent again after a restart
  int64_t queueDepth = 0; ///< frames waiting now
  int64_t maxQueueDepth = 0;
  double throughputFps = 0; ///< frames / (last departure - first arrival)
  double latencyP50Us = 0, latencyP90Us = 0, latencyP99Us = 0, latencyMaxUs = 0;
  int64_t events = 0;                 ///< events sent on the stage's edges
  std::map<int, int64_t> layerEvents; ///< per layer (-1: model output)
  /// One line: "HW/0-5: 100 frames, 812.3 fps, latency p50 1.2 ms ...".
  std::string str() const;
};

class StageStatsBox {
public:
  explicit StageStatsBox(std::string name);
  void arrived(int64_t nowNs, int64_t queueDepth);
  void departed(int64_t latencyNs, int64_t nowNs, int64_t queueDepth);
  void dropped(int64_t queueDepth);
  void failed();
  void restarted(int64_t retries);
  void addEvents(int layer, int64_t events);
  StageStats snapshot() const;

private:
  mutable std::mutex mutex_;
  StageStats stats_;
  std::vector<int64_t> latencies_; ///< ns, the last kKeep
  size_t next_ = 0;
  int64_t firstNs_ = -1, lastNs_ = -1;
};

/// Nanoseconds on the steady clock.
int64_t steadyNowNs();

} // namespace akida::actors

#endif // AKIDA_ACTORS_STAGESTATS_H
