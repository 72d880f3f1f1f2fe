#!/bin/bash
# install-deps.sh — install everything distill needs to build, test, fuzz and benchmark,
# from Debian 12's own packages (run as root on a fresh Debian 12 machine).
#   scripts/install-deps.sh          build + test dependencies
#   scripts/install-deps.sh --bench  also the peer tools for bench/ (npm)
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
pkgs=(
  # toolchain
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev ccache
  lld  # release link: fast, and orders hot code together (scripts/link-order.txt)
  valgrind  # scripts/gen-link-order.sh
  # libraries (see doc/design.md for what each is used for)
  libarchive-dev zlib1g-dev libdeflate-dev libisal-dev libzstd-dev liblzma-dev libssl-dev
  nlohmann-json3-dev libyaml-cpp-dev libsqlite3-dev libcurl4-openssl-dev libcli11-dev libfmt-dev
  libsimdjson-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libhyperscan-dev  # audit: secret scanning
  # real tools the tests use: image makers, oracles, validators
  mmdebstrap umoci skopeo podman dpkg-dev gpgv debian-archive-keyring python3-jsonschema python3-packaging
  time hyperfine xz-utils zstd ca-certificates curl libxml2-utils
  chromium  # compare --html: the headless screenshot test
  # runs the images distill build makes (src/build/build_real_test.cc)
  crun
  # real oracles for the version-order tests (src/vuln/version/*_real_test.cc)
  python3-rpm ruby golang-go librust-semver-dev default-jre-headless libmaven3-core-java
  # a JDK for the real jar test (src/catalog/real_lang_test.cc: javac + jar)
  default-jdk-headless
  # Debian's Rust toolchain for the real cargo-auditable test (src/catalog/rust/real_auditable_test.cc)
  rustc cargo
  # a real registry for the registry tests
  docker-registry apache2-utils python3-jwt python3-cryptography
  openssl  # the registry tests make a self-signed certificate
  # a real dockerd for the docker: source test (src/image/engine/engine_real_test.cc; podman is above)
  docker.io
)
# node + npm (node's semver package is an oracle for npm ranges): use the machine's if present.
command -v node >/dev/null && command -v npm >/dev/null || pkgs+=(nodejs npm)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
if [[ ${1:-} == --bench ]]; then
  "$(dirname "$0")/../bench/get-peers.sh" "${DISTILL_PEERS:-/var/cache/distill-peers}"
fi
