#!/bin/bash
# build.sh [BUILD_DIR] — configure and build distill (release with debug info) into BUILD_DIR (default build/).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ccache-env.sh
dir=${1:-build}
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C "$dir"
