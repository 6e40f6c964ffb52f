#!/usr/bin/env bash
# A local single-node Elasticsearch for development, tests and CI.
#
#   scripts/elasticsearch.sh start    # fetch (once), unpack (once), start, wait for health, print the URL
#   scripts/elasticsearch.sh stop     # stop the node and wait until it is gone
#   scripts/elasticsearch.sh status   # print "running URL" (exit 0) or "stopped" (exit 1)
#   scripts/elasticsearch.sh url      # print the URL
#   scripts/elasticsearch.sh wipe     # stop the node and delete its data and logs (the distribution stays cached)
#   scripts/elasticsearch.sh ca-cert  # path of the CA certificate of a TLS node (REPRINTWATCH_ES_TLS=1)
#
# The distribution is Elastic's own integ-test-zip, fetched from Maven's default repository with
# `mvn dependency:copy` and cached outside the repo. Nothing here needs root.
#
# Environment:
#   REPRINTWATCH_CACHE        cache root (default ~/.cache/reprintwatch); files go to $REPRINTWATCH_CACHE/elasticsearch/
#   REPRINTWATCH_ES_PORT      HTTP port (default 9200); each port has its own data dir, log dir and pid file
#   REPRINTWATCH_ES_HEAP      JVM heap (default 512m)
#   REPRINTWATCH_ES_TIMEOUT   seconds to wait for the node to become healthy (default 180)
#   REPRINTWATCH_ES_SECURITY  "1": enable x-pack security with a file-realm superuser
#                             REPRINTWATCH_ES_USERNAME / REPRINTWATCH_ES_PASSWORD (defaults reprintwatch / reprintwatch-test)
#   REPRINTWATCH_ES_TLS       "1" (with REPRINTWATCH_ES_SECURITY=1): HTTPS with a throwaway CA made by openssl;
#                             the URL printed is https://…, `ca-cert` prints the CA certificate's path
#   ES_JAVA_HOME              JDK to run on (default: the `java` on PATH; ES 8.19 runs on Java 17)
#   REPRINTWATCH_ES_RUN_AS    Elasticsearch refuses to run as root: when this script runs as root (containers, CI)
#                             the node runs as this unprivileged user (default nobody). If that user cannot reach
#                             the cache (e.g. under a mode-700 /root), the unpacked distribution and the node's
#                             data/logs go to /var/tmp/reprintwatch-elasticsearch instead; the zip stays in the cache.
set -euo pipefail

ES_VERSION=8.19.3
ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip"

CACHE="${REPRINTWATCH_CACHE:-$HOME/.cache/reprintwatch}/elasticsearch"
PORT="${REPRINTWATCH_ES_PORT:-9200}"
HEAP="${REPRINTWATCH_ES_HEAP:-512m}"
TIMEOUT="${REPRINTWATCH_ES_TIMEOUT:-180}"
SECURITY="${REPRINTWATCH_ES_SECURITY:-0}"
TLS="${REPRINTWATCH_ES_TLS:-0}"
ES_USER="${REPRINTWATCH_ES_USERNAME:-reprintwatch}"
ES_PASS="${REPRINTWATCH_ES_PASSWORD:-reprintwatch-test}"

RUN_AS=""
if [[ "$(id -u)" == "0" ]]; then RUN_AS="${REPRINTWATCH_ES_RUN_AS:-nobody}"; fi

as_node_user() {
    if [[ -n "$RUN_AS" ]]; then
        setpriv --reuid="$RUN_AS" --regid="$(id -g "$RUN_AS")" --clear-groups "$@"
    else
        "$@"
    fi
}

ZIP="$CACHE/elasticsearch-${ES_VERSION}.zip"
BASE="$CACHE"
if [[ -n "$RUN_AS" ]]; then
    mkdir -p "$CACHE"
    if ! as_node_user test -x "$CACHE" 2>/dev/null; then BASE="/var/tmp/reprintwatch-elasticsearch"; fi
fi
ES_HOME="$BASE/elasticsearch-${ES_VERSION}"
NODE="$BASE/node-${PORT}"
PID_FILE="$NODE/elasticsearch.pid"
CA_CERT="$NODE/config/certs/ca.crt"
SCHEME=http
if [[ "$TLS" == "1" ]]; then
    [[ "$SECURITY" == "1" ]] || { echo "elasticsearch.sh: REPRINTWATCH_ES_TLS=1 needs REPRINTWATCH_ES_SECURITY=1" >&2; exit 2; }
    SCHEME=https
