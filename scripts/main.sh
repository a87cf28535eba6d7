#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job: `akida run` on the
# embedded default model: the Fashion-MNIST CNN converted from ONNX, on 8 real
# test images, mapped on the virtual AKD1000 (predictions, statistics).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh >/dev/null
./"${BUILD_DIR:-build}"/bin/akida run
