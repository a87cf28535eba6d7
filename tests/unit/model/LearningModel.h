//===- LearningModel.h - A small model that can learn, for tests --*- C++ -*-===//
#ifndef AKIDA_TESTS_UNIT_MODEL_LEARNINGMODEL_H
#define AKIDA_TESTS_UNIT_MODEL_LEARNINGMODEL_H

#include "runtime/model/Model.h"

namespace akida::testmodels {

/// InputData (rows x cols x 1, `inputBits`) -> FullyConnected (`units`,
/// `weightBits` weights, no activation): potentials out. With 1-bit inputs
/// and weights, compile() makes it learn.
inline Model learningModel(int64_t rows, int64_t cols, int64_t units,
                           int64_t weightBits = 1, int64_t inputBits = 1) {
  LayerDesc in;
  in.name = "input";
  in.type = LayerType::InputData;
  in.params = {{"input_bits", inputBits}};
  LayerDesc fc;
  fc.name = "fc";
  fc.type = LayerType::FullyConnected;
  fc.params = {{"units", units}, {"weights_bits", weightBits},
               {"activation", 0}};
  const int64_t k = rows * cols;
  fc.variables["weights"] = {
      Array::fromInts(DType::Int8, {1, 1, k, units},
                      std::vector<int64_t>(k * units, 0)),
      static_cast<int>(weightBits)};
  fc.variables["threshold"] = {
      Array::fromInts(DType::Int32, {units}, std::vector<int64_t>(units, 0)),
      32};
  fc.variables["act_step"] = {
      Array::fromFloats({units}, std::vector<float>(units, 1.0f)), 32};
  return Model({rows, cols, 1}, {in, fc});
}

/// learningModel(8, 8, 30) compiled for learning: 10 classes of 3 neurons,
/// 12 connections each.
inline Model compiledLearningModel() {
  Model m = learningModel(8, 8, 30);
  AkidaUnsupervised o;
  o.num_weights = 12;
  o.num_classes = 10;
  o.plasticity_decay = 0.2f;
  m.compile(o, 3);
  return m;
}

} // namespace akida::testmodels

#endif // AKIDA_TESTS_UNIT_MODEL_LEARNINGMODEL_H
