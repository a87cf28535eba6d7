//===- AkidaAttrs.td - Akida enum attributes ---------------*- tablegen -*-===//
#ifndef AKIDA_ATTRS_TD
#define AKIDA_ATTRS_TD

include "dialect/AkidaDialect.td"
include "dialect/AkidaEnums.td"
include "mlir/IR/AttrTypeBase.td"

class Akida_EnumAttr<EnumAttrInfo info, string mnemonic>
    : EnumAttr<Akida_Dialect, info, mnemonic> {
  let assemblyFormat = "`<` $value `>`";
}

def Akida_IpVersionAttr : Akida_EnumAttr<Akida_IpVersion, "ip_version">;
def Akida_PaddingAttr : Akida_EnumAttr<Akida_Padding, "padding">;
def Akida_PoolTypeAttr : Akida_EnumAttr<Akida_PoolType, "pool_type">;
def Akida_ActivationAttr : Akida_EnumAttr<Akida_Activation, "activation">;

#endif // AKIDA_ATTRS_TD
