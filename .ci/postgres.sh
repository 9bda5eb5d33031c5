# A throwaway PostgreSQL on 127.0.0.1 for the store tests; sets TRUSTSWEEP_TEST_POSTGRES.
# Sourced:  source .ci/postgres.sh; start_postgres; ...; stop_postgres
# Run:      bash .ci/postgres.sh CMD ARGS...   (CMD with a server, unless $TRUSTSWEEP_TEST_POSTGRES names one)
# Port: $TRUSTSWEEP_PG_PORT, else the first free one from 55432. The server runs as user nobody when started as root.
PG_DIR=""
PG_BINDIR=""
_pg_bindir() {
  local initdb
  initdb=$(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1)
  [ -n "$initdb" ] || return 1
  # /usr/local/bin/initdb is often a symlink; createdb and friends live beside the real one.
  dirname "$(readlink -f "$initdb")"
}
start_postgres() {
  PG_BINDIR=$(_pg_bindir) || true
  if [ -z "$PG_BINDIR" ] || [ ! -x "$PG_BINDIR/initdb" ]; then
    echo "postgres: no PostgreSQL binaries (initdb, pg_ctl) found, so the store tests on PostgreSQL skip;" \
         "install them to run those too (Debian/Ubuntu: apt-get install postgresql)" >&2
    return 0
  fi
  PG_DIR=$(mktemp -d /tmp/trustsweep-pg.XXXXXX)
  local run=()
  if [ "$(id -u)" = 0 ]; then
    chown -R nobody "$PG_DIR"
    run=(runuser -u nobody -- env -C /)
  fi
  "${run[@]}" "$PG_BINDIR/initdb" -D "$PG_DIR/data" -U postgres -A trust --no-sync >/dev/null || { _pg_failed; return 1; }
  local port=${TRUSTSWEEP_PG_PORT:-55432} tries=20
  while :; do
    if [ -z "${TRUSTSWEEP_PG_PORT:-}" ]; then  # skip ports something already listens on
      while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    fi
    "${run[@]}" "$PG_BINDIR/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
        -o "-h 127.0.0.1 -p $port -k $PG_DIR -c max_connections=50" start >/dev/null 2>&1 && break
    # another server may have taken the port since it was probed: try the next one
    tries=$((tries - 1))
    if [ -n "${TRUSTSWEEP_PG_PORT:-}" ] || [ "$tries" = 0 ]; then _pg_failed; return 1; fi
    port=$((port + 1))
  done
  "${run[@]}" "$PG_BINDIR/createdb" -h 127.0.0.1 -p "$port" -U postgres trustsweep_test || { _pg_failed; return 1; }
  export TRUSTSWEEP_TEST_POSTGRES="postgresql://postgres@127.0.0.1:$port/trustsweep_test"
  echo "postgres: a throwaway server on 127.0.0.1:$port for the store tests ($PG_DIR)" >&2
}
_pg_failed() {
  echo "postgres: could not start a server in $PG_DIR:" >&2
  tail -5 "$PG_DIR/log" >&2 2>/dev/null
  stop_postgres
}
stop_postgres() {
  [ -n "$PG_DIR" ] || return 0
  local run=()
  if [ "$(id -u)" = 0 ]; then run=(runuser -u nobody -- env -C /); fi
  "${run[@]}" "$PG_BINDIR/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=""
}
if [ "${BASH_SOURCE[0]}" = "$0" ] && [ $# -gt 0 ]; then
  if [ -z "${TRUSTSWEEP_TEST_POSTGRES:-}" ]; then
    trap stop_postgres EXIT
    trap 'exit 130' INT TERM
    start_postgres || exit 1
  fi
  "$@"
  exit $?
fi
