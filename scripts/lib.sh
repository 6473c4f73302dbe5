# shellcheck shell=bash disable=SC2034
# Common settings and helpers of ./nfv. Sourced, not run.
#
# Every default can be overridden from the environment (see ./nfv help):
#   ISTHMUS_RUN_DIR        work directory: PostgreSQL data, logs, pid files   (/tmp/isthmus-$(id -u))
#   ISTHMUS_CACHE_DIR      downloads kept between runs (Keycloak)             (${XDG_CACHE_HOME:-$HOME/.cache}/isthmus)
#   ISTHMUS_PG             auto | system | embedded                           (auto)
#   ISTHMUS_PG_PORT        port of the PostgreSQL that ./nfv starts          (54329)
#   ISTHMUS_DB_URL         set it (with ISTHMUS_DB_USER/_PASSWORD) to use your own server: nothing is started
#   ISTHMUS_KC_PORT        Keycloak HTTP port                                 (8180)
#   ISTHMUS_KC_MGMT_PORT   Keycloak management (health) port                  (ISTHMUS_KC_PORT + 1000)
#   ISTHMUS_OIDC_URL       set it to use your own Keycloak realm: Keycloak is not started (then set
#                          ISTHMUS_NFVO_CLIENT_SECRET and ISTHMUS_VNFM_CLIENT_SECRET, the secrets of that realm's clients)
#   ISTHMUS_NFVO_PORT, ISTHMUS_VNFM_PORT, ISTHMUS_VIM_PORT                    (8081, 8082, 8083)
#   ISTHMUS_VIM_RUNTIME   the VNF runtime jar            (<repo>/vnf-runtime/target/isthmus-vnf-runtime.jar)
#   ISTHMUS_WAIT_SECONDS   how long to wait for a component to become healthy (180)

KC_VERSION=26.5.6
ZONKY_VERSION=2.2.2
ZONKY_PG_VERSION=17.11.0
MAVEN_MIN=3.8.7
SERVICES=(nfvo vnfm vim)

# ---------------------------------------------------------------- output

if [[ -t 1 ]]; then
  C_B=$'\e[1m' C_G=$'\e[32m' C_Y=$'\e[33m' C_R=$'\e[31m' C_0=$'\e[0m'
else
  C_B='' C_G='' C_Y='' C_R='' C_0=''
fi
say()  { printf '%s\n' "$*"; }
step() { printf '%s==>%s %s\n' "$C_B" "$C_0" "$*"; }
ok()   { printf '  %sok%s %s\n' "$C_G" "$C_0" "$*"; }
warn() { printf '  %swarning:%s %s\n' "$C_Y" "$C_0" "$*" >&2; }
die()  { printf '%snfv: %s%s\n' "$C_R" "$*" "$C_0" >&2; exit 1; }

# seconds since the epoch with decimals, and an elapsed time since such a mark
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

# ---------------------------------------------------------------- settings

