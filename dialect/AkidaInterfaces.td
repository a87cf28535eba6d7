//===- AkidaInterfaces.td - Akida op interfaces ------------*- tablegen -*-===//
#ifndef AKIDA_INTERFACES_TD
#define AKIDA_INTERFACES_TD

include "mlir/IR/OpBase.td"

def Akida_LayerOpInterface : OpInterface<"LayerOpInterface"> {
  let cppNamespace = "::mlir::akida";
  let description = [{
Every akida op is one Akida layer. This interface gives passes, the `.fbz`
translation and the summary printer uniform access to the layer's name, its
SDK layer type and the IP version family it belongs to.
  }];
  let methods = [
    InterfaceMethod<"The layer's name as the SDK shows it.",
      "::llvm::StringRef", "getLayerName", (ins), [{
        return $_op.getName();
      }]>,
    StaticInterfaceMethod<"The SDK layer type.",
      "::mlir::akida::LayerType", "getLayerType">,
    StaticInterfaceMethod<
      "The IP version the layer belongs to; none for layers of both versions.",
      "std::optional<::mlir::akida::IpVersion>", "getIpFamily">,
    StaticInterfaceMethod<"Whether the layer is a model input layer.",
      "bool", "isInputLayer">,
  ];
}

#endif // AKIDA_INTERFACES_TD
