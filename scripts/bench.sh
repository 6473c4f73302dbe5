# shellcheck shell=bash
# ./nfv bench: build what is missing, run the data-plane benchmarks, write docs/benchmarks.md.
# Sourced by ./nfv (which has sourced lib.sh); can also be run on its own: scripts/bench.sh
#
#   1, 2  JMH: io.isthmus.e2e.bench.jmh.FlowTableLookupBenchmark, PipelineBenchmark (JSON results)
#   3     io.isthmus.e2e.bench.slowpath.NatSlowpathBenchmark      (new flows through the slowpath)
#   4, 6  io.isthmus.e2e.bench.harness.ForwardingBenchmark        (batched I/O, workers)
#   5     io.isthmus.e2e.bench.kernel.KernelNatBenchmark          (nftables masquerade between network namespaces;
#         needs root: it makes namespaces isthmus-bench-{src,mid,dst}, veth pairs with 10.77.1.0/24 and
#         192.168.77.0/24 inside them only, and removes them on exit)
#   7, 8  io.isthmus.e2e.bench.lab.LabBenchmark                  (the VPC lab of scripts/lab.sh; root: iperf3 and
#         new connections from the VPC namespace through the VNF, then through the kernel in the same lab)
#   9-11  io.isthmus.e2e.bench.lifecycle.LifecycleBenchmark      (e2e test sources: the real nfvo, vnfm and vim of
#         target/quarkus-app on databases *_bench, with PostgreSQL and Keycloak as ./nfv test has them; NS
#         instantiation, scale out to the first packet, the LCM API with 10,000 VNF instances; about 15 minutes)
#   12, 13 io.isthmus.e2e.bench.jmh.MaglevBenchmark             (JMH: a Maglev lookup table's rebuild, 1,000
#         backends at M = 65,537; counted, not timed: the share of its entries moved when 1 % of the backends fail)
#   14    io.isthmus.e2e.bench.slowpath.SlbSlowpathBenchmark      (new connections through the load balancer's slowpath,
#         the harness of figure 3 with another policy)
#   15    io.isthmus.e2e.bench.lab.LoadBalancerLabBenchmark     (root, nginx: HTTP requests/s through the load balancer
#         vs straight to one backend, the same client, in the namespaces of the load balancer's end-to-end test)
#   then  io.isthmus.e2e.bench.ReportWriter                       (docs/benchmarks.md, keeping the previous table;
#         the lifecycle section, which it does not know, is appended after it: this run's, or the last one)
#
# Environment: ISTHMUS_BENCH_ONLY="flowtable pipeline slowpath balancer forwarding scaling maglev kernel lab balancerlab lifecycle"
#              (a subset), ISTHMUS_BENCH_OUT (default docs/benchmarks.md), ISTHMUS_BENCH_NO_BUILD=1 (use the jars
#              as they are).

BENCH_NS_SRC=isthmus-bench-src
BENCH_NS_MID=isthmus-bench-mid
BENCH_NS_DST=isthmus-bench-dst
BENCH_NETNS_MADE=0
BENCH_STARTED_PG=0
BENCH_STARTED_KC=0

bench_settings() {
  BENCH_JAR=$ISTHMUS_HOME/e2e/target/isthmus-bench.jar
  BENCH_RUNTIME_JAR=$ISTHMUS_HOME/vnf-runtime/target/isthmus-vnf-runtime.jar
  BENCH_OUT=${ISTHMUS_BENCH_OUT:-$ISTHMUS_HOME/docs/benchmarks.md}
  BENCH_ONLY=${ISTHMUS_BENCH_ONLY:-flowtable pipeline slowpath balancer forwarding scaling maglev kernel lab balancerlab lifecycle}
  BENCH_DIR=$RUN_DIR/bench/$(date -u +%Y%m%dT%H%M%SZ)
}

bench_wanted() { [[ " $BENCH_ONLY " == *" $1 "* ]]; }

