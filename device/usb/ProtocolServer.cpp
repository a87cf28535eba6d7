//===- ProtocolServer.cpp - The device end of the USB protocol ------------===//

#include "device/usb/ProtocolServer.h"

#include "compiler/fbz/Checksum.h"
#include "compiler/program/Program.h"

#include <cmath>
#include <cstdio>

namespace akida::usb {

namespace {

/// A command that fails with a status and a message.
struct Failure {
  Status status;
  std::string message;
};

Frame reply(const Frame &command, Status status,
            const std::vector<uint8_t> &data) {
  Frame f;
  f.opcode = command.opcode | kReplyBit;
  f.sequence = command.sequence;
  Writer w;
  w.u32(static_cast<uint32_t>(status));
  w.bytes(data.data(), data.size());
  f.payload = w.take();
  return f;
}

std::string hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%04x", v);
  return buf;
}

} // namespace

ProtocolServer::ProtocolServer(Device chip, std::string firmware)
    : chip_(std::move(chip)), firmware_(std::move(firmware)),
      device_(std::make_unique<VirtualDevice>(chip_)) {}

std::vector<uint8_t> ProtocolServer::handle(
    const std::vector<uint8_t> &request) {
  if (hasLast_ && request == lastRequest_)
    return lastReply_;
  Frame command;
  try {
    command = decodeFrame(request);
  } catch (const FramingError &e) {
    // Echo what can be read of the header so the host can match the reply.
    if (request.size() >= 8) {
      command.opcode = request[5] & ~kReplyBit;
      command.sequence = static_cast<uint16_t>(request[6] | request[7] << 8);
    }
    std::string msg = e.what();
    return encodeFrame(reply(command, Status::BadFrame,
                             std::vector<uint8_t>(msg.begin(), msg.end())));
  }
  Frame out;
  try {
    out = execute(command);
  } catch (const Failure &f) {
    out = reply(command, f.status,
                std::vector<uint8_t>(f.message.begin(), f.message.end()));
  } catch (const FramingError &e) {
    std::string msg = std::string(opcodeName(command.opcode)) + ": " + e.what();
    out = reply(command, Status::BadArgument,
                std::vector<uint8_t>(msg.begin(), msg.end()));
  }
  ++executed_;
  hasLast_ = true;
  lastRequest_ = request;
  lastReply_ = encodeFrame(out);
  return lastReply_;
}

Frame ProtocolServer::execute(const Frame &command) {
  Reader r(command.payload);
  Writer w;
  switch (static_cast<Opcode>(command.opcode)) {
  case Opcode::Info: {
    r.end();
    HwVersion v = chip_.version;
    w.u8(kProtocolVersion)
        .u8(v.vendorId)
        .u8(v.productId)
        .u8(v.majorRev)
        .u8(v.minorRev)
        .str(chip_.name)
        .str(firmware_)
        .u32(static_cast<uint32_t>(chip_.mesh.nps.size()))
        .f64(device_->power_floor());
    break;
  }
  case Opcode::Reset:
    r.end();
    device_ = std::make_unique<VirtualDevice>(chip_);
    upload_.clear();
    uploadOpen_ = false;
    result_.clear();
    break;
  case Opcode::ReadReg:
    return reply(command, Status::Ok, readRegister(r));
  case Opcode::WriteReg:
    writeRegister(r);
    break;
  case Opcode::ReadClocks:
    r.end();
    return reply(command, Status::Ok, clocks());
  case Opcode::UploadBegin: {
    uploadTotal_ = r.u32();
    uploadCrc_ = r.u32();
    r.end();
    if (uploadTotal_ > (256u << 20))
      throw Failure{Status::BadArgument,
                    "UploadBegin: " + std::to_string(uploadTotal_) +
                        " bytes exceed the 256 MiB upload buffer"};
    upload_.clear();
    upload_.reserve(uploadTotal_);
    uploadOpen_ = true;
    break;
  }
  case Opcode::UploadData: {
    uint32_t offset = r.u32();
    std::vector<uint8_t> data = r.rest();
    if (!uploadOpen_)
      throw Failure{Status::BadArgument, "UploadData without UploadBegin"};
    if (offset != upload_.size() || offset + data.size() > uploadTotal_)
      throw Failure{Status::BadArgument,
                    "UploadData at offset " + std::to_string(offset) +
                        " (+" + std::to_string(data.size()) +
                        " bytes); expected offset " +
                        std::to_string(upload_.size()) + " of " +
                        std::to_string(uploadTotal_)};
    upload_.insert(upload_.end(), data.begin(), data.end());
    break;
  }
  case Opcode::Program:
  case Opcode::Run:
  case Opcode::Fit:
  case Opcode::WriteLearnMem: {
    const auto opcode = static_cast<Opcode>(command.opcode);
    const std::vector<int64_t> labels =
        opcode == Opcode::Fit ? decodeLabels(r) : std::vector<int64_t>{};
    r.end();
    const char *op = opcodeName(command.opcode);
    if (!uploadOpen_ || upload_.size() != uploadTotal_)
      throw Failure{Status::BadArgument,
                    std::string(op) + ": the upload is incomplete (" +
                        std::to_string(upload_.size()) + " of " +
                        std::to_string(uploadTotal_) + " bytes)"};
    if (fbz::crc32Of(upload_.data(), upload_.size()) != uploadCrc_)
      throw Failure{Status::BadArgument,
                    std::string(op) + ": the upload fails its CRC-32"};
    uploadOpen_ = false;
    try {
      if (opcode == Opcode::Program) {
        device_->program(upload_);
        w.u64(static_cast<uint64_t>(device_->metrics().program_clk))
            .u32(static_cast<uint32_t>(device_->max_batch_size()))
            .i32(device_->inputLayer())
            .i32(device_->outputLayer());
        break;
      }
      if (!device_->isProgrammed())
        throw Failure{Status::NotProgrammed,
                      std::string(op) + ": the device has no program"};
      if (opcode == Opcode::WriteLearnMem) {
        device_->update_learn_mem(decodeLearnMem(upload_));
        break;
      }
      Reader in(upload_);
      ref::Activations input = readActivations(in);
      in.end();
      RunResult result;
      result.output = opcode == Opcode::Fit ? device_->fit(input, labels)
                                            : device_->forward(input);
      result.exported = device_->exported();
      result.powerEvents = device_->inference_power_events();
      result_ = encodeRunResult(result);
      w.u32(static_cast<uint32_t>(result_.size()));
    } catch (const Failure &) {
      throw;
    } catch (const FramingError &e) {
      throw Failure{Status::BadArgument, std::string(op) + ": " + e.what()};
    } catch (const std::exception &e) {
      throw Failure{Status::Rejected, std::string(op) + ": " + e.what()};
    }
    break;
  }
  case Opcode::ReadLearnMem:
    r.end();
    if (!device_->isProgrammed())
      throw Failure{Status::NotProgrammed,
                    "ReadLearnMem: the device has no program"};
    try {
      result_ = encodeLearnMem(device_->learn_mem());
    } catch (const std::exception &e) {
      throw Failure{Status::Rejected, std::string("ReadLearnMem: ") + e.what()};
    }
    w.u32(static_cast<uint32_t>(result_.size()));
    break;
  case Opcode::ReadResult: {
    uint32_t offset = r.u32();
    uint32_t length = r.u32();
    r.end();
    if (offset > result_.size() || length > kMaxPayload - 4)
      throw Failure{Status::BadArgument,
                    "ReadResult at offset " + std::to_string(offset) +
                        " length " + std::to_string(length) + "; the result has " +
                        std::to_string(result_.size()) +
                        " bytes and a chunk at most " +
                        std::to_string(kMaxPayload - 4)};
    size_t end = std::min<size_t>(result_.size(), size_t(offset) + length);
    w.bytes(result_.data() + offset, end - offset);
    break;
  }
  default:
    throw Failure{Status::UnknownCommand,
                  "opcode " + hex(command.opcode) + " is not a command"};
  }
  return reply(command, Status::Ok, w.take());
}

