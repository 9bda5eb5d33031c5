# A throwaway PostgreSQL on 127.0.0.1 for the store tests; sets TRUSTSWEEP_TEST_POSTGRES.
PG_DIR=""
start_postgres() {
  local bindir
  bindir=$(dirname "$(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | tail -1)")
  if [ ! -x "$bindir/initdb" ]; then
    echo "ci: no PostgreSQL binaries found; store tests on PostgreSQL will fail under CI" >&2
    return 0
  fi
  PG_DIR=$(mktemp -d /tmp/trustsweep-pg.XXXXXX)
  chown -R nobody "$PG_DIR" 2>/dev/null || true
  local run=()
  if [ "$(id -u)" = 0 ]; then run=(runuser -u nobody --); fi
  local port=55432
  "${run[@]}" "$bindir/initdb" -D "$PG_DIR/data" -U postgres -A trust >/dev/null
  "${run[@]}" "$bindir/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
      -o "-h 127.0.0.1 -p $port -k $PG_DIR" start >/dev/null
  "${run[@]}" "$bindir/createdb" -h 127.0.0.1 -p $port -U postgres trustsweep_test
  export TRUSTSWEEP_TEST_POSTGRES="postgresql://postgres@127.0.0.1:$port/trustsweep_test"
  echo "ci: PostgreSQL on 127.0.0.1:$port" >&2
}
stop_postgres() {
  [ -n "$PG_DIR" ] || return 0
  local bindir run=()
  bindir=$(dirname "$(command -v pg_ctl || ls /usr/lib/postgresql/*/bin/pg_ctl | tail -1)")
  if [ "$(id -u)" = 0 ]; then run=(runuser -u nobody --); fi
  "${run[@]}" "$bindir/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
