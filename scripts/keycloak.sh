# shellcheck shell=bash disable=SC2034
# Keycloak for ./nfv. Sourced, not run.
#
# The distribution (org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip from Maven Central) is unpacked once into
# $CACHE_DIR and shared; each work directory has its own Keycloak home ($RUN_DIR/keycloak: data, H2 database,
# import directory) through -Dkc.home.dir. The realm deploy/keycloak/isthmus-realm.json is imported at start, with
# the client secrets of the work directory ($SECRETS_FILE, made at the first start) in place of its ${...}
# placeholders; when that rendered realm changed since the last import, the H2 database is dropped so that the new
# realm is imported. Setting ISTHMUS_OIDC_URL uses that realm instead and starts nothing: the services' client secrets
# then come from the environment (ISTHMUS_NFVO_CLIENT_SECRET, ISTHMUS_VNFM_CLIENT_SECRET).

KC_ADMIN_USER="admin"
# what $SECRETS_FILE holds: each confidential client's secret (the realm's placeholder of the same name), and the
# password of Keycloak's admin (who can read them all)
KC_SECRET_NAMES=(ISTHMUS_SOL_CLIENT_SECRET ISTHMUS_NFVO_CLIENT_SECRET ISTHMUS_VNFM_CLIENT_SECRET ISTHMUS_KC_ADMIN_PASSWORD)

# 256 random bits, base64url without padding
kc_random_secret() {
  head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'
}

# Makes $SECRETS_FILE (mode 600) with a new secret for each of KC_SECRET_NAMES.
kc_make_secrets() {
  local name tmp
  tmp=$(umask 077 && mktemp "$SECRETS_FILE.XXXXXX") || die "cannot write $SECRETS_FILE"
  {
    say "# Made by ./nfv at the first start of Keycloak in this work directory, and used by every later one; ./nfv clean"
    say "# removes it. The client secrets of the realm isthmus, and the password of Keycloak's user $KC_ADMIN_USER."
    for name in "${KC_SECRET_NAMES[@]}"; do
      say "$name=$(kc_random_secret)"
    done
  } >"$tmp"
  mv "$tmp" "$SECRETS_FILE" || die "cannot write $SECRETS_FILE"
  ok "new client secrets in $SECRETS_FILE"
}

# Sets the secrets' variables (SOL_CLIENT_SECRET, NFVO_CLIENT_SECRET, VNFM_CLIENT_SECRET, KC_ADMIN_PASSWORD): from
# $SECRETS_FILE, made on the first call, or with ISTHMUS_OIDC_URL from the environment.
kc_secrets() {
  if [[ -n $USER_OIDC_URL ]]; then
    SOL_CLIENT_SECRET=${ISTHMUS_SOL_CLIENT_SECRET:-}
    NFVO_CLIENT_SECRET=${ISTHMUS_NFVO_CLIENT_SECRET:-}
    VNFM_CLIENT_SECRET=${ISTHMUS_VNFM_CLIENT_SECRET:-}
    [[ -n $NFVO_CLIENT_SECRET && -n $VNFM_CLIENT_SECRET ]] \
      || die "with ISTHMUS_OIDC_URL set, set ISTHMUS_NFVO_CLIENT_SECRET and ISTHMUS_VNFM_CLIENT_SECRET too: the secrets of the clients isthmus-nfvo and isthmus-vnfm in that realm"
    config_secrets_keys
    return 0
  fi
  [[ -f $SECRETS_FILE ]] || kc_make_secrets
  kc_read_secrets || die "$SECRETS_FILE lacks a secret: remove it (./nfv clean) to make new ones"
  callback_secrets_key
  config_secrets_keys
}

# Sets CALLBACK_SECRETS_KEY: the AES-256 key (standard base64) the nfvo and the vnfm seal subscribers' passwords with
# at rest (isthmus.callbacks.secrets-key), kept in $SECRETS_FILE; added to a file made before there was one. With
# ISTHMUS_OIDC_URL set it comes from ISTHMUS_CALLBACK_SECRETS_KEY, if given.
callback_secrets_key() {
  local name value
  CALLBACK_SECRETS_KEY=${ISTHMUS_CALLBACK_SECRETS_KEY:-}
  [[ -n $USER_OIDC_URL ]] && return 0
  CALLBACK_SECRETS_KEY=''
  while IFS='=' read -r name value; do
    [[ $name == ISTHMUS_CALLBACK_SECRETS_KEY ]] && CALLBACK_SECRETS_KEY=$value
  done <"$SECRETS_FILE"
  if [[ -z $CALLBACK_SECRETS_KEY ]]; then
    CALLBACK_SECRETS_KEY=$(head -c 32 /dev/urandom | base64 | tr -d '\n')
    (umask 077 && say "ISTHMUS_CALLBACK_SECRETS_KEY=$CALLBACK_SECRETS_KEY" >>"$SECRETS_FILE") \
      || die "cannot write $SECRETS_FILE"
  fi
}

