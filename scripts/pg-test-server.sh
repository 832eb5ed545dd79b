# Sourced by test.sh: a throwaway PostgreSQL cluster on a Unix socket for the tests.
# Sets FRONTDESK_TEST_PG_URL; stop_pg_test_server removes it again.

start_pg_test_server() {
  apt_install postgresql >/dev/null
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  PG_TEST_DIR="$(mktemp -d /tmp/frontdesk-pg.XXXXXX)"
  mkdir -p "$PG_TEST_DIR/data" "$PG_TEST_DIR/sock"
  if [ "$(id -u)" = 0 ]; then
    chown -R postgres:postgres "$PG_TEST_DIR"
    PG_AS=(runuser -u postgres --)
  else
    PG_AS=()
  fi
  "${PG_AS[@]}" "$bin/initdb" -D "$PG_TEST_DIR/data" -A trust --no-sync -U postgres >/dev/null
  "${PG_AS[@]}" "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/log" -w \
    -o "-c listen_addresses='' -k $PG_TEST_DIR/sock -c fsync=off -c max_connections=200" \
    start >/dev/null
  PG_BIN="$bin"
  export FRONTDESK_TEST_PG_URL="postgresql+psycopg://postgres@/postgres?host=$PG_TEST_DIR/sock"
}

stop_pg_test_server() {
  [ -n "${PG_TEST_DIR:-}" ] || return 0
  "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_TEST_DIR"
}
