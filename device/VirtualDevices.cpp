//===- VirtualDevices.cpp - The SDK's virtual devices ---------------------===//
//
// AKD1000, AKD1500, TwoNodesIP, TwoNodesIPv2, SixNodesIPv2 and
// create_device, with the meshes of the SDK's virtual_devices.py
// (docs/device/devices.md has every mesh as a table, and the decisions taken
// where that source is silent).
//
//===----------------------------------------------------------------------===//
#include "device/Device.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <stdexcept>
#include <string>

namespace akida {

namespace {

using Types = std::set<NpType>;

constexpr int kNpsPerNode = 4;
/// The HRC's ident in the engine (hw::HRC_IDENT).
constexpr NpIdent kHrcIdent{0, 0, 0};

/// Builds a mesh node by node.
class MeshBuilder {
public:
  MeshBuilder(IpVersion version, NpIdent dmaEvent, NpIdent dmaConf) {
    mesh_.ipVersion = version;
    mesh_.dmaEvent = dmaEvent;
    mesh_.dmaConf = dmaConf;
    mesh_.hrc = kHrcIdent;
    mesh_.sramSize = defaultSramSize(version);
    lut_ = version == IpVersion::v2;
  }

  /// NP `id` of node (col, row).
  MeshBuilder &np(int col, int row, int id, Types types) {
    mesh_.nps.push_back({NpIdent{col, row, id}, std::move(types), lut_});
    return *this;
  }
  /// A whole node: NP 0 takes `first`, NPs 1-3 take `others`.
  MeshBuilder &node(int col, int row, const Types &first,
                    const Types &others) {
    np(col, row, 0, first);
    for (int id = 1; id < kNpsPerNode; ++id)
      np(col, row, id, others);
    return *this;
  }
  MeshBuilder &skipDma(NpIdent ident, int channels) {
    mesh_.skipDmas.push_back({ident, channels});
    return *this;
  }

