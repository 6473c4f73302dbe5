# shellcheck shell=bash
# Build and the three Isthmus services (nfvo, vnfm, vim) for ./nfv. Sourced, not run.

service_jar() { echo "$ISTHMUS_HOME/$1/target/quarkus-app/quarkus-run.jar"; }

build_artifacts() {
  local s
  for s in "${SERVICES[@]}"; do service_jar "$s"; done
  echo "$ISTHMUS_HOME/vnf-runtime/target/isthmus-vnf-runtime.jar"
}

# Prints why a build is needed, or nothing when the packaged artifacts are newer than every source.
build_reason() {
  local a oldest=''
  while read -r a; do
    [[ -f $a ]] || { echo "${a#"$ISTHMUS_HOME"/} is missing"; return; }
    if [[ -z $oldest || $a -ot $oldest ]]; then oldest=$a; fi
  done < <(build_artifacts)
  local newer
  newer=$(cd "$ISTHMUS_HOME" && find . -path ./.git -prune -o -path '*/target' -prune -o -path ./.isthmus -prune -o \
    -type f \( -path '*/src/*' -o -name pom.xml -o -path './build/*' \) -newer "$oldest" -print 2>/dev/null | head -n1)
  [[ -n $newer ]] && echo "${newer#./} changed since the last build"
}

build_if_needed() {
  local why t0 log=$LOG_DIR/build.log
  why=$(build_reason)
  if [[ -z $why ]]; then
    step "Build: up to date"
    return 0
  fi
  local s running=()
  for s in "${SERVICES[@]}"; do read_pid "$s" >/dev/null && running+=("$s"); done
  if ((${#running[@]})); then
    # the build rewrites the jars they run from: stop them, services_up starts the new build
    step "Build needed: stopping ${running[*]} first"
    services_down
  fi
  t0=$(now)
  step "Build: $why; building (mvn -DskipTests install, a few minutes the first time; log $log)"
  if ! mvn_run -B -ntp -DskipTests install >"$log" 2>&1; then
    grep -E '^\[ERROR\]' "$log" | head -n 40 >&2
    tail -n 15 "$log" >&2
    die "the build failed (log: $log)"
  fi
  local a
  while read -r a; do
    [[ -f $a ]] || die "the build did not produce ${a#"$ISTHMUS_HOME"/} (log: $log)"
  done < <(build_artifacts)
  ok "built ($(since "$t0"))"
}

service_healthy() { http_ok "$(service_url "$1")/q/health/ready"; }

# Starts a service unless it runs; does not wait.
service_start() {
  local name=$1 port jar log pid
  port=$(service_port "$name")
  jar=$(service_jar "$name")
  log=$LOG_DIR/$name.log
  if pid=$(read_pid "$name"); then
    say "  $name already started (pid $pid)"
    return 0
  fi
  if port_open 127.0.0.1 "$port"; then
    if service_healthy "$name"; then
      say "  $name already running on port $port (not started by this ./nfv)"
      return 0
    fi
    die "port $port (for $name) is taken by something else: stop it or set ISTHMUS_${name^^}_PORT"
  fi
  [[ -f $jar ]] || die "$jar is missing: build first (mvn -DskipTests install)"
  # each service gets its own Keycloak client secret (through the environment: never on a command line) and no
  # other's; the VIM none (the VNF processes it starts inherit its environment)
  (
    unset ISTHMUS_SOL_CLIENT_SECRET ISTHMUS_NFVO_CLIENT_SECRET ISTHMUS_VNFM_CLIENT_SECRET ISTHMUS_CALLBACK_SECRETS_KEY \
      ISTHMUS_NFVO_SECRETS_KEY ISTHMUS_VNFM_SECRETS_KEY
    # and its own key for the secrets of VNF configurations (config_secrets_keys)
    case $name in
      nfvo) export ISTHMUS_NFVO_CLIENT_SECRET=$NFVO_CLIENT_SECRET ISTHMUS_NFVO_SECRETS_KEY=$NFVO_SECRETS_KEY ;;
      vnfm) export ISTHMUS_VNFM_CLIENT_SECRET=$VNFM_CLIENT_SECRET ISTHMUS_VNFM_SECRETS_KEY=$VNFM_SECRETS_KEY ;;
    esac
    case $name in
      nfvo | vnfm) [[ -z ${CALLBACK_SECRETS_KEY:-} ]] || export ISTHMUS_CALLBACK_SECRETS_KEY=$CALLBACK_SECRETS_KEY ;;
      # fastpaths take VXLAN on every address, so the VPC lab's namespaces (./nfv lab) reach them
      vim) export ISTHMUS_VIM_DATA_BIND=${ISTHMUS_VIM_DATA_BIND:-0.0.0.0} ;;
    esac
    cd "$RUN_DIR" || exit 1
    # shellcheck disable=SC2086
    exec setsid "$JAVA" ${ISTHMUS_JAVA_OPTS:-} -jar "$jar" </dev/null >"$log" 2>&1 9>&-
  ) &
  echo $! >"$PID_DIR/$name.pid"
}

services_up() {
  export_isthmus_env
  local s t0
  t0=$(now)
  step "Services: starting ${SERVICES[*]} (logs in $LOG_DIR)"
  for s in "${SERVICES[@]}"; do
    service_start "$s"
  done
  for s in "${SERVICES[@]}"; do
    if read_pid "$s" >/dev/null || ! service_healthy "$s"; then
      wait_until "$s" "$s ($(service_url "$s"))" "$WAIT_SECONDS" "$LOG_DIR/$s.log" service_healthy "$s" \
        || die "$s did not become healthy (log: $LOG_DIR/$s.log; ./nfv down stops the rest)"
    fi
  done
}

services_down() {
  local s
  # callers first, the VIM (which stops the VNF processes it started) last
  for s in "${SERVICES[@]}"; do
    stop_pid "$s" 20 && ok "$s stopped"
  done
  return 0
}

services_status() {
  local s pid url
  for s in "${SERVICES[@]}"; do
    url=$(service_url "$s")
    if pid=$(read_pid "$s"); then
      if service_healthy "$s"; then
        printf '%-10s running    %s  (pid %s, log %s)\n' "$s" "$url" "$pid" "$LOG_DIR/$s.log"
      else
        printf '%-10s starting   %s  (pid %s, not ready; log %s)\n' "$s" "$url" "$pid" "$LOG_DIR/$s.log"
      fi
    elif service_healthy "$s"; then
      printf '%-10s running    %s  (not started by this ./nfv)\n' "$s" "$url"
    else
      printf '%-10s stopped\n' "$s"
    fi
  done
}
