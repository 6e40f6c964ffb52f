#!/usr/bin/env bash
# A local PostgreSQL server for development, tests and CI (the findings store's shared engine).
#
#   scripts/postgresql.sh start     # install (once, apt), initdb (once), start, wait, print the URL
#   scripts/postgresql.sh stop      # stop the server and wait until it is gone
#   scripts/postgresql.sh status    # print "running URL" (exit 0) or "stopped" (exit 1)
#   scripts/postgresql.sh url       # print the URL
#   scripts/postgresql.sh passfile  # print the path of the pgpass file holding the password
#   scripts/postgresql.sh wipe      # stop the server and delete its cluster
#
# The URL printed carries no password: clients read it from the pgpass file (PGPASSFILE=$(... passfile)),
# so it never appears in argv, logs or the URL. The server listens on 127.0.0.1 only.
#
# Environment:
#   REPRINTWATCH_CACHE       cache root (default ~/.cache/reprintwatch); clusters go to $REPRINTWATCH_CACHE/postgresql/
#   REPRINTWATCH_PG_PORT     TCP port (default 55432, away from a system server's 5432); each port its own cluster
#   REPRINTWATCH_PG_USER     the cluster's superuser and database name (default reprintwatch)
#   REPRINTWATCH_PG_RUN_AS   PostgreSQL refuses to run as root: when this script runs as root (containers, CI) the
#                            server runs as this unprivileged user (default nobody); if that user cannot reach the
#                            cache (e.g. under a mode-700 /root) the cluster goes to /var/tmp/reprintwatch-postgresql.
set -euo pipefail

PORT="${REPRINTWATCH_PG_PORT:-55432}"
PG_USER="${REPRINTWATCH_PG_USER:-reprintwatch}"
CACHE="${REPRINTWATCH_CACHE:-$HOME/.cache/reprintwatch}/postgresql"
URL="postgresql://${PG_USER}@127.0.0.1:${PORT}/${PG_USER}"

log() { echo "postgresql.sh: $*" >&2; }
die() { log "$*"; exit 1; }

RUN_AS=""
if [[ "$(id -u)" == "0" ]]; then RUN_AS="${REPRINTWATCH_PG_RUN_AS:-nobody}"; fi

as_server_user() {
    if [[ -n "$RUN_AS" ]]; then
        setpriv --reuid="$RUN_AS" --regid="$(id -g "$RUN_AS")" --clear-groups "$@"
    else
        "$@"
    fi
}

bindir() {
    # Debian keeps the server binaries out of PATH, one directory per major version: the newest one
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [[ -n "$dir" && -x "$dir/initdb" ]]; then echo "$dir"; return 0; fi
    if command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then dirname "$(command -v pg_ctl)"; return 0; fi
    return 1
}

install_server() {
    bindir >/dev/null && return 0
    command -v apt-get >/dev/null || die "PostgreSQL is not installed and apt-get is not available; install it (initdb, pg_ctl)"
    local sudo=""
    [[ "$(id -u)" == "0" ]] || sudo="sudo"
    log "installing Debian's postgresql package ..."
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq >&2
    # the package's own cluster (postgresql-common) is not used: ours lives in the cache, on our port
    $sudo apt-get install -y -qq --no-install-recommends postgresql >&2
    bindir >/dev/null || die "the postgresql package installed no initdb"
}

BASE="$CACHE"
if [[ -n "$RUN_AS" ]]; then
    mkdir -p "$CACHE"
    if ! as_server_user test -x "$CACHE" 2>/dev/null; then BASE="/var/tmp/reprintwatch-postgresql"; fi
fi
NODE="$BASE/cluster-${PORT}"
DATA="$NODE/data"
PASSFILE="$NODE/pgpass"   # owned by the caller (mode 600): the client's password
LOGFILE="$NODE/server.log"

ready() {
    local bin
    bin="$(bindir)" || return 1
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$PORT" -t 2 >/dev/null 2>&1
}

