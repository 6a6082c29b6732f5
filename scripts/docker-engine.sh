#!/usr/bin/env bash
# Start and stop a REAL Docker Engine (Debian's docker.io) on a private UNIX socket,
# with networking off and no registry ever contacted, for the project's end-to-end tests.
#
#   scripts/docker-engine.sh install        install what is missing of docker.io, busybox-static, curl and Debian's
#                                           docker-compose + python3-docker (waits for another apt/dpkg to finish)
#   scripts/docker-engine.sh start DIR      start dockerd on unix://DIR/docker.sock, import local/busybox:latest,
#                                           print DOCKER_HOST=unix://DIR/docker.sock
#   scripts/docker-engine.sh stop DIR       remove all containers, stop dockerd by its PID, unmount, delete DIR
#   scripts/docker-engine.sh status DIR     exit 0 when the engine in DIR answers /_ping, 3 otherwise
#
# Everything the engine writes lives under DIR (socket, pid file, data root, exec root, log).
# Processes are only ever signalled by the PIDs recorded under DIR, never by name.
# Environment:
#   DOCKER_ENGINE_START_TIMEOUT   seconds to wait for /_ping after launching dockerd (default 30)
#   DOCKER_ENGINE_STOP_TIMEOUT    seconds to wait for dockerd to exit after SIGTERM (default 20)
#   DOCKER_CLI                    docker client used for import/rm (default /usr/local/bin/docker, else PATH)
#   DOCKERD                       dockerd binary (default: dockerd from PATH)
#   APT_LOCK_TIMEOUT              seconds install waits for another apt-get/dpkg holding the locks (default 600)
set -euo pipefail

readonly IMAGE="local/busybox:latest"
readonly MARKER=".docker-engine-dir"
readonly MAX_DIR_LEN=64   # DIR/exec/containerd/containerd.sock.ttrpc must fit in sun_path (108 bytes)

PATH="$PATH:/usr/sbin:/sbin"

