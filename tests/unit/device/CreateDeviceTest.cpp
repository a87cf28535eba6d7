//===- CreateDeviceTest.cpp - create_device layouts and errors ------------===//
//
// Grids, fill order, FNP types, skip DMAs and errors, each worked by hand
// from the rules in docs/device/devices.md.
//
//===----------------------------------------------------------------------===//
#include "DeviceTestUtil.h"

#include <cmath>
#include <utility>

using namespace akida;
using namespace akida::test;

namespace {

const Types kCnpV2{NpType::TNP_B, NpType::CNP1, NpType::CNP2};
const Types kCnpV1{NpType::CNP1, NpType::CNP2};

/// (columns, rows) of the nodes that hold NPs.
std::pair<int, int> gridOf(const Mesh &mesh) {
  int cols = 0, rows = 0;
  for (const NpInfo &np : mesh.nps) {
    cols = std::max(cols, np.ident.col);
    rows = std::max(rows, np.ident.row - 1);
  }
  return {cols, rows};
}

std::vector<NpIdent> identsInOrder(const Mesh &mesh) {
  std::vector<NpIdent> idents;
  for (const NpInfo &np : mesh.nps)
    idents.push_back(np.ident);
  return idents;
}

} // namespace

TEST(CreateDeviceTest, TwoNodesOfConvolutionNps) {
  Device d = create_device(8, 0);
  EXPECT_TRUE(d.version == hw::FPGA_v2);
  EXPECT_EQ(d.ipVersion(), IpVersion::v2);
  EXPECT_TRUE(d.isVirtual);
  EXPECT_EQ(d.mesh.dmaEvent, (NpIdent{1, 1, 0}));
  EXPECT_EQ(d.mesh.dmaConf, (NpIdent{1, 1, 1}));
  ASSERT_TRUE(d.mesh.hrc.has_value());
  EXPECT_EQ(*d.mesh.hrc, (NpIdent{0, 0, 0}));
  EXPECT_TRUE(d.mesh.skipDmas.empty());
  EXPECT_EQ(d.mesh.sramSize.inputBytes, SramSize_v2.inputBytes);
  EXPECT_EQ(d.mesh.sramSize.weightBytes, SramSize_v2.weightBytes);
  // 2 nodes: ceil(sqrt 2) = 2 columns, round(sqrt 2) = 1 row, from row 2.
  EXPECT_EQ(identsInOrder(d.mesh),
            (std::vector<NpIdent>{{1, 2, 0}, {1, 2, 1}, {1, 2, 2}, {1, 2, 3},
                                  {2, 2, 0}, {2, 2, 1}, {2, 2, 2}, {2, 2, 3}}));
  for (const NpInfo &np : d.mesh.nps) {
    EXPECT_EQ(np.types, kCnpV2) << np.ident.str();
    EXPECT_TRUE(np.hasLut);
  }
  EXPECT_NE(d.desc.find("num_cnp_tnp=8"), std::string::npos) << d.desc;
}

TEST(CreateDeviceTest, RowMajorFillWithFnpsLast) {
  // 10 + 2 = 12 NPs = 3 nodes: 2 columns, round(1.73) = 2 rows.
  Device d = create_device(10, 2);
  EXPECT_EQ(identsInOrder(d.mesh),
            (std::vector<NpIdent>{{1, 2, 0}, {1, 2, 1}, {1, 2, 2}, {1, 2, 3},
                                  {2, 2, 0}, {2, 2, 1}, {2, 2, 2}, {2, 2, 3},
                                  {1, 3, 0}, {1, 3, 1}, {1, 3, 2},
                                  {1, 3, 3}}));
  for (size_t i = 0; i < 10; ++i)
    EXPECT_EQ(d.mesh.nps[i].types, kCnpV2) << i;
  // With several FNPs: the first is FNP2, the others FNP3, both also
  // convolution/temporal capable.
  EXPECT_EQ(d.mesh.nps[10].types, (Types{NpType::TNP_B, NpType::CNP1,
                                         NpType::CNP2, NpType::FNP2}));
  EXPECT_EQ(d.mesh.nps[11].types, (Types{NpType::TNP_B, NpType::CNP1,
                                         NpType::CNP2, NpType::FNP3}));
  EXPECT_EQ(findNp(d.mesh, {2, 3, 0}), nullptr); // the 4th grid node is empty
  EXPECT_EQ(d.mesh.count(NpType::FNP2), 1);
  EXPECT_EQ(d.mesh.count(NpType::FNP3), 1);
  EXPECT_EQ(d.mesh.count(NpType::TNP_B), 12);
}