running() {
    [[ -f "$DATA/postmaster.pid" ]] || return 1
    local pid
    pid="$(head -n 1 "$DATA/postmaster.pid" 2>/dev/null || true)"
    [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null
}

init_cluster() {
    [[ -f "$DATA/PG_VERSION" ]] && return 0
    local bin
    bin="$(bindir)"
    mkdir -p "$NODE"
    rm -rf "$DATA"
    # a random password, known to the pgpass file only (never argv: initdb reads it from a file we delete)
    local password
    password="$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)"
    umask 077
    printf '127.0.0.1:%s:*:%s:%s\n' "$PORT" "$PG_USER" "$password" >"$PASSFILE"
    local pwfile="$NODE/initdb-pw"
    printf '%s\n' "$password" >"$pwfile"
    if [[ -n "$RUN_AS" ]]; then
        chown -R "$RUN_AS:$(id -g "$RUN_AS")" "$NODE"
        chown "$(id -u):$(id -g)" "$PASSFILE"
        chmod 711 "$NODE"
    fi
    log "initdb: a new cluster in $DATA (superuser $PG_USER, scram-sha-256 on 127.0.0.1)"
    if ! as_server_user "$bin/initdb" -D "$DATA" -U "$PG_USER" --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
        --auth-host=scram-sha-256 --auth-local=scram-sha-256 >"$NODE/initdb.log" 2>&1; then
        rm -f "$pwfile"
        tail -n 20 "$NODE/initdb.log" >&2
        die "initdb failed"
    fi
    rm -f "$pwfile"
    cat >>"$DATA/postgresql.conf" <<EOF
# written by scripts/postgresql.sh — a throwaway development server
listen_addresses = '127.0.0.1'
port = ${PORT}
unix_socket_directories = '${NODE}'
max_connections = 200
fsync = on
log_statement = 'none'
EOF
}

start() {
    install_server
    local bin
    bin="$(bindir)"
    if running && ready; then
        ensure_database
        echo "$URL"
        return 0
    fi
    if ! running && (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
        die "something else already answers on 127.0.0.1:$PORT (not our server); set REPRINTWATCH_PG_PORT"
    fi
    init_cluster
    if ! running; then
        log "starting PostgreSQL ($bin) on 127.0.0.1:$PORT, cluster in $DATA"
        touch "$LOGFILE"
        [[ -z "$RUN_AS" ]] || chown "$RUN_AS:$(id -g "$RUN_AS")" "$LOGFILE"
        if ! as_server_user "$bin/pg_ctl" -D "$DATA" -l "$LOGFILE" -w -t 60 start >/dev/null 2>&1; then
            tail -n 30 "$LOGFILE" >&2 || true
            die "the server did not start"
        fi
    fi
    local waited=0
    until ready; do
        ((waited < 60)) || die "no answer from 127.0.0.1:$PORT after 60s"
        sleep 1
        waited=$((waited + 1))
    done
    ensure_database
    echo "$URL"
}

ensure_database() {
    [[ -f "$NODE/database-created" ]] && return 0
    PGPASSFILE="$PASSFILE" "$(bindir)/createdb" -h 127.0.0.1 -p "$PORT" -U "$PG_USER" "$PG_USER" \
        || die "cannot create the database $PG_USER"
    touch "$NODE/database-created"
}

stop() {
    if ! running; then
        log "not running on port $PORT"
        return 0
    fi
    as_server_user "$(bindir)/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null
    log "stopped the server on port $PORT"
}

status() {
    if running && ready; then
        echo "running $URL"
    elif running; then
        echo "starting $URL"
    else
        echo "stopped"
        return 1
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    url) echo "$URL" ;;
    passfile) echo "$PASSFILE" ;;
    wipe) stop; rm -rf "$NODE"; log "deleted $NODE" ;;
    *) echo "usage: $0 start|stop|status|url|passfile|wipe" >&2; exit 2 ;;
esac
