//===- Plan.cpp - A model compiled for the CPU kernels --------------------===//

#include "runtime/cpu/Plan.h"

#include "compiler/fbz/LayerSchema.h"
#include "runtime/cpu/Buffer.h"
#include "runtime/cpu/LayerOp.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/task_group.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstring>

namespace akida::cpu {

namespace {

struct Workspace {
  Buffer arena;
  Buffer scratch;
};

std::unique_ptr<LayerOp> makeFastOp(const OpContext &ctx) {
  switch (ctx.layer.type) {
  case LayerType::InputData:
    return makeInputDataOp(ctx);
  case LayerType::InputConvolutional:
  case LayerType::Convolutional:
  case LayerType::InputConv2D:
  case LayerType::Conv2D:
    return makeConvOp(ctx);
  case LayerType::SeparableConvolutional:
    return makeSeparableOp(ctx);
  case LayerType::DepthwiseConv2D:
    return makeDepthwiseOp(ctx);
  case LayerType::FullyConnected:
  case LayerType::Dense1D:
    return makeDenseOp(ctx);
  case LayerType::Conv2DTranspose:
  case LayerType::DepthwiseConv2DTranspose:
    return makeTransposedOp(ctx);
  case LayerType::Add:
    return makeAddOp(ctx);
  case LayerType::Concatenate:
    return makeConcatenateOp(ctx);
  case LayerType::Dequantizer:
    return makeDequantizerOp(ctx);
  case LayerType::ExtractToken:
    return makeExtractTokenOp(ctx);
  default:
    break;
  }
  unsupported(ctx.layer, "no fast kernel for this layer type");
}

int64_t elems(const ActType &t) { return t.shape[0] * t.shape[1] * t.shape[2]; }

/// Threads TBB may use here: the arena's, within any global_control limit.
int concurrency() {
  return static_cast<int>(std::min<size_t>(
      tbb::this_task_arena::max_concurrency(),
      tbb::global_control::active_value(
          tbb::global_control::max_allowed_parallelism)));
}

/// Bytes per value of Model::forward's result for a last layer of `kind`.
int64_t resultSize(ElemKind kind) {
  return kind == ElemKind::U8 || kind == ElemKind::S8 ? 1 : 4;
}

/// Offsets of buffers with lifetimes [first, last] (layer indices) so that
/// buffers alive at the same time never overlap: largest first, each at the
/// lowest offset free during its lifetime. Returns the arena size.
struct Interval {
  int64_t size, first, last, offset = 0;
};
int64_t placeBuffers(std::vector<Interval> &buffers) {
  std::vector<size_t> order(buffers.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return buffers[a].size > buffers[b].size;
  });
  std::vector<size_t> placed;
  int64_t total = 0;
  for (size_t i : order) {
    Interval &b = buffers[i];
    if (b.size == 0)
      continue;
    std::vector<std::pair<int64_t, int64_t>> busy; // [begin, end) in use
    for (size_t j : placed) {
      const Interval &o = buffers[j];
      if (o.first <= b.last && b.first <= o.last)
        busy.push_back({o.offset, o.offset + o.size});
    }
    std::sort(busy.begin(), busy.end());
    int64_t at = 0;
    for (auto [lo, hi] : busy) {
      if (at + b.size <= lo)
        break;
      at = std::max(at, (hi + 63) / 64 * 64);
    }
    b.offset = at;
    total = std::max(total, at + b.size);
    placed.push_back(i);
  }
  return total;
}

} // namespace

struct Plan::Workspaces {
  mutable tbb::enumerable_thread_specific<Workspace> ets;
};

