#!/usr/bin/env bash
# Installs what the ML side of the project needs (training, real data, the ONNX
# reference runtime) on Debian 12 (bookworm). Idempotent: does nothing when
# everything is present. Needs root (or sudo) for apt; npm runs as the caller.
#
#   apt: python3-onnx libonnx-dev libonnx-testdata protobuf-compiler
#        libprotobuf-dev dataset-fashion-mnist (+ python3-torch with --train,
#        only needed to retrain models/fashion-mnist); nodejs and npm when
#        npm is missing
#   npm: onnxruntime-node (version pinned in tools/ort/package.json) under
#        tools/ort/node_modules, CPU binaries for linux-x64 only.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  python3-onnx libonnx-dev libonnx-testdata
  protobuf-compiler libprotobuf-dev dataset-fashion-mnist
)
if [ "${1:-}" = "--train" ]; then
  packages+=(python3-torch)
fi
command -v npm >/dev/null || packages+=(nodejs npm)

bash scripts/apt-install.sh install-ml-deps "${packages[@]}"

# onnxruntime-node. Its postinstall script downloads CUDA pieces from nuget.org,
# which fails offline; ONNXRUNTIME_NODE_INSTALL=skip keeps the CPU binaries that
# ship inside the tarball.
ort_dir=tools/ort
ort_pkg=$ort_dir/node_modules/onnxruntime-node
ort_so=$ort_pkg/bin/napi-v6/linux/x64/libonnxruntime.so.1
want=$(sed -n 's/.*"onnxruntime-node": *"\([^"]*\)".*/\1/p' "$ort_dir/package.json")
have=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$ort_pkg/package.json" 2>/dev/null | head -n 1 || true)
if [ "$have" != "$want" ] || [ ! -f "$ort_so" ]; then
  command -v npm >/dev/null || { echo "install-ml-deps: npm not found (apt-get install npm)" >&2; exit 1; }
  echo "install-ml-deps: installing onnxruntime-node@$want into $ort_dir"
  ( cd "$ort_dir" && ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error >/dev/null )
  # Only linux-x64 is used; the other platforms' binaries are ~240 MB.
  rm -rf "$ort_pkg/bin/napi-v6/darwin" "$ort_pkg/bin/napi-v6/win32" "$ort_pkg/bin/napi-v6/linux/arm64"
  [ -f "$ort_so" ] || { echo "install-ml-deps: $ort_so missing after npm install" >&2; exit 1; }
fi
