//===- VirtualDevicesTest.cpp - The SDK's fixed virtual devices -----------===//
//
// Every mesh is checked against the table in docs/device/devices.md, written
// out here ident by ident rather than recomputed.
//
//===----------------------------------------------------------------------===//
#include "DeviceTestUtil.h"

using namespace akida;
using namespace akida::test;

namespace {

const Types kCnp1{NpType::CNP1};
const Types kCnp12{NpType::CNP1, NpType::CNP2};
const Types kCnpFnp3{NpType::CNP1, NpType::FNP3};
const Types kCnpFnp2{NpType::CNP1, NpType::FNP2};

/// The four idents of node (col, row).
std::set<NpIdent> node(int col, int row) {
  return {{col, row, 0}, {col, row, 1}, {col, row, 2}, {col, row, 3}};
}

std::set<NpIdent> nodes(std::initializer_list<std::pair<int, int>> list) {
  std::set<NpIdent> all;
  for (auto [col, row] : list) {
    auto n = node(col, row);
    all.insert(n.begin(), n.end());
  }
  return all;
}

void expectNoLut(const Mesh &mesh) {
  for (const NpInfo &np : mesh.nps)
    EXPECT_FALSE(np.hasLut) << np.ident.str();
}

void expectAllLut(const Mesh &mesh) {
  for (const NpInfo &np : mesh.nps)
    EXPECT_TRUE(np.hasLut) << np.ident.str();
}

} // namespace

//===----------------------------------------------------------------------===//
// AKD1000
//===----------------------------------------------------------------------===//

TEST(AKD1000Test, VersionAndEndpoints) {
  Device d = AKD1000();
  EXPECT_EQ(d.name, "AKD1000");
  EXPECT_EQ(d.desc, "AKD1000");
  EXPECT_TRUE(d.isVirtual);
  EXPECT_TRUE(d.version == hw::NSoC_v2);
  EXPECT_EQ(d.ipVersion(), IpVersion::v1);
  EXPECT_EQ(d.mesh.ipVersion, IpVersion::v1);
  EXPECT_EQ(d.mesh.dmaEvent, (NpIdent{3, 1, 0}));
  EXPECT_EQ(d.mesh.dmaConf, (NpIdent{3, 1, 1}));
  ASSERT_TRUE(d.mesh.hrc.has_value());
  EXPECT_EQ(*d.mesh.hrc, (NpIdent{0, 0, 0}));
  EXPECT_TRUE(d.mesh.skipDmas.empty());
  EXPECT_EQ(d.mesh.sramSize.inputBytes, 43008);
  EXPECT_EQ(d.mesh.sramSize.weightBytes, 44800);
}

TEST(AKD1000Test, ExactlyTheListedIdents) {
  Mesh mesh = AKD1000().mesh;
  ASSERT_EQ(mesh.nps.size(), 78u);
  std::set<NpIdent> expected = nodes({{1, 3}, {1, 4}, {1, 5},
                                      {2, 3}, {2, 4}, {2, 5},
                                      {3, 2}, {3, 3}, {3, 4}, {3, 5},
                                      {4, 1}, {4, 2}, {4, 3}, {4, 4}, {4, 5},
                                      {5, 2}, {5, 3}, {5, 4}, {5, 5}});
  expected.insert({3, 1, 2});
  expected.insert({3, 1, 3});
  ASSERT_EQ(expected.size(), 78u);
  EXPECT_EQ(identSet(mesh), expected);
  // The DMA slots are not NPs.
  EXPECT_EQ(findNp(mesh, {3, 1, 0}), nullptr);
  EXPECT_EQ(findNp(mesh, {3, 1, 1}), nullptr);
}

TEST(AKD1000Test, TypeCounts) {
  Mesh mesh = AKD1000().mesh;
  EXPECT_EQ(mesh.count(NpType::CNP1), 78);
  EXPECT_EQ(mesh.count(NpType::CNP2), 54);
  EXPECT_EQ(mesh.count(NpType::FNP3), 18);
  EXPECT_EQ(mesh.count(NpType::FNP2), 4);
  EXPECT_EQ(mesh.count(NpType::TNP_B), 0);
  EXPECT_EQ(mesh.count(NpType::HRC), 1);
  EXPECT_EQ(mesh.count(NpType::SKIP_DMA_LOAD), 0);
  expectNoLut(mesh);
}