Plan::Plan(const ModelDesc &model, const std::vector<ActType> &types, Isa isa)
    : isa_(isa), workspaces_(std::make_unique<Workspaces>()) {
  const KernelTable &k = kernels(isa);
  const int n = static_cast<int>(model.layers.size());
  const ActType input = modelInputType(model);
  inFrameBytes_ = elems(input);
  reference_.assign(n, false);
  for (int i = 0; i < n; ++i) {
    const LayerDesc &layer = model.layers[i];
    OpContext ctx{layer, i, {}, {}, types.at(i), k};
    if (layer.inbounds.empty()) {
      ctx.inputs.push_back(-1);
      ctx.inTypes.push_back(input);
    }
    for (int j : layer.inbounds) {
      ctx.inputs.push_back(j);
      ctx.inTypes.push_back(types.at(j));
    }
    std::unique_ptr<LayerOp> op;
    try {
      op = makeFastOp(ctx);
    } catch (const std::exception &e) {
      op = makeReferenceOp(ctx, e.what());
      reference_[i] = true;
    }
    sequential_ = sequential_ || op->sequential();
    macs_ += op->macs();
    scratchBytes_ = std::max<int64_t>(scratchBytes_, op->scratchBytes());
    ops_.push_back(std::move(op));
  }

  // The arena: every layer output lives from its layer to its last reader
  // (the model output to the end); op temps only while their op runs.
  std::vector<int64_t> lastUse(n);
  for (int i = 0; i < n; ++i)
    lastUse[i] = i == n - 1 ? n : i;
  for (int i = 0; i < n; ++i)
    for (int j : model.layers[i].inbounds)
      lastUse[j] = std::max<int64_t>(lastUse[j], i);
  std::vector<Interval> buffers;
  for (int i = 0; i < n; ++i)
    buffers.push_back(
        {elems(types[i]) * elemSize(elemKind(types[i])) + 64, i, lastUse[i]});
  for (int i = 0; i < n; ++i)
    buffers.push_back({static_cast<int64_t>(ops_[i]->tempBytes()), i, i});
  arenaBytes_ = placeBuffers(buffers) + 64;
  offsets_.resize(n);
  for (int i = 0; i < n; ++i) {
    offsets_[i] = buffers[i].offset;
    ops_[i]->tempOffset = buffers[n + i].offset;
  }
  lastKind_ = elemKind(types.back());
  outBytes_ = elems(types.back()) * resultSize(lastKind_);
  scratchBytes_ += 64;
}

Plan::~Plan() = default;

std::vector<std::string> Plan::kernelNames() const {
  std::vector<std::string> names;
  for (const auto &op : ops_)
    names.push_back(op->kernelName());
  return names;
}

bool Plan::usesReference(int i) const { return reference_.at(i); }

uint8_t *Plan::scratchOf(const void *plan) {
  const Plan *p = static_cast<const Plan *>(plan);
  Workspace &ws = p->workspaces_->ets.local();
  ws.scratch.reserve(p->scratchBytes_);
  return ws.scratch.data();
}

void Plan::runFrame(uint8_t *arena, const uint8_t *input, int64_t index,
                    bool parallel, uint8_t *out,
                    std::vector<ref::TemporalState> &states,
                    std::vector<LayerSparsity> *sparsity,
                    std::vector<double> *seconds, Team *team) const {
  Frame frame;
  frame.team = team;
  frame.arena = arena;
  frame.offsets = offsets_.data();
  frame.input = input;
  frame.index = index;
  frame.parallel = parallel;
  frame.states = &states;
  frame.scratchOf = &Plan::scratchOf;
  frame.plan = this;
  for (size_t i = 0; i < ops_.size(); ++i) {
    if (seconds) {
      const auto t0 = std::chrono::steady_clock::now();
      ops_[i]->run(frame);
      (*seconds)[i] += std::chrono::duration<double>(
                           std::chrono::steady_clock::now() - t0)
                           .count();
    } else {
      ops_[i]->run(frame);
    }
    if (sparsity) {
      const ActType &t = ops_[i]->outType;
      const uint8_t *p = frame.data(static_cast<int>(i));
      const int64_t n = elems(t);
      const ElemKind kind = elemKind(t);
      int64_t zeros = 0;
      if (kind == ElemKind::F32) {
        const float *f = reinterpret_cast<const float *>(p);
        zeros = std::count(f, f + n, 0.0f);
      } else if (kind == ElemKind::U8 || kind == ElemKind::S8) {
        zeros = std::count(p, p + n, uint8_t(0));
      } else {
        for (int64_t j = 0; j < n; ++j)
          zeros += loadInt(p, kind, j) == 0;
      }
      (*sparsity)[i].zeros += zeros;
      (*sparsity)[i].values += n;
    }
  }
  // The model output, in the layout of Model::forward's result.
  const uint8_t *last = frame.data(static_cast<int>(ops_.size()) - 1);
  const int64_t n = elems(ops_.back()->outType);
  if (lastKind_ == ElemKind::I64) {
    for (int64_t j = 0; j < n; ++j) {
      const int32_t v = static_cast<int32_t>(
          std::min<int64_t>(loadInt(last, ElemKind::I64, j), INT32_MAX));
      std::memcpy(out + 4 * j, &v, 4);
    }
  } else {
    std::memcpy(out, last, outBytes_);
  }
}

