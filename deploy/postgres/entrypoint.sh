#!/bin/sh
# Starts PostgreSQL on $PGDATA; on the first start (an empty volume) makes the cluster, the role and
# the database first. Runs as the user postgres (the image's USER).
set -eu

user="${POSTGRES_USER:-scaler}"
db="${POSTGRES_DB:-$user}"
if [ -n "${POSTGRES_PASSWORD_FILE:-}" ]; then
  [ -r "$POSTGRES_PASSWORD_FILE" ] || { echo "postgres: POSTGRES_PASSWORD_FILE=$POSTGRES_PASSWORD_FILE is not a readable file" >&2; exit 1; }
  password="$(cat "$POSTGRES_PASSWORD_FILE")"
else
  password="${POSTGRES_PASSWORD:-}"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  # No default password: a database reachable over the network must not start with a guessable one.
  [ -n "$password" ] || { echo "postgres: no password for role '$user': set POSTGRES_PASSWORD_FILE (a secret) or POSTGRES_PASSWORD" >&2; exit 1; }
  echo "postgres: first start, making the cluster in $PGDATA with role '$user' and database '$db'"
  # Local (socket) connections by peer: only the OS user postgres is the superuser postgres.
  initdb -D "$PGDATA" --username=postgres --encoding=UTF8 --locale=C \
    --auth-local=peer --auth-host=scram-sha-256 >/dev/null
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  # Started on the socket only, so no client can connect before the role has its password.
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
  # psql's :'var' and :"var" quote the values as a literal and an identifier: any password works.
  psql -v ON_ERROR_STOP=1 -q -d postgres -v user="$user" -v db="$db" -v password="$password" <<'SQL'
CREATE ROLE :"user" LOGIN PASSWORD :'password';
CREATE DATABASE :"db" OWNER :"user";
SQL
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
fi
unset password POSTGRES_PASSWORD
exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
