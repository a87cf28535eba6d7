//===- DeviceTest.cpp - Versions, NP type names, idents, counts -----------===//
#include "DeviceTestUtil.h"

using namespace akida;
using namespace akida::test;

TEST(HwVersionTest, IpVersionFromProductId) {
  EXPECT_EQ(hw::NSoC_v1.ipVersion(), IpVersion::v1);
  EXPECT_EQ(hw::NSoC_v2.ipVersion(), IpVersion::v1);
  EXPECT_EQ(hw::TwoNodesIP_v1.ipVersion(), IpVersion::v1);
  EXPECT_EQ(hw::AKD1500_v1.ipVersion(), IpVersion::v1);
  EXPECT_EQ(hw::FPGA_v2.ipVersion(), IpVersion::v2);
  // The product id alone decides, whatever the revisions.
  EXPECT_EQ((HwVersion{0xBC, 0xA1, 3, 7}.ipVersion()), IpVersion::v1);
  EXPECT_EQ((HwVersion{0xBC, 0x00, 9, 9}.ipVersion()), IpVersion::v1);
  EXPECT_EQ((HwVersion{0xBC, 0xA2, 2, 5}.ipVersion()), IpVersion::v2);
}

TEST(HwVersionTest, UnknownProductIdHasNoIpVersion) {
  std::string msg = invalidArgumentMessage(
      [] { (void)HwVersion{0xBC, 0xA3, 1, 0}.ipVersion(); });
  EXPECT_NE(msg.find("unknown product id"), std::string::npos) << msg;
  EXPECT_NE(msg.find("0xA3"), std::string::npos) << msg;
}

TEST(HwVersionTest, Names) {
  EXPECT_EQ(hw::NSoC_v1.str(), "NSoC_v1");
  EXPECT_EQ(hw::NSoC_v2.str(), "NSoC_v2");
  EXPECT_EQ(hw::TwoNodesIP_v1.str(), "TwoNodesIP_v1");
  EXPECT_EQ(hw::AKD1500_v1.str(), "AKD1500_v1");
  EXPECT_EQ(hw::FPGA_v2.str(), "FPGA_v2");
  EXPECT_EQ((HwVersion{0xBC, 0xA1, 3, 7}.str()),
            "HwVersion(0xBC, 0xA1, 3, 7)");
  EXPECT_EQ((HwVersion{}.str()), "HwVersion(0xBC, 0x00, 0, 0)");
}

TEST(HwVersionTest, Equality) {
  EXPECT_TRUE(hw::NSoC_v2 == (HwVersion{0xBC, 0x00, 0, 2}));
  EXPECT_FALSE(hw::NSoC_v2 == hw::NSoC_v1);
  EXPECT_FALSE(hw::AKD1500_v1 == hw::TwoNodesIP_v1);
}

TEST(NpTypeTest, NamesRoundTrip) {
  const std::pair<NpType, const char *> all[] = {
      {NpType::HRC, "HRC"},
      {NpType::CNP1, "CNP1"},
      {NpType::CNP2, "CNP2"},
      {NpType::FNP2, "FNP2"},
      {NpType::FNP3, "FNP3"},
      {NpType::TNP_B, "TNP_B"},
      {NpType::SKIP_DMA_STORE, "SKIP_DMA_STORE"},
      {NpType::SKIP_DMA_LOAD, "SKIP_DMA_LOAD"},
  };
  for (const auto &[type, name] : all) {
    EXPECT_STREQ(npTypeName(type), name);
    EXPECT_EQ(parseNpType(name), type) << name;
  }
}

TEST(NpTypeTest, ParseIsCaseInsensitiveAndRejectsOthers) {
  EXPECT_EQ(parseNpType("cnp2"), NpType::CNP2);
  EXPECT_EQ(parseNpType("tnp_b"), NpType::TNP_B);
  EXPECT_EQ(parseNpType("Skip_Dma_Load"), NpType::SKIP_DMA_LOAD);
  EXPECT_EQ(parseNpType(""), std::nullopt);
  EXPECT_EQ(parseNpType("CNP"), std::nullopt);
  EXPECT_EQ(parseNpType("CNP12"), std::nullopt);
  EXPECT_EQ(parseNpType("TNP-B"), std::nullopt);
  EXPECT_EQ(parseNpType("VIT_NODE"), std::nullopt);
}

TEST(NpIdentTest, FormatAndOrder) {
  EXPECT_EQ((NpIdent{3, 1, 0}.str()), "(3, 1, 0)");
  EXPECT_EQ((NpIdent{12, 10, 3}.str()), "(12, 10, 3)");
  EXPECT_EQ((NpIdent{}.str()), "(0, 0, 0)");
  EXPECT_LT((NpIdent{1, 5, 3}), (NpIdent{2, 1, 0}));
  EXPECT_LT((NpIdent{2, 1, 3}), (NpIdent{2, 2, 0}));
  EXPECT_LT((NpIdent{2, 2, 0}), (NpIdent{2, 2, 1}));
  EXPECT_FALSE((NpIdent{2, 2, 1}) < (NpIdent{2, 2, 1}));
}

TEST(MeshTest, CountByType) {
  Mesh mesh;
  mesh.nps = {
      {{1, 2, 0}, {NpType::CNP1, NpType::FNP3}, false},
      {{1, 2, 1}, {NpType::CNP1, NpType::CNP2}, false},
      {{1, 2, 2}, {NpType::CNP1}, false},
  };
  EXPECT_EQ(mesh.count(NpType::CNP1), 3);
  EXPECT_EQ(mesh.count(NpType::CNP2), 1);
  EXPECT_EQ(mesh.count(NpType::FNP3), 1);
  EXPECT_EQ(mesh.count(NpType::FNP2), 0);
  EXPECT_EQ(mesh.count(NpType::TNP_B), 0);
  EXPECT_EQ(mesh.count(NpType::HRC), 0);
  EXPECT_EQ(mesh.count(NpType::SKIP_DMA_STORE), 0);
  mesh.hrc = NpIdent{0, 0, 0};
  mesh.skipDmas = {{{1, 1, 3}, 3}, {{2, 1, 3}, 3}};
  EXPECT_EQ(mesh.count(NpType::HRC), 1);
  EXPECT_EQ(skipDmaChannels(mesh), 6);
  EXPECT_EQ(mesh.count(NpType::SKIP_DMA_STORE), 6);
  EXPECT_EQ(mesh.count(NpType::SKIP_DMA_LOAD), 6);
}

TEST(SramSizeTest, Presets) {
  // 2 x 5.25 Ki x 32 bit and 7 Ki x 50 bit; 2 x 8 Ki x 32 bit, 4 Ki x 100 bit.
  EXPECT_EQ(SramSize_v1.inputBytes, 2 * 5376 * 4);
  EXPECT_EQ(SramSize_v1.weightBytes, 7 * 1024 * 50 / 8);
  EXPECT_EQ(SramSize_v2.inputBytes, 2 * 8 * 1024 * 4);
  EXPECT_EQ(SramSize_v2.weightBytes, 4 * 1024 * 100 / 8);
  EXPECT_EQ(defaultSramSize(IpVersion::v1).inputBytes, 43008);
  EXPECT_EQ(defaultSramSize(IpVersion::v1).weightBytes, 44800);
  EXPECT_EQ(defaultSramSize(IpVersion::v2).inputBytes, 65536);
  EXPECT_EQ(defaultSramSize(IpVersion::v2).weightBytes, 51200);
}