std::vector<uint8_t> ProtocolServer::readRegister(Reader &r) const {
  uint32_t addr = r.u32();
  r.end();
  uint32_t value = 0;
  switch (addr) {
  case reg::ChipId: value = kChipId; break;
  case reg::ProtocolVersion: value = kProtocolVersion; break;
  case reg::State: value = device_->isProgrammed() ? 1 : 0; break;
  case reg::ClockKhz:
    value = static_cast<uint32_t>(std::lround(device_->clock_mhz() * 1000));
    break;
  case reg::PowerMeasurement:
    value = device_->power_measurement_enabled() ? 1 : 0;
    break;
  case reg::BatchSize: value = static_cast<uint32_t>(device_->batch_size()); break;
  case reg::MaxBatchSize:
    value = device_->isProgrammed()
                ? static_cast<uint32_t>(device_->max_batch_size())
                : 0;
    break;
  default:
    throw Failure{Status::BadArgument, "no register at " + hex(addr)};
  }
  Writer w;
  w.u32(value);
  return w.take();
}

void ProtocolServer::writeRegister(Reader &r) {
  uint32_t addr = r.u32();
  uint32_t value = r.u32();
  r.end();
  try {
    switch (addr) {
    case reg::ClockKhz:
      device_->set_clock_mhz(value / 1000.0);
      return;
    case reg::PowerMeasurement:
      if (value > 1)
        throw Failure{Status::BadArgument,
                      "PowerMeasurement takes 0 or 1, not " +
                          std::to_string(value)};
      device_->set_power_measurement_enabled(value == 1);
      return;
    case reg::BatchSize:
      device_->set_batch_size(static_cast<int>(value));
      return;
    case reg::ChipId:
    case reg::ProtocolVersion:
    case reg::State:
    case reg::MaxBatchSize:
      throw Failure{Status::BadArgument,
                    "register " + hex(addr) + " is read-only"};
    default:
      throw Failure{Status::BadArgument, "no register at " + hex(addr)};
    }
  } catch (const Failure &) {
    throw;
  } catch (const std::exception &e) {
    throw Failure{Status::BadArgument,
                  "WriteReg " + hex(addr) + ": " + e.what()};
  }
}

std::vector<uint8_t> ProtocolServer::clocks() const {
  const DeviceMetrics &m = device_->metrics();
  Writer w;
  w.u64(static_cast<uint64_t>(m.inference_frames))
      .u64(static_cast<uint64_t>(m.inference_clk))
      .u64(static_cast<uint64_t>(m.program_clk))
      .f64(m.inference_start)
      .f64(m.inference_end)
      .f64(device_->time_ms());
  return w.take();
}

} // namespace akida::usb