# Why the benchmark jars must be built again, or nothing: a jar missing, a module's sources newer than its jar, or
# a shaded jar older than a module jar it bundles.
bench_stale() {
  local m j jar
  [[ -f $BENCH_JAR ]] || { echo "e2e/target/isthmus-bench.jar is missing"; return; }
  [[ -f $BENCH_RUNTIME_JAR ]] || { echo "vnf-runtime/target/isthmus-vnf-runtime.jar is missing"; return; }
  for m in fastpath slowpath vnf-runtime e2e; do
    jar=''
    for j in "$ISTHMUS_HOME/$m/target/$m"-*.jar; do
      [[ -f $j && $j != *-tests.jar && $j != *-sources.jar ]] && jar=$j
    done
    [[ -n $jar ]] || { echo "$m is not built"; return; }
    if [[ -n $(find "$ISTHMUS_HOME/$m/src/main" "$ISTHMUS_HOME/$m/pom.xml" -newer "$jar" -type f 2>/dev/null | head -n1) ]]; then
      echo "$m changed since its last build"
      return
    fi
    [[ $m != e2e && $jar -nt $BENCH_JAR ]] && { echo "e2e/target/isthmus-bench.jar is older than $m's jar"; return; }
    [[ $m != e2e && $m != vnf-runtime && $jar -nt $BENCH_RUNTIME_JAR ]] &&
      { echo "vnf-runtime/target/isthmus-vnf-runtime.jar is older than $m's jar"; return; }
  done
}

# Builds when bench_stale says so (mvn -DskipTests install).
bench_build() {
  local why log=$BENCH_DIR/build.log t0
  if [[ ${ISTHMUS_BENCH_NO_BUILD:-0} == 1 ]]; then
    step "Build: skipped (ISTHMUS_BENCH_NO_BUILD=1)"
  else
    why=$(bench_stale)
    if [[ -z $why ]]; then
      step "Build: up to date"
    else
      t0=$(now)
      # the data-plane modules only, so the services' jars (./nfv up may run them) stay as they are; the whole
      # reactor if that fails (nothing installed yet)
      step "Build: $why; building (mvn -DskipTests install -pl fastpath,slowpath,vnf-runtime,e2e -am; log $log)"
      if ! mvn_run -B -ntp -DskipTests install -pl fastpath,slowpath,vnf-runtime,e2e -am >"$log" 2>&1; then
        step "Build: building the whole reactor instead (mvn -DskipTests install)"
        if ! mvn_run -B -ntp -DskipTests install >>"$log" 2>&1; then
          grep -E '^\[ERROR\]' "$log" | head -n 40 >&2
          die "the build failed (log: $log)"
        fi
      fi
      ok "built ($(since "$t0"))"
    fi
  fi
  [[ -f $BENCH_JAR && -f $BENCH_RUNTIME_JAR ]] || die "no $BENCH_JAR or $BENCH_RUNTIME_JAR: build first (mvn -DskipTests install)"
}

# Runs one benchmark: its command line is recorded for the report, its output kept as <key>.log.
bench_run() { # key description command...
  local key=$1 what=$2 t0 rc
  shift 2
  if ! bench_wanted "$key"; then
    echo "not selected (ISTHMUS_BENCH_ONLY=$BENCH_ONLY)" >"$BENCH_DIR/$key.skipped"
    return 0
  fi
  printf '%s\t%s\n' "$key" "$(bench_display "$@")" >>"$BENCH_DIR/commands.tsv"
  t0=$(now)
  step "$what"
  "$@" >"$BENCH_DIR/$key.log" 2>&1
  rc=$?
  grep -E '^RESULT ' "$BENCH_DIR/$key.log" | sed 's/^/  /'
  if [[ $rc != 0 ]]; then
    warn "$key exited with $rc after $(since "$t0") (log: $BENCH_DIR/$key.log)"
    tail -n 15 "$BENCH_DIR/$key.log" >&2
    echo "the benchmark failed (exit code $rc); see its log" >"$BENCH_DIR/$key.skipped"
  else
    ok "$key done ($(since "$t0"))"
  fi
  return 0
}

