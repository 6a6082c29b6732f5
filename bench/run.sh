#!/usr/bin/env bash
# Benchmark: docker-socket-proxy in front of a fast upstream (nginx on a UNIX socket), against the same
# upstream reached directly over loopback TCP and through HAProxy with Tecnativa's docker-socket-proxy
# rules (bench/haproxy.cfg.in), in the same run. See bench/README.md.
#
#   bench/run.sh [--quick] [--no-install] [--no-build]
#
# Environment knobs (defaults in brackets): BENCH_DURATION [8] and BENCH_WARMUP [2] seconds per wrk run,
# BENCH_ROUNDS [3, --quick 1] rounds of (direct run, proxy run) per request kind; a ratio is the median
#   of the rounds' ratios,
# BENCH_CONNECTIONS [32], BENCH_THREADS [2], BENCH_STREAMS [10000] idle /events streams,
# BENCH_STREAM_SIZE [1G] download/upload size, BENCH_NGINX_WORKERS [1],
# BENCH_JAVA21_HOME [/usr/lib/jvm/temurin-25-jdk-amd64, else any JDK 21+ in /usr/lib/jvm] for the streams part,
# BENCH_JAVA_HOME [BENCH_JAVA21_HOME, else $JAVA_HOME or the java on PATH] for the throughput part (the targets),
# BENCH_JAVA17_HOME [$JAVA_HOME or the java on PATH, when older than 21; "none" skips it] for a second
#   throughput run on Java 17 (platform threads), reported for information,
# BENCH_JIT_WARMUP [24, --quick 8] seconds of load on a fresh proxy before its first measured run, in
#   BENCH_JIT_ROUNDS [8, --quick 4] wrk runs with fresh connections (the launcher compiles hot code with
#   C2, on one compiler thread, only after 50,000 runs),
# BENCH_CHUNKED_WARMUP [12, --quick 6] seconds of chunked-json load on the proxy, in 4 (--quick 2) wrk runs,
#   before the chunked-json runs (its relay path is compiled only after 50,000 chunked answers),
# BENCH_HAPROXY_THREADS [2] HAProxy's nbthread (the proxy's virtual threads run on one carrier per CPU),
# BENCH_HAPROXY_LOG [0] 1 turns on Tecnativa's per-request log (option httplog to stdout, sent to /dev/null),
# BENCH_HAPROXY_SERVER_CLOSE [1] Tecnativa's `option http-server-close` (a new daemon connection per
#   request); 0 leaves it out (HAProxy then keeps daemon connections open and reuses them),
# BENCH_ARCHIVE_SIZE [50M] the chunked download (GET /containers/{id}/archive, 32 KiB chunks),
# BENCH_ARCHIVE_REPEAT [40, --quick 10] downloads of it, one after another on one connection, per measurement,
# BENCH_LOG_LEVEL [info] the proxy's --log-level (access log lines go to /dev/null),
# BENCH_PROXY_JAVA_OPTS [] JAVA_EXTRA_OPTS for the proxy in the throughput part (e.g. -XX:TieredStopAtLevel=4),
# BENCH_EVENTS_JAVA_OPTS [-Xmx1g] JAVA_EXTRA_OPTS for the proxy in the streams part.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
out_dir="$here/out"

quick=0
install=1
build=1
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    --no-install) install=0 ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

if [[ $quick == 1 ]]; then
  DURATION=${BENCH_DURATION:-3}; WARMUP=${BENCH_WARMUP:-1}; STREAMS=${BENCH_STREAMS:-1000}; ROUNDS=${BENCH_ROUNDS:-1}
  STREAM_SIZE=${BENCH_STREAM_SIZE:-256M}; STREAM_REPEAT=1
else
  DURATION=${BENCH_DURATION:-8}; WARMUP=${BENCH_WARMUP:-2}; STREAMS=${BENCH_STREAMS:-10000}; ROUNDS=${BENCH_ROUNDS:-3}
  STREAM_SIZE=${BENCH_STREAM_SIZE:-1G}; STREAM_REPEAT=3
