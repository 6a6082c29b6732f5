#!/usr/bin/env bash
# Runs the proxy for a first look. With a Docker Engine at $SOCKET_PATH (default
# /var/run/docker.sock) it serves that engine; without one it starts the test kit's standalone
# fake daemon on a temp socket and puts the proxy in front of it. Ctrl-C (or SIGTERM) stops both.
#
#   scripts/quickstart.sh                      # proxy on tcp://127.0.0.1:2375 (override: LISTEN=...)
#   DOCKER_HOST=tcp://127.0.0.1:2375 docker ps # in another terminal: allowed
#   DOCKER_HOST=tcp://127.0.0.1:2375 docker run --rm busybox  # refused with the proxy's message
#
# Policy: Tecnativa-style environment variables; CONTAINERS defaults to 1 here so `docker ps` works.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PROXY_JAR=proxy-cli/target/docker-socket-proxy.jar
FAKE_JAR=proxy-testkit/target/fake-docker-daemon.jar
LISTEN="${LISTEN:-tcp://127.0.0.1:2375}"
SOCKET="${SOCKET_PATH:-/var/run/docker.sock}"
export CONTAINERS="${CONTAINERS:-1}"

if [[ ! -f "$PROXY_JAR" || ! -f "$FAKE_JAR" ]]; then
  echo "quickstart: building the jars (mvn -q -DskipTests package) ..." >&2
  mvn -q -B -DskipTests package
fi

FAKE_PID=""
TMP=""
cleanup() {
  if [[ -n "$FAKE_PID" ]] && kill -0 "$FAKE_PID" 2>/dev/null; then
    kill -TERM "$FAKE_PID" 2>/dev/null || true
    wait "$FAKE_PID" 2>/dev/null || true
  fi
  [[ -n "$TMP" ]] && rm -rf "$TMP"
}
trap cleanup EXIT

engine_answers() {
  [[ -S "$1" ]] && command -v curl >/dev/null && curl -fsS --max-time 2 --unix-socket "$1" http://docker/_ping >/dev/null 2>&1
}

if engine_answers "$SOCKET"; then
  echo "quickstart: Docker Engine found at $SOCKET; the proxy serves it"
  UPSTREAM="unix://$SOCKET"
else
  TMP="$(mktemp -d /tmp/dspqs.XXXXXX)"
  echo "quickstart: no Docker Engine at $SOCKET; starting the test kit's fake daemon (a demo, not a real engine)"
  java -jar "$FAKE_JAR" --listen "unix://$TMP/docker.sock" >"$TMP/fake.log" 2>&1 &
  FAKE_PID=$!
  deadline=$(( $(date +%s) + 20 ))
  until grep -q "listening on" "$TMP/fake.log" 2>/dev/null; do
    if ! kill -0 "$FAKE_PID" 2>/dev/null || (( $(date +%s) > deadline )); then
      echo "quickstart: the fake daemon did not start:" >&2; cat "$TMP/fake.log" >&2; exit 1
    fi
    sleep 0.1
  done
  UPSTREAM="unix://$TMP/docker.sock"
fi

echo "quickstart: try  DOCKER_HOST=$LISTEN docker ps   and   DOCKER_HOST=$LISTEN docker run --rm busybox"
# not exec: the trap must still stop the fake daemon when the proxy exits
proxy-cli/src/main/dist/docker-socket-proxy serve --listen "$LISTEN" --upstream "$UPSTREAM" &
PROXY_PID=$!
trap 'kill -TERM "$PROXY_PID" 2>/dev/null || true' INT TERM
wait "$PROXY_PID" || true
wait "$PROXY_PID" 2>/dev/null || true
