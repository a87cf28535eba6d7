//===- AkidaBench.cpp - Timing Model::forward on the CPU ------------------===//
//
//   akida-bench MODEL [--threads N] [--repeat R] [--warmup W] [--batch B]
//                     [--isa ISA] [--input IN.npy] [--output OUT.npy]
//                     [--check] [--profile] [--json]
//   akida-bench export MODEL DIR
//   akida-bench events [--repeat R] [--cold]
//   akida-bench peak [--json]
//
// MODEL is a zoo name (built with seed 0) or a .fbz file. The timed call is
// Model::forward on a batch of B frames (random seeded inputs, or IN.npy in
// NHWC uint8), R times after W warm-up calls, under a TBB limit of N
// threads; it prints the median and minimum, frames per second, MACs per
// frame (dense count, pooled layers at their convolution resolution) and
// GMAC/s. --output writes the forward result (to compare with ONNX
// Runtime's); --check compares with the reference kernels first; --profile adds
// one line per layer (kernel, median time, MACs, GMAC/s, output zeros);
// --json prints one JSON line instead of text.
//
// `events` times a fully connected layer (1024 4-bit inputs, 1000 units, 4-bit
// weights) on inputs with a growing share of zeros: run it with
// AKIDA_DENSE_EVENT_SHARE=2 (dense path) and =0 (event path) to see where
// the event path starts to win (bench/README.md). --cold evicts the caches
// (writes 64 MB) before each timed call, so that the weights come from
// memory, as a classifier's do in a whole network.
//
// `peak` measures the VNNI ceiling of one core of this processor
// (VnniPeak.h): run-bench.py reports its "% of peak" against it.
//
// `export` writes what scripts/akida_to_onnx.py needs to build the model's
// ONNX QDQ equivalent: DIR/model.json (layers, parameters, shapes, variable
// files) with DIR/<layer>.<variable>.npy, and DIR/input_nhwc.npy /
// DIR/input_nchw.npy (one random frame, the same for both runtimes).
//
//===----------------------------------------------------------------------===//

#include "bench/VnniPeak.h"
#include "compiler/fbz/LayerSchema.h"
#include "runtime/cpu/Geometry.h"
#include "runtime/cpu/Plan.h"
#include "runtime/io/Npy.h"
#include "runtime/zoo/Zoo.h"

#include <tbb/global_control.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

using namespace akida;