fi
URL="${SCHEME}://127.0.0.1:${PORT}"

log() { echo "elasticsearch.sh: $*" >&2; }
die() { log "$*"; exit 1; }

curl_auth=()
if [[ "$SECURITY" == "1" ]]; then curl_auth=(-u "${ES_USER}:${ES_PASS}"); fi
if [[ "$TLS" == "1" ]]; then curl_auth+=(--cacert "$CA_CERT"); fi

fetch() {
    [[ -f "$ZIP" ]] && return 0
    command -v mvn >/dev/null || die "Maven (mvn) is needed to fetch $ARTIFACT (or put the zip at $ZIP)"
    mkdir -p "$CACHE"
    log "fetching $ARTIFACT with Maven ..."
    local tmp
    tmp="$(mktemp -d "$CACHE/download.XXXXXX")"
    if ! mvn -q -B dependency:copy -Dartifact="$ARTIFACT" -DoutputDirectory="$tmp" >&2; then
        rm -rf "$tmp"
        die "mvn dependency:copy failed for $ARTIFACT"
    fi
    mv "$tmp/elasticsearch-${ES_VERSION}.zip" "$ZIP"
    rm -rf "$tmp"
}

unpack() {
    [[ -x "$ES_HOME/bin/elasticsearch" ]] && return 0
    log "unpacking $ZIP ..."
    local tmp
    mkdir -p "$BASE"
    chmod 755 "$BASE"
    tmp="$(mktemp -d "$BASE/unpack.XXXXXX")"
    unzip -q "$ZIP" -d "$tmp" || { rm -rf "$tmp"; die "cannot unzip $ZIP (delete it to re-download)"; }
    chmod -R a+rX "$tmp"
    rm -rf "$ES_HOME"
    mv "$tmp/elasticsearch-${ES_VERSION}" "$ES_HOME"
    rm -rf "$tmp"
}

java_home() {
    if [[ -n "${ES_JAVA_HOME:-}" ]]; then echo "$ES_JAVA_HOME"; return; fi
    command -v java >/dev/null || die "Java is needed (Elasticsearch $ES_VERSION runs on Java 17+); set ES_JAVA_HOME"
    dirname "$(dirname "$(readlink -f "$(command -v java)")")"
}

