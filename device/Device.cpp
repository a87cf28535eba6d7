//===- Device.cpp - Hardware versions, NP types and idents ----------------===//
//
// The small vocabulary of devices: what a HwVersion means, the NP type
// names, ident formatting and mesh counts. The virtual devices themselves
// are in VirtualDevices.cpp.
//
//===----------------------------------------------------------------------===//
#include "device/Device.h"

#include <array>
#include <cctype>
#include <cstdio>
#include <stdexcept>
#include <utility>

namespace akida {

//===----------------------------------------------------------------------===//
// HwVersion
//===----------------------------------------------------------------------===//

IpVersion HwVersion::ipVersion() const {
  switch (productId) {
  case 0x00:
  case 0xA1:
    return IpVersion::v1;
  case 0xA2:
    return IpVersion::v2;
  default:
    // The SDK answers IpVersion::none here; this project's IpVersion has no
    // such value, so an unknown product is an error rather than a guess.
    throw std::invalid_argument("HwVersion " + str() +
                                ": unknown product id, no IP version");
  }
}

std::string HwVersion::str() const {
  static const std::array<std::pair<HwVersion, const char *>, 5> kKnown = {{
      {hw::NSoC_v1, "NSoC_v1"},
      {hw::NSoC_v2, "NSoC_v2"},
      {hw::TwoNodesIP_v1, "TwoNodesIP_v1"},
      {hw::AKD1500_v1, "AKD1500_v1"},
      {hw::FPGA_v2, "FPGA_v2"},
  }};
  for (const auto &[version, name] : kKnown)
    if (version == *this)
      return name;
  char buf[48];
  std::snprintf(buf, sizeof(buf), "HwVersion(0x%02X, 0x%02X, %u, %u)",
                unsigned(vendorId), unsigned(productId), unsigned(majorRev),
                unsigned(minorRev));
  return buf;
}

//===----------------------------------------------------------------------===//
// NP types and idents
//===----------------------------------------------------------------------===//

namespace {
constexpr std::array<std::pair<NpType, const char *>, 8> kNpTypeNames = {{
    {NpType::HRC, "HRC"},
    {NpType::CNP1, "CNP1"},
    {NpType::CNP2, "CNP2"},
    {NpType::FNP2, "FNP2"},
    {NpType::FNP3, "FNP3"},
    {NpType::TNP_B, "TNP_B"},
    {NpType::SKIP_DMA_STORE, "SKIP_DMA_STORE"},
    {NpType::SKIP_DMA_LOAD, "SKIP_DMA_LOAD"},
}};

bool equalsIgnoreCase(const std::string &a, const char *b) {
  size_t i = 0;
  for (; i < a.size() && b[i]; ++i)
    if (std::toupper(static_cast<unsigned char>(a[i])) !=
        std::toupper(static_cast<unsigned char>(b[i])))
      return false;
  return i == a.size() && !b[i];
}
} // namespace

const char *npTypeName(NpType type) {
  for (const auto &[t, name] : kNpTypeNames)
    if (t == type)
      return name;
  return "?";
}

std::optional<NpType> parseNpType(const std::string &name) {
  for (const auto &[t, typeName] : kNpTypeNames)
    if (equalsIgnoreCase(name, typeName))
      return t;
  return std::nullopt;
}

std::string NpIdent::str() const {
  return "(" + std::to_string(col) + ", " + std::to_string(row) + ", " +
         std::to_string(id) + ")";
}

//===----------------------------------------------------------------------===//
// Mesh
//===----------------------------------------------------------------------===//

SramSize defaultSramSize(IpVersion version) {
  return version == IpVersion::v2 ? SramSize_v2 : SramSize_v1;
}

int skipDmaChannels(const Mesh &mesh) {
  int channels = 0;
  for (const SkipDma &dma : mesh.skipDmas)
    channels += dma.channels;
  return channels;
}

int Mesh::count(NpType type) const {
  switch (type) {
  case NpType::HRC:
    return hrc ? 1 : 0;
  case NpType::SKIP_DMA_STORE:
  case NpType::SKIP_DMA_LOAD:
    return skipDmaChannels(*this);
  default:
    break;
  }
  int n = 0;
  for (const NpInfo &np : nps)
    n += np.types.count(type) ? 1 : 0;
  return n;
}

} // namespace akida