namespace {

[[noreturn]] void usage(const std::string &why) {
  std::cerr << "akida-bench: " << why
            << "\nusage: akida-bench MODEL [--threads N] [--repeat R] "
               "[--warmup W] [--batch B] [--isa portable|avx2|avx512vnni] "
               "[--input IN.npy] [--output OUT.npy] [--check] [--profile] "
               "[--json]\n"
               "       akida-bench export MODEL DIR\n"
               "       akida-bench events [--repeat R] [--cold]\n"
               "       akida-bench peak [--json]\n";
  std::exit(2);
}

Model loadModel(const std::string &name) {
  if (name.size() > 4 && name.substr(name.size() - 4) == ".fbz")
    return Model(name);
  return buildZooModel(name, 0);
}

Array randomInput(const Model &m, int64_t batch, uint32_t seed) {
  const std::array<int64_t, 3> s = m.input_shape();
  const ActType t = modelInputType(m.desc());
  int64_t bits = 8;
  const LayerDesc &first = m.desc().layers.front();
  if (first.type == LayerType::InputData)
    bits = param(first, "input_bits");
  std::mt19937 rng(seed);
  const int64_t lo = t.isSigned ? -(int64_t(1) << (bits - 1)) : 0;
  const int64_t hi =
      t.isSigned ? (int64_t(1) << (bits - 1)) - 1 : (int64_t(1) << bits) - 1;
  std::uniform_int_distribution<int64_t> dist(lo, hi);
  std::vector<int64_t> v(batch * s[0] * s[1] * s[2]);
  for (int64_t &x : v)
    x = dist(rng);
  return Array::fromInts(t.isSigned ? DType::Int8 : DType::UInt8,
                         {batch, s[0], s[1], s[2]}, v);
}

/// Dense multiply-accumulates of one frame through layer i.
int64_t layerMacs(const Model &m, int i) {
  const LayerDesc &l = m.desc().layers[i];
  const ActType out = m.desc().layers.empty()
                          ? ActType{}
                          : const_cast<Model &>(m).get_layer(i).output_type();
  ActType in = i == 0 || l.inbounds.empty()
                   ? modelInputType(m.desc())
                   : const_cast<Model &>(m).get_layer(l.inbounds[0]).output_type();
  switch (l.type) {
  case LayerType::InputConvolutional:
  case LayerType::Convolutional:
  case LayerType::InputConv2D:
  case LayerType::Conv2D: {
    cpu::ConvShape s = cpu::convShape(l, in, out.shape[2]);
    return s.pixels() * s.f * s.kh * s.kw * s.c;
  }
  case LayerType::SeparableConvolutional: {
    cpu::ConvShape s = cpu::convShape(l, in, out.shape[2]);
    return s.pixels() * s.c * (s.kh * s.kw + s.f);
  }
  case LayerType::DepthwiseConv2D: {
    cpu::ConvShape s = cpu::convShape(l, in, in.shape[2]);
    return s.pixels() * s.c * s.kh * s.kw;
  }
  case LayerType::FullyConnected:
  case LayerType::Dense1D:
    return in.shape[0] * in.shape[1] * in.shape[2] * out.shape[2];
  case LayerType::Conv2DTranspose:
  case LayerType::DepthwiseConv2DTranspose: {
    const int64_t k = param(l, "kernel_size");
    return in.shape[0] * in.shape[1] * k * k * in.shape[2] *
           (l.type == LayerType::Conv2DTranspose ? out.shape[2] : 1);
  }
  default:
    return 0;
  }
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string jsonEscape(const std::string &s) {
  std::string o;
  for (char c : s)
    o += c == '"' || c == '\\' ? std::string("\\") + c : std::string(1, c);
  return o;
}

int exportModel(const std::string &name, const std::string &dir) {
  namespace fs = std::filesystem;
  Model m = loadModel(name);
  fs::create_directories(dir);
  std::ostringstream j;
  const ModelDesc &d = m.desc();
  j << "{\n \"name\": \"" << jsonEscape(name) << "\",\n \"ip_version\": "
    << int(d.ipVersion) << ",\n \"input_shape\": [" << d.inputShape[0] << ", "
    << d.inputShape[1] << ", " << d.inputShape[2] << "],\n \"layers\": [\n";
  for (int i = 0; i < m.get_layer_count(); ++i) {
    const LayerDesc &l = d.layers[i];
    const ActType out = m.get_layer(i).output_type();
    j << "  {\"name\": \"" << jsonEscape(l.name) << "\", \"type\": \""
      << layerTypeName(l.type) << "\", \"inbounds\": [";
    for (size_t k = 0; k < l.inbounds.size(); ++k)
      j << (k ? ", " : "") << l.inbounds[k];
    j << "], \"output\": {\"shape\": [" << out.shape[0] << ", " << out.shape[1]
      << ", " << out.shape[2] << "], \"bits\": " << out.bits
      << ", \"signed\": " << (out.isSigned ? "true" : "false")
      << ", \"float\": " << (out.isFloat ? "true" : "false")
      << "},\n   \"params\": {";
    bool first = true;
    for (const auto &[k, v] : l.params) {
      j << (first ? "" : ", ") << "\"" << k << "\": " << v;
      first = false;
    }
    j << "},\n   \"variables\": {";
    first = true;
    for (const auto &[k, v] : l.variables) {
      const std::string file = l.name + "." + k + ".npy";
      writeNpy((fs::path(dir) / file).string(), v.array);
      j << (first ? "" : ", ") << "\"" << k << "\": \"" << file << "\"";
      first = false;
    }
    j << "}}" << (i + 1 < m.get_layer_count() ? "," : "") << "\n";
  }
  j << " ]\n}\n";
  std::ofstream(fs::path(dir) / "model.json") << j.str();
  // One frame, NHWC for us and NCHW for ONNX.
  Array in = randomInput(m, 1, 1);
  writeNpy((fs::path(dir) / "input_nhwc.npy").string(), in);
  const int64_t h = d.inputShape[0], w = d.inputShape[1], c = d.inputShape[2];
  Array nchw = in;
  nchw.shape = {1, c, h, w};
  for (int64_t y = 0; y < h; ++y)
    for (int64_t x = 0; x < w; ++x)
      for (int64_t ch = 0; ch < c; ++ch)
        nchw.bytes[(ch * h + y) * w + x] = in.bytes[(y * w + x) * c + ch];
  writeNpy((fs::path(dir) / "input_nchw.npy").string(), nchw);
  std::cout << "exported " << name << " to " << dir << "\n";
  return 0;
}

int eventsTable(int repeat, bool cold) {
  LayerDesc in;
  in.name = "input";
  in.type = LayerType::InputData;
  in.params = {{"input_bits", 4}};
  LayerDesc fc;
  fc.name = "fc";
  fc.type = LayerType::FullyConnected;
  fc.params = {{"units", 1000}, {"weights_bits", 4}, {"activation", 0}};
  std::mt19937 rng(3);
  std::uniform_int_distribution<int64_t> w4(-8, 7), x4(1, 15);
  std::vector<int64_t> w(1024 * 1000);
  for (int64_t &v : w)
    v = w4(rng);
  fc.variables["weights"] = {Array::fromInts(DType::Int8, {1, 1, 1024, 1000}, w), 4};
  fc.variables["threshold"] = {Array::fromInts(DType::Int32, {1000}, std::vector<int64_t>(1000, 0)), 32};
  fc.variables["act_step"] = {Array::fromFloats({1000}, std::vector<float>(1000, 1.0f)), 32};
  Model m;
  m.add_input(in, {1, 1, 1024});
  m.add(fc);
  const char *env = std::getenv("AKIDA_DENSE_EVENT_SHARE");
  std::printf("fully connected 1024 -> 1000, AKIDA_DENSE_EVENT_SHARE=%s, "
              "%s\n",
              env ? env : "(default)",
              cold ? "weights in memory (--cold)" : "weights in cache");
  std::vector<uint8_t> evict(cold ? 64 << 20 : 0);
  std::printf("%8s %12s %10s\n", "zeros", "zero groups", "median us");
  for (double zeros : {0.0, 0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98}) {
    std::bernoulli_distribution zero(zeros);
    std::vector<int64_t> x(1024);
    int64_t groups = 0;
    for (size_t i = 0; i < x.size(); ++i)
      x[i] = zero(rng) ? 0 : x4(rng);
    for (size_t g = 0; g < 256; ++g)
      groups += !x[4 * g] && !x[4 * g + 1] && !x[4 * g + 2] && !x[4 * g + 3];
    Array a = Array::fromInts(DType::UInt8, {1, 1, 1, 1024}, x);
    for (int i = 0; i < 20; ++i)
      m.forward(a);
    std::vector<double> us;
    for (int i = 0; i < repeat; ++i) {
      if (cold)
        std::memset(evict.data(), i & 0xFF, evict.size());
      auto t0 = std::chrono::steady_clock::now();
      m.forward(a);
      us.push_back(std::chrono::duration<double, std::micro>(
                       std::chrono::steady_clock::now() - t0)
                       .count());
    }
    std::printf("%7.0f%% %11.0f%% %10.2f\n", 100 * zeros, 100.0 * groups / 256,
                median(us));
  }
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty())
    usage("missing MODEL");
  try {
    if (args[0] == "events") {
      int repeat = 2000;
      bool cold = false;
      for (size_t i = 1; i < args.size(); ++i) {
        if (args[i] == "--cold")
          cold = true;
        else if (args[i] == "--repeat" && i + 1 < args.size())
          repeat = std::max(1, std::atoi(args[++i].c_str()));
        else
          usage("events takes --repeat R and --cold, not '" + args[i] + "'");
      }
      tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
      return eventsTable(repeat, cold);
    }
    if (args[0] == "peak") {
      if (args.size() > 2 || (args.size() == 2 && args[1] != "--json"))
        usage("peak takes only --json");
      const double peak = bench::vnniPeakGmacs(5);
      if (peak <= 0) {
        std::cerr << "akida-bench: peak: this processor has no AVX-512 VNNI "
                     "(the ceiling is measured with vpdpbusd on zmm)\n";
        return 1;
      }
      if (args.size() == 2)
        std::printf("{\"peak_gmacs_per_core\": %.1f, \"instruction\": "
                    "\"vpdpbusd zmm\"}\n", peak);
      else
        std::printf("VNNI peak, one core: %.1f GMAC/s (vpdpbusd zmm, 16 "
                    "independent sums, best of 5)\n", peak);
      return 0;
    }
    if (args[0] == "export") {
      if (args.size() != 3)
        usage("export takes MODEL DIR");
      return exportModel(args[1], args[2]);
    }
    std::string model = args[0], input, output;
    int threads = 1, repeat = 50, warmup = 5, batch = 1;
    bool check = false, profile = false, json = false;
    for (size_t i = 1; i < args.size(); ++i) {
      const std::string &a = args[i];
      auto value = [&]() -> std::string {
        if (i + 1 >= args.size())
          usage(a + " needs a value");
        return args[++i];
      };
      auto positive = [&](const std::string &v) {
        int n = 0;
        try {
          n = std::stoi(v);
        } catch (...) {
        }
        if (n < 1 || std::to_string(n) != v)
          usage(a + " wants a positive integer, got '" + v + "'");
        return n;
      };
      if (a == "--threads")
        threads = positive(value());
      else if (a == "--repeat")
        repeat = positive(value());
      else if (a == "--warmup")
        warmup = std::stoi(value());
      else if (a == "--batch")
        batch = positive(value());
      else if (a == "--isa")
        cpu::setIsa(cpu::parseIsa(value()));
      else if (a == "--input")
        input = value();
      else if (a == "--output")
        output = value();
      else if (a == "--check")
        check = true;
      else if (a == "--profile")
        profile = true;
      else if (a == "--json")
        json = true;
      else
        usage("unknown argument '" + a + "'");
    }
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                              threads);
    Model m = loadModel(model);
    Array in = input.empty() ? randomInput(m, batch, 1) : readNpy(input);
    batch = static_cast<int>(in.shape.at(0));
    int64_t macs = 0;
    for (int i = 0; i < m.get_layer_count(); ++i)
      macs += layerMacs(m, i);
    bool same = true;
    if (check)
      same = m.forward(in).bytes == m.forward_reference(in).bytes;
    if (!output.empty())
      writeNpy(output, m.forward(in));

    auto t0 = std::chrono::steady_clock::now();
    m.forward(in); // builds the plan
    const double planMs = std::chrono::duration<double, std::milli>(
                              std::chrono::steady_clock::now() - t0)
                              .count();
    for (int i = 0; i < warmup; ++i)
      m.forward(in);
    std::vector<double> ms;
    for (int i = 0; i < repeat; ++i) {
      t0 = std::chrono::steady_clock::now();
      Array out = m.forward(in);
      ms.push_back(std::chrono::duration<double, std::milli>(
                       std::chrono::steady_clock::now() - t0)
                       .count());
    }
    const double med = median(ms), best = *std::min_element(ms.begin(), ms.end());
    const double gmacs = double(macs) * batch / (med * 1e-3) / 1e9;
    const std::string isa = cpu::isaName(cpu::activeIsa());
    if (json) {
      std::printf("{\"model\":\"%s\",\"isa\":\"%s\",\"threads\":%d,\"batch\":%d,"
                  "\"repeat\":%d,\"first_call_ms\":%.3f,\"median_ms\":%.4f,"
                  "\"min_ms\":%.4f,\"macs\":%lld,\"gmacs\":%.2f%s}\n",
                  jsonEscape(model).c_str(), isa.c_str(), threads, batch,
                  repeat, planMs, med, best, static_cast<long long>(macs),
                  gmacs, check ? (same ? ",\"check\":true" : ",\"check\":false")
                               : "");
    } else {
      std::printf("%s: %s, %d thread(s), batch %d: median %.4f ms, min %.4f ms "
                  "(%d runs), %.0f frames/s, %.2f MMAC/frame, %.1f GMAC/s; first "
                  "call (plan build) %.1f ms%s\n",
                  model.c_str(), isa.c_str(), threads, batch, med, best, repeat,
                  batch / (med * 1e-3), macs / 1e6, gmacs, planMs,
                  check ? (same ? "; matches the reference" : "; DIFFERS from "
                                                              "the reference")
                        : "");
    }
    if (profile) {
      std::vector<ActType> types;
      for (int i = 0; i < m.get_layer_count(); ++i)
        types.push_back(m.get_layer(i).output_type());
      cpu::Plan plan(m.desc(), types, cpu::activeIsa());
      std::vector<ref::TemporalState> states;
      std::vector<uint8_t> out(in.shape[0] * plan.outputFrameBytes());
      std::vector<std::vector<double>> runs;
      for (int r = 0; r < std::max(repeat, 3); ++r) {
        std::vector<double> s;
        plan.profile(in, 0, in.shape[0], out.data(), states, s);
        runs.push_back(s);
      }
      std::map<std::string, float> zeros = m.evaluate_sparsity(in);
      const std::vector<std::string> names = plan.kernelNames();
      std::printf("%-14s %9s %9s %8s %8s %6s  %s\n", "layer", "us", "min us",
                  "MMAC", "GMAC/s", "zeros", "kernel");
      double total = 0;
      for (int i = 0; i < m.get_layer_count(); ++i) {
        std::vector<double> s;
        for (auto &r : runs)
          s.push_back(r[i]);
        const double us = median(s) * 1e6 / batch;
        const double minUs =
            *std::min_element(s.begin(), s.end()) * 1e6 / batch;
        total += us;
        const int64_t lm = layerMacs(m, i);
        std::printf("%-14s %9.1f %9.1f %8.3f %8.1f %5.1f%%  %s\n",
                    m.desc().layers[i].name.c_str(), us, minUs, lm / 1e6,
                    us > 0 ? lm / (us * 1e-6) / 1e9 : 0.0,
                    100.0 * zeros[m.desc().layers[i].name], names[i].c_str());
      }
      std::printf("%-14s %9.1f %9s %8.3f %8.1f\n", "total", total, "", macs / 1e6,
                  macs / (total * 1e-6) / 1e9);
      std::printf("plan: %.2f MB of activations per frame (arena), %.2f MB of "
                  "scratch per thread\n",
                  plan.arenaBytes() / 1048576.0, plan.scratchBytes() / 1048576.0);
    }
    return same ? 0 : 1;
  } catch (const std::exception &e) {
    std::cerr << "akida-bench: error: " << e.what() << "\n";
    return 1;
  }
}
