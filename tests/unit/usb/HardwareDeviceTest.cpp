// The host end of the USB protocol over an in-process link: mapped zoo
// models run bit-exactly with the counters of the virtual device, a lost
// reply is retried without running anything twice, and a device that hangs
// or is unplugged mid-inference gives a clear error.
#include "device/usb/HardwareDevice.h"

#include "compiler/fbz/LayerSchema.h"
#include "runtime/model/Model.h"
#include "runtime/zoo/Zoo.h"
#include "tests/unit/model/LearningModel.h"
#include "tests/unit/usb/LoopbackTransport.h"

#include <gtest/gtest.h>

using namespace akida;
using namespace akida::usb;
using akida::usbtest::LoopbackLink;
using akida::usbtest::LoopbackTransport;

namespace {

std::shared_ptr<HardwareDevice> open(std::shared_ptr<LoopbackLink> link,
                                     Device device, int retries = 2) {
  LinkOptions options;
  options.retries = retries;
  return std::make_shared<HardwareDevice>(
      std::make_unique<LoopbackTransport>(std::move(link)), std::move(device),
      options);
}

Array inputsFor(const Model &m, int64_t n) {
  std::array<int64_t, 3> s = m.input_shape();
  std::vector<int64_t> v(static_cast<size_t>(n * s[0] * s[1] * s[2]));
  const LayerDesc &first = m.desc().layers[0];
  const int bits = first.type == LayerType::InputData
                       ? static_cast<int>(param(first, "input_bits"))
                       : 8;
  for (size_t i = 0; i < v.size(); ++i)
    v[i] = (i * 2654435761u >> 9) % (int64_t(1) << bits);
  return Array::fromInts(DType::UInt8, {n, s[0], s[1], s[2]}, v);
}

template <typename E, typename F> std::string messageOf(F f) {
  try {
    f();
  } catch (const E &e) {
    return e.what();
  }
  return "";
}

/// The model run on `device` over the link and on a VirtualDevice: same
/// outputs and counters.
void expectSameAsVirtual(const std::string &name, const Device &device,
                         MapMode mode, int64_t frames) {
  Model model = buildZooModel(name);
  const Array in = inputsFor(model, frames);
  model.map(device, false, mode);
  model.set_power_measurement_enabled(true);
  const Array expected = model.forward(in);
  const Metrics expectedMetrics = model.metrics();
  const Statistics expectedStats = model.statistics();

  auto link = std::make_shared<LoopbackLink>(device);
  model.map(open(link, device), false, mode);
  model.set_power_measurement_enabled(true);
  const Array got = model.forward(in);
  EXPECT_EQ(got.bytes, expected.bytes) << name;
  EXPECT_EQ(got.shape, expected.shape) << name;
  EXPECT_EQ(model.metrics().inference_clk, expectedMetrics.inference_clk);
  EXPECT_EQ(model.metrics().program_clk, expectedMetrics.program_clk);
  EXPECT_EQ(model.metrics().inference_frames, frames);
  EXPECT_EQ(model.statistics().str(), expectedStats.str()) << name;
}

} // namespace

TEST(HardwareDevice, ZooModelsRunAsOnTheVirtualDevice) {
  expectSameAsVirtual("ds_cnn_kws", AKD1000(), MapMode::AllNps, 20);
  expectSameAsVirtual("gxnor_mnist", AKD1000(), MapMode::Minimal, 3);
  expectSameAsVirtual("ds_cnn_kws_v2", SixNodesIPv2(), MapMode::AllNps, 2);
}

TEST(HardwareDevice, MultiSequenceModelsChainLoadOverTheLink) {
  Model probe = buildZooModel("akidanet_0.25_96_vww");
  probe.map(TwoNodesIP(), false, MapMode::AllNps);
  ASSERT_GT(probe.sequences().size(), 1u);
  expectSameAsVirtual("akidanet_0.25_96_vww", TwoNodesIP(), MapMode::AllNps, 2);
}

TEST(HardwareDevice, IdentityAndRegisters) {
  auto link = std::make_shared<LoopbackLink>(AKD1000());
  auto dev = open(link, AKD1000());
  EXPECT_EQ(dev->identity().name, "AKD1000");
  EXPECT_EQ(dev->identity().firmware, "akida-sim-firmware");
  EXPECT_EQ(dev->power_floor(), 912.0);
  EXPECT_EQ(dev->read_register(reg::ChipId), kChipId);
  dev->set_clock_mhz(150);
  EXPECT_EQ(dev->read_register(reg::ClockKhz), 150000u);
  const std::string msg = messageOf<std::invalid_argument>(
      [&] { dev->write_register(reg::ChipId, 0); });
  EXPECT_EQ(msg, "device AKD1000 at loopback: WriteReg failed (bad argument): "
                 "register 0x0000 is read-only");
  dev->reset();
  EXPECT_EQ(dev->read_register(reg::ClockKhz), 300000u);
}