  Device device(const char *name, HwVersion version) && {
    Device d;
    d.name = name;
    d.version = version;
    d.desc = name;
    d.mesh = std::move(mesh_);
    d.isVirtual = true;
    return d;
  }

private:
  Mesh mesh_;
  bool lut_ = false;
};

// The node kinds of the v1 devices.
const Types kCnp1{NpType::CNP1};
const Types kCnp12{NpType::CNP1, NpType::CNP2};
const Types kCnpFnp3{NpType::CNP1, NpType::FNP3};
const Types kCnpFnp2{NpType::CNP1, NpType::FNP2};

/// The usual node: NP 0 also FNP3, NPs 1-3 also CNP2.
void standardNode(MeshBuilder &b, int col, int row) {
  b.node(col, row, kCnpFnp3, kCnp12);
}

/// The FNP2 node of AKD1500 and the two-node IPs: NP 0 CNP1 + FNP2, NPs 1-3
/// CNP1 only.
void fnp2Node(MeshBuilder &b, int col, int row, const Types &extra = {}) {
  Types first = kCnpFnp2, others = kCnp1;
  first.insert(extra.begin(), extra.end());
  others.insert(extra.begin(), extra.end());
  b.node(col, row, first, others);
}

} // namespace

//===----------------------------------------------------------------------===//
// Fixed virtual devices
//===----------------------------------------------------------------------===//

Device AKD1000() {
  MeshBuilder b(IpVersion::v1, {3, 1, 0}, {3, 1, 1});
  for (int col : {1, 2})
    for (int row = 3; row <= 5; ++row)
      standardNode(b, col, row);
  // Node (3, 1) holds the two DMAs in slots 0 and 1; NPs 2 and 3 are CNP1.
  b.np(3, 1, 2, kCnp1).np(3, 1, 3, kCnp1);
  for (int row = 2; row <= 5; ++row)
    standardNode(b, 3, row);
  // Node (4, 1): the four FNP2 (weights in external memory).
  b.node(4, 1, kCnpFnp2, kCnpFnp2);
  for (int row = 2; row <= 5; ++row)
    standardNode(b, 4, row);
  for (int row = 2; row <= 5; ++row)
    standardNode(b, 5, row);
  return std::move(b).device("AKD1000", hw::NSoC_v2);
}

Device AKD1500() {
  MeshBuilder b(IpVersion::v1, {1, 1, 0}, {1, 1, 1});
  fnp2Node(b, 1, 2);
  standardNode(b, 1, 3);
  for (int col : {2, 3})
    for (int row = 1; row <= 3; ++row)
      standardNode(b, col, row);
  return std::move(b).device("AKD1500", hw::AKD1500_v1);
}

Device TwoNodesIP() {
  MeshBuilder b(IpVersion::v1, {1, 1, 0}, {1, 1, 1});
  fnp2Node(b, 1, 2);
  standardNode(b, 1, 3);
  return std::move(b).device("TwoNodesIP", hw::TwoNodesIP_v1);
}

Device TwoNodesIPv2() {
  MeshBuilder b(IpVersion::v2, {1, 1, 0}, {1, 1, 1});
  b.skipDma({1, 1, 3}, 2);
  fnp2Node(b, 1, 2);
  standardNode(b, 2, 2);
  return std::move(b).device("TwoNodesIPv2", hw::FPGA_v2);
}

Device SixNodesIPv2() {
  const Types tnp{NpType::TNP_B};
  const Types tnpCnp12{NpType::TNP_B, NpType::CNP1, NpType::CNP2};
  const Types tnpFnp3{NpType::TNP_B, NpType::CNP1, NpType::FNP3};
  MeshBuilder b(IpVersion::v2, {1, 1, 0}, {1, 1, 1});
  b.skipDma({1, 1, 3}, 4);
  fnp2Node(b, 1, 2, tnp);
  b.node(1, 3, tnpCnp12, tnpCnp12);
  for (int col : {2, 3}) {
    b.node(col, 2, tnpFnp3, tnpCnp12);
    b.node(col, 3, tnpCnp12, tnpCnp12);
  }
  return std::move(b).device("SixNodesIPv2", hw::FPGA_v2);
}

//===----------------------------------------------------------------------===//
// create_device
//===----------------------------------------------------------------------===//

namespace {

constexpr int kSkipDmaRow = 1;
constexpr int kSkipDmaId = 3;
constexpr int kMaxSkipDmaChannelsPerCol = 4;

std::string versionList(const std::vector<HwVersion> &versions) {
  std::string s;
  for (const HwVersion &v : versions)
    s += (s.empty() ? "" : ", ") + v.str();
  return s;
}

int64_t isqrt(int64_t n) {
  int64_t r = 0;
  while ((r + 1) * (r + 1) <= n)
    ++r;
  return r;
}

void requireNonNegative(const char *what, int64_t value) {
  if (value < 0)
    throw std::invalid_argument(std::string("create_device: ") + what +
                                " must be >= 0, got " + std::to_string(value));
}

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

} // namespace

Device create_device(int num_cnp_tnp, int num_fnp, int num_skip_dma_channel,
                     bool include_hrc, std::optional<SramSize> sram_size,
                     HwVersion hw_version) {
  requireNonNegative("num_cnp_tnp", num_cnp_tnp);
  requireNonNegative("num_fnp", num_fnp);
  requireNonNegative("num_skip_dma_channel", num_skip_dma_channel);
  if (sram_size) {
    requireNonNegative("sram_size.inputBytes", sram_size->inputBytes);
    requireNonNegative("sram_size.weightBytes", sram_size->weightBytes);
  }

  // The versions create_device knows: FPGA_v2 for v2, the v1 chips and IPs
  // otherwise (a product id that is not v2 is checked against the v1 list).
  const bool v2Product = hw_version.productId == hw::FPGA_v2.productId;
  const std::vector<HwVersion> supported =
      v2Product ? std::vector<HwVersion>{hw::FPGA_v2}
                : std::vector<HwVersion>{hw::NSoC_v1, hw::NSoC_v2,
                                         hw::TwoNodesIP_v1, hw::AKD1500_v1};
  if (std::find(supported.begin(), supported.end(), hw_version) ==
      supported.end())
    throw std::invalid_argument("create_device: invalid hw_version " +
                                hw_version.str() + "; expected one of: " +
                                versionList(supported));
  const IpVersion ip = hw_version.ipVersion();
  const bool isV2 = ip == IpVersion::v2;

  if (num_skip_dma_channel > 0 && !(hw_version == hw::FPGA_v2))
    throw std::invalid_argument(
        "create_device: skip DMAs are only supported on v2 devices "
        "(hw_version=FPGA_v2), not on " +
        hw_version.str());

  // Whole nodes: the last node is completed with convolutional NPs.
  int64_t cnps = num_cnp_tnp;
  int64_t totalNps = int64_t(num_cnp_tnp) + num_fnp;
  const int64_t padding = (kNpsPerNode - totalNps % kNpsPerNode) % kNpsPerNode;
  cnps += padding;
  totalNps += padding;
  if (totalNps == 0 && !include_hrc)
    throw std::invalid_argument(
        "create_device: cannot create an empty device: num_cnp_tnp + num_fnp "
        "must be greater than zero, or the HRC must be included");

  // The grid: columns = ceil(sqrt(nodes)); rows = round(sqrt(nodes)), i.e.
  // floor(sqrt) plus one when the fractional part of sqrt(nodes) is above
  // one half, which for an integer n = nodes means n > s*s + s, s = floor.
  const int64_t nodes = totalNps / kNpsPerNode;
  int64_t cols = 0, rows = 0;
  if (nodes > 0) {
    const int64_t s = isqrt(nodes);
    if (s * s == nodes) {
      cols = rows = s;
    } else {
      cols = s + 1;
      rows = nodes > s * s + s ? s + 1 : s;
    }
  }

  Device device;
  device.name = "custom";
  device.version = hw_version;
  device.desc = "create_device(num_cnp_tnp=" + std::to_string(num_cnp_tnp) +
                ", num_fnp=" + std::to_string(num_fnp) +
                ", num_skip_dma_channel=" +
                std::to_string(num_skip_dma_channel) +
                ", include_hrc=" + (include_hrc ? "True" : "False") +
                ", hw_version=" + hw_version.str() + ")";
  device.isVirtual = true;
  Mesh &mesh = device.mesh;
  mesh.ipVersion = ip;
  mesh.dmaEvent = {1, 1, 0};
  mesh.dmaConf = {1, 1, 1};
  if (include_hrc)
    mesh.hrc = kHrcIdent;
  mesh.sramSize = sram_size ? *sram_size : defaultSramSize(ip);

  // Skip DMAs in row 1, id 3, one per column from column 1, with channels
  // spread evenly; more columns than the NPs use when 4 per column is not
  // enough.
  if (num_skip_dma_channel > 0) {
    int64_t dmaCols = cols;
    const int64_t extra =
        num_skip_dma_channel - dmaCols * kMaxSkipDmaChannelsPerCol;
    if (extra > 0)
      dmaCols += ceilDiv(extra, kMaxSkipDmaChannelsPerCol);
    const int64_t perDma = ceilDiv(num_skip_dma_channel, dmaCols);
    const int64_t numDmas = std::min<int64_t>(num_skip_dma_channel, dmaCols);
    for (int64_t col = 1; col <= numDmas; ++col)
      mesh.skipDmas.push_back(
          {NpIdent{int(col), kSkipDmaRow, kSkipDmaId}, int(perDma)});
  }

  // NP types. A lone FNP is only an FNP2; with several, the first is FNP2
  // and the others FNP3, and they can also run convolutions.
  Types cnpTypes{NpType::CNP1, NpType::CNP2};
  Types fnpBase;
  if (num_fnp > 1)
    fnpBase = {NpType::CNP1, NpType::CNP2};
  if (isV2) {
    cnpTypes.insert(NpType::TNP_B);
    if (num_fnp > 1)
      fnpBase.insert(NpType::TNP_B);
  }

  // Row-major from row 2: every column of a row before the next row.
  int64_t fnps = num_fnp;
  bool firstFnp = true;
  for (int64_t row = 2; row < rows + 2; ++row)
    for (int64_t col = 1; col <= cols; ++col)
      for (int id = 0; id < kNpsPerNode; ++id) {
        NpIdent ident{int(col), int(row), id};
        if (cnps > 0) {
          mesh.nps.push_back({ident, cnpTypes, isV2});
          --cnps;
        } else if (fnps > 0) {
          Types t = fnpBase;
          t.insert(firstFnp ? NpType::FNP2 : NpType::FNP3);
          firstFnp = false;
          mesh.nps.push_back({ident, std::move(t), isV2});
          --fnps;
        }
      }
  return device;
}

//===----------------------------------------------------------------------===//
// Lookup by name
//===----------------------------------------------------------------------===//

namespace {
struct Named {
  const char *name;
  Device (*make)();
};
constexpr Named kVirtualDevices[] = {
    {"AKD1000", AKD1000},           {"AKD1500", AKD1500},
    {"TwoNodesIP", TwoNodesIP},     {"TwoNodesIPv2", TwoNodesIPv2},
    {"SixNodesIPv2", SixNodesIPv2},
};

std::string lower(std::string s) {
  for (char &c : s)
    c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
} // namespace

std::vector<std::string> virtualDeviceNames() {
  std::vector<std::string> names;
  for (const Named &n : kVirtualDevices)
    names.push_back(n.name);
  return names;
}

Device virtualDevice(const std::string &name) {
  const std::string key = lower(name);
  for (const Named &n : kVirtualDevices)
    if (key == lower(n.name))
      return n.make();
  // Newer SDKs call the v1 two-node IP TwoNodesIPv1.
  if (key == "twonodesipv1")
    return TwoNodesIP();
  std::string list;
  for (const Named &n : kVirtualDevices)
    list += (list.empty() ? "" : ", ") + std::string(n.name);
  throw std::invalid_argument("unknown virtual device '" + name +
                              "'; expected one of: " + list);
}

} // namespace akida
