# shellcheck shell=bash disable=SC2034
# Keycloak for ./nfv. Sourced, not run.
#
# The distribution (org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip from Maven Central) is unpacked once into
# $CACHE_DIR and shared; each work directory has its own Keycloak home ($RUN_DIR/keycloak: data, H2 database,
# import directory) through -Dkc.home.dir. The realm deploy/keycloak/isthmus-realm.json is imported at start;
# when that file changed since the last import, the H2 database is dropped so that the new realm is imported.
# Setting ISTHMUS_OIDC_URL uses that realm instead and starts nothing.

KC_ADMIN_USER="admin"
KC_ADMIN_PASSWORD="admin"

kc_install() {
  [[ -f $KC_DIST/.complete ]] && return 0
  mkdir -p "$CACHE_DIR"
  (
    flock 8
    [[ -f $KC_DIST/.complete ]] && exit 0
    local t0 tmp zip
    t0=$(now)
    step "Keycloak: installing $KC_VERSION into $KC_DIST (once)"
    tmp=$(mktemp -d "$CACHE_DIR/.keycloak-XXXXXX")
    # shellcheck disable=SC2064
    trap "rm -rf '$tmp'" EXIT
    if ! (cd "$tmp" && "${MVN[@]}" -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip" -DoutputDirectory="$tmp" >"$tmp/fetch.log" 2>&1); then
      tail -n 20 "$tmp/fetch.log" >&2
      die "could not fetch org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip from Maven Central"
    fi
    zip=$tmp/keycloak-quarkus-dist-$KC_VERSION.zip
    if command -v unzip >/dev/null 2>&1; then
      unzip -q "$zip" -d "$tmp/x" || die "could not unpack $zip"
    else
      mkdir -p "$tmp/x" && (cd "$tmp/x" && "$JAVA_HOME/bin/jar" xf "$zip") || die "could not unpack $zip"
      chmod +x "$tmp"/x/keycloak-*/bin/*.sh
    fi
    rm -rf "$KC_DIST"
    mv "$tmp/x/keycloak-$KC_VERSION" "$KC_DIST"
    touch "$KC_DIST/.complete"
    ok "Keycloak $KC_VERSION installed ($(since "$t0"))"
  ) 8>"$CACHE_DIR/.keycloak.lock" || exit 1
}

# 0 when Keycloak answers healthy and serves the realm
kc_healthy() {
  http_ok "$OIDC_URL/.well-known/openid-configuration" || return 1
  [[ -n $USER_OIDC_URL ]] || http_ok "http://127.0.0.1:$KC_MGMT_PORT/health/ready"
}

kc_prepare_home() {
  local d sum old=''
  mkdir -p "$KC_HOME/data/import"
  for d in bin conf lib providers themes; do
    ln -sfn "$KC_DIST/$d" "$KC_HOME/$d"
  done
  sum=$(cksum <"$REALM_FILE" | cut -d' ' -f1)
  [[ -f $KC_HOME/data/realm.cksum ]] && old=$(<"$KC_HOME/data/realm.cksum")
  if [[ $sum != "$old" ]]; then
    # a new realm file: start from an empty database so that --import-realm imports it
    rm -rf "$KC_HOME/data/h2" "$KC_HOME/data/transaction-logs"
  fi
  cp "$REALM_FILE" "$KC_HOME/data/import/isthmus-realm.json"
  printf '%s\n' "$sum" >"$KC_HOME/data/realm.cksum"
}

# Starts Keycloak if it is not running. Sets KC_STARTED=1 when this call started it.
kc_up() {
  KC_STARTED=0
  if [[ -n $USER_OIDC_URL ]]; then
    step "Keycloak: using ISTHMUS_OIDC_URL=$OIDC_URL"
    http_ok "$OIDC_URL/.well-known/openid-configuration" || warn "$OIDC_URL does not answer (yet)"
    return 0
  fi
  if kc_healthy; then
    step "Keycloak: already running on 127.0.0.1:$KC_PORT"
    return 0
  fi
  local p
  for p in "$KC_PORT" "$KC_MGMT_PORT"; do
    if port_open 127.0.0.1 "$p" && ! read_pid keycloak >/dev/null; then
      die "port $p is taken by something else than a Keycloak serving the realm isthmus: stop it or set ISTHMUS_KC_PORT / ISTHMUS_KC_MGMT_PORT"
    fi
  done
  kc_install
  local log=$LOG_DIR/keycloak.log
  if ! read_pid keycloak >/dev/null; then
    step "Keycloak: starting on 127.0.0.1:$KC_PORT (management $KC_MGMT_PORT)"
    kc_prepare_home
    setsid env KC_BOOTSTRAP_ADMIN_USERNAME="$KC_ADMIN_USER" KC_BOOTSTRAP_ADMIN_PASSWORD="$KC_ADMIN_PASSWORD" \
      JAVA_HOME="$JAVA_HOME" "$KC_DIST/bin/kc.sh" start-dev "-Dkc.home.dir=$KC_HOME" --import-realm \
      --http-host=127.0.0.1 --http-port="$KC_PORT" --http-management-port="$KC_MGMT_PORT" \
      --hostname="http://127.0.0.1:$KC_PORT" --health-enabled=true \
      </dev/null >"$log" 2>&1 9>&- &
    echo $! >"$PID_DIR/keycloak.pid"
    KC_STARTED=1
  else
    step "Keycloak: started earlier, waiting for it"
  fi
  # the shared distribution is (re)built by the first start: one start at a time per cache
  (
    flock 8
    wait_until keycloak "Keycloak" "$WAIT_SECONDS" "$log" kc_healthy
  ) 8>"$CACHE_DIR/.keycloak.lock" || die "Keycloak did not start (log: $log)"
}

kc_down() {
  stop_pid keycloak 30 && ok "Keycloak stopped"
  return 0
}

kc_status() {
  local pid
  if [[ -n $USER_OIDC_URL ]]; then
    say "keycloak   external   $OIDC_URL (ISTHMUS_OIDC_URL)"
  elif pid=$(read_pid keycloak); then
    if kc_healthy; then
      say "keycloak   running    $OIDC_URL  (pid $pid, admin console http://127.0.0.1:$KC_PORT/admin $KC_ADMIN_USER/$KC_ADMIN_PASSWORD)"
    else
      say "keycloak   starting   $OIDC_URL  (pid $pid, not ready)"
    fi
  elif kc_healthy; then
    say "keycloak   running    $OIDC_URL  (not started by this ./nfv)"
  else
    say "keycloak   stopped"
  fi
}
