//===- MergeLayers.cpp - InputData and the unweighted v2 layers -----------===//
//
// InputData (both IP versions), Add, Concatenate, Dequantizer and
// ExtractToken. Semantics: docs/runtime/semantics.md.
//
//===----------------------------------------------------------------------===//

#include "compiler/fbz/LayerSchema.h"
#include "runtime/reference/Arithmetic.h"
#include "runtime/reference/Kernels.h"

#include <algorithm>

namespace akida::ref::detail {

namespace {


} // namespace

Activations runInputData(const LayerDesc &layer, const Activations &in,
                         const ActType &out) {
  // inferLayerOutput gave the output type: input_bits wide, input_signed.
  const int64_t lo = intMin(out.bits, out.isSigned);
  const int64_t hi = intMax(out.bits, out.isSigned);
  for (size_t i = 0; i < in.ints.size(); ++i) {
    int64_t v = in.ints[i];
    if (v < lo || v > hi)
      fail(layer, "input value " + std::to_string(v) + " at flat index " +
                      std::to_string(i) + " is outside the range [" +
                      std::to_string(lo) + ", " + std::to_string(hi) + "] of " +
                      (out.isSigned ? "signed" : "unsigned") + " " +
                      std::to_string(out.bits) +
                      "-bit input (input_bits = " + std::to_string(out.bits) +
                      ", input_signed = " + (out.isSigned ? "1" : "0") + ")");
  }
  Activations result;
  result.type = out;
  result.batch = in.batch;
  result.ints = in.ints;
  return result;
}

Activations runAdd(const LayerDesc &layer, const Activations &a,
                   const Activations &b, const ActType &out) {
  const int bufferBits = bitsParam(layer, "buffer_bits");
  const int postBits = bitsParam(layer, "post_op_buffer_bits");
  const int64_t activation = param(layer, "activation");
  if (activation != 0 && activation != 1)
    fail(layer, "'activation' is " + std::to_string(activation) +
                    " but must be 0 or 1");
  const int64_t c = a.type.shape[2];
  const std::vector<int64_t> aShift = channelVariable(layer, "a_shift", c, 0);
  const std::vector<int64_t> bShift = channelVariable(layer, "b_shift", c, 0);
  const std::vector<int64_t> outShift =
      channelVariable(layer, "output_shift", c, 0);

  Activations result = makeOutput(out, a.batch);
  for (size_t i = 0; i < a.ints.size(); ++i) {
    const size_t ch = i % c;
    int64_t s =
        saturate(addRoundShifted(a.ints[i], aShift[ch], b.ints[i], bShift[ch]),
                 bufferBits, true);
    if (activation)
      s = std::max<int64_t>(s, 0);
    const int64_t v = saturate(s, postBits, true);
    const int64_t y = roundShift(v, outShift[ch]);
    result.ints[i] = saturate(y, out.bits, out.isSigned);
  }
  return result;
}

Activations runConcatenate(const std::vector<const Activations *> &inputs,
                           const ActType &out) {
  const Activations &first = *inputs[0];
  Activations result = makeOutput(out, first.batch);
  const int64_t positions = first.batch * out.shape[0] * out.shape[1];
  const int64_t total = out.shape[2];
  int64_t offset = 0;
  for (const Activations *in : inputs) {
    const int64_t c = in->type.shape[2];
    for (int64_t p = 0; p < positions; ++p)
      std::copy(in->ints.begin() + p * c, in->ints.begin() + (p + 1) * c,
                result.ints.begin() + p * total + offset);
    offset += c;
  }
  return result;
}

Activations runDequantizer(const LayerDesc &layer, const Activations &in,
                           const ActType &out) {
  const std::vector<float> scales = layer.variables.at("scales").array.floats();
  const int64_t c = in.type.shape[2];
  std::vector<int64_t> zeros(static_cast<size_t>(c), 0);
  if (auto it = layer.variables.find("zero_points");
      it != layer.variables.end())
    zeros = it->second.array.ints();
  Activations result = makeOutput(out, in.batch);
  for (size_t i = 0; i < in.ints.size(); ++i)
    result.floats[i] =
        static_cast<float>(in.ints[i] - zeros[i % c]) * scales[i % c];
  return result;
}

Activations runExtractToken(const LayerDesc &layer, const Activations &in,
                            const ActType &out) {
  const int64_t c = in.type.shape[2];
  const int64_t begin = param(layer, "begin");
  const int64_t count = out.shape[1]; // end - begin tokens, one row
  Activations result = makeOutput(out, in.batch);
  const int64_t inSample = in.sampleSize(), outSample = count * c;
  for (int64_t n = 0; n < in.batch; ++n) {
    auto from = in.ints.begin() + n * inSample + begin * c;
    std::copy(from, from + outSample, result.ints.begin() + n * outSample);
  }
  return result;
}

} // namespace akida::ref::detail
