// The device end of the USB protocol: every command, its errors (status and
// message), the upload rules, and retries answered from the cache.
#include "device/usb/ProtocolServer.h"

#include "compiler/fbz/Checksum.h"
#include "tests/unit/model/LearningModel.h"

#include <gtest/gtest.h>

using namespace akida;
using namespace akida::usb;

namespace {

struct Reply {
  Status status = Status::Ok;
  std::vector<uint8_t> data;
  std::string message() const { return std::string(data.begin(), data.end()); }
};

class Server : public ::testing::Test {
protected:
  ProtocolServer server{AKD1000(), "test-firmware"};
  uint16_t sequence = 0;

  Reply call(Opcode op, const std::vector<uint8_t> &payload = {}) {
    Frame f;
    f.opcode = static_cast<uint8_t>(op);
    f.sequence = ++sequence;
    f.payload = payload;
    return parse(server.handle(encodeFrame(f)), f);
  }
  static Reply parse(const std::vector<uint8_t> &bytes, const Frame &command) {
    Frame f = decodeFrame(bytes);
    EXPECT_EQ(f.opcode, command.opcode | kReplyBit);
    EXPECT_EQ(f.sequence, command.sequence);
    Reader r(f.payload);
    Reply reply;
    reply.status = static_cast<Status>(r.u32());
    reply.data = r.rest();
    return reply;
  }
  Reply readReg(uint32_t addr) {
    Writer w;
    w.u32(addr);
    return call(Opcode::ReadReg, w.take());
  }
  Reply writeReg(uint32_t addr, uint32_t value) {
    Writer w;
    w.u32(addr).u32(value);
    return call(Opcode::WriteReg, w.take());
  }
  uint32_t value(const Reply &r) {
    Reader rd(r.data);
    return rd.u32();
  }
  Reply upload(const std::vector<uint8_t> &bytes) {
    Writer b;
    b.u32(static_cast<uint32_t>(bytes.size()))
        .u32(fbz::crc32Of(bytes.data(), bytes.size()));
    Reply r = call(Opcode::UploadBegin, b.take());
    if (r.status != Status::Ok)
      return r;
    Writer d;
    d.u32(0).bytes(bytes.data(), bytes.size());
    return call(Opcode::UploadData, d.take());
  }
};

} // namespace

TEST_F(Server, InfoNamesTheChip) {
  Reply r = call(Opcode::Info);
  ASSERT_EQ(r.status, Status::Ok);
  Reader rd(r.data);
  EXPECT_EQ(rd.u8(), kProtocolVersion);
  EXPECT_EQ(rd.u8(), 0xBC);
  rd.u8();
  rd.u8();
  rd.u8();
  EXPECT_EQ(rd.str(), "AKD1000");
  EXPECT_EQ(rd.str(), "test-firmware");
  EXPECT_EQ(rd.u32(), 78u);
  EXPECT_EQ(rd.f64(), 912.0);
  EXPECT_NO_THROW(rd.end());
  EXPECT_EQ(call(Opcode::Info, {1}).status, Status::BadArgument);
}

TEST_F(Server, Registers) {
  EXPECT_EQ(value(readReg(reg::ChipId)), kChipId);
  EXPECT_EQ(value(readReg(reg::ProtocolVersion)), 1u);
  EXPECT_EQ(value(readReg(reg::State)), 0u);
  EXPECT_EQ(value(readReg(reg::ClockKhz)), 300000u);
  EXPECT_EQ(writeReg(reg::ClockKhz, 150000).status, Status::Ok);
  EXPECT_EQ(value(readReg(reg::ClockKhz)), 150000u);
  EXPECT_DOUBLE_EQ(server.device().clock_mhz(), 150.0);
  EXPECT_EQ(writeReg(reg::PowerMeasurement, 1).status, Status::Ok);
  EXPECT_TRUE(server.device().power_measurement_enabled());
  EXPECT_EQ(value(readReg(reg::MaxBatchSize)), 0u);

  Reply r = writeReg(reg::ChipId, 1);
  EXPECT_EQ(r.status, Status::BadArgument);
  EXPECT_EQ(r.message(), "register 0x0000 is read-only");
  r = readReg(0x44);
  EXPECT_EQ(r.status, Status::BadArgument);
  EXPECT_EQ(r.message(), "no register at 0x0044");
  r = writeReg(reg::PowerMeasurement, 2);
  EXPECT_EQ(r.message(), "PowerMeasurement takes 0 or 1, not 2");
  r = writeReg(reg::ClockKhz, 0);
  EXPECT_EQ(r.status, Status::BadArgument);
  EXPECT_NE(r.message().find("clock must be positive"), std::string::npos)
      << r.message();
  r = writeReg(reg::BatchSize, 4);
  EXPECT_EQ(r.status, Status::BadArgument);
  EXPECT_NE(r.message().find("not programmed"), std::string::npos)
      << r.message();
}

