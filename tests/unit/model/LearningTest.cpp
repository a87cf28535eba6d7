// Edge learning: Model::compile(AkidaUnsupervised), fit, add_classes
// (docs/runtime/learning.md). The potentials fit returns are checked
// against a popcount computed here; the rule's invariants (connections per
// neuron, the label's group, plasticity decay), persistence through .fbz, a
// mapped model, and few-shot learning on real Fashion-MNIST images.
#include "runtime/model/Model.h"
#include "tests/unit/model/LearningModel.h"

#include "compiler/fbz/LayerSchema.h"
#include "device/Device.h"

#include <gtest/gtest.h>

#include <zlib.h>

#include <filesystem>
#include <iostream>
#include <random>

using namespace akida;
using akida::testmodels::learningModel;

namespace {

std::string compileError(Model m, const AkidaUnsupervised &o) {
  try {
    m.compile(o);
  } catch (const std::invalid_argument &e) {
    return e.what();
  }
  return "";
}

/// Connections per neuron of the learning layer.
std::vector<int64_t> connections(Model &m) {
  const Array w = m.get_layer("fc").get_variable("weights");
  const int64_t rows = w.shape[2], units = w.shape[3];
  std::vector<int64_t> count(units, 0);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < units; ++j)
      count[j] += w.intAt(i * units + j);
  return count;
}

/// Binary prototypes per class and noisy samples of them (NHWC, 8x8x1).
struct Prototypes {
  std::vector<std::vector<int64_t>> classes;
  std::mt19937 rng{11};
  explicit Prototypes(int n) {
    for (int c = 0; c < n; ++c) {
      std::vector<int64_t> p(64, 0);
      for (int k = 0; k < 16; ++k)
        p[rng() % 64] = 1;
      classes.push_back(p);
    }
  }
  /// `perClass` noisy samples of every class (4 flipped pixels each).
  Array samples(int perClass, std::vector<int> &labels) {
    std::vector<int64_t> v;
    for (int r = 0; r < perClass; ++r)
      for (size_t c = 0; c < classes.size(); ++c) {
        std::vector<int64_t> x = classes[c];
        for (int k = 0; k < 4; ++k)
          x[rng() % 64] ^= 1;
        v.insert(v.end(), x.begin(), x.end());
        labels.push_back(static_cast<int>(c));
      }
    return Array::fromInts(DType::UInt8,
                           {static_cast<int64_t>(labels.size()), 8, 8, 1}, v);
  }
};

TEST(Learning, CompileRefusesWhatCannotLearn) {
  AkidaUnsupervised o;
  o.num_weights = 12;
  o.num_classes = 10;
  EXPECT_NE(compileError(learningModel(8, 8, 30, 4), o).find(
                "it has 4-bit weights; a learning layer has 1-bit weights"),
            std::string::npos);
  EXPECT_NE(compileError(learningModel(8, 8, 30, 1, 8), o).find(
                "its input has 8-bit values; a learning layer reads 1-bit "
                "spikes"),
            std::string::npos);
  AkidaUnsupervised bad = o;
  bad.num_weights = 65;
  EXPECT_NE(compileError(learningModel(8, 8, 30), bad)
                .find("num_weights = 65; it must be within [1, 64]"),
            std::string::npos);
  bad = o;
  bad.num_classes = 7;
  EXPECT_NE(compileError(learningModel(8, 8, 30), bad)
                .find("num_classes = 7; it must divide its 30 units"),
            std::string::npos);
  bad = o;
  bad.initial_plasticity = 1.5f;
  EXPECT_NE(compileError(learningModel(8, 8, 30), bad)
                .find("initial_plasticity = 1.5"),
            std::string::npos);
  Model m = learningModel(8, 8, 30);
  std::vector<int> labels;
  EXPECT_THROW(m.fit(Prototypes(10).samples(1, labels)), std::runtime_error);
  EXPECT_FALSE(m.learning());
}

