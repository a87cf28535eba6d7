//===- Passes.td - Mapping passes of the akida compiler ----*- tablegen -*-===//
#ifndef AKIDA_PASSES_TD
#define AKIDA_PASSES_TD

include "mlir/Pass/PassBase.td"

def AkidaAttachTarget : Pass<"akida-attach-target", "::mlir::ModuleOp"> {
  let summary = "Record the target device on the model module";
  let description = [{
Sets `akida.target` on the module to a virtual device name. Later passes read
the device's mesh from it. The device's IP version must be the model's.

```mlir
// akida-opt --akida-attach-target="device=AKD1000"
module attributes {akida.ip_version = #akida.ip_version<v1>,
                   akida.target = "AKD1000"} { ... }
```
  }];
  let options = [
    Option<"device", "device", "std::string", "\"AKD1000\"",
           "Virtual device: AKD1000, AKD1500, TwoNodesIP, TwoNodesIPv2, "
           "SixNodesIPv2">,
  ];
}

def AkidaCheckConstraints : Pass<"akida-check-constraints", "::mlir::ModuleOp"> {
  let summary = "Check every layer against the target's hardware constraints";
  let description = [{
Checks each layer against the constraint tables of its IP version and the
target device (kernel sizes, strides, padding, pooling, channel and width
caps, bit widths, dense fan-in, topology). A layer that breaks a rule gets
`akida.backend = "software"` and a remark per rule naming the layer, the
rule, the value and what is allowed; with `hw-only` each violation is an
error instead. Other layers get `akida.backend = "hardware"`.
  }];
  let options = [
    Option<"hwOnly", "hw-only", "bool", "false",
           "Fail instead of moving layers to software">,
  ];
  let statistics = [
    Statistic<"numHardware", "hardware-layers", "Layers that can run on hardware">,
    Statistic<"numSoftware", "software-layers", "Layers sent to software">,
  ];
}

def AkidaSplitSequences : Pass<"akida-split-sequences", "::mlir::ModuleOp"> {
  let summary = "Group layers into hardware and software sequences";
  let description = [{
Groups consecutive layers with the same backend into sequences
(`akida.sequence = N` on each layer). A hardware run that does not fit the
device in one configuration is split into several sequences (AllNps,
Minimal) or several passes of one sequence (HwPr, `akida.pass = N`); a remark
says where and why. With `hw-only`, a model that is not one hardware sequence
is an error saying why.
  }];
  let options = [
    Option<"mode", "mode", "std::string", "\"AllNps\"",
           "Mapping mode: AllNps, HwPr or Minimal">,
    Option<"hwOnly", "hw-only", "bool", "false",
           "Fail unless the whole model is one hardware sequence">,
  ];
  let statistics = [
    Statistic<"numSequences", "sequences", "Sequences">,
    Statistic<"numHardwareSequences", "hardware-sequences", "Hardware sequences">,
    Statistic<"numPasses", "passes", "Hardware passes">,
  ];
}

def AkidaAllocateNps : Pass<"akida-allocate-nps", "::mlir::ModuleOp"> {
  let summary = "Place hardware layers on the NPs of the target mesh";
  let description = [{
For each pass of each hardware sequence, splits every layer's filters across
NPs of the types it may use and records them as `akida.nps` (a list of
`{col, row, id, type, filters}`). Search priorities: more layers in
hardware, fewer sequences, fewer passes, then more NPs (AllNps, HwPr) or
fewer NPs (Minimal); the budgets are in device/NpBudget.h. Layers on the
input-convolution block get an empty list (the summary prints N/A).
  }];
  let options = [
    Option<"mode", "mode", "std::string", "\"\"",
           "Mapping mode (default: the one akida-split-sequences used)">,
  ];
  let statistics = [
    Statistic<"numNps", "nps", "NPs allocated">,
  ];
}

def AkidaEmitPrograms : Pass<"akida-emit-programs", "::mlir::ModuleOp"> {
  let summary = "Emit one device program per hardware sequence";
  let description = [{
Serializes each hardware sequence (NP configuration records, packed weights,
DMA descriptors; docs/program-format.md) into `akida.programs` on the module:
one `{sequence, size, program}` entry per hardware sequence, the program as
a dense resource of bytes. Deterministic.
  }];
  let statistics = [
    Statistic<"programBytes", "program-bytes", "Bytes of programs emitted">,
  ];
}

#endif // AKIDA_PASSES_TD