void Plan::run(const Array &inputs, int64_t begin, int64_t count,
               uint8_t *out, std::vector<ref::TemporalState> &states,
               std::vector<LayerSparsity> *sparsity) const {
  if (count <= 0)
    return;
  states.resize(ops_.size());
  const uint8_t *input = inputs.bytes.data() + begin * inFrameBytes_;
  ops_.front()->checkInput(input, count, inFrameBytes_);
  const int threads = concurrency();
  auto arenaOf = [&]() {
    Workspace &ws = workspaces_->ets.local();
    ws.arena.reserve(arenaBytes_);
    return ws.arena.data();
  };
  if (count > 1 && threads > 1 && !sequential_ && !sparsity) {
    tbb::this_task_arena::isolate([&] {
      tbb::parallel_for(
          tbb::blocked_range<int64_t>(0, count, 1),
          [&](const tbb::blocked_range<int64_t> &r) {
            uint8_t *arena = arenaOf();
            for (int64_t f = r.begin(); f < r.end(); ++f)
              runFrame(arena, input + f * inFrameBytes_, f, false,
                       out + f * outBytes_, states, nullptr);
          });
    });
    return;
  }
  uint8_t *arena = arenaOf();
  if (threads <= 1 || macs_ < kSmallFrameMacs) {
    for (int64_t f = 0; f < count; ++f)
      runFrame(arena, input + f * inFrameBytes_, f, false, out + f * outBytes_,
               states, sparsity);
    return;
  }
  // Frames one after another, each layer's loops on a team of the other
  // threads kept awake for the whole call (Team.h).
  Team team;
  tbb::task_group helpers;
  tbb::this_task_arena::isolate([&] {
    for (int h = 0; h + 1 < threads; ++h)
      helpers.run([&team] { team.help(); });
    team.seal(threads - 1, 200);
    try {
      for (int64_t f = 0; f < count; ++f)
        runFrame(arena, input + f * inFrameBytes_, f, true, out + f * outBytes_,
                 states, sparsity, nullptr, &team);
    } catch (...) {
      team.close();
      helpers.wait();
      throw;
    }
    team.close();
    helpers.wait();
  });
}

void Plan::profile(const Array &inputs, int64_t begin, int64_t count,
                   uint8_t *out, std::vector<ref::TemporalState> &states,
                   std::vector<double> &seconds) const {
  states.resize(ops_.size());
  seconds.resize(ops_.size(), 0.0);
  const uint8_t *input = inputs.bytes.data() + begin * inFrameBytes_;
  ops_.front()->checkInput(input, count, inFrameBytes_);
  Workspace &ws = workspaces_->ets.local();
  ws.arena.reserve(arenaBytes_);
  const bool parallel = concurrency() > 1;
  for (int64_t f = 0; f < count; ++f)
    runFrame(ws.arena.data(), input + f * inFrameBytes_, f, parallel,
             out + f * outBytes_, states, nullptr, &seconds);
}

} // namespace akida::cpu
