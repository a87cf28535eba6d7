// emitProgram -> readProgram gives back every record; weights unpack to the
// original slices at every bit width; variables are sliced per filter; spans,
// descriptors and de-quantization are consistent; output is deterministic;
// emitProgram refuses plans that do not match the model or the device.

#include "ProgramTestUtil.h"

#include "compiler/fbz/LayerSchema.h"
#include "compiler/fbz/Version.h"

#include <gtest/gtest.h>

#include <iostream>
#include <set>

namespace akida::test {
namespace {

struct Emitted {
  ModelDesc model;
  std::vector<ActType> types;
  SequencePlan plan;
  Device device;
  DecodedProgram built;
  std::vector<uint8_t> bytes;
  DecodedProgram read;
};

Emitted emitV1(int bits, SequencePlan plan = v1Plan(),
               bool fcActivation = false) {
  Emitted e{v1Model(bits, fcActivation), {}, std::move(plan), v1Device(), {},
            {}, {}};
  e.types = outputTypes(e.model);
  e.built = buildProgram(e.model, e.types, e.plan, e.device);
  e.bytes = emitProgram(e.model, e.types, e.plan, e.device);
  e.read = readProgram(e.bytes);
  return e;
}

Emitted emitV2(int bits) {
  Emitted e{v2Model(bits), {}, v2Plan(), v2Device(), {}, {}, {}};
  e.types = outputTypes(e.model);
  e.built = buildProgram(e.model, e.types, e.plan, e.device);
  e.bytes = emitProgram(e.model, e.types, e.plan, e.device);
  e.read = readProgram(e.bytes);
  return e;
}

/// The read program holds exactly what buildProgram produced.
void expectSameContent(const DecodedProgram &a, const DecodedProgram &b) {
  EXPECT_EQ(a.formatVersion, b.formatVersion);
  EXPECT_EQ(a.sdkVersion, b.sdkVersion);
  EXPECT_EQ(a.deviceName, b.deviceName);
  EXPECT_EQ(a.deviceVersion, b.deviceVersion);
  EXPECT_EQ(a.ipVersion, b.ipVersion);
  EXPECT_EQ(a.input, b.input);
  EXPECT_EQ(a.output, b.output);
  EXPECT_EQ(a.outputActivation, b.outputActivation);
  EXPECT_EQ(a.denseWindowRows, b.denseWindowRows);
  EXPECT_EQ(a.denseWindowCols, b.denseWindowCols);
  EXPECT_EQ(a.maxNumDescriptors, b.maxNumDescriptors);
  EXPECT_EQ(a.dequantShifts, b.dequantShifts);
  EXPECT_EQ(a.dequantScales, b.dequantScales);
  ASSERT_EQ(a.passes.size(), b.passes.size());
  for (size_t p = 0; p < a.passes.size(); ++p) {
    const PassProgram &x = a.passes[p], &y = b.passes[p];
    EXPECT_EQ(x.layers, y.layers);
    EXPECT_EQ(x.layerNames, y.layerNames);
    EXPECT_EQ(x.numDescriptors, y.numDescriptors);
    EXPECT_EQ(x.hrc.has_value(), y.hrc.has_value());
    if (x.hrc && y.hrc) {
      EXPECT_TRUE(*x.hrc == *y.hrc);
    }
    EXPECT_TRUE(x.nps == y.nps) << "pass " << p;
    EXPECT_TRUE(x.merges == y.merges) << "pass " << p;
    EXPECT_TRUE(x.inputs == y.inputs) << "pass " << p;
  }
}

std::vector<const UnitRecord *> unitsOf(const PassProgram &pass, int layer) {
  std::vector<const UnitRecord *> out;
  if (pass.hrc && pass.hrc->layer == layer)
    out.push_back(&*pass.hrc);
  for (const UnitRecord &u : pass.nps)
    if (u.layer == layer)
      out.push_back(&u);
  for (const UnitRecord &u : pass.merges)
    if (u.layer == layer)
      out.push_back(&u);
  return out;
}

const UnitRecord *unitAt(const PassProgram &pass, NpIdent ident) {
  for (const UnitRecord &u : pass.nps)
    if (u.ident == ident)
      return &u;
  return nullptr;
}

/// Every tensor of every unit is the unit's slice of the layer's variable;
/// weights are packed at weights_bits.
void expectTensorsAreSlices(const ModelDesc &model, const UnitRecord &u) {
  const LayerDesc &layer = model.layers[size_t(u.layer)];
  ASSERT_EQ(u.tensors.size(), layer.variables.size()) << layer.name;
  for (const ProgramTensor &t : u.tensors) {
    SCOPED_TRACE(layer.name + "." + t.name + " on " +
                 std::to_string(u.ident.col) + "," + std::to_string(u.ident.row) +
                 "," + std::to_string(u.ident.id));
    const Variable &v = layer.variables.at(t.name);
    const bool weights = t.name == "weights" || t.name == "weights_pw";
    EXPECT_EQ(t.packed, weights);
    if (weights) {
      EXPECT_EQ(t.bits, param(layer, "weights_bits"));
      EXPECT_EQ(t.data.size(), size_t((t.size() * t.bits + 7) / 8));
    } else {
      EXPECT_EQ(t.bits, v.bitwidth);
    }
    Array expected =
        t.perFilter ? sliceLastAxis(v.array, u.firstFilter, u.filterCount)
                    : v.array;
    EXPECT_TRUE(t.toArray() == expected);
  }
}

TEST(ProgramRoundTrip, V1EveryRecordAtEveryBitWidth) {
  for (int bits : {1, 2, 4, 8}) {
    SCOPED_TRACE("weights_bits " + std::to_string(bits));
    Emitted e = emitV1(bits);
    expectSameContent(e.read, e.built);
    ASSERT_EQ(e.read.passes.size(), 1u);
    const PassProgram &pass = e.read.passes[0];
    EXPECT_EQ(pass.layers, (std::vector<int>{0, 1, 2}));
    EXPECT_EQ(pass.layerNames,
              (std::vector<std::string>{"conv_0", "separable_1", "dense_2"}));
    ASSERT_TRUE(pass.hrc);
    EXPECT_EQ(pass.hrc->type, NpType::HRC);
    EXPECT_EQ(pass.hrc->ident, (NpIdent{1, 1, 2}));
    EXPECT_EQ(pass.hrc->layer, 0);
    EXPECT_EQ(pass.hrc->layerType, LayerType::InputConvolutional);
    EXPECT_EQ(pass.hrc->filterCount, 5);
    EXPECT_TRUE(pass.merges.empty());
    // One record per planned NP, with the planned type and filter count.
    ASSERT_EQ(pass.nps.size(), 7u);
    for (const auto &[layer, maps] : e.plan.passes[0].nps)
      for (const NpMapping &m : maps) {
        const UnitRecord *u = unitAt(pass, m.ident);
        ASSERT_NE(u, nullptr);
        EXPECT_EQ(u->layer, layer);
        EXPECT_EQ(u->type, m.type);
        EXPECT_EQ(u->filterCount, m.filters);
        EXPECT_EQ(u->layerType, e.model.layers[size_t(layer)].type);
        // Parameters: the layer's, defaults filled in.
        LayerDesc filled = e.model.layers[size_t(layer)];
        fillDefaultParams(filled);
        EXPECT_EQ(u->params, filled.params);
      }
    for (const UnitRecord *u : unitsOf(pass, 0))
      expectTensorsAreSlices(e.model, *u);
    for (const UnitRecord &u : pass.nps)
      expectTensorsAreSlices(e.model, u);
  }
}

TEST(ProgramRoundTrip, V1FilterRangesAndColumnBlocks) {
  Emitted e = emitV1(4);
  const PassProgram &pass = e.read.passes[0];
  std::vector<const UnitRecord *> sep = unitsOf(pass, 1);
  ASSERT_EQ(sep.size(), 6u);
  // Input 6x7: two column blocks of 4 and 3 columns, each with all 7 filters
  // split 3 + 2 + 2.
  const int64_t firstFilters[] = {0, 3, 5, 0, 3, 5};
  const int64_t counts[] = {3, 2, 2, 3, 2, 2};
  for (size_t i = 0; i < 6; ++i) {
    const UnitRecord &u = *sep[i];
    EXPECT_EQ(u.firstFilter, firstFilters[i]) << i;
    EXPECT_EQ(u.filterCount, counts[i]) << i;
    EXPECT_EQ(u.totalFilters, 7);
    EXPECT_EQ(u.columnBlocks, 2);
    EXPECT_EQ(u.columnBlock, int64_t(i / 3));
    EXPECT_EQ(u.firstColumn, i < 3 ? 0 : 4);
    EXPECT_EQ(u.columnCount, i < 3 ? 4 : 3);
    EXPECT_EQ(u.input.dims, (std::array<int64_t, 3>{6, 7, 5}));
    EXPECT_EQ(u.input.format, DataFormat::Events);
    EXPECT_EQ(u.output.dims, (std::array<int64_t, 3>{6, 7, 7}));
    // The depthwise stage's weights (kx, ky, C, 1) are whole on every NP.
    ASSERT_NE(u.tensor("weights"), nullptr);
    EXPECT_FALSE(u.tensor("weights")->perFilter);
    EXPECT_EQ(u.tensor("weights")->shape, (std::vector<int64_t>{3, 3, 5, 1}));
    EXPECT_EQ(u.tensor("weights_pw")->shape,
              (std::vector<int64_t>{1, 1, 5, counts[i]}));
    EXPECT_EQ(u.tensor("threshold")->shape, (std::vector<int64_t>{counts[i]}));
  }
  const UnitRecord *fc = unitAt(pass, {1, 2, 0});
  ASSERT_NE(fc, nullptr);
  EXPECT_EQ(fc->type, NpType::FNP3);
  EXPECT_EQ(fc->columnBlocks, 1);
  EXPECT_EQ(fc->tensor("weights")->shape, (std::vector<int64_t>{1, 1, 294, 3}));
}

TEST(ProgramRoundTrip, V1Routes) {
  Emitted e = emitV1(2);
  const PassProgram &pass = e.read.passes[0];
  const Endpoint hrc{EndpointKind::Hrc, {1, 1, 2}};
  const Endpoint dma{EndpointKind::EventDma, {1, 1, 0}};
  // The dense input goes to the HRC.
  ASSERT_EQ(pass.inputs.size(), 1u);
  EXPECT_TRUE(pass.inputs[0] == (DmaDescriptor{dma, hrc, -1, 0, 0, 0, 3}));
  // The HRC feeds every separable NP all 5 channels.
  ASSERT_EQ(pass.hrc->routes.size(), 6u);
  for (const DmaDescriptor &r : pass.hrc->routes) {
    EXPECT_EQ(r.source, hrc);
    EXPECT_EQ(r.dest.kind, EndpointKind::Np);
    EXPECT_EQ(r.destLayer, 1);
    EXPECT_EQ(r.firstChannel, 0);
    EXPECT_EQ(r.channelCount, 5);
  }
  // Each separable NP sends its filters to the FC NP.
  const Endpoint fc{EndpointKind::Np, {1, 2, 0}};
  for (const UnitRecord *u : unitsOf(pass, 1)) {
    ASSERT_EQ(u->routes.size(), 1u);
    EXPECT_TRUE(u->routes[0] == (DmaDescriptor{{EndpointKind::Np, u->ident},
                                               fc, 1, 2, 0, u->firstFilter,
                                               u->filterCount}));
  }
  // The FC output leaves through the event DMA.
  const UnitRecord *f = unitAt(pass, {1, 2, 0});
  ASSERT_EQ(f->routes.size(), 1u);
  EXPECT_TRUE(f->routes[0] == (DmaDescriptor{fc, dma, 2, -1, 0, 0, 3}));
  EXPECT_EQ(pass.numDescriptors, 1u + 6u + 6u + 1u);
  EXPECT_EQ(e.read.maxNumDescriptors, pass.numDescriptors);
}

TEST(ProgramRoundTrip, V1TwoPassesSpansAndInputs) {
  Emitted e = emitV1(4, v1TwoPassPlan());
  expectSameContent(e.read, e.built);
  ASSERT_EQ(e.read.passes.size(), 2u);
  const PassProgram &a = e.read.passes[0], &b = e.read.passes[1];
  EXPECT_EQ(a.layers, (std::vector<int>{0, 1}));
  EXPECT_EQ(b.layers, (std::vector<int>{2}));
  const Endpoint dma{EndpointKind::EventDma, {1, 1, 0}};
  // Pass 0's separable NPs write to the event DMA (read back by pass 1).
  for (const UnitRecord *u : unitsOf(a, 1)) {
    ASSERT_EQ(u->routes.size(), 1u);
    EXPECT_EQ(u->routes[0].dest, dma);
    EXPECT_EQ(u->routes[0].destLayer, -1);
  }
  // Pass 1 reads layer 1's 7 channels from the event DMA.
  ASSERT_EQ(b.inputs.size(), 1u);
  EXPECT_TRUE(b.inputs[0] == (DmaDescriptor{dma,
                                            {EndpointKind::Np, {1, 2, 0}},
                                            1, 2, 0, 0, 7}));
  EXPECT_FALSE(b.hrc);
  EXPECT_EQ(e.read.maxNumDescriptors,
            std::max(a.numDescriptors, b.numDescriptors));

  // Byte counts and spans: the pass buffers follow each other inside the
  // program data, each a PassData FlatBuffer ("AKPS" at its bytes 4..7).
  EXPECT_EQ(e.read.totalBytes, e.bytes.size());
  EXPECT_EQ(8 + e.read.infoBytes + e.read.dataBytes, e.bytes.size());
  uint64_t end = 0;
  for (const PassProgram &p : e.read.passes) {
    EXPECT_GE(p.dataOffset, end);
    end = uint64_t(p.dataOffset) + p.dataSize;
    EXPECT_LE(end, e.read.dataBytes);
    size_t at = 8 + e.read.infoBytes + p.dataOffset;
    EXPECT_EQ(std::string(e.bytes.begin() + long(at) + 4,
                          e.bytes.begin() + long(at) + 8),
              "AKPS");
    EXPECT_EQ(p.numRecords(), p.layers == std::vector<int>{2} ? 1u : 7u);
  }
}

TEST(ProgramRoundTrip, V1HeaderAndDequantization) {
  Emitted e = emitV1(4);
  const DecodedProgram &p = e.read;
  EXPECT_EQ(p.formatVersion, program::kFormatVersion);
  EXPECT_EQ(p.sdkVersion, kVersionString);
  EXPECT_EQ(p.deviceName, "TestMeshV1");
  EXPECT_EQ(p.deviceVersion, hw::TwoNodesIP_v1);
  EXPECT_EQ(p.ipVersion, IpVersion::v1);
  EXPECT_EQ(p.input.dims, (std::array<int64_t, 3>{6, 7, 3}));
  EXPECT_EQ(p.input.bits, 8);
  EXPECT_FALSE(p.input.isSigned);
  EXPECT_EQ(p.input.format, DataFormat::Dense); // the HRC reads dense data
  EXPECT_EQ(p.output.dims, (std::array<int64_t, 3>{1, 1, 3}));
  EXPECT_EQ(p.output.bits, 32); // raw potentials
  EXPECT_TRUE(p.output.isSigned);
  EXPECT_EQ(p.output.format, DataFormat::Events);
  EXPECT_EQ(p.denseWindowRows, 6);
  EXPECT_EQ(p.denseWindowCols, 7);
  // FC without activation: float = (potential - threshold) / act_step.
  EXPECT_FALSE(p.outputActivation);
  const LayerDesc &fc = e.model.layers[2];
  std::vector<int64_t> threshold = fc.variables.at("threshold").array.ints();
  EXPECT_EQ(std::vector<int64_t>(p.dequantShifts.begin(), p.dequantShifts.end()),
            threshold);
  EXPECT_EQ(p.dequantScales, fc.variables.at("act_step").array.floats());

  Emitted act = emitV1(4, v1Plan(), /*fcActivation=*/true);
  EXPECT_TRUE(act.read.outputActivation);
  EXPECT_TRUE(act.read.dequantShifts.empty());
  EXPECT_TRUE(act.read.dequantScales.empty());
  EXPECT_EQ(act.read.output.bits, 1);
}

TEST(ProgramRoundTrip, V2EveryRecordAtEveryBitWidth) {
  for (int bits : {1, 2, 4, 8}) {
    SCOPED_TRACE("weights_bits " + std::to_string(bits));
    Emitted e = emitV2(bits);
    expectSameContent(e.read, e.built);
    const PassProgram &pass = e.read.passes[0];
    EXPECT_FALSE(pass.hrc);
    ASSERT_EQ(pass.nps.size(), 6u);
    ASSERT_EQ(pass.merges.size(), 1u);
    for (const UnitRecord &u : pass.nps)
      expectTensorsAreSlices(e.model, u);
    for (const UnitRecord &u : pass.merges)
      expectTensorsAreSlices(e.model, u);
  }
}

TEST(ProgramRoundTrip, V2VariablesSlicedPerFilter) {
  Emitted e = emitV2(8);
  const PassProgram &pass = e.read.passes[0];
  // Conv2D: input_shift is per input channel and max_value per layer, so
  // both are whole; bias and the output scales are per filter.
  const UnitRecord *conv = unitAt(pass, {1, 2, 2});
  ASSERT_NE(conv, nullptr);
  EXPECT_EQ(conv->firstFilter, 4);
  EXPECT_EQ(conv->filterCount, 2);
  EXPECT_FALSE(conv->tensor("input_shift")->perFilter);
  EXPECT_EQ(conv->tensor("input_shift")->shape, (std::vector<int64_t>{4}));
  EXPECT_FALSE(conv->tensor("max_value")->perFilter);
  EXPECT_FALSE(conv->tensor("max_value_shift")->perFilter);
  EXPECT_TRUE(conv->tensor("bias")->perFilter);
  EXPECT_EQ(conv->tensor("bias")->shape, (std::vector<int64_t>{2}));
  EXPECT_EQ(conv->tensor("weights")->shape, (std::vector<int64_t>{3, 3, 4, 2}));
  // DepthwiseConv2D: the NP's channels of input_shift and the LUT scales;
  // the LUT itself is whole.
  const UnitRecord *dw = unitAt(pass, {1, 3, 2});
  ASSERT_NE(dw, nullptr);
  EXPECT_EQ(dw->type, NpType::CNP2);
  EXPECT_EQ(dw->firstFilter, 2);
  EXPECT_TRUE(dw->tensor("input_shift")->perFilter);
  EXPECT_EQ(dw->tensor("input_shift")->shape, (std::vector<int64_t>{2}));
  EXPECT_TRUE(dw->tensor("activation_scales")->perFilter);
  EXPECT_FALSE(dw->tensor("lut_values")->perFilter);
  EXPECT_EQ(dw->tensor("lut_values")->shape, (std::vector<int64_t>{16}));
  EXPECT_EQ(dw->tensor("weights")->shape, (std::vector<int64_t>{3, 3, 2}));
  // Add on the first skip-DMA channel (idents sorted: (1,1,3) first).
  const UnitRecord &add = pass.merges[0];
  EXPECT_EQ(add.type, NpType::SKIP_DMA_LOAD);
  EXPECT_EQ(add.ident, (NpIdent{1, 1, 3}));
  EXPECT_EQ(add.dmaChannel, 0);
  EXPECT_EQ(add.layerType, LayerType::Add);
  for (const ProgramTensor &t : add.tensors)
    EXPECT_FALSE(t.perFilter) << t.name;
  // Dense1D on its FNP3, 216 x 5 weights.
  const UnitRecord *dense = unitAt(pass, {1, 2, 0});
  ASSERT_NE(dense, nullptr);
  EXPECT_EQ(dense->type, NpType::FNP3);
  EXPECT_EQ(dense->tensor("weights")->shape, (std::vector<int64_t>{216, 5}));
}

TEST(ProgramRoundTrip, V2RoutesFollowChannels) {
  Emitted e = emitV2(4);
  const PassProgram &pass = e.read.passes[0];
  const Endpoint dma{EndpointKind::EventDma, {1, 1, 0}};
  const Endpoint add{EndpointKind::SkipDma, {1, 1, 3}};
  // InputData has no unit: the event DMA feeds both conv NPs all 4 channels.
  ASSERT_EQ(pass.inputs.size(), 2u);
  for (const DmaDescriptor &r : pass.inputs) {
    EXPECT_EQ(r.source, dma);
    EXPECT_EQ(r.sourceLayer, 0);
    EXPECT_EQ(r.destLayer, 1);
    EXPECT_EQ(r.firstChannel, 0);
    EXPECT_EQ(r.channelCount, 4);
  }
  // Conv NP with filters [0, 4): to the depthwise NPs of channels [0, 2) and
  // [2, 4) only, and to input 0 of the Add.
  const UnitRecord *conv = unitAt(pass, {1, 2, 1});
  ASSERT_EQ(conv->routes.size(), 3u);
  EXPECT_TRUE(conv->routes[0] ==
              (DmaDescriptor{{EndpointKind::Np, {1, 2, 1}},
                             {EndpointKind::Np, {1, 3, 1}}, 1, 2, 0, 0, 2}));
  EXPECT_TRUE(conv->routes[1] ==
              (DmaDescriptor{{EndpointKind::Np, {1, 2, 1}},
                             {EndpointKind::Np, {1, 3, 2}}, 1, 2, 0, 2, 2}));
  EXPECT_TRUE(conv->routes[2] == (DmaDescriptor{{EndpointKind::Np, {1, 2, 1}},
                                                add, 1, 3, 0, 0, 4}));
  // Depthwise NPs: to input 1 of the Add with their channels.
  for (const UnitRecord *u : unitsOf(pass, 2)) {
    ASSERT_EQ(u->routes.size(), 1u);
    EXPECT_EQ(u->routes[0].dest, add);
    EXPECT_EQ(u->routes[0].destInput, 1);
    EXPECT_EQ(u->routes[0].firstChannel, u->firstFilter);
  }
  // Add -> Dense1D -> event DMA.
  ASSERT_EQ(pass.merges[0].routes.size(), 1u);
  EXPECT_EQ(pass.merges[0].routes[0].dest,
            (Endpoint{EndpointKind::Np, {1, 2, 0}}));
  EXPECT_EQ(pass.merges[0].routes[0].channelCount, 6);
  const UnitRecord *dense = unitAt(pass, {1, 2, 0});
  ASSERT_EQ(dense->routes.size(), 1u);
  EXPECT_EQ(dense->routes[0].dest, dma);
  EXPECT_EQ(pass.numDescriptors, 2u + 3u + 2u + 3u + 1u + 1u);
}

TEST(ProgramRoundTrip, V2HeaderAndIdentityDequantization) {
  Emitted e = emitV2(8);
  EXPECT_EQ(e.read.ipVersion, IpVersion::v2);
  EXPECT_EQ(e.read.deviceVersion, hw::FPGA_v2);
  EXPECT_EQ(e.read.input.dims, (std::array<int64_t, 3>{6, 6, 4}));
  EXPECT_EQ(e.read.input.format, DataFormat::Dense);
  EXPECT_EQ(e.read.output.format, DataFormat::Dense);
  EXPECT_EQ(e.read.denseWindowRows, 0);
  EXPECT_FALSE(e.read.outputActivation);
  EXPECT_EQ(e.read.dequantShifts, std::vector<int32_t>(5, 0));
  EXPECT_EQ(e.read.dequantScales, std::vector<float>(5, 1.0f));
}

TEST(ProgramRoundTrip, Deterministic) {
  for (int bits : {1, 8}) {
    Emitted a = emitV1(bits), b = emitV1(bits);
    EXPECT_EQ(a.bytes, b.bytes);
    // Writing what was read gives the same bytes.
    EXPECT_EQ(writeProgram(a.read), a.bytes);
    EXPECT_EQ(writeProgram(a.built), a.bytes);
    Emitted c = emitV2(bits), d = emitV2(bits);
    EXPECT_EQ(c.bytes, d.bytes);
    EXPECT_EQ(writeProgram(c.read), c.bytes);
  }
  // Different weights give different bytes, same layout.
  EXPECT_NE(emitV1(4).bytes, emitV1(2).bytes);
}

TEST(ProgramRoundTrip, SizeIsTheByteCount) {
  for (int bits : {1, 2, 4, 8}) {
    Emitted e = emitV1(bits);
    int64_t weights = 0;
    for (const LayerDesc &l : e.model.layers)
      for (const auto &[name, v] : l.variables)
        if (name == "weights" || name == "weights_pw")
          weights += v.array.size();
    EXPECT_EQ(e.read.totalBytes, e.bytes.size());
    EXPECT_EQ(e.read.infoBytes + e.read.dataBytes + 8, e.bytes.size());
    std::cout << "[ program ] v1 model, " << weights << " weights at " << bits
              << " bits: " << e.bytes.size() << " bytes (info "
              << e.read.infoBytes << ", data " << e.read.dataBytes << ")\n";
    RecordProperty("v1_" + std::to_string(bits) + "bit_bytes",
                   std::to_string(e.bytes.size()));
  }
  Emitted v2 = emitV2(8);
  std::cout << "[ program ] v2 model at 8 bits: " << v2.bytes.size()
            << " bytes\n";
  // Packing: the 8-bit program carries at least 7/8 of its weight bytes more
  // than the 1-bit one.
  EXPECT_GT(emitV1(8).bytes.size(), emitV1(1).bytes.size() + 1000);
}

//===----------------------------------------------------------------------===//
// emitProgram refuses what does not match
//===----------------------------------------------------------------------===//

std::string emitError(const ModelDesc &model, const SequencePlan &plan,
                      const Device &device,
                      std::optional<std::vector<ActType>> types = {}) {
  try {
    emitProgram(model, types ? *types : outputTypes(model), plan, device);
  } catch (const ProgramError &e) {
    std::string msg = e.what();
    EXPECT_EQ(msg.rfind("cannot emit program: ", 0), 0u) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    return msg;
  } catch (const std::exception &e) {
    ADD_FAILURE() << "not a ProgramError: " << e.what();
    return e.what();
  }
  ADD_FAILURE() << "emitted";
  return "";
}

#define EXPECT_CONTAINS(haystack, needle)                                      \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos)             \
      << "'" << (haystack) << "' lacks '" << (needle) << "'"

TEST(ProgramEmitErrors, PlansThatDoNotMatch) {
  const ModelDesc model = v1Model(4);
  const Device device = v1Device();

  SequencePlan software = v1Plan();
  software.hardware = false;
  EXPECT_CONTAINS(emitError(model, software, device), "runs in software");

  std::vector<ActType> shortTypes = outputTypes(model);
  shortTypes.pop_back();
  EXPECT_CONTAINS(emitError(model, v1Plan(), device, shortTypes),
                  "2 output types for 3 layers");

  EXPECT_CONTAINS(emitError(model, v1Plan(), v2Device()),
                  "the model is Akida 1.0 but device 'TestMeshV2' is Akida 2.0");

  SequencePlan missing = v1Plan();
  missing.passes[0].layers = {0, 1};
  missing.passes[0].nps.erase(2);
  EXPECT_CONTAINS(emitError(model, missing, device), "is in no pass");

  SequencePlan twice = v1Plan();
  twice.passes[0].nps[1][1].ident = {2, 2, 1};
  EXPECT_CONTAINS(emitError(model, twice, device),
                  "NP (2, 2, 1) is used twice in pass 0");

  SequencePlan absent = v1Plan();
  absent.passes[0].nps[2][0].ident = {9, 9, 0};
  EXPECT_CONTAINS(emitError(model, absent, device),
                  "NP (9, 9, 0), which device 'TestMeshV1' does not have");

  SequencePlan wrongType = v1Plan();
  wrongType.passes[0].nps[2][0].type = NpType::FNP2; // (1,2,0) is no FNP2
  EXPECT_CONTAINS(emitError(model, wrongType, device), "as FNP2");

  SequencePlan badSplit = v1Plan();
  badSplit.passes[0].nps[1][0].filters = 4; // 15 filters in all, not 14
  EXPECT_CONTAINS(emitError(model, badSplit, device), "not a multiple of its 7");

  SequencePlan noNps = v1Plan();
  noNps.passes[0].nps.erase(1);
  EXPECT_CONTAINS(emitError(model, noNps, device), "has no NP in pass 0");

  Device noHrc = device;
  noHrc.mesh.hrc.reset();
  EXPECT_CONTAINS(emitError(model, v1Plan(), noHrc), "needs the HRC");

  SequencePlan later = v1TwoPassPlan();
  std::swap(later.passes[0], later.passes[1]);
  EXPECT_CONTAINS(emitError(model, later, device), "of the later pass");
}

TEST(ProgramEmitErrors, LayersAndWeights) {
  const Device device = v1Device();
  ModelDesc tooWide = v1Model(2);
  // A 2-bit layer holding a value of 3 (2-bit weights are -2..1).
  std::vector<int64_t> w = tooWide.layers[2].variables["weights"].array.ints();
  w[7] = 3;
  tooWide.layers[2].variables["weights"].array =
      Array::fromInts(DType::Int8, {1, 1, 294, 3}, w);
  EXPECT_CONTAINS(emitError(tooWide, v1Plan(), device),
                  "variable 'weights' of NP filters [0, +3): value 3 at flat "
                  "index 7 does not fit 2 bits");

  ModelDesc badShape = v1Model(4);
  badShape.layers[1].variables["threshold"].array =
      Array::fromInts(DType::Int32, {6}, std::vector<int64_t>(6, 0));
  EXPECT_CONTAINS(emitError(badShape, v1Plan(), device),
                  "last axis should be the layer's 7 filters");

  // A software layer inside a hardware pass.
  ModelDesc v2 = v2Model(8);
  LayerDesc deq;
  deq.name = "dequantizer";
  deq.type = LayerType::Dequantizer;
  deq.inbounds = {4};
  deq.variables["scales"] = {Array::fromFloats({5}, std::vector<float>(5, 1)), 32};
  v2.layers.push_back(deq);
  SequencePlan plan = v2Plan();
  plan.layers.push_back(5);
  plan.passes[0].layers.push_back(5);
  EXPECT_CONTAINS(emitError(v2, plan, v2Device()),
                  "runs in software; a program holds hardware layers only");

  // A sequence that starts after the model input and reads two layers.
  ModelDesc v2b = v2Model(8);
  SequencePlan tail;
  tail.hardware = true;
  tail.layers = {3, 4};
  PassPlan p;
  p.layers = {3, 4};
  p.nps[3] = {};
  p.nps[4] = v2Plan().passes[0].nps[4];
  tail.passes = {p};
  EXPECT_CONTAINS(emitError(v2b, tail, v2Device()), "reads 2 inputs");

  // More merge layers than skip-DMA channels.
  Device oneChannel = v2Device();
  oneChannel.mesh.skipDmas.clear();
  EXPECT_CONTAINS(emitError(v2b, v2Plan(), oneChannel),
                  "needs a skip-DMA channel");
}

TEST(ProgramEmitErrors, SequenceAfterTheInput) {
  // The Dense1D alone: its input is the Add's output from another sequence.
  ModelDesc model = v2Model(4);
  SequencePlan tail;
  tail.hardware = true;
  tail.layers = {4};
  PassPlan p;
  p.layers = {4};
  p.nps[4] = v2Plan().passes[0].nps[4];
  tail.passes = {p};
  std::vector<ActType> types = outputTypes(model);
  DecodedProgram prog = readProgram(emitProgram(model, types, tail, v2Device()));
  EXPECT_EQ(prog.input.dims, types[3].shape);
  ASSERT_EQ(prog.passes[0].inputs.size(), 1u);
  EXPECT_EQ(prog.passes[0].inputs[0].sourceLayer, 3);
  EXPECT_EQ(prog.passes[0].inputs[0].channelCount, 6);
}

//===----------------------------------------------------------------------===//
// writeProgram applies the reader's content rules
//===----------------------------------------------------------------------===//

std::string writeError(const DecodedProgram &p) {
  try {
    writeProgram(p);
  } catch (const ProgramError &e) {
    std::string msg = e.what();
    EXPECT_EQ(msg.rfind("cannot write program: ", 0), 0u) << msg;
    return msg;
  }
  ADD_FAILURE() << "written";
  return "";
}

TEST(ProgramWriteErrors, ContentRules) {
  const DecodedProgram good = emitV1(4).read;

  DecodedProgram p = good;
  p.dequantScales.pop_back();
  EXPECT_CONTAINS(writeError(p), "de-quantization");

  p = good;
  p.passes[0].numDescriptors += 1;
  EXPECT_CONTAINS(writeError(p), "DMA descriptors counted");

  p = good;
  p.passes[0].nps[0].tensors[0].data.pop_back();
  EXPECT_CONTAINS(writeError(p), "bytes for");

  p = good;
  std::swap(p.passes[0].nps[0].tensors[0], p.passes[0].nps[0].tensors[1]);
  EXPECT_CONTAINS(writeError(p), "sorted by name");

  p = good;
  p.passes[0].nps[0].type = NpType::HRC;
  EXPECT_CONTAINS(writeError(p), "type HRC");

  p = good;
  p.passes[0].nps[0].firstFilter = 6; // 6 + 3 > 7
  EXPECT_CONTAINS(writeError(p), "filters [6, +3) of 7");

  p = good;
  p.passes[0].nps[0].layer = 7;
  EXPECT_CONTAINS(writeError(p), "is not one of the pass");

  p = good;
  p.passes[0].nps[0].routes[0].channelCount = 0;
  EXPECT_CONTAINS(writeError(p), "channels");

  p = good;
  p.passes.clear();
  EXPECT_CONTAINS(writeError(p), "no pass");
}

} // namespace
} // namespace akida::test
