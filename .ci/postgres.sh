#!/usr/bin/env bash
# Install (Debian packages) and start a local PostgreSQL for the case-store tests; print its URL.
#   export COMPUTEWATCH_TEST_POSTGRES_URL=$(bash .ci/postgres.sh)
# Everything but the URL goes to stderr. Idempotent: a running server is reused.
set -euo pipefail
DB=${CW_PG_DB:-computewatch_test}
ROLE=${CW_PG_USER:-computewatch}
PASSWORD=${CW_PG_PASSWORD:-computewatch}
PORT=${CW_PG_PORT:-5432}
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
as_pg_user() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "installing postgresql (Debian packages)" >&2
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
fi

VERSION=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$VERSION main$"; then
    $SUDO pg_createcluster "$VERSION" main --port "$PORT" >&2
fi
if ! pg_lsclusters -h | awk -v v="$VERSION" '$1==v && $2=="main" {print $4}' | grep -q online; then
    $SUDO pg_ctlcluster "$VERSION" main start >&2
fi
PORT=$(pg_lsclusters -h | awk -v v="$VERSION" '$1==v && $2=="main" {print $3}')

for _ in $(seq 1 30); do
    if as_pg_user pg_isready -q -p "$PORT"; then break; fi
    sleep 1
done

as_postgres() { as_pg_user psql -p "$PORT" -v ON_ERROR_STOP=1 -qtA "$@"; }
if [ "$(as_postgres -c "SELECT 1 FROM pg_roles WHERE rolname='$ROLE'")" != 1 ]; then
    as_postgres -c "CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD'" >&2
fi
if [ "$(as_postgres -c "SELECT 1 FROM pg_database WHERE datname='$DB'")" != 1 ]; then
    as_postgres -c "CREATE DATABASE $DB OWNER $ROLE" >&2
fi
echo "postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DB"