TEST(CreateDeviceTest, LoneFnpIsOnlyFnp2) {
  Device d = create_device(3, 1);
  ASSERT_EQ(d.mesh.nps.size(), 4u);
  EXPECT_EQ(d.mesh.nps[3].ident, (NpIdent{1, 2, 3}));
  EXPECT_EQ(d.mesh.nps[3].types, (Types{NpType::FNP2}));
  EXPECT_EQ(d.mesh.count(NpType::FNP3), 0);
}

TEST(CreateDeviceTest, ManyFnps) {
  Device d = create_device(0, 5);
  // 5 FNPs + 3 padding convolution NPs, which come first.
  ASSERT_EQ(d.mesh.nps.size(), 8u);
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(d.mesh.nps[i].types, kCnpV2);
  EXPECT_TRUE(d.mesh.nps[3].types.count(NpType::FNP2));
  for (int i = 4; i < 8; ++i)
    EXPECT_TRUE(d.mesh.nps[i].types.count(NpType::FNP3)) << i;
  EXPECT_EQ(d.mesh.count(NpType::FNP2), 1);
  EXPECT_EQ(d.mesh.count(NpType::FNP3), 4);
  EXPECT_EQ(d.mesh.count(NpType::CNP2), 8);
}

TEST(CreateDeviceTest, PartialNodesArePaddedWithConvolutionNps) {
  Device d = create_device(5, 0);
  ASSERT_EQ(d.mesh.nps.size(), 8u);
  EXPECT_EQ(d.mesh.count(NpType::CNP1), 8);
  Device e = create_device(1, 0);
  ASSERT_EQ(e.mesh.nps.size(), 4u);
  EXPECT_EQ(identSet(e.mesh), (std::set<NpIdent>{
                                  {1, 2, 0}, {1, 2, 1}, {1, 2, 2}, {1, 2, 3}}));
}

TEST(CreateDeviceTest, GridsAreRoughlySquare) {
  // nodes -> (columns = ceil(sqrt), rows = round(sqrt)).
  const std::pair<int, std::pair<int, int>> cases[] = {
      {1, {1, 1}},  {2, {2, 1}},  {3, {2, 2}},  {4, {2, 2}},
      {5, {3, 2}},  {6, {3, 2}},  {7, {3, 3}},  {9, {3, 3}},
      {10, {4, 3}}, {12, {4, 3}}, {13, {4, 4}}, {16, {4, 4}},
      {20, {5, 4}}, {21, {5, 5}}, {36, {6, 6}}, {42, {7, 6}},
      {43, {7, 7}}, {100, {10, 10}}};
  for (const auto &[nodes, grid] : cases) {
    const auto [gridCols, gridRows] = grid;
    // The hand-worked grid agrees with the rule itself.
    const double s = std::sqrt(double(nodes));
    EXPECT_EQ(gridCols, int(std::ceil(s))) << nodes;
    EXPECT_EQ(gridRows, int(std::lround(s))) << nodes;

    Device d = create_device(4 * nodes, 0);
    ASSERT_EQ(d.mesh.nps.size(), size_t(4 * nodes));
    // Row-major from row 2 fills exactly the first `nodes` grid nodes, and
    // always reaches the last row and column of the grid.
    std::set<std::pair<int, int>> expected, actual;
    for (int k = 0; k < nodes; ++k)
      expected.insert({k % gridCols + 1, k / gridCols + 2});
    for (const NpInfo &np : d.mesh.nps)
      actual.insert({np.ident.col, np.ident.row});
    EXPECT_EQ(actual, expected) << nodes << " nodes";
    EXPECT_EQ(gridOf(d.mesh), std::make_pair(gridCols, gridRows)) << nodes;
    identSet(d.mesh);
  }
}

