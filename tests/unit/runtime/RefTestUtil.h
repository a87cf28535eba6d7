//===- RefTestUtil.h - Builders for reference-kernel tests ------*- C++ -*-===//
#ifndef AKIDA_TESTS_UNIT_RUNTIME_REFTESTUTIL_H
#define AKIDA_TESTS_UNIT_RUNTIME_REFTESTUTIL_H

#include "runtime/reference/Reference.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace akida::ref::test {

inline ActType actType(int64_t h, int64_t w, int64_t c, int bits,
                       bool isSigned = false) {
  ActType t;
  t.shape = {h, w, c};
  t.bits = bits;
  t.isSigned = isSigned;
  return t;
}

inline Activations acts(const ActType &type, int64_t batch,
                        std::vector<int64_t> values) {
  Activations a;
  a.type = type;
  a.batch = batch;
  a.ints = std::move(values);
  return a;
}

inline LayerDesc makeLayer(LayerType type,
                           std::map<std::string, int64_t> params = {},
                           std::string name = "layer") {
  LayerDesc l;
  l.name = std::move(name);
  l.type = type;
  l.params = std::move(params);
  return l;
}

inline void setInts(LayerDesc &l, const std::string &name, DType dtype,
                    std::vector<int64_t> shape, std::vector<int64_t> values) {
  Variable v;
  v.array = Array::fromInts(dtype, std::move(shape), values);
  l.variables[name] = v;
}

inline void setFloats(LayerDesc &l, const std::string &name,
                      std::vector<int64_t> shape, std::vector<float> values) {
  Variable v;
  v.array = Array::fromFloats(std::move(shape), values);
  v.bitwidth = 32;
  l.variables[name] = v;
}

/// v1 variables threshold (int32) and act_step (float32), one per filter.
inline void setV1Act(LayerDesc &l, std::vector<int64_t> threshold,
                     std::vector<float> steps) {
  int64_t f = static_cast<int64_t>(threshold.size());
  setInts(l, "threshold", DType::Int32, {f}, threshold);
  setFloats(l, "act_step", {f}, steps);
}

inline Activations run(const LayerDesc &l, const Activations &in,
                       TemporalState *state = nullptr) {
  return runLayer(l, {&in}, state);
}

/// The message of the std::invalid_argument `f` throws ("" if none).
template <typename F> std::string errorOf(F &&f) {
  try {
    f();
  } catch (const std::invalid_argument &e) {
    return e.what();
  }
  return "";
}

} // namespace akida::ref::test

#endif // AKIDA_TESTS_UNIT_RUNTIME_REFTESTUTIL_H