# Sets NFVO_SECRETS_KEY and VNFM_SECRETS_KEY: the AES-256 keys (standard base64) the nfvo and the vnfm each seal the
# secrets of VNF configurations with at rest (isthmus.<service>.secrets.key; the values a VNF type's schema marks
# writeOnly). Each from the environment (ISTHMUS_NFVO_SECRETS_KEY, ISTHMUS_VNFM_SECRETS_KEY) if given, else from
# $SECRETS_FILE, else made and added to it: a key must outlive the services, or what they sealed cannot be opened.
config_secrets_keys() {
  local service var name value key
  for service in NFVO VNFM; do
    var=ISTHMUS_${service}_SECRETS_KEY
    key=${!var:-}
    if [[ -z $key && -f $SECRETS_FILE ]]; then
      while IFS='=' read -r name value; do
        [[ $name == "$var" ]] && key=$value
      done <"$SECRETS_FILE"
    fi
    if [[ -z $key ]]; then
      key=$(head -c 32 /dev/urandom | base64 | tr -d '\n')
      (umask 077 && say "$var=$key" >>"$SECRETS_FILE") || die "cannot write $SECRETS_FILE"
    fi
    printf -v "${service}_SECRETS_KEY" '%s' "$key"
  done
}

# Reads $SECRETS_FILE (name=value lines, no shell evaluation); 1 when one is missing.
kc_read_secrets() {
  local name value
  SOL_CLIENT_SECRET='' NFVO_CLIENT_SECRET='' VNFM_CLIENT_SECRET='' KC_ADMIN_PASSWORD=''
  [[ -r $SECRETS_FILE ]] || return 1
  while IFS='=' read -r name value; do
    case $name in
      ISTHMUS_SOL_CLIENT_SECRET) SOL_CLIENT_SECRET=$value ;;
      ISTHMUS_NFVO_CLIENT_SECRET) NFVO_CLIENT_SECRET=$value ;;
      ISTHMUS_VNFM_CLIENT_SECRET) VNFM_CLIENT_SECRET=$value ;;
      ISTHMUS_KC_ADMIN_PASSWORD) KC_ADMIN_PASSWORD=$value ;;
    esac
  done <"$SECRETS_FILE"
  [[ -n $SOL_CLIENT_SECRET && -n $NFVO_CLIENT_SECRET && -n $VNFM_CLIENT_SECRET && -n $KC_ADMIN_PASSWORD ]] || return 1
  # they go into JSON and sed as they are: base64url characters only
  [[ "$SOL_CLIENT_SECRET$NFVO_CLIENT_SECRET$VNFM_CLIENT_SECRET$KC_ADMIN_PASSWORD" =~ ^[A-Za-z0-9_-]+$ ]] \
    || die "$SECRETS_FILE: a secret has other characters than A-Z a-z 0-9 - _"
}

# The realm file with the secrets in place of its placeholders, on stdout.
kc_render_realm() {
  sed -e "s|\${ISTHMUS_SOL_CLIENT_SECRET}|$SOL_CLIENT_SECRET|g" \
    -e "s|\${ISTHMUS_NFVO_CLIENT_SECRET}|$NFVO_CLIENT_SECRET|g" \
    -e "s|\${ISTHMUS_VNFM_CLIENT_SECRET}|$VNFM_CLIENT_SECRET|g" "$REALM_FILE"
}