# The command as a reader would type it: paths relative to the repository, the java of PATH.
bench_display() {
  local out='' a
  for a in "$@"; do
    a=${a//$ISTHMUS_HOME\//}
    [[ $a == "$JAVA" ]] && a=java
    [[ $a == *' '* ]] && a="'$a'"
    out+="${out:+ }$a"
  done
  printf '%s' "$out"
}

# When a benchmark cannot run (why is not empty): says so, records it for the report, cleans up; returns 0 then.
bench_not_measured() { # key figures why cleanup
  [[ -n $3 ]] || return 1
  warn "$2 not measured: $3"
  echo "$3" >"$BENCH_DIR/$1.skipped"
  "$4"
  return 0
}

bench_jmh() { # key class
  local key=$1 class=$2
  bench_run "$key" "JMH $class (figure ${3:-?})" \
    "$JAVA" -jar "$BENCH_JAR" "io.isthmus.e2e.bench.jmh.$class" -f 1 -wi 2 -i 3 -prof gc -rf json \
    -rff "$BENCH_DIR/$key.json"
}

# ---------------------------------------------------------------- figure 5: network namespaces

bench_netns_down() {
  local ns
  for ns in $BENCH_NS_SRC $BENCH_NS_MID $BENCH_NS_DST; do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -TERM 2>/dev/null
    ip netns del "$ns" 2>/dev/null
  done
  BENCH_NETNS_MADE=0
}

# Three namespaces joined by two veth pairs; addresses exist only inside them. The middle namespace forwards and steers
# every packet it receives onto CPU 1 (RPS), where the forwarding is measured; the nftables masquerade is added and
# removed by KernelNatBenchmark itself.
bench_netns_up() {
  local s=$BENCH_NS_SRC n=$BENCH_NS_MID d=$BENCH_NS_DST ns
  bench_netns_down
  BENCH_NETNS_MADE=1
  for ns in $s $n $d; do
    ip netns add "$ns" && ip -n "$ns" link set lo up || return 1
  done
  ip link add ib-src0 netns "$s" type veth peer name ib-nat0 netns "$n" &&
    ip link add ib-nat1 netns "$n" type veth peer name ib-dst0 netns "$d" &&
    ip -n "$s" addr add 10.77.1.2/24 dev ib-src0 && ip -n "$s" link set ib-src0 up &&
    ip -n "$s" route add default via 10.77.1.1 &&
    ip -n "$n" addr add 10.77.1.1/24 dev ib-nat0 && ip -n "$n" link set ib-nat0 up &&
    ip -n "$n" addr add 192.168.77.1/24 dev ib-nat1 && ip -n "$n" link set ib-nat1 up &&
    ip -n "$d" addr add 192.168.77.2/24 dev ib-dst0 && ip -n "$d" link set ib-dst0 up &&
    ip netns exec "$n" sysctl -q -w net.ipv4.ip_forward=1 &&
    ip netns exec "$n" sh -c 'echo 2 > /sys/class/net/ib-nat0/queues/rx-0/rps_cpus'
}

bench_kernel() {
  local why=''
  bench_wanted kernel || { echo "not selected (ISTHMUS_BENCH_ONLY=$BENCH_ONLY)" >"$BENCH_DIR/kernel.skipped"; return 0; }
  if [[ $(id -u) != 0 ]]; then
    why="needs root for network namespaces and nftables"
  elif [[ $(nproc) -lt 2 ]]; then
    why="needs 2 CPUs (one forwards, one sends)"
  elif ! command -v ip >/dev/null 2>&1; then
    why="ip (iproute2) is missing"
  elif ! command -v nft >/dev/null 2>&1; then
    step "nft is missing: installing nftables (apt-get)"
    if ! { command -v apt-get >/dev/null 2>&1 && apt-get install -y -qq nftables >/dev/null 2>&1; } &&
      ! { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq nftables >/dev/null 2>&1; }; then
      why="nft is missing and apt-get install nftables failed"
    fi
  fi
  [[ -z $why ]] && ! bench_netns_up && why="could not make the network namespaces (ip netns, veth)"
  bench_not_measured kernel "figure 5" "$why" bench_netns_down && return 0
  bench_run kernel "The kernel's masquerade (nftables) vs the fastpath between network namespaces (figure 5)" \
    ip netns exec "$BENCH_NS_MID" "$JAVA" -cp "$BENCH_JAR" io.isthmus.e2e.bench.kernel.KernelNatBenchmark \
    --java "$JAVA" --bench-jar "$BENCH_JAR" --runtime-jar "$BENCH_RUNTIME_JAR" --xdp-dev ib-nat0
  bench_netns_down
}

# ---------------------------------------------------------------- figures 7 and 8: the VPC lab

bench_lab() {
  local why='' tool
  bench_wanted lab || { echo "not selected (ISTHMUS_BENCH_ONLY=$BENCH_ONLY)" >"$BENCH_DIR/lab.skipped"; return 0; }
  if [[ $(id -u) != 0 ]]; then
    why="needs root for the VPC lab (network namespaces, VXLAN)"
  else
    for tool in ip bridge jq iperf3 nft ethtool; do
      command -v $tool >/dev/null 2>&1 || why="$tool is missing (apt-get install iproute2 jq iperf3 nftables ethtool)"
    done
  fi
  bench_not_measured lab "figures 7 and 8" "$why" true && return 0
  bench_run lab "TCP and new connections through the VNF in the VPC lab vs the kernel in the same lab (figures 7 and 8)" \
    "$JAVA" -cp "$BENCH_JAR" io.isthmus.e2e.bench.lab.LabBenchmark --java "$JAVA" --bench-jar "$BENCH_JAR" \
    --runtime-jar "$BENCH_RUNTIME_JAR" --scripts "$ISTHMUS_HOME/scripts" --dir "$BENCH_DIR/lab"
}

bench_balancer_lab() {
  local why='' tool
  bench_wanted balancerlab || { echo "not selected (ISTHMUS_BENCH_ONLY=$BENCH_ONLY)" >"$BENCH_DIR/balancerlab.skipped"; return 0; }
  if [[ $(id -u) != 0 ]]; then
    why="needs root for the namespaces (network namespaces, VXLAN)"
  else
    for tool in ip bridge ethtool nginx; do
      command -v $tool >/dev/null 2>&1 || why="$tool is missing (apt-get install iproute2 ethtool nginx-light)"
    done
  fi
  bench_not_measured balancerlab "figure 15" "$why" true && return 0
  bench_run balancerlab "HTTP requests/s through the load balancer vs straight to one backend (figure 15)" \
    "$JAVA" -cp "$BENCH_JAR" io.isthmus.e2e.bench.lab.LoadBalancerLabBenchmark --java "$JAVA" --bench-jar "$BENCH_JAR" \
    --runtime-jar "$BENCH_RUNTIME_JAR" --root "$ISTHMUS_HOME" --dir "$BENCH_DIR/balancerlab"
}

# ---------------------------------------------------------------- figures 9 to 11: the lifecycle

# LifecycleBenchmark lives in e2e's test sources (it starts the platform as the e2e tests do, io.isthmus.e2e.Platform),
# so it runs from e2e/target/test-classes on e2e's test classpath, not from the shaded jar.
bench_lifecycle() {
  local why='' s cp=$BENCH_DIR/lifecycle.classpath classes=$ISTHMUS_HOME/e2e/target/test-classes
  local main=$classes/io/isthmus/e2e/bench/lifecycle/LifecycleBenchmark.class
  bench_wanted lifecycle || { echo "not selected (ISTHMUS_BENCH_ONLY=$BENCH_ONLY)" >"$BENCH_DIR/lifecycle.skipped"; return 0; }
  for s in nfvo vnfm vim; do
    [[ -f $ISTHMUS_HOME/$s/target/quarkus-app/quarkus-run.jar ]] ||
      why="$s/target/quarkus-app is missing: build the services first (mvn -DskipTests package, or ./nfv up)"
  done
  if [[ -z $why && ${ISTHMUS_BENCH_NO_BUILD:-0} != 1 ]] &&
    { [[ ! -f $main ]] || [[ -n $(find "$ISTHMUS_HOME/e2e/src/test" -newer "$main" -type f 2>/dev/null | head -n1) ]]; }; then
    step "Build: e2e's test classes (mvn test-compile -pl e2e)"
    mvn_run -B -ntp -q test-compile -pl e2e >"$BENCH_DIR/lifecycle-build.log" 2>&1 ||
      why="mvn test-compile -pl e2e failed (log: $BENCH_DIR/lifecycle-build.log)"
  fi
  [[ -z $why && ! -f $main ]] && why="no $main: build e2e (mvn -DskipTests install)"
  if [[ -z $why ]] && ! mvn_run -B -ntp -q dependency:build-classpath -pl e2e -Dmdep.outputFile="$cp" \
    >"$BENCH_DIR/lifecycle-classpath.log" 2>&1; then
    why="mvn dependency:build-classpath -pl e2e failed (log: $BENCH_DIR/lifecycle-classpath.log)"
  fi
  bench_not_measured lifecycle "figures 9 to 11" "$why" true && return 0
  # PostgreSQL and Keycloak as ./nfv test has them: started if they do not run, stopped again at the end
  lock_run_dir
  pg_up
  BENCH_STARTED_PG=$PG_STARTED
  kc_up
  BENCH_STARTED_KC=$KC_STARTED
  unlock_run_dir
  export_isthmus_env
  export_client_secrets
  bench_run lifecycle "NS instantiation, scale out to the first packet, the LCM API with 10,000 VNF instances (figures 9 to 11)" \
    "$JAVA" -Disthmus.root="$ISTHMUS_HOME" -cp "$classes:$ISTHMUS_HOME/e2e/target/classes:$(cat "$cp")" \
    io.isthmus.e2e.bench.lifecycle.LifecycleBenchmark --dir "$BENCH_DIR/lifecycle" --markdown "$BENCH_DIR/lifecycle.md"
  bench_lifecycle_servers_down
}

bench_lifecycle_servers_down() {
  [[ $BENCH_STARTED_KC == 1 ]] && kc_down
  [[ $BENCH_STARTED_PG == 1 ]] && pg_down
  BENCH_STARTED_KC=0
  BENCH_STARTED_PG=0
}

# The lifecycle section of a docs/benchmarks.md (<!-- lifecycle:start --> to <!-- lifecycle:end -->), if any.
bench_lifecycle_section() { # file
  [[ -f $1 ]] && awk '/^<!-- lifecycle:start -->/ { on = 1 } on { print } /^<!-- lifecycle:end -->/ { on = 0 }' "$1"
}

# After ReportWriter: this run's lifecycle section, or the one the file had before (ReportWriter does not keep it).
bench_lifecycle_append() { # previous-section-file
  local section=$BENCH_DIR/lifecycle.md
  [[ -s $section ]] || section=$1
  [[ -s $section ]] || return 0
  { printf '\n'; cat "$section"; } >>"$BENCH_OUT"
}

# ---------------------------------------------------------------- the whole run

bench_cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [[ $BENCH_NETNS_MADE == 1 ]] && bench_netns_down
  bench_lifecycle_servers_down
  exit "$rc"
}

