#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster on 127.0.0.1:${PGPORT:-5433} (installing the Debian
# package when it is missing) and prints the URL the tests use as LANGSO_TEST_DATABASE_URL.
# Usage: .ci/postgres.sh start | stop
set -euo pipefail
port="${PGPORT:-5433}"
data="${PGDATA_DIR:-/tmp/langso-pg-$port}"

bindir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    su postgres -s /bin/sh -c "$*"
  else
    sh -c "$*"
  fi
}

case "${1:-start}" in
  start)
    if [ -z "$(bindir)" ]; then
      echo "installing PostgreSQL (Debian package)…" >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2
      apt-get install -y -qq postgresql >&2
    fi
    bin="$(bindir)"
    if ! as_postgres "$bin/pg_ctl -D $data status" >/dev/null 2>&1; then
      rm -rf "$data"
      mkdir -p "$data"
      [ "$(id -u)" = 0 ] && chown postgres:postgres "$data"
      as_postgres "$bin/initdb -D $data -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8" >/dev/null
      as_postgres "$bin/pg_ctl -D $data -l $data/server.log -w -o \"-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300\" start" >&2
    fi
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    bin="$(bindir)"
    as_postgres "$bin/pg_ctl -D $data -m fast stop" >&2 || true
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