running_pid() {
    # the pid of our node on this port, if it is alive and really Elasticsearch
    [[ -f "$PID_FILE" ]] || return 1
    local pid
    pid="$(cat "$PID_FILE" 2>/dev/null || true)"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    [[ -r "/proc/$pid/cmdline" ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "org.elasticsearch" || return 1
    echo "$pid"
}

healthy() {
    curl -fsS "${curl_auth[@]}" --max-time 5 "$URL/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null 2>&1
}

make_certs() {
    # a throwaway CA and a server certificate for 127.0.0.1/localhost (test nodes only)
    local dir="$1"
    command -v openssl >/dev/null || die "openssl is needed for REPRINTWATCH_ES_TLS=1"
    mkdir -p "$dir"
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=reprintwatch test CA" \
        -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$dir/node.key" -out "$dir/node.csr" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$dir/ext.cnf"
    openssl x509 -req -in "$dir/node.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 30 \
        -extfile "$dir/ext.cnf" -out "$dir/node.crt" 2>/dev/null
    rm -f "$dir/node.csr" "$dir/ext.cnf" "$dir/ca.key" "$dir/ca.srl"
}

configure() {
    mkdir -p "$NODE/data" "$NODE/logs"
    # a fresh config each start, but the node keeps its CA across restarts (clients hold on to it)
    rm -rf "$NODE/certs.keep"
    if [[ -d "$NODE/config/certs" ]]; then mv "$NODE/config/certs" "$NODE/certs.keep"; fi
    rm -rf "$NODE/config"
    cp -r "$ES_HOME/config" "$NODE/config"
    if [[ -d "$NODE/certs.keep" ]]; then mv "$NODE/certs.keep" "$NODE/config/certs"; fi
    cat >"$NODE/config/elasticsearch.yml" <<EOF
# written by scripts/elasticsearch.sh — a throwaway development node
cluster.name: reprintwatch-dev-${PORT}
node.name: reprintwatch-${PORT}
path.data: ${NODE}/data
path.logs: ${NODE}/logs
network.host: 127.0.0.1
http.port: ${PORT}
discovery.type: single-node
# a nearly full disk must not turn the index read-only
cluster.routing.allocation.disk.threshold_enabled: false
action.destructive_requires_name: false
xpack.security.enabled: $([[ "$SECURITY" == "1" ]] && echo true || echo false)
EOF
    if [[ "$TLS" == "1" ]]; then
        [[ -f "$CA_CERT" ]] || make_certs "$NODE/config/certs"
        cat >>"$NODE/config/elasticsearch.yml" <<EOF
xpack.security.http.ssl.enabled: true
xpack.security.http.ssl.key: certs/node.key
xpack.security.http.ssl.certificate: certs/node.crt
xpack.security.http.ssl.certificate_authorities: certs/ca.crt
EOF
    fi
    if [[ "$SECURITY" == "1" ]]; then
        # file realm superuser; HTTP stays plain (127.0.0.1 only), so basic auth travels unencrypted locally
        ES_PATH_CONF="$NODE/config" ES_JAVA_HOME="$(java_home)" \
            "$ES_HOME/bin/elasticsearch-users" useradd "$ES_USER" -p "$ES_PASS" -r superuser >/dev/null
    fi
    if [[ -n "$RUN_AS" ]]; then chown -R "$RUN_AS:$(id -g "$RUN_AS")" "$NODE"; fi
}

start() {
    if pid="$(running_pid)"; then
        if healthy; then
            echo "$URL"
            return 0
        fi
        log "node $pid is up but not healthy yet; waiting"
    else
        if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
            die "something else already answers on $URL (not our node); set REPRINTWATCH_ES_PORT"
        fi
        fetch
        unpack
        configure
        rm -f "$PID_FILE"
        log "starting Elasticsearch $ES_VERSION on $URL (heap $HEAP, data in $NODE)"
        if ! (cd "$NODE" && ES_PATH_CONF="$NODE/config" ES_JAVA_HOME="$(java_home)" \
            ES_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP ${ES_JAVA_OPTS:-}" \
            as_node_user "$ES_HOME/bin/elasticsearch" -d -p "$PID_FILE" >"$NODE/logs/launcher.out" 2>&1); then
            log "the launcher failed:"
            tail -n 40 "$NODE/logs/launcher.out" >&2 || true
            tail -n 40 "$NODE/logs/reprintwatch-dev-${PORT}.log" >&2 2>/dev/null || true
            exit 1
        fi
    fi
    local waited=0
    until healthy; do
        if ! running_pid >/dev/null; then
            log "the node exited during start-up; last log lines:"
            tail -n 40 "$NODE/logs/reprintwatch-dev-${PORT}.log" >&2 2>/dev/null || tail -n 40 "$NODE/logs/launcher.out" >&2
            exit 1
        fi
        if ((waited >= TIMEOUT)); then
            log "no yellow/green health after ${TIMEOUT}s; last log lines:"
            tail -n 40 "$NODE/logs/reprintwatch-dev-${PORT}.log" >&2 2>/dev/null || true
            exit 1
        fi
        sleep 1
        waited=$((waited + 1))
    done
    echo "$URL"
}

stop() {
    local pid
    if ! pid="$(running_pid)"; then
        rm -f "$PID_FILE"
        log "not running on port $PORT"
        return 0
    fi
    kill -TERM "$pid"
    local waited=0
    while kill -0 "$pid" 2>/dev/null; do
        if ((waited >= 120)); then  # half-seconds
            log "node $pid ignored SIGTERM for 60s; killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
        sleep 0.5
        waited=$((waited + 1))
        ((waited < 180)) || die "node $pid does not exit"
    done
    rm -f "$PID_FILE"
    log "stopped node $pid on port $PORT"
}

status() {
    if running_pid >/dev/null && healthy; then
        echo "running $URL"
    elif running_pid >/dev/null; then
        echo "starting $URL"
    else
        echo "stopped"
        return 1
    fi
}

wipe() {
    stop
    rm -rf "$NODE"
    log "deleted $NODE"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    url) echo "$URL" ;;
    ca-cert) if [[ "$TLS" == "1" ]]; then echo "$CA_CERT"; else die "no TLS on this node (REPRINTWATCH_ES_TLS=1)"; fi ;;
    wipe) wipe ;;
    *) echo "usage: $0 start|stop|status|url|ca-cert|wipe" >&2; exit 2 ;;
esac