TEST(AKD1000Test, TypesOfEachNp) {
  Mesh mesh = AKD1000().mesh;
  int cnp1Only = 0;
  for (const NpInfo &np : mesh.nps) {
    const NpIdent &i = np.ident;
    Types expected;
    if (i.col == 3 && i.row == 1)
      expected = kCnp1;
    else if (i.col == 4 && i.row == 1)
      expected = kCnpFnp2;
    else if (i.id == 0)
      expected = kCnpFnp3;
    else
      expected = kCnp12;
    EXPECT_EQ(np.types, expected) << i.str();
    cnp1Only += np.types == kCnp1;
  }
  EXPECT_EQ(cnp1Only, 2);
  EXPECT_EQ(typesAt(mesh, {3, 1, 2}), kCnp1);
  EXPECT_EQ(typesAt(mesh, {3, 1, 3}), kCnp1);
  EXPECT_EQ(typesAt(mesh, {4, 1, 0}), kCnpFnp2);
  EXPECT_EQ(typesAt(mesh, {4, 1, 3}), kCnpFnp2);
  EXPECT_EQ(typesAt(mesh, {5, 5, 0}), kCnpFnp3);
  EXPECT_EQ(typesAt(mesh, {1, 3, 1}), kCnp12);
}

TEST(AKD1000Test, NodeCountMatchesMarketing) {
  // 20 nodes of 4 NP slots (80), of which two slots hold the DMAs.
  std::set<std::pair<int, int>> nodeSet;
  for (const NpInfo &np : AKD1000().mesh.nps)
    nodeSet.insert({np.ident.col, np.ident.row});
  EXPECT_EQ(nodeSet.size(), 20u);
}

//===----------------------------------------------------------------------===//
// AKD1500
//===----------------------------------------------------------------------===//

TEST(AKD1500Test, Mesh) {
  Device d = AKD1500();
  EXPECT_EQ(d.name, "AKD1500");
  EXPECT_TRUE(d.version == hw::AKD1500_v1);
  EXPECT_EQ(d.ipVersion(), IpVersion::v1);
  EXPECT_EQ(d.mesh.dmaEvent, (NpIdent{1, 1, 0}));
  EXPECT_EQ(d.mesh.dmaConf, (NpIdent{1, 1, 1}));
  ASSERT_TRUE(d.mesh.hrc.has_value());
  EXPECT_EQ(*d.mesh.hrc, (NpIdent{0, 0, 0}));
  EXPECT_TRUE(d.mesh.skipDmas.empty());
  ASSERT_EQ(d.mesh.nps.size(), 32u);
  EXPECT_EQ(identSet(d.mesh), nodes({{1, 2}, {1, 3}, {2, 1}, {2, 2}, {2, 3},
                                     {3, 1}, {3, 2}, {3, 3}}));
  EXPECT_EQ(typesAt(d.mesh, {1, 2, 0}), kCnpFnp2);
  for (int id = 1; id < 4; ++id)
    EXPECT_EQ(typesAt(d.mesh, {1, 2, id}), kCnp1);
  for (const NpInfo &np : d.mesh.nps) {
    if (np.ident.col == 1 && np.ident.row == 2)
      continue;
    EXPECT_EQ(np.types, np.ident.id == 0 ? kCnpFnp3 : kCnp12)
        << np.ident.str();
  }
  EXPECT_EQ(d.mesh.count(NpType::CNP1), 32);
  EXPECT_EQ(d.mesh.count(NpType::CNP2), 21);
  EXPECT_EQ(d.mesh.count(NpType::FNP3), 7);
  EXPECT_EQ(d.mesh.count(NpType::FNP2), 1);
  expectNoLut(d.mesh);
  EXPECT_EQ(d.mesh.sramSize.inputBytes, SramSize_v1.inputBytes);
}

//===----------------------------------------------------------------------===//
// TwoNodesIP (v1)
//===----------------------------------------------------------------------===//

