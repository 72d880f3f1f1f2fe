#!/bin/bash
# test.sh — everything CI checks, in order:
#   0. the code style (scripts/format.sh --check: clang-format, .clang-format)
#   1. release build; unit tests; integration tests on real images (made by scripts/make-test-images.sh);
#      the quick one-shot build of README command (1) (same answers); the Debian package
#      (scripts/package.sh) installed into a fresh chroot (scripts/test-package.sh)
#   2. the unit tests again under ASan + UBSan (clang)
#   3. every libFuzzer target for a short time (the same clang ASan + UBSan build)
# Environment: DISTILL_TEST_IMAGES (image cache, default /var/cache/distill/test-images),
#              FUZZ_SECONDS (per target, default 20), SKIP_SANITIZERS=1, SKIP_FUZZ=1 to shorten local runs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ccache-env.sh
jobs=$(nproc)
export DISTILL_TEST_IMAGES=${DISTILL_TEST_IMAGES:-/var/cache/distill/test-images}

echo "== format: every C++ source as clang-format (.clang-format) writes it"
scripts/format.sh --check

echo "== build + unit + integration tests"
scripts/build.sh build
ctest --test-dir build --output-on-failure -j"$jobs"

echo "== README command (1)'s quick build (unity batches): builds, and gives the release build's answers"
scripts/build.sh --binary build-quick
for target in "docker-archive:$DISTILL_TEST_IMAGES/pyflask.docker.tar" "dir:$DISTILL_TEST_IMAGES/rootfs-statusd"; do
  cmp <(build/distill sbom -q -o distill-json "$target") <(build-quick/distill sbom -q -o distill-json "$target")
  cmp <(build/distill audit -q -o json "$target") <(build-quick/distill audit -q -o json "$target")
done

echo "== Debian package: built, installed with apt-get into a fresh chroot, run there"
scripts/test-package.sh "$(scripts/package.sh build)"

# One clang build with ASan + UBSan serves both the unit tests and the libFuzzer targets (the
# fuzzers' coverage instrumentation is inert in the test binary): a third full build would cost
# CI more than everything else together.
if [[ -z ${SKIP_SANITIZERS:-} || -z ${SKIP_FUZZ:-} ]]; then
  CC=clang CXX=clang++ cmake -S . -B build-san -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DDISTILL_FUZZ=ON -DDISTILL_TESTS=ON >/dev/null
fi

if [[ -z ${SKIP_SANITIZERS:-} ]]; then
  echo "== unit tests under ASan + UBSan"
  ninja -C build-san distill_test distill
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --test-dir build-san --output-on-failure -R '^unit$'
fi

if [[ -z ${SKIP_FUZZ:-} ]]; then
  echo "== fuzz targets, ${FUZZ_SECONDS:-20}s each"
  ninja -C build-san $(cd fuzz && ls *_fuzz.cc | sed 's/\.cc$//')
  python3 fuzz/make_seeds.py build-san/seeds
  for src in fuzz/*_fuzz.cc; do
    name=$(basename "$src" .cc)
    corpus=build-san/corpus/$name; mkdir -p "$corpus"
    seeds=build-san/seeds/${name%_fuzz}; [[ -d $seeds ]] || seeds=""
    [[ -d fuzz/corpus/${name%_fuzz} ]] && seeds="$seeds fuzz/corpus/${name%_fuzz}"
    echo "-- $name"
    build-san/"$name" -max_total_time="${FUZZ_SECONDS:-20}" -rss_limit_mb=2048 -timeout=10 \
      -print_final_stats=0 "$corpus" $seeds 2>&1 | tail -n 2
  done
fi
echo "== all tests passed"
