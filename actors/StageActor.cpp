//===- StageActor.cpp - One stage: queue, credits, policy, supervision ----===//

#include "actors/StageActor.h"

namespace akida::actors {

const char *StageState::name = "stage";

std::optional<StagePolicy> parseStagePolicy(const std::string &name) {
  if (name == "block")
    return StagePolicy::Block;
  if (name == "drop-oldest")
    return StagePolicy::DropOldest;
  return std::nullopt;
}

namespace {

using Self = caf::stateful_actor<StageState>;

void fail(Self *self, const std::string &message) {
  StageState &st = self->state;
  if (st.failed)
    return;
  st.failed = true;
  self->send(st.cfg.sink, fail_atom::value, message);
  if (st.worker && st.cfg.ownsWorker)
    self->send_exit(st.worker, caf::exit_reason::kill);
  self->quit();
}

void dispatch(Self *self, size_t index);

void startWorker(Self *self) {
  StageState &st = self->state;
  st.worker = st.cfg.spawnWorker(self);
  *st.workerBox = st.worker;
  self->monitor(st.worker);
}

/// Replaces the worker and sends every unanswered frame again.
void restart(Self *self, const std::string &why) {
  StageState &st = self->state;
  st.cfg.stats->failed();
  for (StageState::InFlight &f : st.inflight)
    if (!f.done) {
      if (++f.attempts > st.cfg.options.maxRetries) {
        fail(self, "stage '" + st.cfg.name + "': frame " +
                       std::to_string(f.frame.seq) + " failed " +
                       std::to_string(f.attempts) + " times; last: " + why);
        return;
      }
      break; // the oldest unanswered frame is the one that counts
    }
  if (st.worker) {
    self->demonitor(st.worker);
    if (st.cfg.ownsWorker)
      self->send_exit(st.worker, caf::exit_reason::kill);
  }
  ++st.generation;
  try {
    if (st.cfg.restart)
      st.cfg.restart();
    startWorker(self);
  } catch (const std::exception &e) {
    fail(self, "stage '" + st.cfg.name + "': restart failed: " + e.what() +
                   " (after: " + why + ")");
    return;
  }
  int64_t retried = 0;
  for (size_t i = 0; i < st.inflight.size(); ++i)
    if (!st.inflight[i].done) {
      dispatch(self, i);
      ++retried;
    }
  st.cfg.stats->restarted(retried);
}

void maybeFinish(Self *self) {
  StageState &st = self->state;
  if (st.failed || !st.eos || !st.queue.empty() || !st.inflight.empty())
    return;
  self->send(st.cfg.downstream, eos_atom::value, st.eosTotal);
  if (st.worker) {
    self->demonitor(st.worker);
    if (st.cfg.ownsWorker)
      self->send_exit(st.worker, caf::exit_reason::user_shutdown);
    else
      self->send(st.worker, eos_atom::value, st.eosTotal);
  }
  self->quit();
}

void pump(Self *self);

/// Sends finished frames downstream in arrival order.
void flush(Self *self) {
  StageState &st = self->state;
  while (!st.inflight.empty() && st.inflight.front().done) {
    StageState::InFlight f = std::move(st.inflight.front());
    st.inflight.pop_front();
    for (const EdgePayload &e : f.result.edges)
      st.cfg.stats->addEvents(e.layer, e.events);
    const int64_t now = steadyNowNs();
    st.cfg.stats->departed(now - f.arrivedNs, now,
                           static_cast<int64_t>(st.queue.size()));
    self->send(st.cfg.downstream, std::move(f.result));
  }
}

void dispatch(Self *self, size_t index) {
  StageState &st = self->state;
  const uint64_t seq = st.inflight[index].frame.seq;
  const uint64_t gen = st.generation;
  self->request(st.worker, caf::infinite, st.inflight[index].frame)
      .then(
          [self, seq, gen](Frame &out) {
            StageState &st = self->state;
            if (gen != st.generation || st.failed)
              return; // an answer from a replaced worker
            for (StageState::InFlight &f : st.inflight)
              if (f.frame.seq == seq && !f.done) {
                f.done = true;
                f.result = std::move(out);
                break;
              }
            flush(self);
            pump(self);
            maybeFinish(self);
          },
          [self, gen](caf::error &err) {
            StageState &st = self->state;
            if (gen != st.generation || st.failed)
              return;
            restart(self, errorText(err));
          });
}

/// Starts work on queued frames while the worker and downstream allow.
void pump(Self *self) {
  StageState &st = self->state;
  while (!st.failed && !st.queue.empty() &&
         static_cast<int64_t>(st.inflight.size()) <
             st.cfg.options.concurrency &&
         st.downCredits > 0) {
    StageState::Queued q = std::move(st.queue.front());
    st.queue.pop_front();
    --st.downCredits;
    if (st.cfg.options.policy == StagePolicy::Block && st.upstream)
      self->send(st.upstream, credit_atom::value, int64_t{1});
    st.inflight.push_back({std::move(q.frame), q.arrivedNs, 0, false, {}});
    dispatch(self, st.inflight.size() - 1);
  }
}

} // namespace

caf::behavior stageActor(Self *self, StageConfig cfg) {
  StageState &st = self->state;
  st.cfg = std::move(cfg);
  st.workerBox = std::make_shared<caf::actor>();
  // Whatever ends the stage ends the worker it owns.
  if (st.cfg.ownsWorker)
    self->attach_functor([box = st.workerBox](const caf::error &) {
      if (*box)
        caf::anon_send_exit(*box, caf::exit_reason::kill);
    });
  try {
    startWorker(self);
  } catch (const std::exception &e) {
    self->send(st.cfg.sink, fail_atom::value,
               "stage '" + st.cfg.name + "': " + e.what());
    st.failed = true;
  }
  self->send(st.cfg.downstream, upstream_atom::value);
  self->set_down_handler([self](caf::down_msg &dm) {
    StageState &st = self->state;
    if (dm.source != st.worker || st.failed)
      return;
    st.worker = nullptr;
    if (st.inflight.empty()) {
      // Nothing lost: a new worker for the next frame.
      ++st.generation;
      st.cfg.stats->failed();
      try {
        if (st.cfg.restart)
          st.cfg.restart();
        startWorker(self);
        st.cfg.stats->restarted(0);
      } catch (const std::exception &e) {
        fail(self, "stage '" + st.cfg.name + "': worker lost (" +
                       caf::to_string(dm.reason) + ") and restart failed: " +
                       e.what());
      }
      return;
    }
    restart(self, "worker down: " + caf::to_string(dm.reason));
  });
  if (st.failed) {
    self->quit();
    return {};
  }
  return {
      [self](upstream_atom) {
        StageState &st = self->state;
        st.upstream = caf::actor_cast<caf::actor>(self->current_sender());
        self->send(st.upstream, credit_atom::value,
                   st.cfg.options.policy == StagePolicy::Block
                       ? st.cfg.options.capacity
                       : kUnboundedCredits);
      },
      [self](Frame &f) {
        StageState &st = self->state;
        const int64_t now = steadyNowNs();
        if (static_cast<int64_t>(st.queue.size()) >= st.cfg.options.capacity &&
            st.cfg.options.policy == StagePolicy::DropOldest) {
          const uint64_t seq = st.queue.front().frame.seq;
          st.queue.pop_front();
          st.cfg.stats->dropped(static_cast<int64_t>(st.queue.size()));
          self->send(st.cfg.sink, drop_atom::value, seq);
        }
        st.queue.push_back({std::move(f), now});
        st.cfg.stats->arrived(now, static_cast<int64_t>(st.queue.size()));
        pump(self);
      },
      [self](credit_atom, int64_t n) {
        self->state.downCredits += n;
        pump(self);
      },
      [self](eos_atom, uint64_t total) {
        self->state.eos = true;
        self->state.eosTotal = total;
        maybeFinish(self);
      },
  };
}

} // namespace akida::actors