TEST(TwoNodesIPTest, Mesh) {
  Device d = TwoNodesIP();
  EXPECT_EQ(d.name, "TwoNodesIP");
  EXPECT_TRUE(d.version == hw::TwoNodesIP_v1);
  EXPECT_EQ(d.ipVersion(), IpVersion::v1);
  EXPECT_EQ(d.mesh.dmaEvent, (NpIdent{1, 1, 0}));
  EXPECT_EQ(d.mesh.dmaConf, (NpIdent{1, 1, 1}));
  EXPECT_TRUE(d.mesh.hrc.has_value());
  EXPECT_TRUE(d.mesh.skipDmas.empty());
  ASSERT_EQ(d.mesh.nps.size(), 8u);
  EXPECT_EQ(identSet(d.mesh), nodes({{1, 2}, {1, 3}}));
  EXPECT_EQ(typesAt(d.mesh, {1, 2, 0}), kCnpFnp2);
  EXPECT_EQ(typesAt(d.mesh, {1, 2, 1}), kCnp1);
  EXPECT_EQ(typesAt(d.mesh, {1, 2, 2}), kCnp1);
  EXPECT_EQ(typesAt(d.mesh, {1, 2, 3}), kCnp1);
  EXPECT_EQ(typesAt(d.mesh, {1, 3, 0}), kCnpFnp3);
  EXPECT_EQ(typesAt(d.mesh, {1, 3, 1}), kCnp12);
  EXPECT_EQ(typesAt(d.mesh, {1, 3, 2}), kCnp12);
  EXPECT_EQ(typesAt(d.mesh, {1, 3, 3}), kCnp12);
  expectNoLut(d.mesh);
}

//===----------------------------------------------------------------------===//
// TwoNodesIPv2, SixNodesIPv2
//===----------------------------------------------------------------------===//

TEST(TwoNodesIPv2Test, Mesh) {
  Device d = TwoNodesIPv2();
  EXPECT_EQ(d.name, "TwoNodesIPv2");
  EXPECT_TRUE(d.version == hw::FPGA_v2);
  EXPECT_EQ(d.ipVersion(), IpVersion::v2);
  EXPECT_EQ(d.mesh.dmaEvent, (NpIdent{1, 1, 0}));
  EXPECT_EQ(d.mesh.dmaConf, (NpIdent{1, 1, 1}));
  EXPECT_TRUE(d.mesh.hrc.has_value());
  ASSERT_EQ(d.mesh.skipDmas.size(), 1u);
  EXPECT_EQ(d.mesh.skipDmas[0].ident, (NpIdent{1, 1, 3}));
  EXPECT_EQ(d.mesh.skipDmas[0].channels, 2);
  EXPECT_EQ(d.mesh.count(NpType::SKIP_DMA_STORE), 2);
  ASSERT_EQ(d.mesh.nps.size(), 8u);
  EXPECT_EQ(identSet(d.mesh), nodes({{1, 2}, {2, 2}}));
  EXPECT_EQ(typesAt(d.mesh, {1, 2, 0}), kCnpFnp2);
  for (int id = 1; id < 4; ++id) {
    EXPECT_EQ(typesAt(d.mesh, {1, 2, id}), kCnp1);
    EXPECT_EQ(typesAt(d.mesh, {2, 2, id}), kCnp12);
  }
  EXPECT_EQ(typesAt(d.mesh, {2, 2, 0}), kCnpFnp3);
  EXPECT_EQ(d.mesh.count(NpType::TNP_B), 0);
  expectAllLut(d.mesh);
  EXPECT_EQ(d.mesh.sramSize.inputBytes, SramSize_v2.inputBytes);
  EXPECT_EQ(d.mesh.sramSize.weightBytes, SramSize_v2.weightBytes);
}

TEST(SixNodesIPv2Test, Mesh) {
  Device d = SixNodesIPv2();
  EXPECT_EQ(d.name, "SixNodesIPv2");
  EXPECT_TRUE(d.version == hw::FPGA_v2);
  EXPECT_EQ(d.ipVersion(), IpVersion::v2);
  EXPECT_EQ(d.mesh.dmaEvent, (NpIdent{1, 1, 0}));
  EXPECT_EQ(d.mesh.dmaConf, (NpIdent{1, 1, 1}));
  EXPECT_TRUE(d.mesh.hrc.has_value());
  ASSERT_EQ(d.mesh.skipDmas.size(), 1u);
  EXPECT_EQ(d.mesh.skipDmas[0].ident, (NpIdent{1, 1, 3}));
  EXPECT_EQ(d.mesh.skipDmas[0].channels, 4);
  ASSERT_EQ(d.mesh.nps.size(), 24u);
  EXPECT_EQ(identSet(d.mesh),
            nodes({{1, 2}, {1, 3}, {2, 2}, {2, 3}, {3, 2}, {3, 3}}));
  const Types t2{NpType::TNP_B, NpType::CNP1, NpType::FNP2};
  const Types t1{NpType::TNP_B, NpType::CNP1};
  const Types t12{NpType::TNP_B, NpType::CNP1, NpType::CNP2};
  const Types t3{NpType::TNP_B, NpType::CNP1, NpType::FNP3};
  EXPECT_EQ(typesAt(d.mesh, {1, 2, 0}), t2);
  for (int id = 1; id < 4; ++id)
    EXPECT_EQ(typesAt(d.mesh, {1, 2, id}), t1);
  for (int id = 0; id < 4; ++id) {
    EXPECT_EQ(typesAt(d.mesh, {1, 3, id}), t12);
    EXPECT_EQ(typesAt(d.mesh, {2, 3, id}), t12);
    EXPECT_EQ(typesAt(d.mesh, {3, 3, id}), t12);
  }
  for (int col : {2, 3}) {
    EXPECT_EQ(typesAt(d.mesh, {col, 2, 0}), t3);
    for (int id = 1; id < 4; ++id)
      EXPECT_EQ(typesAt(d.mesh, {col, 2, id}), t12);
  }
  EXPECT_EQ(d.mesh.count(NpType::TNP_B), 24);
  EXPECT_EQ(d.mesh.count(NpType::CNP1), 24);
  EXPECT_EQ(d.mesh.count(NpType::CNP2), 18);
  EXPECT_EQ(d.mesh.count(NpType::FNP3), 2);
  EXPECT_EQ(d.mesh.count(NpType::FNP2), 1);
  expectAllLut(d.mesh);
}