TEST(Learning, FitReturnsPotentialsAndLearnsTheLabelsGroup) {
  Model m = learningModel(8, 8, 30);
  AkidaUnsupervised o;
  o.num_weights = 12;
  o.num_classes = 10;
  m.compile(o, 3);
  ASSERT_TRUE(m.learning());
  EXPECT_EQ(m.learning()->num_weights, 12);
  EXPECT_EQ(connections(m), std::vector<int64_t>(30, 12));

  Prototypes protos(10);
  std::vector<int> labels;
  const Array x = protos.samples(1, labels);
  // Sample 0's output is its potentials before it is learned: the popcount
  // of (spikes AND connections) with the compiled weights. The flatten is
  // channel-major: feature col * rows + row for one channel.
  const Array w = m.get_layer("fc").get_variable("weights");
  const Array y = m.fit(x, labels);
  ASSERT_EQ(y.shape, (std::vector<int64_t>{10, 1, 1, 30}));
  for (int64_t j = 0; j < 30; ++j) {
    int64_t p = 0;
    for (int64_t row = 0; row < 8; ++row)
      for (int64_t col = 0; col < 8; ++col)
        p += x.intAt(row * 8 + col) * w.intAt((col * 8 + row) * 30 + j);
    EXPECT_EQ(y.intAt(j), p) << "neuron " << j;
  }
  // Connections move, they are never added or lost; one neuron of each
  // label's group learned, none outside.
  EXPECT_EQ(connections(m), std::vector<int64_t>(30, 12));
  const Array t = m.get_layer("fc").get_variable("threshold_learning");
  const Array pl = m.get_layer("fc").get_variable("plasticity");
  for (int c = 0; c < 10; ++c) {
    int learned = 0;
    for (int k = 0; k < 3; ++k) {
      const int64_t j = c * 3 + k;
      if (t.intAt(j) > 0) {
        ++learned;
        EXPECT_FLOAT_EQ(pl.floatAt(j), 0.75f); // 1 - 0.25 x 1
      } else {
        EXPECT_FLOAT_EQ(pl.floatAt(j), 1.0f);
      }
    }
    EXPECT_EQ(learned, 1) << "class " << c;
  }
}

TEST(Learning, FewShotPrototypesAreRecognized) {
  Model m = learningModel(8, 8, 30);
  AkidaUnsupervised o;
  o.num_weights = 12;
  o.num_classes = 10;
  m.compile(o);
  Prototypes protos(10);
  std::vector<int> trainLabels, testLabels;
  const Array train = protos.samples(5, trainLabels);
  m.fit(train, trainLabels);
  const Array test = protos.samples(20, testLabels);
  const float accuracy = m.evaluate(test, testLabels, 10);
  std::cout << "few-shot prototypes: accuracy " << accuracy << "\n";
  EXPECT_GE(accuracy, 0.95f);
  // Plasticity decays to its floor and stays there.
  const Array pl = m.get_layer("fc").get_variable("plasticity");
  for (int64_t j = 0; j < 30; ++j)
    EXPECT_GE(pl.floatAt(j), 0.1f - 1e-6f);
  // Labels outside [0, num_classes) do not train.
  const Array before = m.get_layer("fc").get_variable("weights");
  std::vector<int> ignored(trainLabels.size(), 10);
  ignored[0] = -1;
  m.fit(train, ignored);
  EXPECT_EQ(m.get_layer("fc").get_variable("weights"), before);
}

TEST(Learning, ASavedModelResumesLearning) {
  AkidaUnsupervised o;
  o.num_weights = 10;
  o.num_classes = 10;
  o.plasticity_decay = 0.3f;
  Model whole = learningModel(8, 8, 30);
  whole.compile(o, 9);
  Model split = whole;
  Prototypes protos(10);
  std::vector<int> la, lb;
  const Array a = protos.samples(2, la), b = protos.samples(2, lb);
  whole.fit(a, la);
  whole.fit(b, lb);
  split.fit(a, la);
  Model loaded = Model::from_buffer(split.to_buffer());
  ASSERT_TRUE(loaded.learning());
  EXPECT_FLOAT_EQ(loaded.learning()->plasticity_decay, 0.3f);
  loaded.fit(b, lb);
  EXPECT_EQ(loaded.to_buffer(), whole.to_buffer());
}

TEST(Learning, AddClassesGrowsTheLayer) {
  Model m = learningModel(8, 8, 30);
  AkidaUnsupervised o;
  o.num_weights = 12;
  o.num_classes = 10;
  m.compile(o);
  Prototypes protos(12);
  std::vector<int> labels;
  const Array x = protos.samples(3, labels);
  std::vector<int> firstTen;
  for (int l : labels)
    firstTen.push_back(l < 10 ? l : -1);
  m.fit(x, firstTen);
  const Array before = m.get_layer("fc").get_variable("weights");
  m.add_classes(2);
  EXPECT_EQ(m.learning()->num_classes, 12);
  EXPECT_EQ(m.output_shape(), (std::array<int64_t, 3>{1, 1, 36}));
  const Array after = m.get_layer("fc").get_variable("weights");
  for (int64_t i = 0; i < 64; ++i)
    for (int64_t j = 0; j < 30; ++j)
      ASSERT_EQ(after.intAt(i * 36 + j), before.intAt(i * 30 + j));
  EXPECT_EQ(connections(m), std::vector<int64_t>(36, 12));
  m.fit(x, labels); // the two new classes learn too
  std::vector<int> testLabels;
  EXPECT_GE(m.evaluate(protos.samples(10, testLabels), testLabels, 12), 0.9f);
  EXPECT_THROW(m.add_classes(0), std::invalid_argument);
}

