#!/bin/bash
# build.sh [--binary] [BUILD_DIR] — configure and build distill (release with debug info) into
# BUILD_DIR (default build/): everything, unit tests included; with --binary only the `distill`
# binary (no GoogleTest needed: what `install-deps.sh --runtime` installs is enough), as a quick
# one-shot build (DISTILL_QUICK_BUILD: unity batches, no debug info; see CMakeLists.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ccache-env.sh
tests=ON target=() quick=OFF
if [[ ${1:-} == --binary ]]; then
  tests=OFF target=(distill) quick=ON
  shift
fi
dir=${1:-build}
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDISTILL_TESTS=$tests -DDISTILL_QUICK_BUILD=$quick >/dev/null
ninja -C "$dir" "${target[@]}"
