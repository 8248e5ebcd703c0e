#!/usr/bin/env bash
# Runs the whole suite with node:test through tsx, against the packages' TypeScript sources (the
# `vouch-source` export condition). Node 20's --test takes no globs, so the files are listed
# here. Pass file paths to run only those.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$#" -gt 0 ]; then
  files=("$@")
else
  mapfile -t files < <(find packages test examples -name '*.test.ts' -not -path '*/fixtures/*' -not -path '*/node_modules/*' -not -path '*/dist/*' 2>/dev/null | sort)
fi
exec node --conditions=vouch-source --import tsx --test --test-concurrency=2 --test-reporter=spec "${files[@]}"
