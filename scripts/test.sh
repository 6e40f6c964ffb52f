#!/usr/bin/env bash
# The whole test suite, from a fresh clone: a virtualenv, the package with its test extra, the system
# packages the tests need, a real local Elasticsearch node and a real local PostgreSQL server (both stopped
# afterwards, even when tests fail).
#
#   bash scripts/test.sh            # everything
#   bash scripts/test.sh -k verify  # extra arguments go to pytest
#
# Set REPRINTWATCH_ES_URL to test against a node you already run instead of starting one; likewise
# REPRINTWATCH_PG_URL (with PGPASSFILE / PGPASSWORD for its password) for a PostgreSQL server.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${REPRINTWATCH_VENV:-.venv}"
[[ -x "$VENV/bin/python" ]] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q -e ".[test]"

if [[ -f scripts/install-system-deps.sh ]]; then bash scripts/install-system-deps.sh; fi

started_es=""
if [[ -z "${REPRINTWATCH_ES_URL:-}" ]] && command -v java >/dev/null && command -v mvn >/dev/null; then
    REPRINTWATCH_ES_URL="$(bash scripts/elasticsearch.sh start | tail -n 1)"
    export REPRINTWATCH_ES_URL
    started_es=1
fi
started_pg=""
if [[ -z "${REPRINTWATCH_PG_URL:-}" ]]; then
    # installs Debian's postgresql package when missing; the password goes to a pgpass file, never argv
    bash scripts/postgresql.sh status >/dev/null 2>&1 || started_pg=1
    REPRINTWATCH_PG_URL="$(bash scripts/postgresql.sh start | tail -n 1)"
    PGPASSFILE="$(bash scripts/postgresql.sh passfile)"
    export REPRINTWATCH_PG_URL PGPASSFILE
fi
cleanup() {
    if [[ -n "$started_es" ]]; then bash scripts/elasticsearch.sh stop || true; fi
    if [[ -n "$started_pg" ]]; then bash scripts/postgresql.sh stop || true; fi
}
trap cleanup EXIT

"$VENV/bin/python" -m pytest "$@"
