//===- CostModel.cpp - Clock counts of the virtual device -----------------===//
#include "device/sim/CostModel.h"

#include <algorithm>
#include <cmath>

namespace akida {

CostConstants costConstantsFor(const Device &) { return akd1000CostConstants(); }

namespace {
int64_t clocks(double v) { return static_cast<int64_t>(std::llround(v)); }
} // namespace

int64_t CostModel::words(int64_t bytes) const {
  return (bytes + k_.wordBytes - 1) / k_.wordBytes;
}

int64_t CostModel::unitClk(const UnitTrace &u) const {
  const double macs = u.type == NpType::HRC ? k_.hrcMacsPerClk : k_.macsPerClk;
  return clocks(u.events * k_.eventClk +
                std::ceil(double(u.synapticOps) / macs) +
                u.wordsOut * k_.dmaWordClk + u.hopsOut * k_.hopClk);
}

int64_t CostModel::inputClk(const PassTrace &pass) const {
  return clocks(pass.inputWords * k_.dmaWordClk + pass.inputHops * k_.hopClk);
}

int64_t CostModel::layerClk(const std::vector<UnitTrace> &layer) const {
  int64_t slowest = 0;
  for (const UnitTrace &u : layer)
    slowest = std::max(slowest, unitClk(u));
  return slowest;
}

int64_t CostModel::passClk(const PassTrace &pass) const {
  int64_t clk = inputClk(pass);
  for (const std::vector<UnitTrace> &layer : pass.layers)
    clk += layerClk(layer);
  return clk;
}

int64_t CostModel::programClk(const DecodedProgram &program) const {
  size_t records = program.passes.empty() ? 0 : program.passes[0].numRecords();
  return clocks(k_.programOverheadClk +
                words(static_cast<int64_t>(program.totalBytes)) * k_.configWordClk +
                double(records) * k_.recordClk);
}

int64_t CostModel::reconfigureClk(const PassProgram &pass) const {
  return clocks(words(pass.dataSize) * k_.configWordClk +
                double(pass.numRecords()) * k_.recordClk);
}

} // namespace akida
