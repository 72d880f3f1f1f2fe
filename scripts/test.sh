#!/bin/bash
# test.sh — everything CI checks, in order:
#   1. release build; unit tests; integration tests on real images (made by scripts/make-test-images.sh)
#   2. the unit tests again under ASan + UBSan
#   3. every libFuzzer target for a short time (clang, ASan + UBSan)
# Environment: DISTILL_TEST_IMAGES (image cache, default /var/cache/distill/test-images),
#              FUZZ_SECONDS (per target, default 20), SKIP_SANITIZERS=1, SKIP_FUZZ=1 to shorten local runs.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
export DISTILL_TEST_IMAGES=${DISTILL_TEST_IMAGES:-/var/cache/distill/test-images}

echo "== build + unit + integration tests"
scripts/build.sh build
ctest --test-dir build --output-on-failure -j"$jobs"

if [[ -z ${SKIP_SANITIZERS:-} ]]; then
  echo "== unit tests under ASan + UBSan"
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DDISTILL_SANITIZE=ON >/dev/null
  ninja -C build-asan distill_test distill
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --test-dir build-asan --output-on-failure -R '^unit$'
fi

if [[ -z ${SKIP_FUZZ:-} ]]; then
  echo "== fuzz targets, ${FUZZ_SECONDS:-20}s each"
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DDISTILL_FUZZ=ON -DDISTILL_TESTS=OFF >/dev/null
  ninja -C build-fuzz $(cd fuzz && ls *_fuzz.cc | sed 's/\.cc$//')
  python3 fuzz/make_seeds.py build-fuzz/seeds
  for src in fuzz/*_fuzz.cc; do
    name=$(basename "$src" .cc)
    corpus=build-fuzz/corpus/$name; mkdir -p "$corpus"
    seeds=build-fuzz/seeds/${name%_fuzz}; [[ -d $seeds ]] || seeds=""
    [[ -d fuzz/corpus/${name%_fuzz} ]] && seeds="$seeds fuzz/corpus/${name%_fuzz}"
    echo "-- $name"
    build-fuzz/"$name" -max_total_time="${FUZZ_SECONDS:-20}" -rss_limit_mb=2048 -timeout=10 \
      -print_final_stats=0 "$corpus" $seeds 2>&1 | tail -n 2
  done
fi
echo "== all tests passed"
