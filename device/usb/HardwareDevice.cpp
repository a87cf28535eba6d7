//===- HardwareDevice.cpp - An Akida chip driven over USB -----------------===//

#include "device/usb/HardwareDevice.h"

#include "compiler/fbz/Checksum.h"

#include <cmath>

namespace akida::usb {

HardwareDevice::HardwareDevice(std::unique_ptr<Transport> transport,
                               Device device, LinkOptions options)
    : transport_(std::move(transport)), device_(std::move(device)),
      options_(options) {
  std::vector<uint8_t> info = call(Opcode::Info, {});
  Reader r(info);
  identity_.protocolVersion = r.u8();
  identity_.hwVendor = r.u8();
  identity_.hwProduct = r.u8();
  identity_.hwMajor = r.u8();
  identity_.hwMinor = r.u8();
  identity_.name = r.str();
  identity_.firmware = r.str();
  identity_.npCount = r.u32();
  identity_.floorMw = r.f64();
  r.end();
  if (identity_.protocolVersion != kProtocolVersion)
    throw std::runtime_error(who() + " speaks protocol version " +
                             std::to_string(identity_.protocolVersion) +
                             "; this host speaks " +
                             std::to_string(kProtocolVersion));
  if (identity_.name != device_.name ||
      identity_.npCount != device_.mesh.nps.size())
    throw std::runtime_error(
        who() + " reports itself as " + identity_.name + " with " +
        std::to_string(identity_.npCount) + " NPs, but its USB id says " +
        device_.name + " with " + std::to_string(device_.mesh.nps.size()));
  set_clock_mhz(300.0);
  read_clocks();
}

std::string HardwareDevice::who() const {
  return "device " + device_.name + " at " + transport_->where();
}

std::vector<uint8_t> HardwareDevice::call(Opcode op,
                                          const std::vector<uint8_t> &payload) {
  Frame command;
  command.opcode = static_cast<uint8_t>(op);
  command.sequence = ++sequence_;
  command.payload = payload;
  const std::vector<uint8_t> bytes = encodeFrame(command);
  const char *name = opcodeName(command.opcode);
  std::string lastProblem;
  for (int attempt = 0; attempt <= options_.retries; ++attempt) {
    try {
      ++transfers_;
      transport_->send(bytes, options_.timeoutMs);
      Frame answer;
      // Replies to earlier (retried) commands may still be queued: skip
      // them until this command's reply arrives.
      do {
        answer = decodeFrame(receiveFrame());
      } while (answer.sequence != command.sequence);
      if (answer.opcode != (command.opcode | kReplyBit))
        throw FramingError(std::string("reply opcode ") +
                           opcodeName(answer.opcode) + " to " + name);
      Reader r(answer.payload);
      auto status = static_cast<Status>(r.u32());
      std::vector<uint8_t> data = r.rest();
      if (status == Status::Ok)
        return data;
      std::string msg = who() + ": " + name + " failed (" +
                        statusName(status) + "): " +
                        std::string(data.begin(), data.end());
      if (status == Status::BadArgument || status == Status::Rejected)
        throw std::invalid_argument(msg);
      throw std::runtime_error(msg);
    } catch (const TransportTimeout &e) {
      lastProblem = e.what();
    } catch (const FramingError &e) {
      lastProblem = std::string("bad reply: ") + e.what();
    } catch (const DeviceLost &e) {
      throw DeviceLost(who() + " was lost during " + name + " (" + e.what() +
                       ")");
    } catch (const TransportError &e) {
      throw TransportError(who() + ": " + name + ": " + e.what());
    }
  }
  throw TransportTimeout(who() + " did not answer " + name + " after " +
                         std::to_string(options_.retries + 1) + " tries of " +
                         std::to_string(options_.timeoutMs) +
                         " ms (last: " + lastProblem + ")");
}

std::vector<uint8_t> HardwareDevice::receiveFrame() {
  std::vector<uint8_t> bytes =
      transport_->receive(kInTransferSize, options_.timeoutMs);
  if (bytes.size() < kHeaderSize)
    return bytes; // decodeFrame says what is wrong
  const size_t total = kHeaderSize + (bytes[8] | bytes[9] << 8 |
                                      bytes[10] << 16 |
                                      static_cast<size_t>(bytes[11]) << 24);
  if (total > kMaxFrame)
    throw FramingError("reply announces " + std::to_string(total) +
                       " bytes; a frame has at most " +
                       std::to_string(kMaxFrame));
  while (bytes.size() < total) {
    std::vector<uint8_t> more = transport_->receive(
        std::min<size_t>(kInTransferSize, total - bytes.size()),
        options_.timeoutMs);
    if (more.empty())
      throw FramingError("reply ended after " + std::to_string(bytes.size()) +
                         " of " + std::to_string(total) + " bytes");
    bytes.insert(bytes.end(), more.begin(), more.end());
  }
  return bytes;
}

uint32_t HardwareDevice::read_register(uint32_t address) {
  Writer w;
  w.u32(address);
  std::vector<uint8_t> data = call(Opcode::ReadReg, w.take());
  Reader r(data);
  uint32_t v = r.u32();
  r.end();
  return v;
}

void HardwareDevice::write_register(uint32_t address, uint32_t value) {
  Writer w;
  w.u32(address).u32(value);
  call(Opcode::WriteReg, w.take());
}

void HardwareDevice::reset() {
  call(Opcode::Reset, {});
  maxBatch_ = 0;
  inputLayer_ = outputLayer_ = -1;
  metrics_ = {};
  powerEvents_.clear();
  exported_.clear();
  read_clocks();
}

Clocks HardwareDevice::read_clocks() {
  std::vector<uint8_t> data = call(Opcode::ReadClocks, {});
  Reader r(data);
  Clocks c;
  c.inferenceFrames = r.u64();
  c.inferenceClk = r.u64();
  c.programClk = r.u64();
  c.inferenceStartMs = r.f64();
  c.inferenceEndMs = r.f64();
  c.nowMs = r.f64();
  r.end();
  clocks_ = c;
  return c;
}

void HardwareDevice::set_clock_mhz(double mhz) {
  if (!(mhz > 0) || mhz * 1000 > UINT32_MAX)
    throw std::invalid_argument("clock must be positive MHz, got " +
                                std::to_string(mhz));
  write_register(reg::ClockKhz, static_cast<uint32_t>(std::lround(mhz * 1000)));
}

void HardwareDevice::set_power_measurement_enabled(bool enabled) {
  write_register(reg::PowerMeasurement, enabled ? 1 : 0);
}

void HardwareDevice::set_batch_size(int batchSize) {
  if (batchSize < 1)
    throw std::invalid_argument("set_batch_size: batch size " +
                                std::to_string(batchSize) +
                                " must be at least 1");
  write_register(reg::BatchSize, static_cast<uint32_t>(batchSize));
}

void HardwareDevice::upload(const std::vector<uint8_t> &bytes) {
  Writer begin;
  begin.u32(static_cast<uint32_t>(bytes.size()))
      .u32(fbz::crc32Of(bytes.data(), bytes.size()));
  call(Opcode::UploadBegin, begin.take());
  const size_t chunk = kMaxPayload - 4;
  for (size_t off = 0; off < bytes.size(); off += chunk) {
    Writer w;
    w.u32(static_cast<uint32_t>(off))
        .bytes(bytes.data() + off, std::min(chunk, bytes.size() - off));
    call(Opcode::UploadData, w.take());
  }
}

void HardwareDevice::program(const std::vector<uint8_t> &bytes) {
  upload(bytes);
  std::vector<uint8_t> data = call(Opcode::Program, {});
  Reader r(data);
  metrics_ = {};
  metrics_.program_clk = static_cast<int64_t>(r.u64());
  maxBatch_ = static_cast<int>(r.u32());
  inputLayer_ = r.i32();
  outputLayer_ = r.i32();
  r.end();
  powerEvents_.clear();
  exported_.clear();
  read_clocks();
}

std::vector<uint8_t> HardwareDevice::readResult(uint32_t size) {
  std::vector<uint8_t> result;
  result.reserve(size);
  while (result.size() < size) {
    Writer w;
    w.u32(static_cast<uint32_t>(result.size()))
        .u32(std::min<uint32_t>(kMaxPayload - 4,
                                size - static_cast<uint32_t>(result.size())));
    std::vector<uint8_t> chunk = call(Opcode::ReadResult, w.take());
    if (chunk.empty())
      throw std::runtime_error(who() + ": ReadResult returned no bytes at " +
                               std::to_string(result.size()) + " of " +
                               std::to_string(size));
    result.insert(result.end(), chunk.begin(), chunk.end());
  }
  return result;
}

/// The size a Run, Fit or ReadLearnMem reply announces.
static uint32_t resultSize(const std::vector<uint8_t> &reply) {
  Reader r(reply);
  const uint32_t size = r.u32();
  r.end();
  return size;
}

ref::Activations HardwareDevice::forward(const ref::Activations &input) {
  return run(input, nullptr);
}

ref::Activations HardwareDevice::fit(const ref::Activations &input,
                                     const std::vector<int64_t> &labels) {
  return run(input, &labels);
}

ref::Activations HardwareDevice::run(const ref::Activations &input,
                                     const std::vector<int64_t> *labels) {
  Writer in;
  writeActivations(in, input);
  upload(in.take());
  const uint32_t size =
      resultSize(labels ? call(Opcode::Fit, encodeLabels(*labels))
                        : call(Opcode::Run, {}));
  RunResult decoded = decodeRunResult(readResult(size));
  powerEvents_ = std::move(decoded.powerEvents);
  exported_ = std::move(decoded.exported);
  Clocks c = read_clocks();
  const int64_t programClk = metrics_.program_clk;
  metrics_ = {};
  metrics_.program_clk = programClk;
  metrics_.inference_frames = static_cast<int64_t>(c.inferenceFrames);
  metrics_.inference_clk = static_cast<int64_t>(c.inferenceClk);
  metrics_.inference_start = c.inferenceStartMs;
  metrics_.inference_end = c.inferenceEndMs;
  return std::move(decoded.output);
}

learning::LearnMem HardwareDevice::learn_mem() {
  return decodeLearnMem(
      readResult(resultSize(call(Opcode::ReadLearnMem, {}))));
}

void HardwareDevice::update_learn_mem(const learning::LearnMem &mem) {
  upload(encodeLearnMem(mem));
  call(Opcode::WriteLearnMem, {});
}

} // namespace akida::usb