log() { printf 'docker-engine: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

usage() {
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

now_ms() { date +%s%3N; }

docker_cli() {
  if [[ -n "${DOCKER_CLI:-}" ]]; then echo "$DOCKER_CLI"
  elif [[ -x /usr/local/bin/docker ]]; then echo /usr/local/bin/docker
  else command -v docker || die "no docker client found"
  fi
}

# Absolute, normalised DIR; refuses empty, "/" and paths too long for UNIX sockets.
resolve_dir() {
  local d="${1:-}"
  [[ -n "$d" ]] || die "missing DIR argument"
  d="$(realpath -m -- "$d")"
  [[ "$d" != "/" ]] || die "refusing to use / as the engine directory"
  (( ${#d} <= MAX_DIR_LEN )) \
    || die "DIR '$d' is ${#d} bytes; keep it <= $MAX_DIR_LEN (UNIX socket paths are limited to ~100 bytes)"
  printf '%s' "$d"
}

# Alive = exists and is not a zombie (a dead child not yet reaped still answers kill -0).
pid_alive() {
  [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null || return 1
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [[ "${stat:0:1}" != Z ]]
}

# The PID of the dockerd recorded in DIR (its own pid file, else the one we launched).
dockerd_pid() {
  local dir="$1" pid=""
  if [[ -s "$dir/docker.pid" ]]; then pid="$(<"$dir/docker.pid")"
  elif [[ -s "$dir/launcher.pid" ]]; then pid="$(<"$dir/launcher.pid")"
  fi
  [[ "$pid" =~ ^[0-9]+$ ]] && printf '%s' "$pid"
  return 0
}

# True when PID is alive AND its command line mentions DIR (guards against PID reuse).
pid_belongs_to() {
  local pid="$1" dir="$2" cmd
  pid_alive "$pid" || return 1
  cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmd" == *"$dir"* ]]
}

ping_ok() {
  local dir="$1"
  [[ -S "$dir/docker.sock" ]] || return 1
  [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 \
        --unix-socket "$dir/docker.sock" http://docker/_ping 2>/dev/null)" == 200 ]]
}

log_tail() {
  local dir="$1"
  if [[ -f "$dir/dockerd.log" ]]; then
    log "---- last 40 lines of $dir/dockerd.log ----"
    tail -n 40 "$dir/dockerd.log" >&2 || true
    log "---- end of dockerd.log ----"
  else
    log "(no $dir/dockerd.log)"
  fi
}

# Wait until PID is gone, polling, for at most $2 seconds. Returns 1 if still alive.
wait_gone() {
  local pid="$1" deadline=$(( $(now_ms) + $2 * 1000 ))
  while pid_alive "$pid"; do
    (( $(now_ms) < deadline )) || return 1
    sleep 0.1
  done
  return 0
}

# True when the Debian package is installed (not just unpacked or removed with its config left).
deb_installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

# PIDs holding (or queued for) a lock on FILE, read from /proc/locks; nothing when it is free.
lock_holders() {
  local f="$1" dev maj min ino pid devino a b c
  [[ -e "$f" ]] || return 0
  read -r dev ino < <(stat -c '%D %i' -- "$f" 2>/dev/null) || return 0
  dev=$(( 16#$dev )); maj=$(( (dev >> 8) & 0xfff )); min=$(( (dev & 0xff) | ((dev >> 12) & 0xfff00) ))
  while read -r pid devino; do
    IFS=: read -r a b c <<<"$devino"
    if (( 16#$a == maj && 16#$b == min && c == ino )); then echo "$pid"; fi
  done < <(awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^[0-9a-f]+:[0-9a-f]+:[0-9]+$/) { print $(i-1), $i; break } }' \
             /proc/locks 2>/dev/null)
}

# Another apt-get/dpkg (e.g. a concurrent install of the same packages) holds the package locks:
# wait for it, polling, for at most APT_LOCK_TIMEOUT seconds (default 600). Returns 1 on timeout.
wait_for_apt() {
  local timeout="${APT_LOCK_TIMEOUT:-600}" deadline holders="" said="" f
  deadline=$(( $(now_ms) + timeout * 1000 ))
  while :; do
    holders=""
    for f in /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock /var/cache/apt/archives/lock; do
      holders+="$(lock_holders "$f" | tr '\n' ' ')"
    done
    [[ -n "${holders// /}" ]] || return 0
    if [[ "$said" != "$holders" ]]; then
      log "waiting for the apt/dpkg lock (held by pid ${holders% }), up to ${timeout}s"
      said="$holders"
    fi
    (( $(now_ms) < deadline )) || { log "apt/dpkg lock still held after ${timeout}s (pid ${holders% })"; return 1; }
    sleep 0.5
  done
}

apt_get() {
  wait_for_apt || true   # apt-get then waits itself (DPkg::Lock::Timeout) or fails naming the holder
  apt-get -o "DPkg::Lock::Timeout=${APT_LOCK_TIMEOUT:-600}" "$@"
}

cmd_install() {
  local need=()
  command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
  [[ -x /bin/busybox ]] || need+=(busybox-static)
  command -v curl >/dev/null 2>&1 || need+=(curl)   # start polls /_ping with curl --unix-socket
  # Debian's docker-compose 1.29 (python) and its Docker SDK: the admission e2e tests drive it through the proxy
  deb_installed docker-compose && [[ -x /usr/bin/docker-compose ]] || need+=(docker-compose)
  deb_installed python3-docker || need+=(python3-docker)
  if (( ${#need[@]} == 0 )); then
    log "dockerd, /bin/busybox and docker-compose already present: $(dockerd --version 2>/dev/null || echo '?');" \
        "docker-compose $(/usr/bin/docker-compose version --short 2>/dev/null || echo '?')"
    return 0
  fi
  export DEBIAN_FRONTEND=noninteractive
  local apt_opts=(-y -q --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  # Refresh the package lists only when they can't provide what we need.
  local p have_all=1
  for p in "${need[@]}"; do
    apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [^(]' || have_all=0
  done
  if (( have_all == 0 )); then
    log "apt-get update"
    apt_get update -q || { log "apt-get update failed; retrying once"; apt_get update -q; }
  fi
  log "apt-get install ${need[*]}"
  if ! apt_get install "${apt_opts[@]}" "${need[@]}"; then
    log "install failed; retrying once after apt-get update"
    apt_get update -q
    apt_get install "${apt_opts[@]}" "${need[@]}"
  fi
  command -v dockerd >/dev/null 2>&1 || die "dockerd still missing after install"
  [[ -x /bin/busybox ]] || die "/bin/busybox still missing after install"
  [[ -x /usr/bin/docker-compose ]] && deb_installed python3-docker \
    || die "docker-compose (/usr/bin/docker-compose) or python3-docker still missing after install"
  /usr/bin/docker-compose version --short >/dev/null 2>&1 || die "/usr/bin/docker-compose does not run"
  log "installed: $(dockerd --version); docker-compose $(/usr/bin/docker-compose version --short)"
}

# Build the offline busybox image from the static /bin/busybox and import it.
import_busybox() {
  local dir="$1" host="unix://$1/docker.sock" cli rootfs
  cli="$(docker_cli)"
  export DOCKER_CONFIG="$dir/cli-config"
  mkdir -p "$DOCKER_CONFIG"
  if DOCKER_HOST="$host" "$cli" image inspect "$IMAGE" >/dev/null 2>&1; then
    return 0
  fi
  [[ -x /bin/busybox ]] || die "/bin/busybox missing (run: $0 install)"
  rootfs="$dir/rootfs"
  rm -rf -- "$rootfs"
  mkdir -p "$rootfs"/{usr/bin,etc,root,tmp,proc,sys,dev}
  chmod 1777 "$rootfs/tmp"
  cp /bin/busybox "$rootfs/usr/bin/busybox"
  local applet
  for applet in $(/bin/busybox --list); do
    [[ "$applet" == busybox ]] || ln -sf busybox "$rootfs/usr/bin/$applet"
  done
  ln -s usr/bin "$rootfs/bin"
  ln -s usr/bin "$rootfs/sbin"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
  tar -C "$rootfs" --numeric-owner --owner=0 --group=0 -cf - . \
    | DOCKER_HOST="$host" "$cli" import --change 'CMD ["/bin/sh"]' - "$IMAGE" >/dev/null \
    || die "docker import of $IMAGE failed"
  rm -rf -- "$rootfs"
  log "imported $IMAGE"
}

cmd_start() {
  local dir; dir="$(resolve_dir "${1:-}")"
  local timeout="${DOCKER_ENGINE_START_TIMEOUT:-30}"
  local dockerd_bin="${DOCKERD:-$(command -v dockerd || true)}"
  [[ -n "$dockerd_bin" ]] || die "dockerd not found (run: $0 install)"
  command -v curl >/dev/null 2>&1 || die "curl not found"

  local pid; pid="$(dockerd_pid "$dir" 2>/dev/null || true)"
  if [[ -d "$dir" ]] && pid_belongs_to "$pid" "$dir" && ping_ok "$dir"; then
    log "already running (pid $pid)"
    import_busybox "$dir"
    echo "DOCKER_HOST=unix://$dir/docker.sock"
    return 0
  fi
  if [[ -d "$dir" ]] && pid_belongs_to "$pid" "$dir"; then
    die "a dockerd (pid $pid) for $dir is running but not answering; run: $0 stop $dir"
  fi

  mkdir -p "$dir"
  : >"$dir/$MARKER"
  rm -f -- "$dir/docker.pid" "$dir/launcher.pid" "$dir/docker.sock"
  local t0; t0="$(now_ms)"
  # dockerd gets its own session; its output goes to the log so that nothing
  # (e.g. a JVM reading our stdout) waits on pipes held by the daemon.
  setsid "$dockerd_bin" --host "unix://$dir/docker.sock" --data-root "$dir/data" \
    --exec-root "$dir/exec" --pidfile "$dir/docker.pid" \
    --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
    --bridge=none --storage-driver=vfs --shutdown-timeout 2 \
    >"$dir/dockerd.log" 2>&1 </dev/null &
  local launched=$!
  echo "$launched" >"$dir/launcher.pid"

  local deadline=$(( t0 + timeout * 1000 ))
  until ping_ok "$dir"; do
    if ! pid_alive "$launched" && ! pid_alive "$(dockerd_pid "$dir")"; then
      log "dockerd exited during startup"
      log_tail "$dir"
      cmd_stop "$dir" >/dev/null 2>&1 || true
      exit 1
    fi
    if (( $(now_ms) >= deadline )); then
      log "dockerd did not answer /_ping on $dir/docker.sock within ${timeout}s"
      log_tail "$dir"
      cmd_stop "$dir" >/dev/null 2>&1 || true
      exit 1
    fi
    sleep 0.05
  done
  local t1; t1="$(now_ms)"
  log "dockerd (pid $(dockerd_pid "$dir")) answered /_ping after $(( t1 - t0 )) ms"
  if ! import_busybox "$dir"; then
    log_tail "$dir"
    cmd_stop "$dir" >/dev/null 2>&1 || true
    exit 1
  fi
  log "engine ready after $(( $(now_ms) - t0 )) ms"
  echo "DOCKER_HOST=unix://$dir/docker.sock"
}

remove_containers() {
  local dir="$1" cli ids
  cli="$(docker_cli)"
  export DOCKER_CONFIG="$dir/cli-config"
  mkdir -p "$DOCKER_CONFIG"
  ids="$(DOCKER_HOST="unix://$dir/docker.sock" timeout 20 "$cli" ps -aq 2>/dev/null || true)"
  if [[ -n "$ids" ]]; then
    # shellcheck disable=SC2086
    DOCKER_HOST="unix://$dir/docker.sock" timeout 60 "$cli" rm -f -v $ids >/dev/null 2>&1 \
      || log "warning: could not remove all containers"
  fi
}

# Unmount everything still mounted under DIR, deepest first.
unmount_under() {
  local dir="$1" m
  local mounts
  mounts="$(awk -v d="$dir" '{ gsub(/\\040/, " ", $5); if ($5 == d || index($5, d "/") == 1) print $5 }' \
            /proc/self/mountinfo | sort -r)"
  [[ -n "$mounts" ]] || return 0
  while IFS= read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "warning: could not unmount $m"
  done <<<"$mounts"
}

cmd_stop() {
  local dir; dir="$(resolve_dir "${1:-}")"
  local timeout="${DOCKER_ENGINE_STOP_TIMEOUT:-20}"
  if [[ ! -e "$dir" ]]; then
    log "$dir does not exist; nothing to stop"
    return 0
  fi
  [[ -d "$dir" && -e "$dir/$MARKER" ]] \
    || die "$dir is not an engine directory made by this script (no $MARKER); not touching it"

  local pid; pid="$(dockerd_pid "$dir")"
  if pid_belongs_to "$pid" "$dir"; then
    ping_ok "$dir" && remove_containers "$dir"
    log "stopping dockerd pid $pid"
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_gone "$pid" "$timeout"; then
      log "dockerd pid $pid still alive after ${timeout}s; SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      wait_gone "$pid" 10 || die "dockerd pid $pid survived SIGKILL"
    fi
  fi
  # Anything else that recorded its PID under DIR (the managed containerd, shims)
  # and is still alive: stop it by that PID.
  local f p
  while IFS= read -r -d '' f; do
    p="$(tr -dc '0-9' <"$f" 2>/dev/null || true)"
    if [[ -n "$p" ]] && pid_belongs_to "$p" "$dir"; then
      log "stopping leftover pid $p ($f)"
      kill -TERM "$p" 2>/dev/null || true
      wait_gone "$p" 5 || { kill -KILL "$p" 2>/dev/null || true; wait_gone "$p" 5 || true; }
    fi
  done < <(find "$dir" -xdev -name '*.pid' -type f -print0 2>/dev/null)

  unmount_under "$dir"
  rm -rf --one-file-system -- "$dir" || die "could not delete $dir"
  log "stopped and removed $dir"
}

cmd_status() {
  local dir; dir="$(resolve_dir "${1:-}")"
  local pid; pid="$(dockerd_pid "$dir" 2>/dev/null || true)"
  if [[ -d "$dir" ]] && pid_belongs_to "$pid" "$dir" && ping_ok "$dir"; then
    echo "running pid=$pid DOCKER_HOST=unix://$dir/docker.sock"
    return 0
  elif [[ -d "$dir" ]] && pid_belongs_to "$pid" "$dir"; then
    echo "starting-or-unresponsive pid=$pid"
    return 3
  fi
  echo "stopped"
  return 3
}

main() {
  local cmd="${1:-}"
  shift || true
  case "$cmd" in
    install) cmd_install ;;
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    status) cmd_status "$@" ;;
    -h|--help|help|"") usage ;;
    *) log "unknown command: $cmd"; usage ;;
  esac
}

main "$@"
