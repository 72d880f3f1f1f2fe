#!/bin/bash
# format.sh [--check] — clang-format (.clang-format) on every C++ source of the repository; with
# --check, change nothing and fail naming the files that are not formatted (CI runs this).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files -- 'src/*.cc' 'src/*.h' 'fuzz/*.cc' 'bench/*.cc' | LC_ALL=C sort)
if [[ ${1:-} == --check ]]; then
  bad=()
  for f in "${files[@]}"; do
    clang-format --style=file "$f" | cmp -s - "$f" || bad+=("$f")
  done
  if ((${#bad[@]})); then
    printf 'not formatted (run scripts/format.sh): %s\n' "${bad[@]}" >&2
    exit 1
  fi
  echo "format: ${#files[@]} files formatted"
else
  clang-format --style=file -i "${files[@]}"
fi
