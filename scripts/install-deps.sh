#!/usr/bin/env bash
# Installs every system package the project needs on Debian 12 (bookworm).
# Idempotent and quiet when everything is already present. Needs root for apt.
set -euo pipefail

packages=(
  cmake ninja-build ccache g++ pkg-config python3 git
  llvm-19-dev llvm-19-tools libmlir-19-dev mlir-19-tools
  libgtest-dev libcaf-dev libtbb-dev libusb-1.0-0-dev umockdev libumockdev-dev
  flatbuffers-compiler libflatbuffers-dev zlib1g-dev libonnx-dev libprotobuf-dev
  libpng-dev
)

bash "$(dirname "$0")/apt-install.sh" install-deps "${packages[@]}"