TEST_F(Server, MalformedAndUnknownCommands) {
  Frame f;
  f.opcode = 0x3f;
  f.sequence = 77;
  Reply r = parse(server.handle(encodeFrame(f)), f);
  EXPECT_EQ(r.status, Status::UnknownCommand);
  EXPECT_EQ(r.message(), "opcode 0x003f is not a command");

  // A corrupted frame: the reply echoes opcode and sequence, says why.
  f.opcode = static_cast<uint8_t>(Opcode::Info);
  f.sequence = 78;
  f.payload = {1, 2, 3};
  std::vector<uint8_t> bytes = encodeFrame(f);
  bytes.back() ^= 0x40;
  r = parse(server.handle(bytes), f);
  EXPECT_EQ(r.status, Status::BadFrame);
  EXPECT_EQ(r.message(), "frame payload fails its CRC-32");
  Frame reply = decodeFrame(server.handle({1, 2}));
  EXPECT_EQ(Reader(reply.payload).u32(), uint32_t(Status::BadFrame));
}

TEST_F(Server, UploadRules) {
  Writer d;
  d.u32(0).u8(1);
  Reply r = call(Opcode::UploadData, d.take());
  EXPECT_EQ(r.message(), "UploadData without UploadBegin");
  Writer b;
  b.u32(4).u32(0);
  ASSERT_EQ(call(Opcode::UploadBegin, b.take()).status, Status::Ok);
  Writer skip;
  skip.u32(2).u8(1);
  r = call(Opcode::UploadData, skip.take());
  EXPECT_EQ(r.message(),
            "UploadData at offset 2 (+1 bytes); expected offset 0 of 4");
  r = call(Opcode::Program);
  EXPECT_EQ(r.message(), "Program: the upload is incomplete (0 of 4 bytes)");
  Writer part;
  part.u32(0).u8(1).u8(2).u8(3).u8(4);
  ASSERT_EQ(call(Opcode::UploadData, part.take()).status, Status::Ok);
  r = call(Opcode::Program);
  EXPECT_EQ(r.message(), "Program: the upload fails its CRC-32");
  Writer huge;
  huge.u32(1u << 30).u32(0);
  EXPECT_EQ(call(Opcode::UploadBegin, huge.take()).status,
            Status::BadArgument);
}

TEST_F(Server, ProgramAndRunErrors) {
  ASSERT_EQ(upload({1, 2, 3, 4, 5}).status, Status::Ok);
  Reply r = call(Opcode::Program);
  EXPECT_EQ(r.status, Status::Rejected);
  EXPECT_EQ(r.message().rfind("Program: ", 0), 0u) << r.message();
  EXPECT_EQ(value(readReg(reg::State)), 0u);

  ASSERT_EQ(upload({0}).status, Status::Ok);
  r = call(Opcode::Run);
  EXPECT_EQ(r.status, Status::NotProgrammed);
  EXPECT_EQ(r.message(), "Run: the device has no program");

  Writer rr;
  rr.u32(10).u32(4);
  r = call(Opcode::ReadResult, rr.take());
  EXPECT_EQ(r.status, Status::BadArgument);
  EXPECT_EQ(r.message(), "ReadResult at offset 10 length 4; the result has 0 "
                         "bytes and a chunk at most 61436");
}

TEST_F(Server, RetriesAreAnsweredFromTheCache) {
  Frame f;
  f.opcode = static_cast<uint8_t>(Opcode::WriteReg);
  f.sequence = 5;
  Writer w;
  w.u32(reg::ClockKhz).u32(200000);
  f.payload = w.take();
  const std::vector<uint8_t> bytes = encodeFrame(f);
  const int64_t before = server.executed();
  std::vector<uint8_t> first = server.handle(bytes);
  std::vector<uint8_t> again = server.handle(bytes);
  EXPECT_EQ(first, again);
  EXPECT_EQ(server.executed(), before + 1);
  // The same sequence with another payload is a new command.
  Writer w2;
  w2.u32(reg::ClockKhz).u32(100000);
  f.payload = w2.take();
  server.handle(encodeFrame(f));
  EXPECT_EQ(server.executed(), before + 2);
  EXPECT_DOUBLE_EQ(server.device().clock_mhz(), 100.0);
}

TEST_F(Server, ResetRestoresTheDefaults) {
  ASSERT_EQ(writeReg(reg::ClockKhz, 100000).status, Status::Ok);
  ASSERT_EQ(call(Opcode::Reset).status, Status::Ok);
  EXPECT_EQ(value(readReg(reg::ClockKhz)), 300000u);
  Reply clocks = call(Opcode::ReadClocks);
  ASSERT_EQ(clocks.status, Status::Ok);
  EXPECT_EQ(clocks.data.size(), 6u * 8);
}

TEST_F(Server, LearningCommandsNeedALearningProgram) {
  ASSERT_EQ(upload({0}).status, Status::Ok);
  Reply r = call(Opcode::Fit, encodeLabels({}));
  EXPECT_EQ(r.status, Status::NotProgrammed);
  EXPECT_EQ(r.message(), "Fit: the device has no program");
  r = call(Opcode::ReadLearnMem);
  EXPECT_EQ(r.status, Status::NotProgrammed);
  // A program that does not learn.
  Model plain = testmodels::learningModel(8, 8, 30);
  plain.map(AKD1000());
  ASSERT_EQ(upload(plain.sequences().at(0).program).status, Status::Ok);
  ASSERT_EQ(call(Opcode::Program).status, Status::Ok);
  r = call(Opcode::ReadLearnMem);
  EXPECT_EQ(r.status, Status::Rejected);
  EXPECT_EQ(r.message(), "ReadLearnMem: learn_mem: the program on device "
                         "AKD1000 has no learning layer");
}
