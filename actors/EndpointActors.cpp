//===- EndpointActors.cpp - The source and sink actors of a stream --------===//

#include "actors/EndpointActors.h"

#include "actors/StageStats.h"

namespace akida::actors {

const char *SourceState::name = "source";
const char *SinkState::name = "sink";

namespace {

using SourceSelf = caf::stateful_actor<SourceState>;
using SinkSelf = caf::stateful_actor<SinkState>;

void pumpSource(SourceSelf *self) {
  SourceState &st = self->state;
  if (!st.started || st.done)
    return;
  int64_t sent = 0;
  while (st.credits > 0 && sent < st.cfg.burst) {
    std::optional<Array> a;
    Frame f;
    try {
      a = st.cfg.source->next();
      if (a) {
        f.seq = st.seq;
        f.timestamp_ns = steadyNowNs();
        checkInputFrame(*a, st.cfg.inputType,
                        st.cfg.source->describe() + ": frame " +
                            std::to_string(st.seq));
        f.edges.push_back(st.codec.encode(*a, st.cfg.inputType));
        if (std::optional<std::vector<int64_t>> labels =
                st.cfg.source->labels()) {
          f.learn = true;
          f.labels = std::move(*labels);
        }
      }
    } catch (const std::exception &e) {
      st.done = true;
      self->send(st.cfg.sink, fail_atom::value,
                 std::string("source: ") + e.what());
      self->quit();
      return;
    }
    if (!a) {
      st.done = true;
      self->send(st.cfg.downstream, eos_atom::value, st.seq);
      self->quit();
      return;
    }
    ++st.seq;
    --st.credits;
    ++sent;
    self->send(st.cfg.downstream, std::move(f));
  }
  // Yield between bursts so that the stages run meanwhile.
  if (st.credits > 0 && !st.pulling) {
    st.pulling = true;
    self->send(self, pull_atom::value);
  }
}

void finish(SinkSelf *self) {
  SinkState &st = self->state;
  if (st.finished)
    return;
  st.finished = true;
  if (st.cfg.done)
    st.cfg.done(st.outcome);
  self->quit();
}

} // namespace

caf::behavior sourceActor(SourceSelf *self, SourceConfig cfg) {
  self->state.cfg = std::move(cfg);
  self->send(self->state.cfg.downstream, upstream_atom::value);
  return {
      [self](start_atom) {
        self->state.started = true;
        pumpSource(self);
      },
      [self](pull_atom) {
        self->state.pulling = false;
        pumpSource(self);
      },
      [self](credit_atom, int64_t n) {
        self->state.credits += n;
        pumpSource(self);
      },
  };
}

caf::behavior sinkActor(SinkSelf *self, SinkConfig cfg) {
  self->state.cfg = std::move(cfg);
  return {
      [self](upstream_atom) {
        SinkState &st = self->state;
        st.upstream = caf::actor_cast<caf::actor>(self->current_sender());
        self->send(st.upstream, credit_atom::value, st.cfg.credits);
      },
      [self](Frame &f) {
        SinkState &st = self->state;
        if (st.finished)
          return;
        if (static_cast<int64_t>(f.seq) <= st.outcome.lastSeq)
          ++st.outcome.outOfOrder;
        st.outcome.lastSeq = static_cast<int64_t>(f.seq);
        try {
          const EdgePayload *e = f.edge(kModelInputEdge);
          if (!e)
            throw std::invalid_argument("frame " + std::to_string(f.seq) +
                                        " carries no model output");
          st.cfg.sink->consume(
              {f.seq, f.timestamp_ns, outputArray(decodePayload(*e))});
        } catch (const std::exception &e) {
          st.outcome.error = std::string("sink: ") + e.what();
          finish(self);
          return;
        }
        ++st.outcome.delivered;
        if (st.upstream)
          self->send(st.upstream, credit_atom::value, int64_t{1});
      },
      [self](drop_atom, uint64_t) { ++self->state.outcome.dropped; },
      [self](fail_atom, std::string &message) {
        SinkState &st = self->state;
        if (st.outcome.error.empty())
          st.outcome.error = std::move(message);
        finish(self);
      },
      [self](eos_atom, uint64_t total) {
        SinkState &st = self->state;
        st.outcome.emitted = total;
        try {
          st.cfg.sink->finish();
          st.outcome.ok = true;
        } catch (const std::exception &e) {
          st.outcome.error = std::string("sink: ") + e.what();
        }
        finish(self);
      },
  };
}

} // namespace akida::actors
