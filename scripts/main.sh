#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job: for now, the
# compiler front door, akida-opt, verifying and printing the full DS-CNN KWS
# model (Akida 1.0) with every output shape inferred.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh >/dev/null
./"${BUILD_DIR:-build}"/bin/akida-opt tests/lit/models/ds-cnn-kws.mlir \
  --mlir-elide-elementsattrs-if-larger=8 --mlir-elide-resource-strings-if-larger=64