//===----------------------------------------------------------------------===//
// Common properties and lookup by name
//===----------------------------------------------------------------------===//

TEST(VirtualDevicesTest, NoNpSitsOnADmaOrSkipDmaSlot) {
  for (const std::string &name : virtualDeviceNames()) {
    Device d = virtualDevice(name);
    EXPECT_EQ(findNp(d.mesh, d.mesh.dmaEvent), nullptr) << name;
    EXPECT_EQ(findNp(d.mesh, d.mesh.dmaConf), nullptr) << name;
    for (const SkipDma &dma : d.mesh.skipDmas)
      EXPECT_EQ(findNp(d.mesh, dma.ident), nullptr) << name;
    identSet(d.mesh); // no duplicates
    for (const NpInfo &np : d.mesh.nps) {
      EXPECT_GE(np.ident.id, 0);
      EXPECT_LE(np.ident.id, 3);
      EXPECT_TRUE(np.types.count(NpType::CNP1)) << name << np.ident.str();
      EXPECT_FALSE(np.types.count(NpType::HRC));
      EXPECT_FALSE(np.types.count(NpType::SKIP_DMA_STORE));
      EXPECT_EQ(np.hasLut, d.ipVersion() == IpVersion::v2);
    }
    EXPECT_EQ(d.ipVersion(), d.version.ipVersion()) << name;
  }
}

TEST(VirtualDevicesTest, Names) {
  EXPECT_EQ(virtualDeviceNames(),
            (std::vector<std::string>{"AKD1000", "AKD1500", "TwoNodesIP",
                                      "TwoNodesIPv2", "SixNodesIPv2"}));
  for (const std::string &name : virtualDeviceNames())
    EXPECT_EQ(virtualDevice(name).name, name);
}

TEST(VirtualDevicesTest, LookupIsCaseInsensitive) {
  EXPECT_EQ(virtualDevice("akd1000").name, "AKD1000");
  EXPECT_EQ(virtualDevice("Akd1500").name, "AKD1500");
  EXPECT_EQ(virtualDevice("TWONODESIP").name, "TwoNodesIP");
  EXPECT_EQ(virtualDevice("twonodesipv2").name, "TwoNodesIPv2");
  EXPECT_EQ(virtualDevice("sixNodesIPV2").name, "SixNodesIPv2");
  // The newer SDK name of the v1 two-node IP.
  EXPECT_EQ(virtualDevice("TwoNodesIPv1").name, "TwoNodesIP");
  EXPECT_EQ(virtualDevice("akd1000").mesh.nps.size(), 78u);
}

TEST(VirtualDevicesTest, UnknownNameListsTheKnownOnes) {
  for (const char *bad : {"AKD2000", "", " AKD1000", "AKD1000 ", "Akida"}) {
    std::string msg = invalidArgumentMessage([&] { virtualDevice(bad); });
    EXPECT_NE(msg.find("unknown virtual device '" + std::string(bad) + "'"),
              std::string::npos)
        << msg;
    EXPECT_NE(msg.find("AKD1000, AKD1500, TwoNodesIP, TwoNodesIPv2, "
                       "SixNodesIPv2"),
              std::string::npos)
        << msg;
  }
}