bench_main() {
  local t0 cpu cores
  t0=$(now)
  bench_settings
  mkdir -p "$BENCH_DIR" || die "cannot create $BENCH_DIR"
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  bench_build
  : >"$BENCH_DIR/commands.tsv"
  step "Benchmarks (results and logs in $BENCH_DIR)"

  bench_jmh flowtable FlowTableLookupBenchmark 1
  bench_jmh pipeline PipelineBenchmark 2
  bench_run slowpath "New flows through the slowpath (figure 3)" \
    "$JAVA" -cp "$BENCH_JAR:$BENCH_RUNTIME_JAR" io.isthmus.e2e.bench.slowpath.NatSlowpathBenchmark
  bench_run balancer "New connections through the load balancer's slowpath (figure 14)" \
    "$JAVA" -cp "$BENCH_JAR:$BENCH_RUNTIME_JAR" io.isthmus.e2e.bench.slowpath.SlbSlowpathBenchmark
  bench_run forwarding "Forwarding through fastpath processes over loopback (figures 4 and 6)" \
    "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$BENCH_JAR" io.isthmus.e2e.bench.harness.ForwardingBenchmark \
    --jar "$BENCH_JAR" --logs "$BENCH_DIR/forwarding-logs"
  bench_run scaling "1 worker vs 2 in memory (figure 6)" \
    "$JAVA" -cp "$BENCH_JAR" io.isthmus.e2e.bench.jmh.WorkerScaling
  bench_run maglev "Maglev table rebuild and entries moved when 1 % of the backends fail (figures 12 and 13)" \
    "$JAVA" -cp "$BENCH_JAR" io.isthmus.e2e.bench.jmh.MaglevBenchmark
  bench_kernel
  bench_lab
  bench_balancer_lab
  bench_lifecycle

  cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n1)
  cores=$(lscpu 2>/dev/null | sed -n 's/^CPU(s):[[:space:]]*//p' | head -n1)
  step "Writing ${BENCH_OUT#"$ISTHMUS_HOME"/}"
  bench_lifecycle_section "$BENCH_OUT" >"$BENCH_DIR/lifecycle.previous.md"
  "$JAVA" -cp "$BENCH_JAR" io.isthmus.e2e.bench.ReportWriter --results "$BENCH_DIR" --out "$BENCH_OUT" \
    --cpu "${cpu:-unknown}" --cores "${cores:-$(nproc)}" --kernel "$(uname -r)" --command "./nfv bench" ||
    die "ReportWriter failed"
  bench_lifecycle_append "$BENCH_DIR/lifecycle.previous.md"
  step "Benchmarks done ($(since "$t0")): ${BENCH_OUT#"$ISTHMUS_HOME"/}"
}

# Run on its own: scripts/bench.sh
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -uo pipefail
  # shellcheck source=scripts/lib.sh
  . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
  # shellcheck source=scripts/lab.sh
  . "$(dirname "${BASH_SOURCE[0]}")/lab.sh"
  # shellcheck source=scripts/pg.sh
  . "$(dirname "${BASH_SOURCE[0]}")/pg.sh"
  # shellcheck source=scripts/keycloak.sh
  . "$(dirname "${BASH_SOURCE[0]}")/keycloak.sh"
  nfv_settings
  find_java
  find_maven
  ensure_run_dir
  bench_main
fi