TEST(CreateDeviceTest, FiveNodesLayout) {
  // 5 nodes on a 3 x 2 grid: row 2 full, row 3 columns 1-2.
  Device d = create_device(20, 0);
  std::set<std::pair<int, int>> nodeSet;
  for (const NpInfo &np : d.mesh.nps)
    nodeSet.insert({np.ident.col, np.ident.row});
  EXPECT_EQ(nodeSet, (std::set<std::pair<int, int>>{
                         {1, 2}, {2, 2}, {3, 2}, {1, 3}, {2, 3}}));
}

TEST(CreateDeviceTest, SkipDmasOnePerColumn) {
  // 2 columns, 5 channels: ceil(5 / 2) = 3 channels on each of 2 DMAs.
  Device d = create_device(8, 0, 5);
  ASSERT_EQ(d.mesh.skipDmas.size(), 2u);
  EXPECT_EQ(d.mesh.skipDmas[0].ident, (NpIdent{1, 1, 3}));
  EXPECT_EQ(d.mesh.skipDmas[1].ident, (NpIdent{2, 1, 3}));
  EXPECT_EQ(d.mesh.skipDmas[0].channels, 3);
  EXPECT_EQ(d.mesh.skipDmas[1].channels, 3);
  // One channel: one DMA in column 1.
  Device e = create_device(8, 0, 1);
  ASSERT_EQ(e.mesh.skipDmas.size(), 1u);
  EXPECT_EQ(e.mesh.skipDmas[0].ident, (NpIdent{1, 1, 3}));
  EXPECT_EQ(e.mesh.skipDmas[0].channels, 1);
  // 4 channels fit one column.
  Device f = create_device(4, 0, 4);
  ASSERT_EQ(f.mesh.skipDmas.size(), 1u);
  EXPECT_EQ(f.mesh.skipDmas[0].channels, 4);
  // 2 x 2 grid, 3 channels: min(3, 2) = 2 DMAs of ceil(3 / 2) = 2 channels.
  Device g = create_device(16, 0, 3);
  ASSERT_EQ(g.mesh.skipDmas.size(), 2u);
  EXPECT_EQ(skipDmaChannels(g.mesh), 4);
}

TEST(CreateDeviceTest, SkipDmasBeyondTheNpColumns) {
  // 1 column holds 4 channels; 6 need a second column: 2 DMAs of 3.
  Device d = create_device(4, 0, 6);
  ASSERT_EQ(d.mesh.skipDmas.size(), 2u);
  EXPECT_EQ(d.mesh.skipDmas[1].ident, (NpIdent{2, 1, 3}));
  EXPECT_EQ(d.mesh.skipDmas[0].channels, 3);
  EXPECT_EQ(d.mesh.skipDmas[1].channels, 3);
  EXPECT_EQ(gridOf(d.mesh).first, 1); // NPs stay in column 1
  // 9 channels on 1 column: 1 + ceil(5 / 4) = 3 columns of 3.
  Device e = create_device(4, 0, 9);
  ASSERT_EQ(e.mesh.skipDmas.size(), 3u);
  for (const SkipDma &dma : e.mesh.skipDmas) {
    EXPECT_EQ(dma.channels, 3);
    EXPECT_LE(dma.channels, 4);
  }
  // No NPs at all: skip DMAs still get columns of their own.
  Device f = create_device(0, 0, 5);
  EXPECT_TRUE(f.mesh.nps.empty());
  ASSERT_EQ(f.mesh.skipDmas.size(), 2u);
  EXPECT_EQ(skipDmaChannels(f.mesh), 6);
}

TEST(CreateDeviceTest, HrcAndSram) {
  EXPECT_FALSE(create_device(4, 0, 0, false).mesh.hrc.has_value());
  EXPECT_TRUE(create_device(4, 0, 0, true).mesh.hrc.has_value());
  Device d = create_device(4, 0, 0, true, SramSize{1000, 2000});
  EXPECT_EQ(d.mesh.sramSize.inputBytes, 1000);
  EXPECT_EQ(d.mesh.sramSize.weightBytes, 2000);
  // Only the HRC: allowed.
  Device hrcOnly = create_device(0, 0);
  EXPECT_TRUE(hrcOnly.mesh.nps.empty());
  EXPECT_TRUE(hrcOnly.mesh.hrc.has_value());
}

