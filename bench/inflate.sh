#!/bin/bash
# bench/inflate.sh — zlib vs isa-l igzip vs libdeflate on the biggest gzip layer of the test image.
# Why the layer reader uses isa-l: the fastest inflater here that can stream.
set -euo pipefail
cd "$(dirname "$0")/.."
images=${DISTILL_TEST_IMAGES:-/var/cache/distill/test-images}
scripts/make-test-images.sh "$images" >/dev/null
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDISTILL_BENCH=ON >/dev/null
ninja -C build inflate_bench >/dev/null
blob=$(ls -S "$images"/oci/blobs/sha256/* | head -1)
build/inflate_bench "$blob"
