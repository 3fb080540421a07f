#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the tests, on loopback only, as the unprivileged
# `postgres` user (or the current user when not root), in a fresh data directory, and
# prints its URL. Stop it with: .ci/postgres.sh stop DIR
#
# Usage: .ci/postgres.sh start DIR [PORT]    (PORT defaults to 55432)
set -euo pipefail
cmd="${1:?start|stop}"
dir="${2:?data directory}"
port="${3:-55432}"
bin=""
for candidate in /usr/lib/postgresql/*/bin; do
  [ -x "$candidate/initdb" ] && bin="$candidate"
done
if [ -z "$bin" ]; then
  command -v initdb >/dev/null 2>&1 || { echo "PostgreSQL server binaries not found (Debian package postgresql)" >&2; exit 2; }
  bin="$(dirname "$(command -v initdb)")"
fi
as_db_user() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}
case "$cmd" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    if [ ! -f "$dir/PG_VERSION" ]; then
      as_db_user "$bin/initdb" -D "$dir" -U tailor --auth=trust -E UTF8 --no-instructions >/dev/null
    fi
    # Loopback only; the socket in the data directory, not in /var/run.
    as_db_user "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off" start >/dev/null
    echo "postgres://tailor@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_db_user "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null || true
    ;;
  *) echo "usage: $0 start|stop DIR [PORT]" >&2; exit 2 ;;
esac
