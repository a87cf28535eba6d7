//===- AttachTarget.cpp - akida-attach-target -----------------------------===//

#include "compiler/passes/Passes.h"

#include "dialect/AkidaDialect.h"
#include "device/Device.h"

namespace akida {
#define GEN_PASS_DEF_AKIDAATTACHTARGET
#include "compiler/passes/Passes.h.inc"
} // namespace akida

using namespace mlir;
using AkidaDialect = mlir::akida::AkidaDialect;

namespace akida {
namespace {

struct AttachTarget : impl::AkidaAttachTargetBase<AttachTarget> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    Device target;
    try {
      target = virtualDevice(device);
    } catch (const std::exception &e) {
      module.emitError() << e.what();
      return signalPassFailure();
    }
    std::optional<mlir::akida::IpVersion> ip;
    if (auto attr = module->getAttrOfType<mlir::akida::IpVersionAttr>(
            AkidaDialect::kIpVersionAttrName))
      ip = attr.getValue();
    IpVersion deviceIp = target.ipVersion();
    if (ip && (*ip == mlir::akida::IpVersion::v1) != (deviceIp == IpVersion::v1)) {
      module.emitError("device '")
          << target.name << "' is an Akida "
          << (deviceIp == IpVersion::v1 ? "1.0" : "2.0")
          << " device but the model is Akida "
          << (*ip == mlir::akida::IpVersion::v1 ? "1.0" : "2.0");
      return signalPassFailure();
    }
    module->setAttr(AkidaDialect::kTargetAttrName,
                    StringAttr::get(module.getContext(), target.name));
  }
};

} // namespace
} // namespace akida