nfv_settings() {
  ISTHMUS_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  RUN_DIR=${ISTHMUS_RUN_DIR:-/tmp/isthmus-$(id -u)}
  CACHE_DIR=${ISTHMUS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/isthmus}
  LOG_DIR=$RUN_DIR/logs
  PID_DIR=$RUN_DIR/pids
  WAIT_SECONDS=${ISTHMUS_WAIT_SECONDS:-180}

  # what the user brought: an external PostgreSQL and/or Keycloak is used as it is
  USER_DB_URL=${ISTHMUS_DB_URL:-}
  USER_OIDC_URL=${ISTHMUS_OIDC_URL:-}

  PG_MODE=${ISTHMUS_PG:-auto}
  PG_PORT=${ISTHMUS_PG_PORT:-54329}
  DB_USER=${ISTHMUS_DB_USER:-isthmus}
  DB_PASSWORD=${ISTHMUS_DB_PASSWORD:-isthmus}
  DB_URL=${USER_DB_URL:-jdbc:postgresql://127.0.0.1:$PG_PORT}
  DATABASES=(nfvo vnfm vim nfvo_test vnfm_test vim_test)

  KC_PORT=${ISTHMUS_KC_PORT:-8180}
  KC_MGMT_PORT=${ISTHMUS_KC_MGMT_PORT:-$((KC_PORT + 1000))}
  OIDC_URL=${USER_OIDC_URL:-http://127.0.0.1:$KC_PORT/realms/isthmus}
  KC_DIST=$CACHE_DIR/keycloak-$KC_VERSION
  KC_HOME=$RUN_DIR/keycloak
  REALM_FILE=$ISTHMUS_HOME/deploy/keycloak/isthmus-realm.json
  # the realm's client secrets and Keycloak's admin password, made for this work directory (scripts/keycloak.sh)
  SECRETS_FILE=$RUN_DIR/secrets.env

  NFVO_PORT=${ISTHMUS_NFVO_PORT:-8081}
  VNFM_PORT=${ISTHMUS_VNFM_PORT:-8082}
  VIM_PORT=${ISTHMUS_VIM_PORT:-8083}
  NFVO_URL=${ISTHMUS_NFVO_URL:-http://127.0.0.1:$NFVO_PORT}
  VNFM_URL=${ISTHMUS_VNFM_URL:-http://127.0.0.1:$VNFM_PORT}
  VIM_URL=${ISTHMUS_VIM_URL:-http://127.0.0.1:$VIM_PORT}
  VIM_RUNTIME=${ISTHMUS_VIM_RUNTIME:-$ISTHMUS_HOME/vnf-runtime/target/isthmus-vnf-runtime.jar}
}

# The environment every Isthmus process and test sees (docs/contracts.md).
export_isthmus_env() {
  export ISTHMUS_DB_URL=$DB_URL ISTHMUS_DB_USER=$DB_USER ISTHMUS_DB_PASSWORD=$DB_PASSWORD
  export ISTHMUS_OIDC_URL=$OIDC_URL
  export ISTHMUS_NFVO_URL=$NFVO_URL ISTHMUS_VNFM_URL=$VNFM_URL ISTHMUS_VIM_URL=$VIM_URL
  export ISTHMUS_NFVO_PORT=$NFVO_PORT ISTHMUS_VNFM_PORT=$VNFM_PORT ISTHMUS_VIM_PORT=$VIM_PORT
  export ISTHMUS_VIM_RUNTIME=$VIM_RUNTIME
  export ISTHMUS_RUN_DIR=$RUN_DIR
}

# The secrets of the services' Keycloak clients (kc_up sets them), for the tests, which get tokens as those services
# and start them; ./nfv up gives each service only its own (service_start).
export_client_secrets() {
  export ISTHMUS_NFVO_CLIENT_SECRET=$NFVO_CLIENT_SECRET ISTHMUS_VNFM_CLIENT_SECRET=$VNFM_CLIENT_SECRET
  if [[ -n $SOL_CLIENT_SECRET ]]; then export ISTHMUS_SOL_CLIENT_SECRET=$SOL_CLIENT_SECRET; fi
}

service_port() {
  case $1 in nfvo) echo "$NFVO_PORT" ;; vnfm) echo "$VNFM_PORT" ;; vim) echo "$VIM_PORT" ;; esac
}
service_url() {
  case $1 in nfvo) echo "$NFVO_URL" ;; vnfm) echo "$VNFM_URL" ;; vim) echo "$VIM_URL" ;; esac
}

ensure_run_dir() {
  mkdir -p "$RUN_DIR" "$LOG_DIR" "$PID_DIR"
  # the postgres user (when we are root) must be able to reach its data directory below it
  [[ $(id -u) == 0 ]] && chmod 755 "$RUN_DIR" 2>/dev/null
  return 0
}

# ---------------------------------------------------------------- tools

java_major() { # <java binary> -> major version, or nothing
  "$1" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit }'
}

