#!/bin/bash
# install-deps.sh — install what distill needs, from Debian 12's own packages (run as root on a
# fresh Debian 12 machine).
#   scripts/install-deps.sh --runtime  build and run distill, and the demo (README command 1)
#   scripts/install-deps.sh [--test]   also everything the tests, sanitizers and fuzzers use (default)
#   scripts/install-deps.sh --bench    also the peer tools for bench/ (npm)
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
mode=${1:---test}
case $mode in --runtime|--test|--bench) ;; *) echo "usage: install-deps.sh [--runtime|--test|--bench]" >&2; exit 2;; esac
# What building distill and running it (scripts/demo.sh) needs.
runtime=(
  build-essential cmake ninja-build pkg-config ccache
  lld  # release link: fast, and orders hot code together (scripts/link-order.txt)
  # libraries (see doc/design.md for what each is used for)
  libarchive-dev zlib1g-dev libdeflate-dev libisal-dev libzstd-dev liblzma-dev libssl-dev
  nlohmann-json3-dev libyaml-cpp-dev libsqlite3-dev libcurl4-openssl-dev libcli11-dev libfmt-dev
  libsimdjson-dev
  libhyperscan-dev  # audit: secret scanning
  # serve: PostgreSQL's client, loaded with dlopen at run time (src/serve/store/pg.cc); headers to build
  libpq5 libpq-dev
  libmicrohttpd-dev libmicrohttpd12  # serve: the HTTP server, loaded with dlopen (doc/serve.md says why)
  # build: InRelease checked with gpgv against Debian's keyring; https mirrors
  gpgv debian-archive-keyring ca-certificates
)
# What the tests, the sanitizer build and the fuzzers need besides.
testing=(
  clang libclang-rt-14-dev  # the ASan + UBSan build and the libFuzzer targets
  clang-format  # scripts/format.sh --check (the code style, .clang-format)
  valgrind  # scripts/gen-link-order.sh
  libgtest-dev libgmock-dev libbenchmark-dev
  # real tools the tests use: image makers (the test images: scripts/make-test-images.sh),
  # oracles, validators
  mmdebstrap umoci skopeo podman dpkg-dev python3-jsonschema python3-packaging
  python3-yaml python3-prometheus-client  # serve: the spec's YAML schemas, the /metrics parser
  zsh fish man-db  # the completion scripts and the manual page, run by the real shells (src/cli/app_test.cc)
  time hyperfine xz-utils zstd ca-certificates curl libxml2-utils
  chromium  # compare --html: the headless screenshot test
  # runs the images distill build makes (src/imagebuild/build_real_test.cc,
  # src/imagebuild/apk/build_real_test.cc: a program linked by musl-gcc in an APK image)
  crun musl-tools
  # real oracles for the version-order tests (src/vuln/version/*_real_test.cc)
  python3-rpm ruby golang-go librust-semver-dev default-jre-headless libmaven3-core-java
  # a JDK for the real jar tests (src/catalog/real_lang_test.cc: javac + jar; unzip reads the
  # Debian jars' pom.properties as the oracle)
  default-jdk-headless unzip
  # Debian's Rust toolchain for the real cargo-auditable test (src/catalog/rust/real_auditable_test.cc)
  rustc cargo
  # a real registry for the registry tests
  docker-registry apache2-utils python3-jwt python3-cryptography
  openssl  # the registry tests make a self-signed certificate
  # a real dockerd for the docker: source test (src/image/engine/engine_real_test.cc; podman is above)
  docker.io
  postgresql  # private PostgreSQL 15 clusters for the serve store's tests (src/testing/postgres_server.cc)
)
pkgs=("${runtime[@]}")
if [[ $mode != --runtime ]]; then
  pkgs+=("${testing[@]}")
  # node + npm (node's semver package is an oracle for npm ranges): use the machine's if present.
  command -v node >/dev/null && command -v npm >/dev/null || pkgs+=(nodejs npm)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
if [[ $mode == --bench ]]; then
  "$(dirname "$0")/../bench/get-peers.sh" "${DISTILL_PEERS:-/var/cache/distill-peers}"
fi
