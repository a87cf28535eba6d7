//===- ProgramTensors.cpp - The weights and variables of a unit -----------===//
//
// ProgramTensor (Program.h), and what buildProgram puts in a unit record: its
// slice of the layer's weights and variables (per-filter ones cut to the
// unit's filters), weights packed at their bit width.
//
//===----------------------------------------------------------------------===//

#include "compiler/program/Program.h"
#include "compiler/program/ProgramInternal.h"

#include "compiler/fbz/LayerSchema.h"

namespace akida {

using namespace program::detail;

int64_t ProgramTensor::size() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

Array ProgramTensor::toArray() const {
  if (!packed) {
    Array a;
    a.dtype = dtype;
    a.shape = shape;
    a.bytes = data;
    return a;
  }
  std::vector<int8_t> v = unpackWeights(data, bits, size());
  return Array::fromInts(DType::Int8, shape,
                         std::vector<int64_t>(v.begin(), v.end()));
}

namespace {

bool isWeightTensor(const std::string &name) {
  return name == "weights" || name == "weights_pw";
}

/// Whether variable `name` of a layer of type `type` has the filter axis
/// last, so that each NP holds only its filters' part.
bool perFilterVariable(LayerType type, const std::string &name,
                       const std::vector<int64_t> &shape, int64_t filters) {
  if (name == "weights")
    return type != LayerType::SeparableConvolutional; // depthwise (kx,ky,C,1)
  if (name == "weights_pw")
    return true;
  if (name == "input_shift")
    return isDepthwise(type); // per input channel: the NP's own channels
  if (name == "lut_values" || name == "scales" ||
      name == "learning_parameters") // FullyConnected's optimizer, per layer
    return false;
  if (name == "max_value" || name == "max_value_shift" ||
      name == "activation_scales" || name == "activation_shift")
    return shape.size() == 1 && shape[0] == filters; // else per layer (1,)
  return true; // threshold, act_step, bias, bias_shift, output_scales/shift
}

} // namespace

namespace program::detail {

std::vector<ProgramTensor> unitTensors(const ModelDesc &model, int l,
                                       int64_t filters, int64_t first,
                                       int64_t count, bool merge) {
  const LayerDesc &ld = model.layers[static_cast<size_t>(l)];
  std::vector<ProgramTensor> out;
  for (const auto &[name, var] : ld.variables) { // sorted by name
    const std::string what = layerRef(model, l) + " variable " + quoted(name);
    const Array &a = var.array;
    if (static_cast<int>(a.dtype) > static_cast<int>(DType::Float32))
      fail(kEmit, what + " has an unknown dtype");
    if (a.shape.size() > program::kMaxRank)
      fail(kEmit, what + " has rank " + str(int64_t(a.shape.size())) +
                      " (at most " + str(int64_t(program::kMaxRank)) + ")");
    int64_t n = 1;
    for (int64_t d : a.shape) {
      if (d < 0 || (d > 0 && n > program::kMaxElements / d))
        fail(kEmit, what + " has shape " + formatDims(a.shape) +
                        " (dimensions >= 0, at most " +
                        str(program::kMaxElements) + " elements)");
      n *= d;
    }
    const size_t es = dtypeSize(a.dtype);
    if (a.bytes.size() != size_t(n) * es)
      fail(kEmit, what + " has " + str(int64_t(a.bytes.size())) +
                      " bytes for shape " + formatDims(a.shape) + " of " +
                      dtypeName(a.dtype));
    ProgramTensor t;
    t.name = name;
    t.dtype = a.dtype;
    t.bits = var.bitwidth;
    t.shape = a.shape;
    t.perFilter = !merge && perFilterVariable(ld.type, name, a.shape, filters);
    Array slice;
    slice.dtype = a.dtype;
    if (t.perFilter) {
      if (a.shape.empty() || a.shape.back() != filters)
        fail(kEmit, what + " has shape " + formatDims(a.shape) +
                        " but its last axis should be the layer's " +
                        str(filters) + " filters");
      t.shape.back() = count;
      const int64_t outer = filters ? n / filters : 0;
      slice.bytes.reserve(size_t(outer * count) * es);
      for (int64_t o = 0; o < outer; ++o) {
        const uint8_t *src = a.bytes.data() + size_t(o * filters + first) * es;
        slice.bytes.insert(slice.bytes.end(), src, src + size_t(count) * es);
      }
    } else {
      slice.bytes = a.bytes;
    }
    slice.shape = t.shape;
    if (isWeightTensor(name)) {
      if (a.dtype != DType::Int8)
        fail(kEmit, what + " is " + dtypeName(a.dtype) + " (int8 weights)");
      int64_t bits = param(ld, "weights_bits");
      if (!validWeightBits(bits))
        fail(kEmit, layerRef(model, l) + " has weights_bits " + str(bits) +
                        " (1, 2, 4 or 8)");
      t.bits = static_cast<int>(bits);
      t.packed = true;
      try {
        t.data = packWeights(slice.ints(), t.bits);
      } catch (const ProgramError &e) {
        // "cannot pack weights: <why>" -> "<what>: <why>"
        std::string why = e.what();
        why = why.substr(why.find(':') + 2);
        fail(kEmit, what + " of NP filters [" + str(first) + ", +" +
                        str(count) + "): " + why);
      }
    } else {
      t.data = std::move(slice.bytes);
    }
    out.push_back(std::move(t));
  }
  return out;
}

} // namespace program::detail

} // namespace akida
