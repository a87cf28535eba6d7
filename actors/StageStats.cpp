//===- StageStats.cpp - Per-stage statistics of a pipeline ----------------===//

#include "actors/StageStats.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace akida::actors {

namespace {
constexpr size_t kKeep = 1 << 16; ///< latencies kept for the percentiles
}

int64_t steadyNowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

StageStatsBox::StageStatsBox(std::string name) { stats_.name = std::move(name); }

void StageStatsBox::arrived(int64_t nowNs, int64_t depth) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (firstNs_ < 0)
    firstNs_ = nowNs;
  stats_.queueDepth = depth;
  stats_.maxQueueDepth = std::max(stats_.maxQueueDepth, depth);
}

void StageStatsBox::departed(int64_t latencyNs, int64_t nowNs, int64_t depth) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++stats_.frames;
  lastNs_ = nowNs;
  stats_.queueDepth = depth;
  if (latencies_.size() < kKeep)
    latencies_.push_back(latencyNs);
  else
    latencies_[next_++ % kKeep] = latencyNs;
}

void StageStatsBox::dropped(int64_t depth) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++stats_.dropped;
  stats_.queueDepth = depth;
}

void StageStatsBox::failed() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++stats_.failures;
}

void StageStatsBox::restarted(int64_t retries) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++stats_.restarts;
  stats_.retries += retries;
}

void StageStatsBox::addEvents(int layer, int64_t events) {
  std::lock_guard<std::mutex> lock(mutex_);
  stats_.events += events;
  stats_.layerEvents[layer] += events;
}

StageStats StageStatsBox::snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  StageStats s = stats_;
  if (lastNs_ > firstNs_ && firstNs_ >= 0)
    s.throughputFps = s.frames * 1e9 / static_cast<double>(lastNs_ - firstNs_);
  if (!latencies_.empty()) {
    std::vector<int64_t> sorted = latencies_;
    std::sort(sorted.begin(), sorted.end());
    auto pct = [&](double p) {
      size_t i = static_cast<size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
      return static_cast<double>(sorted[i]) / 1000.0;
    };
    s.latencyP50Us = pct(0.50);
    s.latencyP90Us = pct(0.90);
    s.latencyP99Us = pct(0.99);
    s.latencyMaxUs = static_cast<double>(sorted.back()) / 1000.0;
  }
  return s;
}

std::string StageStats::str() const {
  char buf[320];
  std::snprintf(buf, sizeof buf,
                "%s: %lld frames, %.1f fps, latency p50 %.1f us p90 %.1f us "
                "p99 %.1f us, queue max %lld, dropped %lld, failures %lld, "
                "restarts %lld, events %lld",
                name.c_str(), static_cast<long long>(frames), throughputFps,
                latencyP50Us, latencyP90Us, latencyP99Us,
                static_cast<long long>(maxQueueDepth),
                static_cast<long long>(dropped),
                static_cast<long long>(failures),
                static_cast<long long>(restarts),
                static_cast<long long>(events));
  return buf;
}

} // namespace akida::actors
