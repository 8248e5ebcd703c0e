#!/usr/bin/env bash
# Runs the whole suite with node:test through tsx. Node 20's --test takes no globs, so the
# files are listed here. Pass file paths to run only those.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$#" -gt 0 ]; then
  files=("$@")
else
  mapfile -t files < <(find test -name '*.test.ts' -not -path '*/fixtures/*' | sort)
fi
exec node --import tsx --test --test-concurrency=2 --test-reporter=spec "${files[@]}"
