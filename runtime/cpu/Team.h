//===- Team.h - Threads that stay awake across a frame's loops --*- C++ -*-===//
//
// A frame of a small model runs dozens of parallel loops of a few tens of
// microseconds each. Handing each to the TBB scheduler costs a worker's
// wake-up per loop, as long as the loop itself. A Team instead keeps its
// helpers (TBB tasks started once per forward call) spinning between loops:
//
//  * membership is fixed once: the caller waits a moment for the helpers to
//    join (seal()); a helper that arrives later leaves at once, so a busy
//    or sleeping worker never holds the frame up;
//  * run() publishes a loop (a new generation); every member takes chunks
//    until none is left and acknowledges; run() returns once every member
//    has acknowledged, so no helper touches the loop afterwards;
//  * close() releases the helpers.
//
// An exception thrown by a chunk is rethrown by run() in the caller.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_RUNTIME_CPU_TEAM_H
#define AKIDA_RUNTIME_CPU_TEAM_H

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <mutex>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace akida::cpu {

class Team {
public:
  /// Waits up to `waitUs` microseconds for `expected` helpers to join, then
  /// fixes the membership (late helpers leave). Returns the members.
  int seal(int expected, int waitUs) {
    const auto until =
        std::chrono::steady_clock::now() + std::chrono::microseconds(waitUs);
    while (joined_.load() < expected &&
           std::chrono::steady_clock::now() < until)
      pause();
    sealed_.store(true);
    members_.store(joined_.load());
    membersKnown_.store(true);
    return members_.load();
  }

  /// Runs body(begin, end) over [0, n) in chunks of `grain` on this thread
  /// and every member.
  template <typename F> void run(int64_t n, int64_t grain, const F &body) {
    n_ = n;
    grain_ = grain < 1 ? 1 : grain;
    body_ = &body;
    call_ = [](const void *f, int64_t b, int64_t e) {
      (*static_cast<const F *>(f))(b, e);
    };
    next_.store(0, std::memory_order_relaxed);
    acks_.store(0, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
    work();
    const int members = members_.load(std::memory_order_relaxed);
    while (acks_.load(std::memory_order_acquire) < members)
      pause();
    if (error_) {
      std::exception_ptr e = error_;
      error_ = nullptr;
      std::rethrow_exception(e);
    }
  }

  /// A helper's part: joins, runs every published loop until close().
  void help() {
    const int index = joined_.fetch_add(1);
    if (sealed_.load()) {
      while (!membersKnown_.load())
        pause();
      if (index >= members_.load())
        return; // too late: not a member
    }
    uint64_t seen = 0; // run() is only called after seal()
    for (;;) {
      const uint64_t g = generation_.load(std::memory_order_acquire);
      if (g == seen) {
        pause();
        continue;
      }
      seen = g;
      if (closed_.load(std::memory_order_acquire))
        return;
      work();
      acks_.fetch_add(1, std::memory_order_acq_rel);
    }
  }

  /// Releases the helpers (after the last run()).
  void close() {
    closed_.store(true, std::memory_order_release);
    generation_.fetch_add(1, std::memory_order_release);
  }

private:
  static void pause() {
#if defined(__x86_64__)
    _mm_pause();
#endif
  }
  void work() {
    for (;;) {
      const int64_t b = next_.fetch_add(grain_, std::memory_order_relaxed);
      if (b >= n_)
        return;
      const int64_t e = b + grain_ < n_ ? b + grain_ : n_;
      try {
        call_(body_, b, e);
      } catch (...) {
        std::lock_guard<std::mutex> lock(errorMutex_);
        if (!error_)
          error_ = std::current_exception();
      }
    }
  }

  int64_t n_ = 0, grain_ = 1;
  const void *body_ = nullptr;
  void (*call_)(const void *, int64_t, int64_t) = nullptr;
  std::atomic<int64_t> next_{0};
  std::atomic<uint64_t> generation_{0};
  std::atomic<int> joined_{0}, members_{0}, acks_{0};
  std::atomic<bool> sealed_{false}, membersKnown_{false}, closed_{false};
  std::mutex errorMutex_;
  std::exception_ptr error_;
};

} // namespace akida::cpu

#endif // AKIDA_RUNTIME_CPU_TEAM_H
