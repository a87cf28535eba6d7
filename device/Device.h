//===- Device.h - Akida devices as data ---------------------------*- C++ -*-===//
//
// Hardware versions, neural-processor (NP) types and idents, meshes and the
// virtual devices of the SDK. The NP allocator and the simulator both read
// devices from here; the per-NP budgets they use are in NpBudget.h.
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_DEVICE_DEVICE_H
#define AKIDA_DEVICE_DEVICE_H

#include "compiler/fbz/ModelDesc.h"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace akida {

/// HwVersion(vendor_id, product_id, major_rev, minor_rev).
struct HwVersion {
  uint8_t vendorId = 0xBC;
  uint8_t productId = 0;
  uint8_t majorRev = 0;
  uint8_t minorRev = 0;
  /// v1 for product ids 0x00 and 0xA1, v2 for 0xA2.
  IpVersion ipVersion() const;
  std::string str() const; ///< e.g. "NSoC_v2" for known ones, else hex
  bool operator==(const HwVersion &o) const {
    return vendorId == o.vendorId && productId == o.productId &&
           majorRev == o.majorRev && minorRev == o.minorRev;
  }
};

namespace hw {
inline constexpr HwVersion NSoC_v1{0xBC, 0x00, 0, 1};
inline constexpr HwVersion NSoC_v2{0xBC, 0x00, 0, 2};
inline constexpr HwVersion TwoNodesIP_v1{0xBC, 0xA1, 3, 6};
inline constexpr HwVersion AKD1500_v1{0xBC, 0xA1, 3, 9};
inline constexpr HwVersion FPGA_v2{0xBC, 0xA2, 1, 0};
} // namespace hw

enum class NpType : uint8_t {
  HRC,            ///< input-convolution block
  CNP1,           ///< convolution NP
  CNP2,           ///< convolution NP with larger buffers
  FNP2,           ///< fully connected, weights in external memory
  FNP3,           ///< fully connected, weights in internal memory
  TNP_B,          ///< Akida 2.0 temporal NP
  SKIP_DMA_STORE, ///< skip-connection DMA endpoints
  SKIP_DMA_LOAD,
};
const char *npTypeName(NpType type);
std::optional<NpType> parseNpType(const std::string &name);

/// NP.Ident(col, row, id): node column and row in the mesh, NP 0-3 inside.
struct NpIdent {
  int col = 0;
  int row = 0;
  int id = 0;
  bool operator==(const NpIdent &o) const {
    return col == o.col && row == o.row && id == o.id;
  }
  bool operator<(const NpIdent &o) const {
    return col != o.col ? col < o.col : row != o.row ? row < o.row : id < o.id;
  }
  std::string str() const; ///< "(col, row, id)"
};

/// NP.Info(ident, types, has_lut).
struct NpInfo {
  NpIdent ident;
  std::set<NpType> types;
  bool hasLut = false;
};

/// NP.SramSize(input_bytes, weight_bytes) per NP.
struct SramSize {
  int64_t inputBytes = 0;
  int64_t weightBytes = 0;
};

/// The SDK's presets (NP.SramSize_v1 / NP.SramSize_v2, engine mesh.h).
/// v1: 2 input blocks of 5.25 Ki 32-bit words, 7 Ki 50-bit weight words.
/// v2: 2 input blocks of 8 Ki 32-bit words, 4 Ki 100-bit weight words.
inline constexpr SramSize SramSize_v1{43008, 44800};
inline constexpr SramSize SramSize_v2{65536, 51200};
/// The preset of an IP version.
SramSize defaultSramSize(IpVersion version);

/// A skip-connection DMA endpoint and its channel count.
struct SkipDma {
  NpIdent ident;
  int channels = 0;
};

/// NP.Mesh(ip_version, dma_event, dma_conf, hrc, nps, skip_dmas, sram_size).
struct Mesh {
  IpVersion ipVersion = IpVersion::v1;
  NpIdent dmaEvent;
  NpIdent dmaConf;
  std::optional<NpIdent> hrc;
  std::vector<NpInfo> nps;
  std::vector<SkipDma> skipDmas;
  SramSize sramSize;

  /// Number of NPs that can take `type`.
  int count(NpType type) const;
};

/// Skip-DMA channels of the mesh, all endpoints together; this is also what
/// Mesh::count returns for SKIP_DMA_STORE and SKIP_DMA_LOAD (each channel
/// takes one store or load of a merge layer). Mesh::count(HRC) is 1 when
/// the HRC is present.
int skipDmaChannels(const Mesh &mesh);

/// A device (virtual or real): version, description and mesh.
struct Device {
  std::string name; ///< e.g. "AKD1000"
  HwVersion version;
  std::string desc;
  Mesh mesh;
  bool isVirtual = true;
  /// Where a hardware device is attached: "usb:BUS:ADDRESS" (empty for a
  /// virtual device).
  std::string path;
  IpVersion ipVersion() const { return mesh.ipVersion; }
};

/// The SDK's virtual devices.
Device AKD1000();
Device AKD1500();
Device TwoNodesIP();
Device TwoNodesIPv2();
Device SixNodesIPv2();
/// A mesh as the SDK's create_device builds it (docs/device/devices.md): 4
/// NPs per node, nodes laid out in a roughly square grid (ceil(sqrt(nodes))
/// columns) with rows starting at 2, `num_cnp_tnp` convolution/temporal NPs
/// (CNP1, CNP2, and TNP_B and LUT on v2) padded up to whole nodes, then
/// `num_fnp` FNPs (the first FNP2, the others FNP3), the skip DMAs in row 1
/// (id 3, at most 4 channels per column, more columns when needed), and the
/// HRC when `include_hrc`. `hw_version` is FPGA_v2 or one of the v1 versions
/// (NSoC_v1, NSoC_v2, TwoNodesIP_v1, AKD1500_v1; no skip DMA there). Throws
/// std::invalid_argument for negative counts, an empty device, skip DMAs on
/// v1, or another hw_version.
Device create_device(int num_cnp_tnp, int num_fnp,
                     int num_skip_dma_channel = 0, bool include_hrc = true,
                     std::optional<SramSize> sram_size = std::nullopt,
                     HwVersion hw_version = hw::FPGA_v2);

/// The virtual device called `name` (AKD1000, AKD1500, TwoNodesIP,
/// TwoNodesIPv2, SixNodesIPv2); throws std::invalid_argument listing the
/// names otherwise.
Device virtualDevice(const std::string &name);
/// Names accepted by virtualDevice().
std::vector<std::string> virtualDeviceNames();

} // namespace akida

#endif // AKIDA_DEVICE_DEVICE_H
