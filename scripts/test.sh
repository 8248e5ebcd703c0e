#!/usr/bin/env bash
# Runs the whole suite with node:test against the packages' TypeScript sources (the
# `vouch-source` export condition). Node 20's --test takes no globs, so the files are listed
# here. Pass file paths to run only those.
#
# The sources are first transpiled to plain JavaScript in `.test-build/` (scripts/test-build.mjs
# says why), and each test file runs there without a loader. VOUCH_TEST_LOADER=tsx runs the
# TypeScript files themselves through tsx instead, as before.
#
# Where PostgreSQL's server programs are installed, a throwaway cluster is started for the
# service's tests (they run on SQLite and on PostgreSQL) and stopped at the end.
#
# Three files run at once on two cores: many files spend much of their time waiting on child
# processes, servers or the browser, so two at a time left a core idle for a third of the run.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$#" -gt 0 ]; then
  files=("$@")
else
  mapfile -t files < <(find packages test examples -name '*.test.ts' -not -path '*/fixtures/*' -not -path '*/node_modules/*' -not -path '*/dist/*' 2>/dev/null | sort)
fi
if [ -z "${VOUCH_TEST_DATABASE_URL:-}" ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  cluster="$(mktemp -d "${TMPDIR:-/tmp}/vouch-pg-XXXXXX")"
  chmod 755 "$cluster"
  port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  if url="$(bash scripts/pg-cluster.sh start "$cluster" "$port")"; then
    export VOUCH_TEST_DATABASE_URL="$url"
    trap 'bash scripts/pg-cluster.sh stop "$cluster"; rm -rf "$cluster"' EXIT
  else
    echo "warning: could not start PostgreSQL; its tests will be skipped" >&2
    cat "$cluster"/*.log >&2 || true
  fi
fi
if [ "${VOUCH_TEST_LOADER:-}" = tsx ]; then
  node --conditions=vouch-source --import tsx --test --test-concurrency=3 --test-reporter=spec "${files[@]}"
else
  # Through a file, not a pipe, so a failed build stops the run (set -e) instead of running none.
  list="$(mktemp "${TMPDIR:-/tmp}/vouch-test-files-XXXXXX")"
  node scripts/test-build.mjs "${files[@]}" >"$list"
  mapfile -t built <"$list"
  rm -f "$list"
  node --conditions=vouch-source --test --test-concurrency=3 --test-reporter=spec "${built[@]}"
fi
