//===- NpBudget.cpp - What one NP can hold --------------------------------===//
#include "device/NpBudget.h"

#include <stdexcept>
#include <string>

namespace akida {

int64_t maxFiltersPerNp(const CnpBudget &budget, int64_t columns) {
  if (columns < 1)
    throw std::invalid_argument("maxFiltersPerNp: columns must be >= 1, got " +
                                std::to_string(columns));
  if (columns > budget.maxColumns)
    return 0;
  return budget.freeFilters + budget.rowWords / columns;
}

} // namespace akida