# JDK 25: JAVA_HOME if it is 25 or newer, else Temurin 25, else any /usr/lib/jvm/*25*.
find_java() {
  local cand
  for cand in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25*; do
    [[ -n $cand && -x $cand/bin/java && -x $cand/bin/javac ]] || continue
    local major
    major=$(java_major "$cand/bin/java")
    if [[ -n $major && $major -ge 25 ]]; then
      export JAVA_HOME=$cand
      JAVA=$cand/bin/java
      export PATH=$JAVA_HOME/bin:$PATH
      # Maven's own libraries still use sun.misc.Unsafe: keep JDK 25 from warning about it on every run
      [[ ${MAVEN_OPTS:-} == *sun-misc-unsafe* ]] || export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow"
      return 0
    fi
  done
  die "no JDK 25 found: install one (e.g. Temurin 25 into /usr/lib/jvm/temurin-25-jdk-amd64) or set JAVA_HOME to it"
}

version_ge() { # a >= b, dotted numbers
  [[ $(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1) == "$2" ]]
}

# mvn from PATH if it is >= 3.8.7, else the Maven Wrapper.
find_maven() {
  local v=''
  if command -v mvn >/dev/null 2>&1; then
    v=$(mvn -v 2>/dev/null | sed -n 's/\x1b\[[0-9;]*m//g; s/^Apache Maven \([0-9.]*\).*/\1/p' | head -n1)
  fi
  if [[ -n $v ]] && version_ge "$v" "$MAVEN_MIN"; then
    MVN=(mvn)
  else
    MVN=("$ISTHMUS_HOME/mvnw")
  fi
}

mvn_run() {
  local color=()
  [[ -t 1 ]] || color=(-Dstyle.color=never)
  (cd "$ISTHMUS_HOME" && exec "${MVN[@]}" "${color[@]}" "$@")
}

# ---------------------------------------------------------------- processes and ports

port_open() { # host port -> 0 when something accepts connections
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

http_ok() { # url -> 0 on a 2xx answer
  curl -fsS -o /dev/null --max-time 5 "$1" 2>/dev/null
}

pid_alive() { [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null; }

read_pid() { # name -> pid from its pid file, if that process is alive
  local f=$PID_DIR/$1.pid pid
  [[ -f $f ]] || return 1
  pid=$(<"$f")
  pid_alive "$pid" || return 1
  echo "$pid"
}

# Stops the process whose pid file is <name>: SIGTERM, then its process group, then SIGKILL after <grace> s.
stop_pid() { # name grace
  local name=$1 grace=${2:-20} pid i
  pid=$(read_pid "$name") || { rm -f "$PID_DIR/$name.pid"; return 1; }
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 4; i++)); do
    pid_alive "$pid" || break
    sleep 0.25
  done
  if pid_alive "$pid"; then
    warn "$name (pid $pid) still runs after ${grace}s: killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  # processes it started in its own session (./nfv starts everything with setsid) go with it
  if pgrep -g "$pid" >/dev/null 2>&1; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    sleep 1
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$PID_DIR/$name.pid"
  return 0
}

# Waits until <check command...> succeeds, while the process of pid file <name> lives.
wait_until() { # name what seconds log command...
  local name=$1 what=$2 secs=$3 log=$4 t0 pid
  shift 4
  t0=$(now)
  local deadline=$((SECONDS + secs))
  while ((SECONDS < deadline)); do
    if "$@"; then
      ok "$what ready ($(since "$t0"))"
      return 0
    fi
    if [[ -n $name ]] && ! pid=$(read_pid "$name"); then
      say "${C_R}$what exited while starting; last lines of $log:${C_0}" >&2
      tail -n 40 "$log" >&2 2>/dev/null || true
      return 1
    fi
    sleep 0.5
  done
  say "${C_R}$what not ready after ${secs}s; last lines of $log:${C_0}" >&2
  tail -n 40 "$log" >&2 2>/dev/null || true
  return 1
}

# One ./nfv at a time changes a work directory; the lock is held until the shell exits or unlock_run_dir.
lock_run_dir() {
  exec 9>"$RUN_DIR/.lock"
  if ! flock -n 9; then
    say "another ./nfv works in $RUN_DIR; waiting for it..."
    flock -w 900 9 || die "$RUN_DIR/.lock stays locked: is another ./nfv stuck? (fuser -v $RUN_DIR/.lock)"
  fi
}
unlock_run_dir() {
  flock -u 9 2>/dev/null || true
  exec 9>&-
}
