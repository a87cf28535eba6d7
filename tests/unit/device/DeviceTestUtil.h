//===- DeviceTestUtil.h - Helpers for the device tests ----------*- C++ -*-===//
#ifndef AKIDA_TESTS_UNIT_DEVICE_DEVICETESTUTIL_H
#define AKIDA_TESTS_UNIT_DEVICE_DEVICETESTUTIL_H

#include "device/Device.h"

#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <stdexcept>
#include <string>

namespace akida::test {

using Types = std::set<NpType>;

/// The NP with `ident`, or nullptr.
inline const NpInfo *findNp(const Mesh &mesh, NpIdent ident) {
  for (const NpInfo &np : mesh.nps)
    if (np.ident == ident)
      return &np;
  return nullptr;
}

/// The types of the NP with `ident` (empty when absent).
inline Types typesAt(const Mesh &mesh, NpIdent ident) {
  const NpInfo *np = findNp(mesh, ident);
  return np ? np->types : Types{};
}

/// The idents of the mesh, checking on the way that none repeats.
inline std::set<NpIdent> identSet(const Mesh &mesh) {
  std::set<NpIdent> idents;
  for (const NpInfo &np : mesh.nps)
    EXPECT_TRUE(idents.insert(np.ident).second)
        << "duplicate NP " << np.ident.str();
  return idents;
}

/// Runs `fn`, expecting std::invalid_argument; returns its message.
inline std::string invalidArgumentMessage(const std::function<void()> &fn) {
  try {
    fn();
  } catch (const std::invalid_argument &e) {
    return e.what();
  } catch (...) {
    ADD_FAILURE() << "threw something other than std::invalid_argument";
    return {};
  }
  ADD_FAILURE() << "did not throw";
  return {};
}

} // namespace akida::test

#endif // AKIDA_TESTS_UNIT_DEVICE_DEVICETESTUTIL_H
