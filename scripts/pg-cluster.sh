#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suite: `start <dir> <port>` creates and starts one
# on 127.0.0.1 and prints its URL; `stop <dir>` stops it. PostgreSQL refuses to run as root, so
# as root the cluster belongs to the `postgres` user that Debian's package creates.
set -euo pipefail
action="${1:?usage: pg-cluster.sh start|stop <dir> [port]}"
dir="${2:?usage: pg-cluster.sh start|stop <dir> [port]}"
port="${3:-55432}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "pg-cluster: PostgreSQL's server programs are not installed" >&2
  exit 3
fi
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}
case "$action" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --no-sync -E UTF8 >"$dir/initdb.log" 2>&1
    fi
    # Loopback only, a socket in the cluster's own folder, and durability off: it is thrown away.
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      start >/dev/null
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    ;;
  *)
    echo "usage: pg-cluster.sh start|stop <dir> [port]" >&2
    exit 2
    ;;
esac
