// The allocator on every zoo model and every virtual device: every layer is
// placed once, NPs exist on the mesh, have an allowed type and are used once
// per pass; the published AKD1000 mappings come out exactly through
// Model::map.

#include "runtime/zoo/Zoo.h"

#include "compiler/fbz/LayerSchema.h"

#include <gtest/gtest.h>

#include <set>

using namespace akida;

namespace {

std::vector<MapLayer> mapLayers(Model &m) {
  std::vector<MapLayer> out;
  for (int i = 0; i < m.get_layer_count(); ++i) {
    Layer l = m.get_layer(i);
    const LayerDesc &d = m.desc().layers[i];
    MapLayer ml;
    ml.desc = &d;
    ml.input = d.inbounds.empty() ? modelInputType(m.desc())
                                  : m.get_layer(d.inbounds[0]).output_type();
    ml.output = l.output_type();
    out.push_back(ml);
  }
  return out;
}

void checkPlan(const MappingPlan &plan, const std::vector<MapLayer> &layers,
               const Device &device, const std::string &what) {
  std::vector<int> seen;
  for (const SequencePlan &seq : plan.sequences) {
    seen.insert(seen.end(), seq.layers.begin(), seq.layers.end());
    if (!seq.hardware) {
      EXPECT_TRUE(seq.passes.empty()) << what;
      continue;
    }
    ASSERT_FALSE(seq.passes.empty()) << what;
    for (const PassPlan &pass : seq.passes) {
      std::set<NpIdent> used;
      for (int i : pass.layers) {
        const std::vector<NpMapping> &nps = pass.nps.at(i);
        std::optional<LayerDemand> demand =
            layerDemand(layers[i], 1 << 20, NpType::CNP2);
        if (demand && demand->type)
          EXPECT_FALSE(nps.empty()) << what << " layer " << layers[i].desc->name;
        int64_t filters = 0;
        for (const NpMapping &np : nps) {
          EXPECT_TRUE(used.insert(np.ident).second)
              << what << ": NP " << np.ident.str() << " used twice";
          auto info = std::find_if(
              device.mesh.nps.begin(), device.mesh.nps.end(),
              [&](const NpInfo &n) { return n.ident == np.ident; });
          ASSERT_NE(info, device.mesh.nps.end()) << what;
          EXPECT_TRUE(info->types.count(np.type))
              << what << ": " << np.ident.str() << " cannot be "
              << npTypeName(np.type);
          EXPECT_GT(np.filters, 0) << what;
          filters += np.filters;
        }
        if (!nps.empty() && demand)
          EXPECT_GE(filters, demand->filters) << what << " " << layers[i].desc->name;
      }
      EXPECT_LE(static_cast<int64_t>(used.size()),
                static_cast<int64_t>(device.mesh.nps.size()));
    }
  }
  std::vector<int> all(layers.size());
  for (size_t i = 0; i < all.size(); ++i)
    all[i] = static_cast<int>(i);
  EXPECT_EQ(seen, all) << what << ": every layer once, in order";
}

TEST(Mapping, EveryZooModelOnEveryVirtualDevice) {
  for (const ZooEntry &entry : zooModels()) {
    Model model = entry.build(0);
    std::vector<MapLayer> layers = mapLayers(model);
    for (const std::string &name : virtualDeviceNames()) {
      Device device = virtualDevice(name);
      if (device.ipVersion() != model.ip_version())
        continue;
      for (MapMode mode : {MapMode::AllNps, MapMode::HwPr, MapMode::Minimal}) {
        std::string what = entry.name + " on " + name + " " + mapModeName(mode);
        MappingPlan plan = planMapping(layers, device, mode, false);
        checkPlan(plan, layers, device, what);
        if (mode == MapMode::HwPr) {
          // Passes instead of sequences: no more hardware sequences than AllNps.
          MappingPlan all = planMapping(layers, device, MapMode::AllNps, false);
          auto hwSequences = [](const MappingPlan &p) {
            return std::count_if(p.sequences.begin(), p.sequences.end(),
                                 [](const SequencePlan &s) { return s.hardware; });
          };
          EXPECT_LE(hwSequences(plan), hwSequences(all)) << what;
        }
      }
    }
  }
}

TEST(Mapping, PublishedAkd1000MappingsThroughModelMap) {
  Model kws = buildZooModel("ds_cnn_kws");
  kws.map(AKD1000());
  ASSERT_EQ(kws.sequences().size(), 1u);
  EXPECT_TRUE(kws.sequences()[0].hardware);
  EXPECT_FALSE(kws.sequences()[0].program.empty());
  EXPECT_EQ(kws.mapping()->npCount(), 65);
  for (const char *sep : {"separable_1", "separable_2", "separable_3", "separable_4"}) {
    std::vector<NpMapping> nps = kws.layer_nps(sep);
    ASSERT_EQ(nps.size(), 16u) << sep;
    for (const NpMapping &np : nps)
      EXPECT_EQ(np.filters, 4) << sep;
  }
  EXPECT_EQ(kws.layer_nps("dense_5").size(), 1u);
  EXPECT_TRUE(kws.layer_nps("conv_0").empty()); // on the HRC
  kws.map(AKD1000(), false, MapMode::Minimal);
  EXPECT_EQ(kws.mapping()->npCount(), 5);

  Model net = buildZooModel("akidanet_0.5_224");
  net.map(AKD1000());
  const std::vector<std::pair<std::string, size_t>> expected = {
      {"conv_1", 4},       {"conv_2", 6},       {"conv_3", 3},
      {"separable_4", 6},  {"separable_5", 4},  {"separable_6", 8},
      {"separable_7", 4},  {"separable_8", 4},  {"separable_9", 4},
      {"separable_10", 4}, {"separable_11", 4}, {"separable_12", 8},
      {"separable_13", 8}, {"classifier", 1}};
  for (const auto &[name, count] : expected)
    EXPECT_EQ(net.layer_nps(name).size(), count) << name;
  EXPECT_EQ(net.mapping()->npCount(), 68);
  net.map(AKD1000(), false, MapMode::Minimal);
  EXPECT_EQ(net.mapping()->npCount(), 32);

  // hw_only on a device that is too small says why; editing drops the map.
  EXPECT_THROW(net.map(TwoNodesIP(), true), std::invalid_argument);
  net.map(TwoNodesIP(), false, MapMode::HwPr);
  ASSERT_EQ(net.sequences().size(), 1u);
  EXPECT_GT(net.sequences()[0].passes.size(), 1u);
  net.pop_layer();
  EXPECT_EQ(net.mapping(), nullptr);
}

TEST(Mapping, ForwardOnTheVirtualDeviceIsBitExact) {
  // Every zoo model on its virtual device (AllNps; Minimal too for the
  // small ones), the same outputs as the reference runtime.
  const std::set<std::string> alsoMinimal = {"ds_cnn_kws", "gxnor_mnist",
                                             "ds_cnn_kws_v2"};
  for (const ZooEntry &entry : zooModels()) {
    const std::string &name = entry.name;
    Model m = entry.build(0);
    std::array<int64_t, 3> s = m.input_shape();
    std::vector<int64_t> v(2 * s[0] * s[1] * s[2]);
    int bits = m.desc().layers[0].type == LayerType::InputData
                   ? static_cast<int>(param(m.desc().layers[0], "input_bits"))
                   : 8;
    for (size_t i = 0; i < v.size(); ++i)
      v[i] = (i * 2654435761u >> 7) % (int64_t(1) << bits);
    Array in = Array::fromInts(DType::UInt8, {2, s[0], s[1], s[2]}, v);
    Array cpu = m.forward(in);
    Device device = m.ip_version() == IpVersion::v1 ? AKD1000() : SixNodesIPv2();
    std::vector<MapMode> modes = {MapMode::AllNps};
    if (alsoMinimal.count(name))
      modes.push_back(MapMode::Minimal);
    for (MapMode mode : modes) {
      m.map(device, false, mode);
      Array hw = m.forward(in);
      EXPECT_EQ(hw.bytes, cpu.bytes) << name << " " << mapModeName(mode);
      EXPECT_EQ(hw.shape, cpu.shape) << name;
      EXPECT_GT(m.metrics().inference_clk, 0) << name;
      EXPECT_GT(m.metrics().program_clk, 0) << name;
      EXPECT_EQ(m.metrics().inference_frames, 2) << name;
      EXPECT_GT(m.statistics().fps, 0) << name;
    }
  }
}

TEST(Mapping, SummaryAfterMap) {
  Model kws = buildZooModel("ds_cnn_kws");
  kws.map(AKD1000());
  std::string s = kws.summary();
  EXPECT_NE(s.find("NPs"), std::string::npos);
  EXPECT_NE(s.find("HW/conv_0-dense_5 (Hardware) - size: "), std::string::npos);
  EXPECT_NE(s.find("N/A"), std::string::npos);
}

} // namespace
