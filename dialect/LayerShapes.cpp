//===- LayerShapes.cpp - Output shapes of Akida layers --------------------===//

#include "dialect/LayerShapes.h"

#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using namespace mlir::akida;

/// ceil(a / b) for a >= 1, b >= 1, without overflow.
static int64_t ceilDiv(int64_t a, int64_t b) { return (a - 1) / b + 1; }

int64_t mlir::akida::windowOutputDim(int64_t in, int64_t size, int64_t stride,
                                     Padding padding) {
  if (padding == Padding::Valid)
    return in < size ? 0 : (in - size) / stride + 1;
  return ceilDiv(in, stride);
}

int64_t mlir::akida::paddingBefore(int64_t in, int64_t size, int64_t stride,
                                   Padding padding) {
  if (padding == Padding::Valid)
    return 0;
  int64_t out = ceilDiv(in, stride);
  int64_t total = std::max<int64_t>((out - 1) * stride + size - in, 0);
  // `same` puts the odd unit after (bottom/right), `same_upper` before.
  return padding == Padding::Same ? total / 2 : total - total / 2;
}

FailureOr<std::array<int64_t, 2>>
mlir::akida::readPair(std::optional<Location> loc, StringRef opName,
                      StringRef name, ArrayRef<int64_t> values) {
  if (values.size() != 2)
    return emitOptionalError(loc, "'", opName, "' op '", name,
                             "' needs exactly 2 values (rows, columns), got ",
                             values.size());
  return std::array<int64_t, 2>{values[0], values[1]};
}

SpatialParams mlir::akida::v2Spatial(int64_t kernel, int64_t stride,
                                     Padding padding, PoolType pool,
                                     int64_t poolSize, int64_t poolStride) {
  SpatialParams p;
  p.kernel = {kernel, kernel};
  p.stride = {stride, stride};
  p.padding = padding;
  p.pool = pool;
  if (poolSize != -1)
    p.poolSize = std::array<int64_t, 2>{poolSize, poolSize};
  if (poolStride != -1)
    p.poolStride = std::array<int64_t, 2>{poolStride, poolStride};
  return p;
}

LogicalResult mlir::akida::checkPositive(std::optional<Location> loc,
                                         StringRef opName, StringRef name,
                                         int64_t value) {
  if (value >= 1)
    return success();
  return emitOptionalError(loc, "'", opName, "' op '", name, "' is ", value,
                           " but must be at least 1");
}

static LogicalResult checkPairPositive(std::optional<Location> loc,
                                       StringRef opName, StringRef name,
                                       std::array<int64_t, 2> pair) {
  if (pair[0] >= 1 && pair[1] >= 1)
    return success();
  return emitOptionalError(loc, "'", opName, "' op '", name, "' is (",
                           pair[0], ", ", pair[1],
                           ") but both values must be at least 1");
}

FailureOr<std::array<int64_t, 2>>
mlir::akida::inferSpatialOutput(std::optional<Location> loc, StringRef opName,
                                int64_t rows, int64_t cols,
                                const SpatialParams &p) {
  if (failed(checkPairPositive(loc, opName, "kernel_size", p.kernel)) ||
      failed(checkPairPositive(loc, opName, "kernel_stride", p.stride)))
    return failure();
  if (p.padding == Padding::Valid && (rows < p.kernel[0] || cols < p.kernel[1]))
    return emitOptionalError(loc, "'", opName, "' op 'kernel_size' (",
                             p.kernel[0], ", ", p.kernel[1],
                             ") does not fit the ", rows, "x", cols,
                             " input with valid padding");
  std::array<int64_t, 2> out = {
      windowOutputDim(rows, p.kernel[0], p.stride[0], p.padding),
      windowOutputDim(cols, p.kernel[1], p.stride[1], p.padding)};

  switch (p.pool) {
  case PoolType::NoPooling:
    if (p.poolSize || p.poolStride)
      return emitOptionalError(loc, "'", opName, "' op '",
                               p.poolSize ? "pool_size" : "pool_stride",
                               "' is set but pool_type is none");
    return out;
  case PoolType::Average:
    // Akida's only average pooling is global.
    if (p.poolSize || p.poolStride)
      return emitOptionalError(
          loc, "'", opName, "' op '", p.poolSize ? "pool_size" : "pool_stride",
          "' is set but average pooling is global (leave it unset)");
    return std::array<int64_t, 2>{1, 1};
  case PoolType::Max: {
    if (!p.poolSize)
      return emitOptionalError(loc, "'", opName,
                               "' op pool_type is max but 'pool_size' is "
                               "not set");
    std::array<int64_t, 2> size = *p.poolSize;
    std::array<int64_t, 2> stride = p.poolStride ? *p.poolStride : size;
    if (failed(checkPairPositive(loc, opName, "pool_size", size)) ||
        failed(checkPairPositive(loc, opName, "pool_stride", stride)))
      return failure();
    if (p.padding == Padding::Valid && (out[0] < size[0] || out[1] < size[1]))
      return emitOptionalError(loc, "'", opName, "' op 'pool_size' (", size[0],
                               ", ", size[1], ") does not fit the ", out[0],
                               "x", out[1],
                               " convolution output with valid padding");
    return std::array<int64_t, 2>{
        windowOutputDim(out[0], size[0], stride[0], p.padding),
        windowOutputDim(out[1], size[1], stride[1], p.padding)};
  }
  }
  llvm_unreachable("unknown pool type");
}

FailureOr<RankedTensorType>
mlir::akida::getActivationType(std::optional<Location> loc, StringRef opName,
                               Value value, StringRef operandName) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || type.getRank() != 4)
    return emitOptionalError(loc, "'", opName, "' op ", operandName,
                             " must be a 4-D NHWC tensor, got ",
                             value.getType());
  if (type.getDimSize(0) == 0)
    return emitOptionalError(loc, "'", opName, "' op ", operandName,
                             " has an empty batch (0); the batch must be "
                             "dynamic (?) or at least 1, got ",
                             type);
  for (int i = 1; i < 4; ++i) {
    if (type.isDynamicDim(i) || type.getDimSize(i) < 1)
      return emitOptionalError(loc, "'", opName, "' op ", operandName,
                               " must have static, non-empty rows, columns "
                               "and channels, got ",
                               type);
  }
  return type;
}

RankedTensorType mlir::akida::makeNHWC(RankedTensorType input, int64_t rows,
                                       int64_t cols, int64_t channels,
                                       Type element) {
  return RankedTensorType::get({input.getDimSize(0), rows, cols, channels},
                               element);
}

FailureOr<Type> mlir::akida::makeIntegerElement(std::optional<Location> loc,
                                                MLIRContext *context,
                                                StringRef opName,
                                                StringRef attrName,
                                                int64_t bits, bool isSigned) {
  if (bits < 1 || bits > 32)
    return emitOptionalError(loc, "'", opName, "' op '", attrName, "' is ",
                             bits, " but must be between 1 and 32");
  return Type(IntegerType::get(context, bits,
                               isSigned ? IntegerType::Signed
                                        : IntegerType::Unsigned));
}
