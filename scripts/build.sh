#!/bin/bash
# build.sh [--binary] [BUILD_DIR] — configure and build distill (release with debug info) into
# BUILD_DIR (default build/): everything, unit tests included; with --binary only the `distill`
# binary (no GoogleTest needed: what `install-deps.sh --runtime` installs is enough).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ccache-env.sh
tests=ON target=()
if [[ ${1:-} == --binary ]]; then
  tests=OFF target=(distill)
  shift
fi
dir=${1:-build}
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDISTILL_TESTS=$tests >/dev/null
ninja -C "$dir" "${target[@]}"