TEST(Learning, AMappedModelLearnsTheSameAndStaysMapped) {
  AkidaUnsupervised o;
  o.num_weights = 12;
  o.num_classes = 10;
  Model host = learningModel(8, 8, 30);
  host.compile(o);
  Model mapped = host;
  mapped.map(AKD1000());
  Prototypes protos(10);
  std::vector<int> labels;
  const Array x = protos.samples(3, labels);
  EXPECT_EQ(mapped.fit(x, labels), host.fit(x, labels));
  ASSERT_NE(mapped.mapping(), nullptr);
  EXPECT_EQ(mapped.to_buffer(), host.to_buffer());
  // Its programs hold the learned weights: the device agrees with the host.
  std::vector<int> testLabels;
  const Array test = protos.samples(5, testLabels);
  EXPECT_EQ(mapped.forward(test), host.forward(test));
  EXPECT_GT(mapped.metrics().inference_frames, 0);
}

/// The images of an IDX file (gzip), as 0/1 pixels (>= 128), and labels.
bool readFashion(const std::string &images, const std::string &labelsPath,
                 int64_t limit, std::vector<int64_t> &pixels,
                 std::vector<int> &labels) {
  auto read = [](const std::string &path, int64_t skip, int64_t n) {
    std::vector<uint8_t> out(static_cast<size_t>(n));
    gzFile f = gzopen(path.c_str(), "rb");
    if (!f)
      return std::vector<uint8_t>();
    std::vector<uint8_t> header(static_cast<size_t>(skip));
    gzread(f, header.data(), static_cast<unsigned>(skip));
    const int got = gzread(f, out.data(), static_cast<unsigned>(n));
    gzclose(f);
    out.resize(got > 0 ? static_cast<size_t>(got) : 0);
    return out;
  };
  const std::vector<uint8_t> img = read(images, 16, limit * 784);
  const std::vector<uint8_t> lab = read(labelsPath, 8, limit);
  if (img.size() != static_cast<size_t>(limit * 784) ||
      lab.size() != static_cast<size_t>(limit))
    return false;
  for (uint8_t p : img)
    pixels.push_back(p >= 128);
  labels.assign(lab.begin(), lab.end());
  return true;
}

TEST(Learning, FewShotFashionMnist) {
  const std::string dir = "/usr/share/datasets/fashion-mnist/";
  ASSERT_TRUE(std::filesystem::exists(dir + "t10k-images-idx3-ubyte.gz"))
      << dir << " is missing: scripts/install-ml-deps.sh installs "
      << "dataset-fashion-mnist";
  std::vector<int64_t> trainPx, testPx;
  std::vector<int> trainAll, test;
  ASSERT_TRUE(readFashion(dir + "train-images-idx3-ubyte.gz",
                          dir + "train-labels-idx1-ubyte.gz", 2000, trainPx,
                          trainAll));
  ASSERT_TRUE(readFashion(dir + "t10k-images-idx3-ubyte.gz",
                          dir + "t10k-labels-idx1-ubyte.gz", 10000, testPx,
                          test));
  // 20 shots per class: the first 20 of each class in the training set.
  std::vector<int64_t> shots;
  std::vector<int> labels, perClass(10, 0);
  for (size_t s = 0; s < trainAll.size(); ++s)
    if (perClass[trainAll[s]]++ < 20) {
      shots.insert(shots.end(), trainPx.begin() + s * 784,
                   trainPx.begin() + (s + 1) * 784);
      labels.push_back(trainAll[s]);
    }
  ASSERT_EQ(labels.size(), 200u);
  Model m = learningModel(28, 28, 10 * 8);
  AkidaUnsupervised o;
  o.num_weights = 200; // about half of a garment's lit pixels
  o.num_classes = 10;
  m.compile(o);
  m.fit(Array::fromInts(DType::UInt8, {200, 28, 28, 1}, shots), labels);
  const float accuracy =
      m.evaluate(Array::fromInts(DType::UInt8, {10000, 28, 28, 1}, testPx),
                 test, 10);
  std::cout << "Fashion-MNIST, 20 shots per class, binarized pixels, 8 "
               "neurons per class: test accuracy "
            << accuracy << " (10,000 images)\n";
  // A floor, not a goal: binary synapses on raw binarized pixels (no
  // feature extractor) reach 0.45 here (10 % is chance); see
  // docs/runtime/learning.md for what it measures.
  EXPECT_GE(accuracy, 0.40f);
}

} // namespace