fi
CONNS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
NGINX_WORKERS=${BENCH_NGINX_WORKERS:-1}
LOG_LEVEL=${BENCH_LOG_LEVEL:-info}
# The launcher caps the heap at ~64 MB (-XX:MaxRAM=256m), which runs out near 1,500 idle streams;
# the streams part raises the cap so it measures the real footprint instead of an OutOfMemoryError.
EVENTS_EXTRA_OPTS=${BENCH_EVENTS_JAVA_OPTS--Xmx1g}
REQ_STREAMS=$STREAMS

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- tools
if [[ $install == 1 ]]; then
  missing=()
  command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  command -v haproxy >/dev/null 2>&1 || [[ -x /usr/sbin/haproxy ]] || missing+=(haproxy)
  if (( ${#missing[@]} > 0 )); then
    log "installing ${missing[*]} from Debian"
    sudo_cmd=()
    [[ $(id -u) != 0 ]] && sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    pkgs=()
    for m in "${missing[@]}"; do
      if [[ $m == nginx ]]; then
        if apt-cache show nginx-light >/dev/null 2>&1; then pkgs+=(nginx-light); else pkgs+=(nginx); fi
      else
        pkgs+=("$m")
      fi
    done
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >&2
  fi
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[[ -x $NGINX ]] || die "nginx not found (run without --no-install)"
command -v wrk >/dev/null || die "wrk not found"
command -v curl >/dev/null || die "curl not found"
HAPROXY_BIN=$(command -v haproxy || echo /usr/sbin/haproxy)
[[ -x $HAPROXY_BIN ]] || die "haproxy not found (run without --no-install)"

java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}'; }
if [[ -n ${JAVA_HOME:-} ]]; then
  PATH_JAVA_HOME=$JAVA_HOME
else
  PATH_JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
fi
J21_HOME=${BENCH_JAVA21_HOME:-}
if [[ -z $J21_HOME ]]; then
  for d in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    if [[ -x $d/bin/java ]] && (( $(java_major "$d" || echo 0) >= 21 )); then J21_HOME=$d; break; fi
  done
fi
[[ -n $J21_HOME ]] && J21_MAJOR=$(java_major "$J21_HOME") || J21_MAJOR=
MAIN_JAVA_HOME=${BENCH_JAVA_HOME:-${J21_HOME:-$PATH_JAVA_HOME}}
MAIN_JAVA_MAJOR=$(java_major "$MAIN_JAVA_HOME")
J17_HOME=${BENCH_JAVA17_HOME:-}
if [[ -z $J17_HOME ]] && (( $(java_major "$PATH_JAVA_HOME" || echo 99) < 21 )); then J17_HOME=$PATH_JAVA_HOME; fi
[[ $J17_HOME == none || $J17_HOME == "$MAIN_JAVA_HOME" ]] && J17_HOME=
[[ -n $J17_HOME ]] && J17_MAJOR=$(java_major "$J17_HOME") || J17_MAJOR=
if [[ $quick == 1 ]]; then JIT_WARMUP=${BENCH_JIT_WARMUP:-8}; JIT_ROUNDS=${BENCH_JIT_ROUNDS:-4}
  CHUNKED_WARMUP=${BENCH_CHUNKED_WARMUP:-6}; CHUNKED_ROUNDS=2; ARCHIVE_REPEAT=${BENCH_ARCHIVE_REPEAT:-10}
else JIT_WARMUP=${BENCH_JIT_WARMUP:-24}; JIT_ROUNDS=${BENCH_JIT_ROUNDS:-8}
  CHUNKED_WARMUP=${BENCH_CHUNKED_WARMUP:-12}; CHUNKED_ROUNDS=4; ARCHIVE_REPEAT=${BENCH_ARCHIVE_REPEAT:-40}; fi
ARCHIVE_SIZE=${BENCH_ARCHIVE_SIZE:-50M}
HAPROXY_THREADS=${BENCH_HAPROXY_THREADS:-2}
HAPROXY_LOG=${BENCH_HAPROXY_LOG:-0}
HAPROXY_SERVER_CLOSE=${BENCH_HAPROXY_SERVER_CLOSE:-1}

# ---------------------------------------------------------------- build
JAR=$root/proxy-cli/target/docker-socket-proxy.jar
FAKE_JAR=$root/proxy-testkit/target/fake-docker-daemon.jar
LAUNCHER=$root/proxy-cli/src/main/dist/docker-socket-proxy
if [[ $build == 1 || ! -f $JAR || ! -f $FAKE_JAR ]]; then
  log "building (mvn -o -q -DskipTests package)"
  (cd "$root" && mvn -o -q -DskipTests package >&2)
fi
[[ -f $JAR ]] || die "missing $JAR"

# ---------------------------------------------------------------- processes and clean-up
tmp=$(mktemp -d /tmp/dsp-bench.XXXXXX)
chmod 755 "$tmp" # nginx workers may run as an unprivileged user
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do
    kill -TERM "$p" 2>/dev/null || true
  done
  for p in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# private copies: a rebuild of the jars while the bench runs must not change (or crash) the proxies under test
JAR_BUILT=$(date -u -r "$JAR" +%Y-%m-%dT%H:%M:%SZ)
cp "$JAR" "$tmp/docker-socket-proxy.jar"
JAR=$tmp/docker-socket-proxy.jar
if [[ -f $FAKE_JAR ]]; then cp "$FAKE_JAR" "$tmp/fake-docker-daemon.jar"; FAKE_JAR=$tmp/fake-docker-daemon.jar; fi

stop_pid() { # graceful stop of one process we started
  local p=$1
  kill -TERM "$p" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$p" 2>/dev/null || true
  wait "$p" 2>/dev/null || true
  forget_pid "$p"
}

free_port() { # below the kernel's ephemeral range, so no outgoing connection holds it
  local p low
  low=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  (( low > 12000 )) || low=32768
  for _ in $(seq 200); do
    p=$(( 10000 + RANDOM % (low - 10000) ))
    if ! ss -Htan "sport = :$p" 2>/dev/null | grep -q .; then echo "$p"; return; fi
  done
  die "no free port"
}

wait_http() { # URL [seconds] [PID that must stay alive]
  local url=$1 limit=${2:-30} pid=${3:-}
  for _ in $(seq $((limit * 10))); do
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    if curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { # PID: utime + stime so far, in clock ticks (fields 14 and 15 of /proc/PID/stat, after "(comm)")
  sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12 + $13 }' || echo 0
}
threads_of() { awk '/^Threads:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# ---------------------------------------------------------------- upstream content
mkdir -p "$tmp/www" "$out_dir"
{
  printf '['
  for i in 1 2 3 4 5 6; do
    [[ $i == 1 ]] || printf ','
    printf '{"Id":"%064d","Names":["/bench-app-%d"],"Image":"registry.example.com/team/app:1.2.%d","ImageID":"sha256:%064d",' "$i" "$i" "$i" "$i"
    printf '"Command":"/docker-entrypoint.sh nginx -g '"'"'daemon off;'"'"'","Created":1732800000,"Ports":[{"IP":"0.0.0.0","PrivatePort":80,"PublicPort":%d,"Type":"tcp"}],' $((8080 + i))
    printf '"Labels":{"com.docker.compose.project":"bench","com.docker.compose.service":"app%d","traefik.enable":"true","traefik.http.routers.app%d.rule":"Host(`app%d.example.com`)"},' "$i" "$i" "$i"
    printf '"State":"running","Status":"Up 3 hours","HostConfig":{"NetworkMode":"bench_default"},"NetworkSettings":{"Networks":{"bench_default":{"IPAMConfig":null,"Links":null,"Aliases":null,"NetworkID":"%064d","EndpointID":"%064d","Gateway":"172.18.0.1","IPAddress":"172.18.0.%d","IPPrefixLen":16,"MacAddress":"02:42:ac:12:00:%02d"}}},' "$i" "$i" $((i + 1)) $((i + 1))
    printf '"Mounts":[{"Type":"volume","Name":"bench_data%d","Source":"/var/lib/docker/volumes/bench_data%d/_data","Destination":"/data","Driver":"local","Mode":"z","RW":true,"Propagation":""}]}' "$i" "$i"
  done
  printf ']'
} > "$tmp/www/containers.json"
JSON_BYTES=$(stat -c %s "$tmp/www/containers.json")
truncate -s "$STREAM_SIZE" "$tmp/www/big.tar"
STREAM_BYTES=$(stat -c %s "$tmp/www/big.tar")
truncate -s "$ARCHIVE_SIZE" "$tmp/www/archive.tar"
ARCHIVE_BYTES=$(stat -c %s "$tmp/www/archive.tar")
: > "$tmp/www/empty"

# ---------------------------------------------------------------- nginx
DIRECT_PORT=$(free_port)
sed -e "s#@TMP@#$tmp#g" -e "s#@DIRECT_PORT@#$DIRECT_PORT#g" -e "s#@WORKERS@#$NGINX_WORKERS#g" \
  "$here/nginx.conf.in" > "$tmp/nginx.conf"
"$NGINX" -e "$tmp/nginx-error.log" -p "$tmp" -c "$tmp/nginx.conf" -t -q || die "nginx config invalid"
"$NGINX" -e "$tmp/nginx-error.log" -p "$tmp" -c "$tmp/nginx.conf" &
NGINX_PID=$!
pids+=("$NGINX_PID")
DIRECT=http://127.0.0.1:$DIRECT_PORT
wait_http "$DIRECT/_ping" 30 "$NGINX_PID" || { cat "$tmp/nginx-error.log" >&2; die "nginx did not start"; }
log "nginx pid $NGINX_PID: unix:$tmp/upstream.sock and $DIRECT ($NGINX_WORKERS worker)"

framing() { # URL: how the answer's body is framed (chunked or content-length), as curl sees it
  curl -fsS -H 'Host: docker' -D - -o /dev/null "$1" | tr -d '\r' | awk -F': *' '
    tolower($1) == "transfer-encoding" { te = $2 } tolower($1) == "content-length" { cl = $2 }
    END { if (te != "") print te; else if (cl != "") print "content-length"; else print "none" }'
}
chunk_sizes() { # URL: the chunk sizes of a chunked answer, as "COUNT x SIZE", most frequent first
  curl -fsS --raw -H 'Host: docker' "$1" | perl -e 'binmode STDIN; local $/; my $d = <STDIN>; my ($i, %c) = (0);
    while (1) { my $j = index($d, "\r\n", $i); die "not chunked\n" if $j < 0; my $n = hex(substr($d, $i, $j - $i));
      $c{$n}++; last if $n == 0; $i = $j + 2 + $n + 2; }
    my @k = sort { $c{$b} <=> $c{$a} || $b <=> $a } keys %c; my @top = map { "$c{$_} x $_" } @k[0 .. ($#k < 2 ? $#k : 2)];
    push @top, (@k - 3) . " other sizes" if @k > 3; print join(", ", @top), "\n";'
}
INSPECT_PATH=/v1.41/containers/abc/json
ARCHIVE_PATH="/v1.41/containers/abc/archive?path=/big"
[[ $(framing "$DIRECT$INSPECT_PATH") == chunked ]] || die "nginx did not chunk $INSPECT_PATH"
[[ $(framing "$DIRECT$ARCHIVE_PATH") == chunked ]] || die "nginx did not chunk $ARCHIVE_PATH"
curl -fsS "$DIRECT$INSPECT_PATH" | cmp -s - "$tmp/www/containers.json" || die "chunked json differs from the file"
CHUNKS_INSPECT=$(chunk_sizes "$DIRECT$INSPECT_PATH")
CHUNKS_ARCHIVE=$(chunk_sizes "$DIRECT$ARCHIVE_PATH")
log "nginx chunks: inspect json $CHUNKS_INSPECT; archive $CHUNKS_ARCHIVE"

# ---------------------------------------------------------------- HAProxy with Tecnativa's rules
HA_PORT=$(free_port)
sed_args=(-e "s#@SOCKET@#$tmp/upstream.sock#g" -e "s#@PORT@#$HA_PORT#g" -e "s#@THREADS@#$HAPROXY_THREADS#g")
[[ $HAPROXY_LOG == 1 ]] && sed_args+=(-e 's/#@LOG@ //')
[[ $HAPROXY_SERVER_CLOSE == 1 ]] && sed_args+=(-e 's/#@SERVER_CLOSE@ //')
sed "${sed_args[@]}" "$here/haproxy.cfg.in" > "$tmp/haproxy.cfg"
# the image's defaults (Dockerfile ENV) with CONTAINERS=1 and ALLOW_ARCHIVE=1: GET only
HA_ENV="ALLOW_DELETE=0 ALLOW_EXEC=0 ALLOW_KILL=0 ALLOW_RESTARTS=0 ALLOW_STOP=0 ALLOW_START=0 AUTH=0 BUILD=0 COMMIT=0
  CONFIGS=0 CONTAINERS=1 DISTRIBUTION=0 EVENTS=1 EXEC=0 GRPC=0 IMAGES=0 INFO=0 NETWORKS=0 NODES=0 PING=1 PLUGINS=0
  POST=0 SECRETS=0 SERVICES=0 SESSION=0 SWARM=0 SYSTEM=0 TASKS=0 VERSION=1 VOLUMES=0 ALLOW_ARCHIVE=1"
HA_POLICY="CONTAINERS=1 ALLOW_ARCHIVE=1 (and the image's defaults PING=1 VERSION=1 EVENTS=1, POST=0)"
# shellcheck disable=SC2086
env -i PATH="$PATH" $HA_ENV "$HAPROXY_BIN" -c -q -f "$tmp/haproxy.cfg" 2> "$out_dir/haproxy.stderr.log" \
  || { cat "$out_dir/haproxy.stderr.log" >&2; die "haproxy config invalid"; }
# shellcheck disable=SC2086
env -i PATH="$PATH" $HA_ENV "$HAPROXY_BIN" -db -f "$tmp/haproxy.cfg" > /dev/null 2> "$out_dir/haproxy.stderr.log" &
HA_PID=$!
pids+=("$HA_PID")
HAPROXY=http://127.0.0.1:$HA_PORT
wait_http "$HAPROXY/_ping" 30 "$HA_PID" || { cat "$out_dir/haproxy.stderr.log" >&2; die "haproxy did not start"; }
HA_VERSION=$("$HAPROXY_BIN" -v 2>&1 | head -1 | awk '{ print $3 }')
curl -fsS "$HAPROXY/v1.41/containers/json" | cmp -s - "$tmp/www/containers.json" || die "haproxy json differs from direct"
curl -fsS "$HAPROXY$INSPECT_PATH" | cmp -s - "$tmp/www/containers.json" || die "haproxy chunked json differs from direct"
[[ $(curl -s -o /dev/null -w '%{http_code}' "$HAPROXY/secrets") == 403 ]] || die "haproxy did not deny /secrets"
[[ $(curl -s -o /dev/null -w '%{http_code}' -X POST "$HAPROXY/v1.41/containers/abc/wait") == 403 ]] \
  || die "haproxy did not deny a POST (the bench configures it GET only)"
RSS_HA_IDLE=$(rss_kb "$HA_PID")
log "haproxy $HA_VERSION pid $HA_PID on $HAPROXY ($HAPROXY_THREADS threads, log $HAPROXY_LOG, http-server-close $HAPROXY_SERVER_CLOSE), RSS $(mb "$RSS_HA_IDLE") MB"

# ---------------------------------------------------------------- proxy (throughput part)
forget_pid() { local keep=() q; for q in "${pids[@]}"; do [[ $q == "$1" ]] || keep+=("$q"); done; pids=("${keep[@]}"); }

start_proxy() { # NAME JAVA_HOME PORT UPSTREAM_SOCKET EXTRA_ARGS... ; policy from POLICY_ENV; sets STARTED_PID
  local name=$1 jhome=$2 port=$3 sock=$4
  shift 4
  # a clean environment: only the policy variables we set decide
  env -i PATH="$PATH" HOME="${HOME:-/tmp}" JAVA_HOME="$jhome" JAVA_EXTRA_OPTS="${PROXY_EXTRA_OPTS:-}" \
    DOCKER_SOCKET_PROXY_JAR="$JAR" ${POLICY_ENV} \
    "$LAUNCHER" --listen "tcp://127.0.0.1:$port" --upstream "unix://$sock" --log-level "$LOG_LEVEL" "$@" \
    > /dev/null 2> "$out_dir/$name.stderr.log" &
  STARTED_PID=$!
  pids+=("$STARTED_PID")
  if ! wait_http "http://127.0.0.1:$port/_ping" 60 "$STARTED_PID"; then
    cat "$out_dir/$name.stderr.log" >&2
    die "proxy $name did not start"
  fi
}

PROXY_PORT=$(free_port)
POLICY_ENV="CONTAINERS=1 POST=1 ALLOW_EXPORT=1 ALLOW_ARCHIVE=1 IMAGES=1"
POLICY_MAIN=$POLICY_ENV
PROXY_EXTRA_OPTS=${BENCH_PROXY_JAVA_OPTS:-}
start_proxy proxy "$MAIN_JAVA_HOME" "$PROXY_PORT" "$tmp/upstream.sock"
PROXY_EXTRA_OPTS=
PROXY_PID=$STARTED_PID
PROXY=http://127.0.0.1:$PROXY_PORT
sleep 2
RSS_IDLE=$(rss_kb "$PROXY_PID")
log "proxy pid $PROXY_PID on $PROXY (Java $MAIN_JAVA_MAJOR), idle RSS $(mb "$RSS_IDLE") MB"

# sanity: the proxy forwards what it should and denies /secrets
curl -fsS "$PROXY/v1.41/containers/json" | cmp -s - "$tmp/www/containers.json" || die "proxy json differs from direct"
[[ $(curl -s -o /dev/null -w '%{http_code}' "$PROXY/secrets") == 403 ]] || die "proxy did not deny /secrets"
curl -fsS "$PROXY$INSPECT_PATH" | cmp -s - "$tmp/www/containers.json" || die "proxy chunked json differs from direct"
FRAMING="direct $(framing "$DIRECT$INSPECT_PATH") / HAProxy $(framing "$HAPROXY$INSPECT_PATH") / proxy $(framing "$PROXY$INSPECT_PATH")"
FRAMING_ARCHIVE="direct $(framing "$DIRECT$ARCHIVE_PATH") / HAProxy $(framing "$HAPROXY$ARCHIVE_PATH") / proxy $(framing "$PROXY$ARCHIVE_PATH")"
CHUNKS_VIA="HAProxy $(chunk_sizes "$HAPROXY$ARCHIVE_PATH"); proxy $(chunk_sizes "$PROXY$ARCHIVE_PATH")"
log "framing seen by the client: inspect json $FRAMING; archive $FRAMING_ARCHIVE; archive chunks via $CHUNKS_VIA"

jit_warmup() { # URL_BASE: the launcher compiles with C2 once code has run 50,000 times; measure after that
  # In rounds, each with fresh connections: C2 compiles the request path during the first rounds, and the
  # first new connections after that make it drop the compiled code of paths it never saw taken (an
  # uncommon trap: connection set-up, close); it recompiles with them, so measured runs see final code.
  local base=$1 rounds=$JIT_ROUNDS i url method
  local secs=$(( (JIT_WARMUP + rounds - 1) / rounds ))
  log "JIT warm-up of $base: ${JIT_WARMUP}s of load in $rounds rounds (json, ping, denied, POST), fresh connections each"
  for (( i = 0; i < rounds; i++ )); do
    case $(( i % 4 )) in
      0) url="$base/v1.41/containers/json"; method=GET ;;
      1) url="$base/_ping"; method=GET ;;
      2) url="$base/secrets"; method=GET ;;
      3) url="$base/v1.41/containers/abc/wait"; method=POST ;;
    esac
    WRK_METHOD=$method wrk -t"$THREADS" -c"$CONNS" -d"${secs}s" -s "$here/report.lua" "$url" > /dev/null 2>&1 || true
  done
}
jit_warmup "$PROXY"

# ---------------------------------------------------------------- wrk
declare -A R # results: R[name.key]
run_once() { # NAME URL METHOD ROUND [PID]: one wrk run (after its own warm-up) into R[NAME.ROUND.key]; with a
  # PID, also that process's CPU time over the measured run (cpu_s) and the requests per CPU-second (rpcs)
  local name=$1 url=$2 method=$3 round=$4 pid=${5:-} line kv t0=0 t1=0 cpu=""
  WRK_METHOD=$method wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" -s "$here/report.lua" "$url" > /dev/null 2>&1 || true
  [[ -n $pid ]] && t0=$(cpu_ticks "$pid")
  WRK_METHOD=$method wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency -s "$here/report.lua" "$url" \
    > "$out_dir/wrk-$name.$round.txt" 2>&1 || die "wrk failed for $name (see $out_dir/wrk-$name.$round.txt)"
  [[ -n $pid ]] && t1=$(cpu_ticks "$pid")
  line=$(grep '^RESULT ' "$out_dir/wrk-$name.$round.txt") || die "no wrk result for $name"
  for kv in ${line#RESULT }; do R[$name.$round.${kv%%=*}]=${kv#*=}; done
  if [[ -n $pid ]]; then
    R[$name.$round.cpu_s]=$(awk -v t=$(( t1 - t0 )) -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", t / hz }')
    R[$name.$round.rpcs]=$(awk -v n="${R[$name.$round.requests]}" -v c="${R[$name.$round.cpu_s]}" 'BEGIN { printf "%.0f", (c > 0) ? n / c : 0 }')
    cpu=$(printf '  CPU %5s s, %6s req/CPU-s' "${R[$name.$round.cpu_s]}" "${R[$name.$round.rpcs]}")
  fi
  log "$(printf '%-17s %10s req/s  p50 %8s ms  p99 %8s ms  non-2xx %s  socket errors %s%s' "$name.$round" \
    "${R[$name.$round.rps]}" "${R[$name.$round.p50_ms]}" "${R[$name.$round.p99_ms]}" \
    "${R[$name.$round.status_errors]}" "${R[$name.$round.socket_errors]}" "$cpu")"
}
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
median_of() { # NAME KEY: the median of R[NAME.i.KEY] over the rounds
  local i; for (( i = 1; i <= ROUNDS; i++ )); do echo "${R[$1.$i.$2]}"; done | median
}
ratios_of() { # A B KEY: per round R[A.i.vs.B] = R[A.i.KEY] / R[B.i.KEY]; R[A.vs.B] their median, R[A.vs.B.s] the list
  local a=$1 b=$2 k=$3 i
  R[$a.vs.$b.s]=""
  for (( i = 1; i <= ROUNDS; i++ )); do
    R[$a.$i.vs.$b]=$(awk -v x="${R[$a.$i.$k]}" -v y="${R[$b.$i.$k]}" 'BEGIN { printf "%.3f", (y > 0) ? x / y : 0 }')
    R[$a.vs.$b.s]+="${R[$a.$i.vs.$b]} "
  done
  R[$a.vs.$b]=$(median_of "$a" "vs.$b")
}
rounds() { # DIRECT_NAME DIRECT_URL METHOD, then NAME URL PID for each peer: ROUNDS rounds of the direct run
  # and then each peer's run. A peer's ratio is the median of the rounds' ratios, each of its runs compared
  # with the direct run of the same round, so a machine that speeds up or slows down during the bench moves
  # both sides of a ratio. PID (may be empty) is the process whose CPU time a peer's run measures.
  local d=$1 durl=$2 method=$3 i j p k
  shift 3
  local peers=("$@")
  for (( i = 1; i <= ROUNDS; i++ )); do
    run_once "$d" "$durl" "$method" "$i"
    for (( j = 0; j < ${#peers[@]}; j += 3 )); do
      run_once "${peers[j]}" "${peers[j+1]}" "$method" "$i" "${peers[j+2]}"
    done
  done
  for (( j = -3; j < ${#peers[@]}; j += 3 )); do
    if (( j < 0 )); then p=$d; else p=${peers[j]}; fi
    for k in rps p50_ms p99_ms; do R[$p.$k]=$(median_of "$p" $k); done
    for k in status_errors socket_errors; do
      local sum=0
      for (( i = 1; i <= ROUNDS; i++ )); do sum=$(( sum + ${R[$p.$i.$k]:-0} )); done
      R[$p.$k]=$sum
    done
    (( j < 0 )) && continue
    [[ -n ${peers[j+2]} ]] && R[$p.rpcs]=$(median_of "$p" rpcs)
    ratios_of "$p" "$d" rps
    R[$p.ratio]=${R[$p.vs.$d]}; R[$p.ratios]=${R[$p.vs.$d.s]}
    log "$p: ratios to $d ${R[$p.ratios]}-> median ${R[$p.ratio]}"
  done
}
pair() { # PROXY_NAME PROXY_URL DIRECT_NAME DIRECT_URL METHOD [PID]: rounds of a direct run then a proxy run
  rounds "$3" "$4" "$5" "$1" "$2" "${6:-}"
}
trio() { # KIND PATH: rounds of direct, proxy and HAProxy runs of GET PATH, into direct-KIND, proxy-KIND, haproxy-KIND
  rounds "direct-$1" "$DIRECT$2" GET "proxy-$1" "$PROXY$2" "$PROXY_PID" "haproxy-$1" "$HAPROXY$2" "$HA_PID"
  ratios_of "proxy-$1" "haproxy-$1" rps
  log "proxy-$1: ratios to haproxy-$1 ${R[proxy-$1.vs.haproxy-$1.s]}-> median ${R[proxy-$1.vs.haproxy-$1]}"
}

sample_rss() { # PID OUTFILE: max VmRSS every 100 ms until killed
  local pid=$1 file=$2 max=0 r
  while kill -0 "$pid" 2>/dev/null; do
    r=$(rss_kb "$pid"); (( r > max )) && max=$r && echo "$max" > "$file"
    sleep 0.1
  done
}

rm -f "$out_dir"/wrk-*.txt "$out_dir"/archive-*.txt
log "wrk: $THREADS threads, $CONNS connections, ${WARMUP}s warm-up + ${DURATION}s per run, $ROUNDS rounds of direct then proxy (then HAProxy)"
trio ping /_ping
echo 0 > "$tmp/rss-load"
sample_rss "$PROXY_PID" "$tmp/rss-load" &
SAMPLER_PID=$!
pids+=("$SAMPLER_PID")
trio json /v1.41/containers/json
stop_pid "$SAMPLER_PID"
RSS_LOAD=$(cat "$tmp/rss-load")
pair proxy-denied "$PROXY/secrets" direct-ping-d "$DIRECT/_ping" GET "$PROXY_PID"
pair proxy-post "$PROXY/v1.41/containers/abc/wait" direct-post "$DIRECT/v1.41/containers/abc/wait" POST "$PROXY_PID"
# the chunked relay has its own hot path, compiled only after 50,000 chunked answers: warm it up the same way
log "JIT warm-up of the proxy's chunked path: ${CHUNKED_WARMUP}s of chunked json in $CHUNKED_ROUNDS runs, fresh connections each"
for (( i = 0; i < CHUNKED_ROUNDS; i++ )); do
  wrk -t"$THREADS" -c"$CONNS" -d"$(( (CHUNKED_WARMUP + CHUNKED_ROUNDS - 1) / CHUNKED_ROUNDS ))s" -s "$here/report.lua" \
    "$PROXY$INSPECT_PATH" > /dev/null 2>&1 || true
done
trio inspect "$INSPECT_PATH"


# ---------------------------------------------------------------- the same on Java 17 (platform threads), for information
RSS17_IDLE=0
if [[ -n $J17_HOME ]]; then
  P17_PORT=$(free_port)
  PROXY_EXTRA_OPTS=${BENCH_PROXY_JAVA_OPTS:-}
  start_proxy proxy17 "$J17_HOME" "$P17_PORT" "$tmp/upstream.sock"
  PROXY_EXTRA_OPTS=
  P17_PID=$STARTED_PID
  sleep 2
  RSS17_IDLE=$(rss_kb "$P17_PID")
  log "proxy pid $P17_PID on port $P17_PORT (Java $J17_MAJOR), idle RSS $(mb "$RSS17_IDLE") MB"
  jit_warmup "http://127.0.0.1:$P17_PORT"
  pair proxy17-ping "http://127.0.0.1:$P17_PORT/_ping" direct-ping17 "$DIRECT/_ping" GET "$P17_PID"
  pair proxy17-json "http://127.0.0.1:$P17_PORT/v1.41/containers/json" direct-json17 "$DIRECT/v1.41/containers/json" GET "$P17_PID"
  pair proxy17-denied "http://127.0.0.1:$P17_PORT/secrets" direct-ping17d "$DIRECT/_ping" GET "$P17_PID"
  stop_pid "$P17_PID"
fi

# ---------------------------------------------------------------- streams (1 GB download and upload)
download() { curl -fsS -o /dev/null -H 'Host: docker' -w '%{speed_download}\n' "$1/v1.41/containers/big/export"; }
upload() {
  curl -fsS -o /dev/null -H 'Host: docker' -H 'Expect:' -H 'Content-Type: application/x-tar' -X POST \
    -T "$tmp/www/big.tar" -w '%{speed_upload}\n' "$1/v1.41/images/load"
}
echo 0 > "$tmp/rss-stream"
sample_rss "$PROXY_PID" "$tmp/rss-stream" &
SAMPLER_PID=$!
pids+=("$SAMPLER_PID")
# warm-up: the first read of the sparse file fills the page cache (3-4x slower); the proxy's copy loop
# runs ~16,000 times per GB, so its JIT (C2 after 50,000 runs) needs a few downloads to compile it
download "$DIRECT" > /dev/null || die "direct download failed"
for _ in 1 2 3; do download "$PROXY" > /dev/null || die "proxy download failed"; done
for kind in download upload; do
  : > "$tmp/$kind-direct"; : > "$tmp/$kind-proxy"
  for _ in $(seq "$STREAM_REPEAT"); do
    $kind "$DIRECT" >> "$tmp/$kind-direct" || die "direct $kind failed"
    $kind "$PROXY" >> "$tmp/$kind-proxy" || die "proxy $kind failed"
  done
  R[direct-$kind.mbps]=$(median < "$tmp/$kind-direct" | awk '{ printf "%.0f", $1 / 1e6 }')
  R[proxy-$kind.mbps]=$(median < "$tmp/$kind-proxy" | awk '{ printf "%.0f", $1 / 1e6 }')
  log "$kind $STREAM_SIZE (median of $STREAM_REPEAT): direct ${R[direct-$kind.mbps]} MB/s, proxy ${R[proxy-$kind.mbps]} MB/s"
done
stop_pid "$SAMPLER_PID"
RSS_STREAM=$(cat "$tmp/rss-stream")

# ---------------------------------------------------------------- chunked download, three ways (after the streams,
# so that the relay's JIT state cannot move the download figure above)
download_seq() { # NAME URL PID ROUND: ARCHIVE_REPEAT downloads of the chunked archive, one after another on
  # one connection; R[NAME.ROUND.mbps] from the bytes over the transfers' summed time, and with a PID that
  # process's CPU time over the whole sequence (cpu_s) and the MB it moved per CPU-second (rpcs)
  local name=$1 url=$2 pid=$3 round=$4 args=() k t0=0 t1=0 res
  for (( k = 0; k < ARCHIVE_REPEAT; k++ )); do args+=(-o /dev/null "$url"); done
  [[ -n $pid ]] && t0=$(cpu_ticks "$pid")
  curl -fsS -H 'Host: docker' -w '%{http_code} %{size_download} %{time_total} %{num_connects}\n' "${args[@]}" \
    > "$out_dir/archive-$name.$round.txt" || die "$name download failed"
  [[ -n $pid ]] && t1=$(cpu_ticks "$pid")
  res=$(awk -v want="$ARCHIVE_BYTES" -v n="$ARCHIVE_REPEAT" '
    $1 != 200 || $2 != want { bad++ } { bytes += $2; secs += $3; conns += $4; lines++ }
    END { if (bad || lines != n) print "bad"; else printf "%.0f %d %d", bytes / secs / 1e6, bytes, conns }' \
    "$out_dir/archive-$name.$round.txt")
  [[ $res != bad ]] || die "$name: a download failed or was short (see $out_dir/archive-$name.$round.txt)"
  read -r R[$name.$round.mbps] R[$name.$round.bytes] R[$name.$round.conns] <<< "$res"
  R[$name.$round.rps]=${R[$name.$round.mbps]}
  if [[ -n $pid ]]; then
    R[$name.$round.cpu_s]=$(awk -v t=$(( t1 - t0 )) -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", t / hz }')
    R[$name.$round.rpcs]=$(awk -v b="${R[$name.$round.bytes]}" -v c="${R[$name.$round.cpu_s]}" 'BEGIN { printf "%.0f", (c > 0) ? b / 1e6 / c : 0 }')
  fi
  log "$(printf '%-17s %6s MB/s  (%s x %s, %s connection(s))%s' "$name.$round" "${R[$name.$round.mbps]}" \
    "$ARCHIVE_REPEAT" "$ARCHIVE_SIZE" "${R[$name.$round.conns]}" \
    "$( [[ -n $pid ]] && printf '  CPU %s s, %s MB/CPU-s' "${R[$name.$round.cpu_s]}" "${R[$name.$round.rpcs]}")")"
}
log "chunked download: $ARCHIVE_REPEAT x $ARCHIVE_SIZE per run, $ROUNDS rounds of direct, proxy, HAProxy"
# warm-up: the proxy's chunk relay runs once per 32 KiB chunk and its JIT compiles after 50,000 runs
# (1,600 chunks per 50 MB: the proxy gets 100,000 chunks or more before its measured runs)
download_seq direct-archive "$DIRECT$ARCHIVE_PATH" "" 0
for (( i = 0; i * ARCHIVE_REPEAT * ARCHIVE_BYTES < 100000 * 32768; i++ )); do
  download_seq proxy-archive "$PROXY$ARCHIVE_PATH" "$PROXY_PID" 0
done
download_seq haproxy-archive "$HAPROXY$ARCHIVE_PATH" "$HA_PID" 0
for (( i = 1; i <= ROUNDS; i++ )); do
  download_seq direct-archive "$DIRECT$ARCHIVE_PATH" "" "$i"
  download_seq proxy-archive "$PROXY$ARCHIVE_PATH" "$PROXY_PID" "$i"
  download_seq haproxy-archive "$HAPROXY$ARCHIVE_PATH" "$HA_PID" "$i"
done
for p in direct-archive proxy-archive haproxy-archive; do R[$p.rps]=$(median_of "$p" rps); done
for p in proxy-archive haproxy-archive; do
  R[$p.rpcs]=$(median_of "$p" rpcs)
  ratios_of "$p" direct-archive rps
  R[$p.ratio]=${R[$p.vs.direct-archive]}; R[$p.ratios]=${R[$p.vs.direct-archive.s]}
done
ratios_of proxy-archive haproxy-archive rps
log "archive: proxy/direct ${R[proxy-archive.ratio]} (${R[proxy-archive.ratios]}), haproxy/direct ${R[haproxy-archive.ratio]}, proxy/haproxy ${R[proxy-archive.vs.haproxy-archive]}"
RSS_PROXY_AFTER=$(rss_kb "$PROXY_PID")
RSS_HA_AFTER=$(rss_kb "$HA_PID")
HA_ERRORS=$(grep -ciE 'alert|error' "$out_dir/haproxy.stderr.log" || true)
stop_pid "$HA_PID"

PROXY_ERRORS=$(grep -ciE 'exception|error' "$out_dir/proxy.stderr.log" || true)
stop_pid "$PROXY_PID"

# ---------------------------------------------------------------- 10,000 idle /events streams (Java 21+)
EV_STATUS="skipped (no JDK 21+ found; set BENCH_JAVA21_HOME)"
EV_RSS_IDLE=0; EV_OOM=0; EV_RSS=0; EV_THREADS=0; EV_OPENED=0; EV_ERRORS=0; EV_OPEN_AT_END=0; EV_PROXY_ERRORS=0
if [[ -n $J21_HOME ]]; then
  need=$(( 2 * STREAMS + 200 )) # the proxy holds a client and a daemon socket per stream
  if (( $(ulimit -n) < need )); then
    if [[ $(ulimit -Hn) != unlimited ]] && (( $(ulimit -Hn) < need )); then
      ulimit -Hn "$need" 2>/dev/null || true # root (CAP_SYS_RESOURCE) may raise the hard limit
    fi
    ulimit -n "$need" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
  fi
  if (( $(ulimit -n) < need )); then
    STREAMS=$(( ($(ulimit -n) - 200) / 2 ))
    log "open-file limit $(ulimit -n) is too low for 2 x streams; reduced to $STREAMS streams"
  fi
  log "idle /events streams: $STREAMS through the proxy (launcher flags + JAVA_EXTRA_OPTS='$EVENTS_EXTRA_OPTS')"
  log "idle /events streams: $STREAMS through the proxy on Java $J21_MAJOR to the test kit's fake daemon (ulimit -n $(ulimit -n))"
  "$J21_HOME/bin/java" -Xss256k -XX:+UseSerialGC -jar "$FAKE_JAR" --listen "unix://$tmp/fake.sock" \
    > "$tmp/fake.out" 2> "$out_dir/fake-daemon.stderr.log" &
  FAKE_PID=$!
  pids+=("$FAKE_PID")
  for _ in $(seq 300); do [[ -S $tmp/fake.sock ]] && break; sleep 0.1; done
  [[ -S $tmp/fake.sock ]] || die "fake daemon did not start"
  EV_PORT=$(free_port)
  POLICY_ENV="" # Tecnativa defaults: EVENTS, PING, VERSION
  PROXY_EXTRA_OPTS=$EVENTS_EXTRA_OPTS
  start_proxy proxy-events "$J21_HOME" "$EV_PORT" "$tmp/fake.sock" --max-connections $((STREAMS + 100))
  PROXY_EXTRA_OPTS=
  EV_PID=$STARTED_PID
  sleep 2
  EV_RSS_IDLE=$(rss_kb "$EV_PID")
  hold=$(( quick == 1 ? 4 : 8 ))
  "$J21_HOME/bin/java" -Xss256k "$here/EventsHold.java" 127.0.0.1 "$EV_PORT" "$STREAMS" "$hold" 32 \
    > "$out_dir/events-hold.txt" 2>&1 < /dev/null &
  HOLD_PID=$!
  pids+=("$HOLD_PID")
  for _ in $(seq 1800); do grep -q '^HOLDING' "$out_dir/events-hold.txt" && break; kill -0 "$HOLD_PID" 2>/dev/null || break; sleep 0.1; done
  if grep -q '^HOLDING' "$out_dir/events-hold.txt"; then
    EV_OPENED=$(sed -n 's/^HOLDING opened=\([0-9]*\).*/\1/p' "$out_dir/events-hold.txt")
    EV_ERRORS=$(sed -n 's/^HOLDING.* errors=\([0-9]*\).*/\1/p' "$out_dir/events-hold.txt")
    sleep 2
    for _ in 1 2 3 4; do
      r=$(rss_kb "$EV_PID"); (( r > EV_RSS )) && EV_RSS=$r
      t=$(threads_of "$EV_PID"); (( t > EV_THREADS )) && EV_THREADS=$t
      sleep 0.5
    done
    wait "$HOLD_PID" || true
    forget_pid "$HOLD_PID"
    EV_OPEN_AT_END=$(sed -n 's/^DONE open=\([0-9]*\).*/\1/p' "$out_dir/events-hold.txt")
    EV_STATUS="ok"
  else
    log "the events client did not get its streams open (see $out_dir/events-hold.txt, $out_dir/proxy-events.stderr.log)"
    stop_pid "$HOLD_PID"
    EV_STATUS="failed"
  fi
  EV_PROXY_ERRORS=$(grep -ciE 'exception|outofmemory|error' "$out_dir/proxy-events.stderr.log" || true)
  EV_OOM=$(grep -c 'OutOfMemoryError' "$out_dir/proxy-events.stderr.log" || true)
  stop_pid "$EV_PID"
  stop_pid "$FAKE_PID"
fi

# ---------------------------------------------------------------- report
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r + 0 >= t + 0) ? "PASS" : "MISS" }'; }
row() { # LABEL PROXY_NAME DIRECT_NAME TARGET
  local label=$1 p=$2 d=$3 target=$4 r v
  r=$(printf '%.2f' "${R[$p.ratio]}")
  if [[ $target == - ]]; then v="(info)"; t="–"; else v=$(verdict "$r" "$target"); t="≥ ${target}x"; fi
  printf '| %s | %.0f | %.0f | **%sx** | %s | %s | %s / %s | %s / %s |\n' "$label" "${R[$d.rps]}" "${R[$p.rps]}" \
    "$r" "$t" "$v" "${R[$d.p50_ms]}" "${R[$p.p50_ms]}" "${R[$d.p99_ms]}" "${R[$p.p99_ms]}"
}
mem_verdict() { awk -v v="$1" -v lim="$2" 'BEGIN { print (v / 1024 <= lim) ? "PASS" : "MISS" }'; }
three_row() { # LABEL KIND: direct, HAProxy, proxy; their ratios; the peers' work per CPU-second
  local k=$2
  printf '| %s | %.0f | %.0f | %.0f | %.2fx | **%.2fx** | **%.2fx** | %s | %s |\n' "$1" "${R[direct-$k.rps]}" \
    "${R[haproxy-$k.rps]}" "${R[proxy-$k.rps]}" "${R[haproxy-$k.ratio]}" "${R[proxy-$k.ratio]}" \
    "${R[proxy-$k.vs.haproxy-$k]}" "${R[haproxy-$k.rpcs]}" "${R[proxy-$k.rpcs]}"
}
onoff() { [[ $1 == 1 ]] && echo on || echo off; }

dl_ratio=$(ratio "${R[proxy-download.mbps]}" "${R[direct-download.mbps]}")
ul_ratio=$(ratio "${R[proxy-upload.mbps]}" "${R[direct-upload.mbps]}")
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git -C "$root" status --porcelain -- proxy-core proxy-cli 2>/dev/null | grep -q . && echo " (+ local changes)" || true)
ev_ok="MISS"
if [[ $EV_STATUS == ok && $EV_OPENED == "$STREAMS" && $EV_ERRORS == 0 && $EV_OPEN_AT_END == "$STREAMS" \
      && $EV_PROXY_ERRORS == 0 && $(mem_verdict "$EV_RSS" 512) == PASS && ${J21_MAJOR:-0} -ge 21 ]]; then
  ev_ok="PASS"
  (( STREAMS >= 10000 )) || ev_ok="ok at $STREAMS (target is for 10,000)"
fi

{
  echo "# docker-socket-proxy benchmark"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), commit $commit$dirty$( [[ $quick == 1 ]] && echo ', **--quick** (smoke run, not for comparison)'); $(nproc) CPUs ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM."
  echo "Upstream: $("$NGINX" -v 2>&1 | sed 's/.*: //') ($NGINX_WORKERS worker) on a UNIX socket; direct = the same nginx on loopback TCP."
  echo "Proxy: \`docker-socket-proxy.jar\` (built $JAR_BUILT) via the launcher's JVM flags, Java $MAIN_JAVA_MAJOR$( (( MAIN_JAVA_MAJOR >= 21 )) && echo " (virtual threads)") (\`$MAIN_JAVA_HOME\`)${BENCH_PROXY_JAVA_OPTS:+ + \`JAVA_EXTRA_OPTS=$BENCH_PROXY_JAVA_OPTS\`}, \`--log-level $LOG_LEVEL\` (access log to /dev/null), policy \`$POLICY_MAIN\`."
  echo "HAProxy: $HA_VERSION (Debian), \`bench/haproxy.cfg.in\`: Tecnativa's docker-socket-proxy rules and defaults, $HAPROXY_THREADS threads, \`option http-server-close\` $(onoff "$HAPROXY_SERVER_CLOSE"), per-request log $(onoff "$HAPROXY_LOG"), policy $HA_POLICY."
  echo "Load: \`wrk -t$THREADS -c$CONNS -d${DURATION}s --latency\` after a ${WARMUP}s warm-up, over loopback TCP, $ROUNDS rounds of (direct run, proxy run[, HAProxy run]) per request kind: req/s and latencies are medians over the rounds, a ratio is the median of the rounds' ratios. Each proxy first warmed up with ${JIT_WARMUP}s of load in $JIT_ROUNDS runs with fresh connections (JIT). JSON body $JSON_BYTES bytes. Latencies in ms."
  echo
  echo "| Request | Direct req/s | Proxy req/s | Ratio | Target | Result | p50 direct / proxy | p99 direct / proxy |"
  echo "|---|---:|---:|---:|---|---|---|---|"
  row "GET /_ping" proxy-ping direct-ping 0.4
  row "GET /v1.41/containers/json" proxy-json direct-json 0.55
  row "GET /secrets (denied 403) vs direct ping" proxy-denied direct-ping-d 0.5
  row "POST /v1.41/containers/abc/wait" proxy-post direct-post -
  if [[ -n $J17_HOME ]]; then
    row "Java $J17_MAJOR (platform threads): GET /_ping" proxy17-ping direct-ping17 -
    row "Java $J17_MAJOR: GET /v1.41/containers/json" proxy17-json direct-json17 -
    row "Java $J17_MAJOR: GET /secrets (denied) vs direct ping" proxy17-denied direct-ping17d -
  fi
  echo
  if (( ROUNDS > 1 )); then
    echo "Each round's ratio: ping ${R[proxy-ping.ratios]}· json ${R[proxy-json.ratios]}· denied ${R[proxy-denied.ratios]}· POST ${R[proxy-post.ratios]}$( [[ -n $J17_HOME ]] && echo "· Java $J17_MAJOR ping ${R[proxy17-ping.ratios]}· json ${R[proxy17-json.ratios]}· denied ${R[proxy17-denied.ratios]}")."
    echo
  fi
  echo "Three ways, same nginx, same run (HAProxy with Tecnativa's rules; see above). Requests: the wrk runs above (median of $ROUNDS); the chunked download: $ARCHIVE_REPEAT x $ARCHIVE_SIZE with curl, one after another on one connection, MB/s and MB per CPU-second, median of $ROUNDS. Before the chunked-json rounds the proxy got ${CHUNKED_WARMUP}s of chunked json (JIT), before the downloads at least 100,000 chunks. Per CPU-second: requests (or MB) over the process's user + system CPU time (\`/proc/PID/stat\`) during the measured run."
  echo
  echo "| Request | Direct | HAProxy | Proxy | HAProxy ÷ direct | Proxy ÷ direct | Proxy ÷ HAProxy | HAProxy per CPU-s | Proxy per CPU-s |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  three_row "GET /_ping (req/s)" ping
  three_row "GET /v1.41/containers/json, $JSON_BYTES B, Content-Length (req/s)" json
  three_row "GET $INSPECT_PATH, $JSON_BYTES B, chunked (req/s)" inspect
  three_row "GET /v1.41/containers/abc/archive, $ARCHIVE_SIZE chunked (MB/s; MB per CPU-s)" archive
  echo
  echo "p50 / p99 ms, direct · HAProxy · proxy: ping ${R[direct-ping.p50_ms]}/${R[direct-ping.p99_ms]} · ${R[haproxy-ping.p50_ms]}/${R[haproxy-ping.p99_ms]} · ${R[proxy-ping.p50_ms]}/${R[proxy-ping.p99_ms]}; json ${R[direct-json.p50_ms]}/${R[direct-json.p99_ms]} · ${R[haproxy-json.p50_ms]}/${R[haproxy-json.p99_ms]} · ${R[proxy-json.p50_ms]}/${R[proxy-json.p99_ms]}; chunked json ${R[direct-inspect.p50_ms]}/${R[direct-inspect.p99_ms]} · ${R[haproxy-inspect.p50_ms]}/${R[haproxy-inspect.p99_ms]} · ${R[proxy-inspect.p50_ms]}/${R[proxy-inspect.p99_ms]}."
  if (( ROUNDS > 1 )); then
    echo "Each round, proxy ÷ HAProxy: ping ${R[proxy-ping.vs.haproxy-ping.s]}· json ${R[proxy-json.vs.haproxy-json.s]}· chunked json ${R[proxy-inspect.vs.haproxy-inspect.s]}· download ${R[proxy-archive.vs.haproxy-archive.s]}; HAProxy ÷ direct: ping ${R[haproxy-ping.ratios]}· json ${R[haproxy-json.ratios]}· chunked json ${R[haproxy-inspect.ratios]}· download ${R[haproxy-archive.ratios]}; proxy ÷ direct: chunked json ${R[proxy-inspect.ratios]}· download ${R[proxy-archive.ratios]}."
  fi
  echo "Chunked answers from nginx (chunks x bytes): chunked json $CHUNKS_INSPECT, download $CHUNKS_ARCHIVE; the client got chunked json as $FRAMING, the download as $FRAMING_ARCHIVE; download chunks through $CHUNKS_VIA."
  echo
  echo "| VmRSS | Proxy | HAProxy |"
  echo "|---|---:|---:|"
  echo "| idle after start | $(mb "$RSS_IDLE") MB | $(mb "$RSS_HA_IDLE") MB |"
  echo "| after load (end of the chunked downloads) | $(mb "$RSS_PROXY_AFTER") MB | $(mb "$RSS_HA_AFTER") MB |"
  echo
  echo "| Stream ($STREAM_SIZE, curl, median of $STREAM_REPEAT) | Direct MB/s | Proxy MB/s | Ratio | Target | Result |"
  echo "|---|---:|---:|---:|---|---|"
  echo "| download \`GET /containers/big/export\` | ${R[direct-download.mbps]} | ${R[proxy-download.mbps]} | **${dl_ratio}x** | ≥ 0.9x | $(verdict "$dl_ratio" 0.9) |"
  echo "| upload \`POST /images/load\` | ${R[direct-upload.mbps]} | ${R[proxy-upload.mbps]} | **${ul_ratio}x** | – | (info) |"
  echo
  echo "| Proxy memory (VmRSS) | Value | Target | Result |"
  echo "|---|---:|---|---|"
  echo "| idle after start, Java $MAIN_JAVA_MAJOR | $(mb "$RSS_IDLE") MB | ≤ 48 MB | $(mem_verdict "$RSS_IDLE" 48) |"
  [[ -n $J17_HOME ]] && echo "| idle after start, Java $J17_MAJOR | $(mb "$RSS17_IDLE") MB | ≤ 48 MB | $(mem_verdict "$RSS17_IDLE" 48) |"
  echo "| under load (max during the json run) | $(mb "$RSS_LOAD") MB | – | (info) |"
  echo "| during the $STREAM_SIZE streams (max) | $(mb "$RSS_STREAM") MB | – | (info) |"
  if [[ $EV_STATUS == ok ]]; then
    echo "| $STREAMS idle \`/events\` streams, Java $J21_MAJOR (virtual threads; $EV_THREADS OS threads) | $(mb "$EV_RSS") MB | < 512 MB, no errors | $ev_ok |"
    echo
    [[ $STREAMS != "$REQ_STREAMS" ]] && echo "Streams: **$STREAMS instead of $REQ_STREAMS**: the open-file hard limit here is $(ulimit -Hn) and the proxy needs two descriptors per stream (client and daemon)."
    echo "Streams proxy JVM: launcher flags + \`JAVA_EXTRA_OPTS=$EVENTS_EXTRA_OPTS\`."
    echo "Streams: opened $EV_OPENED/$STREAMS, client errors $EV_ERRORS, still open after the hold $EV_OPEN_AT_END/$STREAMS, error lines in the proxy's stderr $EV_PROXY_ERRORS."
  elif [[ $EV_STATUS == failed ]]; then
    echo "| $STREAMS idle \`/events\` streams, Java $J21_MAJOR | failed: the client could not open them; $EV_PROXY_ERRORS error lines in the proxy's stderr ($EV_OOM OutOfMemoryError) | < 512 MB, no errors | MISS |"
    echo
    echo "Streams proxy JVM: launcher flags + \`JAVA_EXTRA_OPTS=$EVENTS_EXTRA_OPTS\`."
  else
    echo "| idle \`/events\` streams | $EV_STATUS | | |"
  fi
  echo "Non-2xx responses: ping ${R[proxy-ping.status_errors]}, json ${R[proxy-json.status_errors]}, chunked json ${R[proxy-inspect.status_errors]}, post ${R[proxy-post.status_errors]}, denied ${R[proxy-denied.status_errors]} (all 403 expected); socket errors: ping ${R[proxy-ping.socket_errors]}, json ${R[proxy-json.socket_errors]}, chunked json ${R[proxy-inspect.socket_errors]}, denied ${R[proxy-denied.socket_errors]}, post ${R[proxy-post.socket_errors]}; error lines in the proxy's stderr: $PROXY_ERRORS."
  echo "HAProxy: non-2xx ping ${R[haproxy-ping.status_errors]}, json ${R[haproxy-json.status_errors]}, chunked json ${R[haproxy-inspect.status_errors]}; socket errors ping ${R[haproxy-ping.socket_errors]}, json ${R[haproxy-json.socket_errors]}, chunked json ${R[haproxy-inspect.socket_errors]}; alert/error lines in its stderr: $HA_ERRORS. Direct: socket errors ping ${R[direct-ping.socket_errors]}, json ${R[direct-json.socket_errors]}, chunked json ${R[direct-inspect.socket_errors]}."
} | tee "$out_dir/results.md"
log "written $out_dir/results.md (raw wrk output and proxy logs in $out_dir)"
