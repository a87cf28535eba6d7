//===- akida.cpp - The akida command-line tool ----------------------------===//
//
//   akida version | summary -m MODEL | run [-m MODEL] [-i IN.npy] [-o OUT.npy]
//   akida zoo list | zoo NAME [--seed N] -o FILE.fbz
//
//===----------------------------------------------------------------------===//

#include "tools/akida/Args.h"
#include "tools/akida/Commands.h"

#include "compiler/fbz/Version.h"

#include <cstdio>
#include <iostream>

namespace {

const char *kUsage =
    "usage: akida <command> [options]\n"
    "\n"
    "commands:\n"
    "  version                      print the version\n"
    "  devices [--probe]            list the Akida devices (USB, as usb:N) and\n"
    "                               the virtual devices; --probe asks each\n"
    "                               hardware device who it is\n"
    "  summary -m MODEL.fbz         print the model summary\n"
    "  run [-m MODEL.fbz] [-i INPUTS.npy] [-o OUTPUTS.npy] [--batch-size N]\n"
    "      [--device NAME [--mode AllNps|HwPr|Minimal] | --cpu]\n"
    "                               run a model; by default the embedded\n"
    "                               Fashion-MNIST model (converted from ONNX)\n"
    "                               on 8 test images, mapped on AKD1000; a\n"
    "                               model given with -m runs on the CPU unless\n"
    "                               --device says where; default input for it:\n"
    "                               random, seed 0. NAME: a virtual device\n"
    "                               (AKD1000, ...) or usb:N\n"
    "  map [-m MODEL.fbz] [--device NAME] [--mode AllNps|HwPr|Minimal] [--hw-only]\n"
    "                               map a model on a device (default\n"
    "                               AKD1000, AllNps) and print the mapped summary\n"
    "  convert -m MODEL.onnx [--target v1|v2] [-o MODEL.fbz]\n"
    "                               import a quantized (QDQ) ONNX model\n"
    "  compare -m MODEL.onnx [--target v1|v2] [-i INPUTS.npy] [-n N]\n"
    "      [--tolerance LSB]        ONNX Runtime against the conversion, layer\n"
    "                               by layer: the first layer that diverges\n"
    "  stream [-m MODEL.fbz [--device NAME] | --remote HOST:PORT] [-i IN.npy|IMAGE|DIR]\n"
    "      [-o OUT.npy] [--policy block|drop-oldest] [--capacity N] [--retries N]\n"
    "                               stream frames through the model's actors\n"
    "                               (or a model server) and print per-stage\n"
    "                               statistics\n"
    "  serve [-m MODEL.fbz] [--device NAME] [--port N] [--bind ADDR]\n"
    "      [--port-file PATH] [--sessions N]\n"
    "                               serve a model to akida stream --remote\n"
    "                               (127.0.0.1 unless --bind)\n"
    "  zoo list                     list the zoo models\n"
    "  zoo NAME [--seed N] -o FILE.fbz\n"
    "                               build a zoo model and save it\n";

} // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    std::cerr << kUsage;
    return 2;
  }
  std::string command = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  try {
    if (command == "version" || command == "--version") {
      std::cout << AKIDA_VERSION_STRING << "\n";
      return 0;
    }
    if (command == "help" || command == "--help" || command == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (command == "run")
      return akida::cli::runCommand(args);
    if (command == "summary")
      return akida::cli::summaryCommand(args);
    if (command == "zoo")
      return akida::cli::zooCommand(args);
    if (command == "map")
      return akida::cli::mapCommand(args);
    if (command == "devices")
      return akida::cli::devicesCommand(args);
    if (command == "convert")
      return akida::cli::convertCommand(args);
    if (command == "compare")
      return akida::cli::compareCommand(args);
    if (command == "serve")
      return akida::cli::serveCommand(args);
    if (command == "stream")
      return akida::cli::streamCommand(args);
    std::cerr << "akida: unknown command '" << command
              << "'; commands: version, devices, summary, run, map, convert, compare, zoo, serve, stream (akida --help)\n";
    return 2;
  } catch (const akida::cli::UsageError &e) {
    std::cerr << "akida " << command << ": " << e.what() << "\n";
    return 2;
  } catch (const std::exception &e) {
    std::cerr << "akida " << command << ": " << e.what() << "\n";
    return 1;
  }
}
