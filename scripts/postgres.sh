# shellcheck shell=bash
# Start (or reuse) a throwaway PostgreSQL cluster on loopback for the relay's
# PostgreSQL tests, and export HONGDUN_TEST_DATABASE_URL. Sourced by test.sh
# after setup.sh installed the `postgresql` package. Idempotent: a second run
# reuses the running cluster. Nothing listens beyond 127.0.0.1.
set -euo pipefail

PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "PostgreSQL is not installed: run scripts/setup.sh first" >&2
  return 1 2>/dev/null || exit 1
fi
PGDATA="${HONGDUN_PGDATA:-/tmp/hongdun-pgdata}"
PGPORT="${HONGDUN_PGPORT:-55432}"

as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    su postgres -s /bin/bash -c "$1"
  else
    sudo -u postgres bash -c "$1"
  fi
}

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ "$(id -u)" = 0 ]; then
    install -d -o postgres -g postgres -m 700 "$PGDATA"
  else
    sudo install -d -o postgres -g postgres -m 700 "$PGDATA"
  fi
  pwfile="$(mktemp)"
  echo postgres >"$pwfile"
  chmod 644 "$pwfile"
  as_postgres "$PGBIN/initdb -D '$PGDATA' -U postgres -A scram-sha-256 --pwfile='$pwfile'" >/dev/null
  rm -f "$pwfile"
fi
if ! as_postgres "$PGBIN/pg_ctl -D '$PGDATA' status" >/dev/null 2>&1; then
  as_postgres "$PGBIN/pg_ctl -D '$PGDATA' -o '-k /tmp -p $PGPORT -c listen_addresses=127.0.0.1' -l '$PGDATA.log' -w start" >/dev/null
fi
PGPASSWORD=postgres psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA <<'SQL'
SELECT 'CREATE ROLE hongdun LOGIN CREATEDB PASSWORD ''hongdun''' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hongdun')\gexec
ALTER ROLE hongdun CREATEDB;
SELECT 'CREATE DATABASE hongdun_test OWNER hongdun' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'hongdun_test')\gexec
SQL
export HONGDUN_TEST_DATABASE_URL="postgres://hongdun:hongdun@127.0.0.1:$PGPORT/hongdun_test"
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PGPORT"
