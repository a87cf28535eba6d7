//===- ConstraintsTestUtil.h - Layers and checks for constraint tests -----===//
//
// Builders for layers by parameters only (the checker reads no variables),
// and a check() that infers the output type with the runtime's shape
// inference, so that every tested layer is one the runtime accepts.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_TESTS_UNIT_CONSTRAINTS_CONSTRAINTSTESTUTIL_H
#define AKIDA_TESTS_UNIT_CONSTRAINTS_CONSTRAINTSTESTUTIL_H

#include "compiler/mapping/Constraints.h"

#include "compiler/fbz/LayerSchema.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

namespace akida::test {

inline ActType act(int64_t rows, int64_t columns, int64_t channels,
                   int bits = 4, bool isSigned = false) {
  ActType t;
  t.shape = {rows, columns, channels};
  t.bits = bits;
  t.isSigned = isSigned;
  return t;
}

inline HardwareFacts v1Facts() { return HardwareFacts{}; }

inline HardwareFacts v2Facts() {
  HardwareFacts f;
  f.ipVersion = IpVersion::v2;
  f.hasLut = true;
  f.skipDmaChannels = 2;
  f.hasTnp = true;
  return f;
}

inline LayerDesc layer(LayerType type, const std::string &name,
                       std::map<std::string, int64_t> params) {
  LayerDesc l;
  l.name = name;
  l.type = type;
  l.params = std::move(params);
  if (!layerSchema(type).isInput)
    l.inbounds = {0};
  return l;
}

/// A v1 convolution-like layer (square kernel and stride).
inline LayerDesc v1Conv(LayerType type, const std::string &name,
                        int64_t filters, int64_t kernel, int64_t stride,
                        int64_t weightsBits, int64_t actBits) {
  return layer(type, name,
               {{"filters", filters},
                {"kernel_size_x", kernel},
                {"kernel_size_y", kernel},
                {"kernel_stride_x", stride},
                {"kernel_stride_y", stride},
                {"weights_bits", weightsBits},
                {"act_bits", actBits}});
}

inline LayerDesc v1MaxPool(LayerDesc l, int64_t sx, int64_t sy, int64_t tx,
                           int64_t ty) {
  l.params["pool_type"] = static_cast<int64_t>(PoolType::Max);
  l.params["pool_size_x"] = sx;
  l.params["pool_size_y"] = sy;
  l.params["pool_stride_x"] = tx;
  l.params["pool_stride_y"] = ty;
  return l;
}

inline LayerDesc withGap(LayerDesc l) {
  l.params["pool_type"] = static_cast<int64_t>(PoolType::Average);
  return l;
}

inline LayerDesc fc(const std::string &name, int64_t units,
                    int64_t weightsBits, int64_t actBits) {
  std::map<std::string, int64_t> p{{"units", units},
                                   {"weights_bits", weightsBits}};
  if (actBits)
    p["act_bits"] = actBits;
  else
    p["activation"] = 0;
  return layer(LayerType::FullyConnected, name, p);
}

/// A v2 convolution-like layer (InputConv2D, Conv2D, DepthwiseConv2D).
inline LayerDesc v2Conv(LayerType type, const std::string &name,
                        int64_t filters, int64_t kernel, int64_t stride) {
  LayerDesc l = layer(type, name,
                      {{"kernel_size", kernel}, {"kernel_stride", stride}});
  if (type != LayerType::DepthwiseConv2D)
    l.params["filters"] = filters;
  return l;
}

inline LayerDesc v2MaxPool(LayerDesc l, int64_t size, int64_t stride) {
  l.params["pool_type"] = static_cast<int64_t>(PoolType::Max);
  l.params["pool_size"] = size;
  l.params["pool_stride"] = stride;
  return l;
}

inline LayerDesc withActivation(LayerDesc l, Activation a) {
  l.params["activation"] = static_cast<int64_t>(a);
  return l;
}

/// Checks `l` on `inputs` with the output inferred by the runtime.
inline std::vector<ConstraintViolation>
check(LayerDesc l, const std::vector<ActType> &inputs, const LayerDesc *next,
      const HardwareFacts &facts) {
  fillDefaultParams(l);
  ActType out = inferLayerOutput(l, inputs);
  return checkLayer(l, inputs, out, next, facts);
}

inline std::vector<ConstraintViolation> check(LayerDesc l, const ActType &in,
                                              const LayerDesc *next,
                                              const HardwareFacts &facts) {
  return check(std::move(l), std::vector<ActType>{in}, next, facts);
}

/// Checks a sequential model layer by layer (layers that always run in
/// software are only seen as `next`); returns every violation.
inline std::vector<ConstraintViolation>
checkChain(std::vector<LayerDesc> layers, ActType input,
           const HardwareFacts &facts) {
  std::vector<ConstraintViolation> all;
  ActType in = input;
  for (size_t i = 0; i < layers.size(); ++i) {
    LayerDesc &l = layers[i];
    l.inbounds.clear();
    if (i)
      l.inbounds = {static_cast<int>(i - 1)};
    fillDefaultParams(l);
    ActType out = inferLayerOutput(l, {in});
    const LayerDesc *next = i + 1 < layers.size() ? &layers[i + 1] : nullptr;
    if (!alwaysSoftware(l.type))
      for (auto &v : checkLayer(l, {in}, out, next, facts))
        all.push_back(v);
    in = out;
  }
  return all;
}

inline std::string dump(const std::vector<ConstraintViolation> &v) {
  std::string s;
  for (const ConstraintViolation &x : v)
    s += "\n  [" + x.rule + "] " + x.message;
  return s.empty() ? " (none)" : s;
}

/// Exactly one violation, of `rule`, whose message names the layer, contains
/// `value` before "; allowed: " and `allowed` after it.
inline void expectOne(const std::vector<ConstraintViolation> &v,
                      const std::string &rule, const std::string &layerName,
                      const std::string &value, const std::string &allowed) {
  ASSERT_EQ(v.size(), 1u) << dump(v);
  EXPECT_EQ(v[0].rule, rule) << dump(v);
  const std::string &m = v[0].message;
  EXPECT_EQ(m.rfind("layer '" + layerName + "' (", 0), 0u) << m;
  size_t sep = m.find("; allowed: ");
  ASSERT_NE(sep, std::string::npos) << m;
  EXPECT_NE(m.substr(0, sep).find(value), std::string::npos)
      << "value '" << value << "' not in: " << m;
  EXPECT_NE(m.substr(sep).find(allowed), std::string::npos)
      << "allowed '" << allowed << "' not in: " << m;
  EXPECT_EQ(m.find('\n'), std::string::npos) << m;
}

#define EXPECT_PASSES(violations)                                              \
  do {                                                                         \
    auto v_ = (violations);                                                    \
    EXPECT_TRUE(v_.empty()) << ::akida::test::dump(v_);                        \
  } while (0)

} // namespace akida::test

#endif // AKIDA_TESTS_UNIT_CONSTRAINTS_CONSTRAINTSTESTUTIL_H