# Whether the realm gives each confidential client a token for its secret (sent on stdin, never on a command line):
# 0 yes, 1 it refuses one (4xx), 2 no clear answer (a Keycloak too busy to answer is not restarted for that)
kc_accepts_secrets() {
  local client secret code
  for client in sol-client:"$SOL_CLIENT_SECRET" isthmus-nfvo:"$NFVO_CLIENT_SECRET" isthmus-vnfm:"$VNFM_CLIENT_SECRET"; do
    secret=${client#*:}
    [[ -n $secret ]] || continue
    code=$(printf 'grant_type=client_credentials&client_id=%s&client_secret=%s' "${client%%:*}" "$secret" \
      | curl -sS -o /dev/null -w '%{http_code}' --max-time 20 --data-binary @- \
        "$OIDC_URL/protocol/openid-connect/token" 2>/dev/null)
    case $code in
      200) ;;
      4??) return 1 ;;
      *) return 2 ;;
    esac
  done
}

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
  local realm=$KC_HOME/data/import/isthmus-realm.json
  (umask 077 && kc_render_realm >"$realm.new") || die "cannot write $realm"
  grep -q '\${ISTHMUS_' "$realm.new" && die "$REALM_FILE has a placeholder ./nfv has no secret for: $(grep -o '\${ISTHMUS_[A-Z_]*}' "$realm.new" | head -n1)"
  mv "$realm.new" "$realm"
  sum=$(cksum <"$realm" | cut -d' ' -f1)
  [[ -f $KC_HOME/data/realm.cksum ]] && old=$(<"$KC_HOME/data/realm.cksum")
  if [[ $sum != "$old" ]]; then
    # a new realm file or new secrets: start from an empty database so that --import-realm imports it (and the
    # admin user is made again, with the password of $SECRETS_FILE)
    rm -rf "$KC_HOME/data/h2" "$KC_HOME/data/transaction-logs"
  fi
  printf '%s\n' "$sum" >"$KC_HOME/data/realm.cksum"
}

# Starts Keycloak if it is not running. Sets KC_STARTED=1 when this call started it.
kc_up() {
  KC_STARTED=0
  kc_secrets
  if [[ -n $USER_OIDC_URL ]]; then
    step "Keycloak: using ISTHMUS_OIDC_URL=$OIDC_URL"
    http_ok "$OIDC_URL/.well-known/openid-configuration" || warn "$OIDC_URL does not answer (yet)"
    return 0
  fi
  if kc_healthy; then
    local accepted=0
    kc_accepts_secrets || accepted=$?
    if [[ $accepted != 1 ]]; then
      step "Keycloak: already running on 127.0.0.1:$KC_PORT"
      [[ $accepted == 0 ]] || warn "could not check that Keycloak takes the client secrets of $SECRETS_FILE (no answer)"
      return 0
    fi
    read_pid keycloak >/dev/null \
      || die "the Keycloak on 127.0.0.1:$KC_PORT (not started by this ./nfv) refuses the client secrets of $SECRETS_FILE: stop it or set ISTHMUS_KC_PORT"
    # started here before the secrets of $SECRETS_FILE (an older realm, or secrets changed by hand): import anew, and
    # stop the services started with the old secrets (./nfv up starts them again)
    step "Keycloak: its realm has other client secrets than $SECRETS_FILE: restarting it to import the realm again"
    services_down
    kc_down
    rm -f "$KC_HOME/data/realm.cksum"
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
    # the admin's password through the environment, never on a command line
    (
      export KC_BOOTSTRAP_ADMIN_USERNAME=$KC_ADMIN_USER KC_BOOTSTRAP_ADMIN_PASSWORD=$KC_ADMIN_PASSWORD
      unset ISTHMUS_SOL_CLIENT_SECRET ISTHMUS_NFVO_CLIENT_SECRET ISTHMUS_VNFM_CLIENT_SECRET
      exec setsid "$KC_DIST/bin/kc.sh" start-dev "-Dkc.home.dir=$KC_HOME" --import-realm \
        --http-host=127.0.0.1 --http-port="$KC_PORT" --http-management-port="$KC_MGMT_PORT" \
        --hostname="http://127.0.0.1:$KC_PORT" --health-enabled=true \
        </dev/null >"$log" 2>&1 9>&-
    ) &
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
  local accepted=0
  kc_accepts_secrets || accepted=$?
  [[ $accepted != 1 ]] || die "Keycloak refuses the client secrets of $SECRETS_FILE (log: $log; ./nfv down, then again)"
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
      say "keycloak   running    $OIDC_URL  (pid $pid, admin console http://127.0.0.1:$KC_PORT/admin $KC_ADMIN_USER, password in $SECRETS_FILE)"
    else
      say "keycloak   starting   $OIDC_URL  (pid $pid, not ready)"
    fi
  elif kc_healthy; then
    say "keycloak   running    $OIDC_URL  (not started by this ./nfv)"
  else
    say "keycloak   stopped"
  fi
}
