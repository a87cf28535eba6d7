#!/usr/bin/env bash
# Installs every system package the project needs on Debian 12 (bookworm).
# Idempotent and quiet when everything is already present. Needs root for apt.
set -euo pipefail

packages=(
  cmake ninja-build ccache g++ pkg-config python3 git
  llvm-19-dev llvm-19-tools libmlir-19-dev mlir-19-tools
  libgtest-dev libcaf-dev libtbb-dev libusb-1.0-0-dev umockdev libumockdev-dev
  flatbuffers-compiler libflatbuffers-dev zlib1g-dev libonnx-dev libprotobuf-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
  command -v sudo >/dev/null || { echo "install-deps: missing packages (${missing[*]}) and not root; run as root" >&2; exit 1; }
else
  SUDO=
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