TEST(CreateDeviceTest, V1Versions) {
  for (HwVersion v : {hw::NSoC_v1, hw::NSoC_v2, hw::TwoNodesIP_v1,
                      hw::AKD1500_v1}) {
    Device d = create_device(4, 2, 0, true, std::nullopt, v);
    EXPECT_TRUE(d.version == v);
    EXPECT_EQ(d.ipVersion(), IpVersion::v1);
    EXPECT_EQ(d.mesh.sramSize.inputBytes, SramSize_v1.inputBytes);
    EXPECT_EQ(d.mesh.sramSize.weightBytes, SramSize_v1.weightBytes);
    ASSERT_EQ(d.mesh.nps.size(), 8u);
    for (size_t i = 0; i < 6; ++i)
      EXPECT_EQ(d.mesh.nps[i].types, kCnpV1);
    EXPECT_EQ(d.mesh.nps[6].types,
              (Types{NpType::CNP1, NpType::CNP2, NpType::FNP2}));
    EXPECT_EQ(d.mesh.nps[7].types,
              (Types{NpType::CNP1, NpType::CNP2, NpType::FNP3}));
    EXPECT_EQ(d.mesh.count(NpType::TNP_B), 0);
    for (const NpInfo &np : d.mesh.nps)
      EXPECT_FALSE(np.hasLut);
  }
}

TEST(CreateDeviceTest, NegativeCountsAreRejected) {
  std::string msg = invalidArgumentMessage([] { create_device(-1, 0); });
  EXPECT_NE(msg.find("num_cnp_tnp must be >= 0, got -1"), std::string::npos)
      << msg;
  msg = invalidArgumentMessage([] { create_device(4, -2); });
  EXPECT_NE(msg.find("num_fnp must be >= 0, got -2"), std::string::npos)
      << msg;
  msg = invalidArgumentMessage([] { create_device(4, 0, -3); });
  EXPECT_NE(msg.find("num_skip_dma_channel must be >= 0, got -3"),
            std::string::npos)
      << msg;
  msg = invalidArgumentMessage(
      [] { create_device(4, 0, 0, true, SramSize{-1, 0}); });
  EXPECT_NE(msg.find("sram_size"), std::string::npos) << msg;
}

TEST(CreateDeviceTest, EmptyDeviceIsRejected) {
  std::string msg =
      invalidArgumentMessage([] { create_device(0, 0, 0, false); });
  EXPECT_NE(msg.find("empty device"), std::string::npos) << msg;
  // Skip DMAs alone do not make a device.
  msg = invalidArgumentMessage([] { create_device(0, 0, 2, false); });
  EXPECT_NE(msg.find("empty device"), std::string::npos) << msg;
}

TEST(CreateDeviceTest, SkipDmasNeedV2) {
  std::string msg = invalidArgumentMessage(
      [] { create_device(4, 0, 1, true, std::nullopt, hw::AKD1500_v1); });
  EXPECT_NE(msg.find("skip DMAs are only supported on v2"), std::string::npos)
      << msg;
  EXPECT_NE(msg.find("AKD1500_v1"), std::string::npos) << msg;
}

TEST(CreateDeviceTest, UnknownVersionsAreRejected) {
  std::string msg = invalidArgumentMessage([] {
    create_device(4, 0, 0, true, std::nullopt, HwVersion{0xBC, 0xA2, 1, 1});
  });
  EXPECT_NE(msg.find("invalid hw_version HwVersion(0xBC, 0xA2, 1, 1)"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("expected one of: FPGA_v2"), std::string::npos) << msg;
  msg = invalidArgumentMessage([] {
    create_device(4, 0, 0, true, std::nullopt, HwVersion{0xBC, 0xA1, 3, 7});
  });
  EXPECT_NE(msg.find("NSoC_v1, NSoC_v2, TwoNodesIP_v1, AKD1500_v1"),
            std::string::npos)
      << msg;
  msg = invalidArgumentMessage([] {
    create_device(4, 0, 0, true, std::nullopt, HwVersion{0xBC, 0x42, 0, 0});
  });
  EXPECT_NE(msg.find("invalid hw_version"), std::string::npos) << msg;
}
