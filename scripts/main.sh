#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job: `akida run` on the
# embedded default model (the DS-CNN KWS zoo model) with a random input.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh >/dev/null
./"${BUILD_DIR:-build}"/bin/akida run