TEST(HardwareDevice, AnotherChipIsRefused) {
  auto link = std::make_shared<LoopbackLink>(TwoNodesIP());
  const std::string msg =
      messageOf<std::runtime_error>([&] { open(link, AKD1000()); });
  EXPECT_NE(msg.find("reports itself as TwoNodesIP"), std::string::npos)
      << msg;
}

TEST(HardwareDevice, ARejectedProgramSaysWhy) {
  Model v2 = buildZooModel("ds_cnn_kws_v2");
  v2.map(SixNodesIPv2());
  auto link = std::make_shared<LoopbackLink>(AKD1000());
  auto dev = open(link, AKD1000());
  const std::string msg = messageOf<std::invalid_argument>(
      [&] { dev->program(v2.mapping()->sequences.at(0).program); });
  EXPECT_EQ(msg.rfind("device AKD1000 at loopback: Program failed (rejected): "
                      "Program: ",
                      0),
            0u)
      << msg;
}

TEST(HardwareDevice, ALostReplyIsRetriedWithoutRunningTwice) {
  Model model = buildZooModel("ds_cnn_kws");
  const Array in = inputsFor(model, 2);
  const Array expected = model.forward(in);
  for (long drop = 1; drop <= 16; ++drop) { // every frame of map + forward
    auto link = std::make_shared<LoopbackLink>(AKD1000());
    link->dropReply = drop;
    model.map(open(link, AKD1000()), false, MapMode::AllNps);
    EXPECT_EQ(model.forward(in).bytes, expected.bytes) << drop;
    // One more frame than commands: the retry, answered from the cache.
    EXPECT_EQ(link->frames, link->server.executed() + 1) << drop;
  }
}

TEST(HardwareDevice, ADeviceLostMidInferenceIsAnError) {
  Model model = buildZooModel("ds_cnn_kws");
  const Array in = inputsFor(model, 1);
  auto link = std::make_shared<LoopbackLink>(AKD1000());
  model.map(open(link, AKD1000()));
  model.forward(in);
  // A forward: WriteReg x2, UploadBegin, UploadData x2, Program, ReadClocks,
  // WriteReg, UploadBegin, UploadData, then Run (the 11th frame).
  link->unplugAfter = link->frames + 11;
  const std::string msg =
      messageOf<DeviceLost>([&] { model.forward(in); });
  EXPECT_EQ(msg, "device AKD1000 at loopback was lost during Run (loopback: "
                 "LIBUSB_ERROR_NO_DEVICE)");
  // Every later call fails the same way, at once.
  EXPECT_THROW(model.forward(in), DeviceLost);
}

TEST(HardwareDevice, ADeviceThatStopsAnsweringTimesOut) {
  Model model = buildZooModel("ds_cnn_kws");
  const Array in = inputsFor(model, 1);
  auto link = std::make_shared<LoopbackLink>(AKD1000());
  model.map(open(link, AKD1000(), /*retries=*/3));
  model.forward(in);
  link->hangAfter = link->frames + 3;
  const std::string msg =
      messageOf<TransportTimeout>([&] { model.forward(in); });
  EXPECT_EQ(msg.rfind("device AKD1000 at loopback did not answer ", 0), 0u)
      << msg;
  EXPECT_NE(msg.find("after 4 tries of 5000 ms (last: loopback: "
                     "LIBUSB_ERROR_TIMEOUT)"),
            std::string::npos)
      << msg;
}

// Edge learning on a chip over USB (Fit, ReadLearnMem, WriteLearnMem):
// Model::fit on the mapped model learns in the chip as on the CPU, and the
// learned state read back over the link is the host's.
TEST(HardwareDevice, AModelLearnsOnTheChipOverTheLink) {
  Model host = testmodels::compiledLearningModel();
  Model mapped = host;
  auto link = std::make_shared<LoopbackLink>(AKD1000());
  auto dev = open(link, AKD1000());
  mapped.map(dev);
  std::vector<int64_t> v(20 * 64);
  for (size_t i = 0; i < v.size(); ++i)
    v[i] = (i * 2654435761u >> 7) % 3 == 0;
  const Array x = Array::fromInts(DType::UInt8, {20, 8, 8, 1}, v);
  std::vector<int> labels;
  for (int i = 0; i < 20; ++i)
    labels.push_back(i % 10);
  EXPECT_EQ(mapped.fit(x, labels), host.fit(x, labels));
  const learning::LearnMem learned =
      learning::learnMemOf(host.desc().layers.back());
  EXPECT_EQ(learning::learnMemOf(mapped.desc().layers.back()), learned);
  EXPECT_EQ(dev->learn_mem(), learned);
  EXPECT_EQ(mapped.forward(x), host.forward(x));
  // The state goes back onto a chip programmed with the weights before
  // learning.
  Model fresh = testmodels::compiledLearningModel();
  fresh.map(AKD1000());
  dev->program(fresh.sequences().at(0).program);
  EXPECT_EQ(dev->learn_mem(), learning::learnMemOf(fresh.desc().layers.back()));
  dev->update_learn_mem(learned);
  EXPECT_EQ(dev->learn_mem(), learned);
  EXPECT_EQ(mapped.forward(x), host.forward(x));
}
