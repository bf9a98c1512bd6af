# Sourced by scripts/test: starts a throwaway PostgreSQL server (Debian's packages, installed
# when missing and we are root) for the tests, exports WATCHER_TEST_POSTGRES_URL (an admin URL
# the tests create their own databases with), and stops the server when the shell exits.
# Without PostgreSQL the PostgreSQL half of the tests is skipped, with a message.

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

PG_BIN=$(pg_bin)
if [ -z "$PG_BIN" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing PostgreSQL from Debian's packages..."
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  PG_BIN=$(pg_bin)
fi

if [ -z "$PG_BIN" ]; then
  echo "PostgreSQL is not installed: the PostgreSQL tests will be skipped" >&2
else
  PG_DATA=$(mktemp -d /tmp/watcher-pg.XXXXXX)
  as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  [ "$(id -u)" = 0 ] && chown postgres "$PG_DATA"
  as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 >/dev/null
  # PostgreSQL binds its port itself, so the port is picked free and then released: another
  # process may take it in between. The server then fails to start, and we pick again.
  for attempt in 1 2 3 4 5; do
    PG_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    if as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w \
      -o "-p $PG_PORT -k $PG_DATA -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
      start >/dev/null; then
      break
    fi
    if [ "$attempt" = 5 ]; then tail -n 20 "$PG_DATA/server.log" >&2; return 1 2>/dev/null || exit 1; fi
  done
  export WATCHER_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/postgres"
  stop_postgres() { as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$PG_DATA"; }
  trap stop_postgres EXIT
  echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $NF}') on port $PG_PORT for the tests"
fi
