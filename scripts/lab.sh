# The VPC lab for ./nfv lab: a running network service's tenant side and outside as Linux network namespaces, with
# real kernel VXLAN tunnels to the VNF's fastpaths. Sourced, not run. See docs/lab.md.
#
#   isthmus-vpc   the tenant's VPC: host 10.0.0.5/24 (gateway 10.0.0.1), one VXLAN device (the VPC's VNI) per
#                 fastpath of the VNF; the default route spreads flows over them by the inner 5-tuple (ECMP, L4 hash),
#                 as a VPC's vSwitch would
#   isthmus-out   the public next hop: a router whose VXLAN devices (the outside VNI) reach the fastpaths; it routes
#                 the VNF's public address(es) over them (ECMP) and the servers' network behind it
#   isthmus-srv   "the internet": 203.0.113.130 and .131 behind the router (203.0.113.129), with an HTTP server (port
#                 80), iperf3 -s (5201) and a STUN server for RFC 5780 discovery (3478/3479 on both addresses)
#   isthmus-ulv,  underlay namespaces where the VXLAN devices are made (their UDP sockets live there) and which hold
#   isthmus-ulo   the NS's endpoints ("vpc", "internet"), joined to this host (where the fastpaths run) by veths
#
# Nothing leaves the machine: every address lives in namespaces made here, or on the lab's veths.

LAB_NS_VPC=isthmus-vpc
LAB_NS_OUT=isthmus-out
LAB_NS_SRV=isthmus-srv
LAB_NS_ULV=isthmus-ulv
LAB_NS_ULO=isthmus-ulo
LAB_NAMESPACES=("$LAB_NS_SRV" "$LAB_NS_VPC" "$LAB_NS_OUT" "$LAB_NS_ULV" "$LAB_NS_ULO")
# made by the benchmarks (the kernel as the gateway, e2e LabBenchmark); lab_down removes it too
LAB_NS_KERNEL=isthmus-kgw
# the host's ends of the underlay veths (198.18.0.0/15 is for benchmarking networks, RFC 2544)
LAB_HOST_V=198.18.0.1
LAB_HOST_O=198.18.0.5
LAB_VPC_HOST=10.0.0.5
LAB_VPC_GATEWAY=10.0.0.1
LAB_ROUTER=203.0.113.1
LAB_ROUTER_SRV=203.0.113.129
LAB_SERVER=203.0.113.130
LAB_SERVER2=203.0.113.131
# The fastpath forwards the inner Ethernet frame as it is, so the frame a namespace sends must already be addressed to
# the device that receives it: the VPC's devices have LAB_MAC_VPC and resolve the gateway to LAB_MAC_OUT, the
# router's devices the other way round (a VXLAN device drops a frame from its own address as a loop, so the two
# differ). A hairpinned frame comes back to the VPC addressed to LAB_MAC_OUT and is not taken: see docs/lab.md.
LAB_MAC_VPC=02:00:00:00:01:01
LAB_MAC_OUT=02:00:00:00:01:02

lab_usage() {
  cat <<'EOF'
Usage: ./nfv lab up <ns-instance-id>   build the VPC lab for a running NS (root; see docs/lab.md)
       ./nfv lab sync                  follow the VNF's published ingress once (lab up starts a follower that
                                       does it every second: scale, heal, operate are followed)
       ./nfv lab down                  remove it
       ./nfv lab status                what the lab holds
Environment: ISTHMUS_LAB_USER [alice] (who reads the NS; password = user name, the demo realm's users),
             ISTHMUS_LAB_TOKEN (a bearer token to use instead)
EOF
}

cmd_lab() {
  local sub=${1:-}
  [[ $# -gt 0 ]] && shift
  case $sub in
    up) [[ $# == 1 ]] || die "lab up takes the NS instance id"; lab_prepare; lab_up "$1" ;;
    down) lab_prepare; lab_down; say "the lab is down" ;;
    sync) lab_prepare; lab_sync "${1:-}" ;;
    status) lab_prepare; lab_status ;;
    *) lab_usage; [[ -z $sub || $sub == help ]] || exit 1 ;;
  esac
}

lab_prepare() {
  nfv_settings
  [[ $(id -u) == 0 ]] || die "./nfv lab needs root: it makes network namespaces, veths and VXLAN devices (sudo ./nfv lab ...)"
  local tool
  for tool in ip bridge jq curl; do
    command -v $tool >/dev/null 2>&1 || die "./nfv lab needs '$tool' (apt-get install iproute2 jq curl)"
  done
  ip link add isthmus-probe type vxlan id 1 dstport 4789 2>/dev/null \
    || die "this kernel cannot make VXLAN devices (CONFIG_VXLAN): ./nfv lab needs them"
  ip link del isthmus-probe
  LAB_DIR=$RUN_DIR/lab
}

lab_token() {
  if [[ -n ${ISTHMUS_LAB_TOKEN:-} ]]; then
    echo "$ISTHMUS_LAB_TOKEN"
    return
  fi
  local user=${ISTHMUS_LAB_USER:-alice}
  curl -sS --fail-with-body -d grant_type=password -d client_id=isthmus-cli -d "username=$user" -d "password=$user" \
    "$OIDC_URL/protocol/openid-connect/token" | jq -er .access_token \
    || die "could not get a token for $user from $OIDC_URL (set ISTHMUS_LAB_USER or ISTHMUS_LAB_TOKEN)"
}

# The NS as its tenant sees it, with the VNF instances' configuration (vnfConfigurableProperties).
lab_read_ns() { # ns-id -> JSON on stdout (the VNFs' details: from the VNFM, ISTHMUS_VNFM_URL, when it answers)
  local token
  token=$(lab_token) || exit 1
  curl -sS --fail-with-body -H "Authorization: Bearer $token" -H 'Version: 2.0.0' \
    "$NFVO_URL/nslcm/v2/ns_instances/$1" || die "could not read NS instance $1 from $NFVO_URL"
}

lab_up() {
  local ns_id=$1 ns vnf
  ns=$(lab_read_ns "$ns_id") || exit 1
  [[ $(jq -r .nsState <<<"$ns") == INSTANTIATED ]] || die "NS $ns_id is not INSTANTIATED: $(jq -r .nsState <<<"$ns")"
  # the gateway between the VPC and the outside: its VPC side is named inside (or vpc), its other side outside; in a
  # service chain, the VPC's side is the first VNF's (the one whose inside is an NS endpoint, host:port) and the
  # outside the last one's (whose outside is): the VNFs between them are wired to each other by the NFVO
  local last
  vnf=$(jq -c '[.vnfInstance[]? | select((.vnfConfigurableProperties | .insideNextHop // .vpcNextHop) | type == "string")][0] // empty' <<<"$ns")
  last=$(jq -c '[.vnfInstance[]? | select(.vnfConfigurableProperties.outsideNextHop | type == "string")][0] // empty' <<<"$ns")
  [[ -n $vnf && -n $last ]] || vnf=""
  if [[ -z $vnf ]]; then
    # a router between several networks: one namespace per attachment instead
    vnf=$(jq -c '[.vnfInstance[]? | select(.vnfConfigurableProperties.attachments != null)][0] // empty' <<<"$ns")
    [[ -n $vnf ]] && { lab_up_attachments "$ns_id" "$vnf"; return; }
  fi
  [[ -n $vnf ]] || die "NS $ns_id has no VNF with an inside and an outside (a gateway between a VPC and the outside): nothing to build a lab for"
  local inside outside inside_vni outside_vni ports ports_out publics
  inside=$(jq -r '.vnfConfigurableProperties | .insideNextHop // .vpcNextHop' <<<"$vnf")
  outside=$(jq -r .vnfConfigurableProperties.outsideNextHop <<<"$last")
  inside_vni=$(jq -r '.vnfConfigurableProperties | .insideVni // .vpcVni' <<<"$vnf")
  outside_vni=$(jq -r .vnfConfigurableProperties.outsideVni <<<"$last")
  publics=$(jq -r '.vnfConfigurableProperties | [.publicAddress // empty] + (.publicAddresses // []) | unique | join(" ")' <<<"$last")
  ports=$(jq -r '[.instantiatedVnfInfo.vnfcResourceInfo[] | select(.vduId == "fastpath") | .metadata.dataPort] | join(" ")' <<<"$vnf")
  ports_out=$(jq -r '[.instantiatedVnfInfo.vnfcResourceInfo[] | select(.vduId == "fastpath") | .metadata.dataPort] | join(" ")' <<<"$last")
  [[ -n $ports && -n $ports_out ]] || die "the VNF has no fastpath"
  if [[ $(jq -r .id <<<"$vnf") == "$(jq -r .id <<<"$last")" ]]; then
    step "VPC lab for NS $ns_id: VNF $(jq -r .id <<<"$vnf"), fastpaths on ports $ports"
  else
    step "VPC lab for NS $ns_id, a chain: first VNF $(jq -r .id <<<"$vnf") (fastpaths on ports $ports), last VNF $(jq -r .id <<<"$last") (ports $ports_out)"
  fi
  lab_build "$inside" "$outside" "$inside_vni" "$outside_vni" "$publics" "$ports" "$ports_out" || exit 1
  {
    echo "ns=$ns_id"
    echo "vnf=$(jq -r .id <<<"$vnf")"
    echo "vnf_out=$(jq -r .id <<<"$last")"
    echo "fastpaths=$ports"
    echo "public=$publics"
    echo "inside=$inside"
    echo "outside=$outside"
    echo "inside_vni=$inside_vni"
    echo "outside_vni=$outside_vni"
  } >"$LAB_DIR/lab.env"
  # the lab follows the VNF's published ingress as a vSwitch would: scale, heal and operate change its devices
  setsid "$NFV_DIR/nfv" lab sync --follow </dev/null >"$LAB_DIR/follow.log" 2>&1 &
  echo $! >"$LAB_DIR/follow.pid"
  ok "VPC $LAB_NS_VPC ($LAB_VPC_HOST via $LAB_VPC_GATEWAY, VNI $inside_vni) -> VNF -> router $LAB_NS_OUT (VNI $outside_vni) -> servers $LAB_NS_SRV"
  say "Try:"
  say "  ip netns exec $LAB_NS_VPC curl http://$LAB_SERVER/"
  say "  ip netns exec $LAB_NS_VPC ping -c 3 $LAB_SERVER"
  say "  ip netns exec $LAB_NS_VPC iperf3 -c $LAB_SERVER -t 5"
  say "  ip netns exec $LAB_NS_VPC turnutils_natdiscovery -m -f $LAB_SERVER"
  say "  ./nfv lab down"
}

# The lab for a gateway VNF whose inside and outside endpoints (host:port), VNIs, public addresses and fastpath data ports
# are these; ./nfv lab up reads them from the NS, the benchmarks give their own. A chain's outside is its last VNF's,
# whose fastpaths may differ ("outside fastpath ports"; the same as the inside's by default).
lab_build() { # inside outside inside_vni outside_vni "publics" "fastpath ports" ["outside fastpath ports"]
  local inside=$1 outside=$2 inside_vni=$3 outside_vni=$4 publics=$5 ports=$6 ports_out=${7:-$6}
  lab_check_endpoint vpc "$inside"
  lab_check_endpoint internet "$outside"
  lab_down
  mkdir -p "$LAB_DIR"
  lab_add_namespaces "${LAB_NAMESPACES[@]}"
  lab_underlay "$LAB_NS_ULV" isl-v "$LAB_HOST_V" "${inside%:*}"
  lab_underlay "$LAB_NS_ULO" isl-o "$LAB_HOST_O" "${outside%:*}"
  # shellcheck disable=SC2086
  lab_tunnels "$LAB_NS_ULV" "$LAB_NS_VPC" "$LAB_MAC_VPC" "$inside_vni" "${inside#*:}" "$LAB_HOST_V" $ports
  # shellcheck disable=SC2086
  lab_tunnels "$LAB_NS_ULO" "$LAB_NS_OUT" "$LAB_MAC_OUT" "$outside_vni" "${outside#*:}" "$LAB_HOST_O" $ports_out
  lab_vpc
  lab_router "$publics"
  lab_servers
}

lab_check_endpoint() { # name host:port
  local address=${2%:*}
  [[ $2 =~ ^[0-9.]+:[0-9]+$ ]] || die "endpoint $1 is '$2', not IPv4:port"
  case $address in
    127.* | 0.* | 198.18.* | 198.19.*)
      die "endpoint $1 is $2: the lab puts each NS endpoint in a namespace of its own, so instantiate the NS with
endpoints that are not loopback or 198.18.0.0/15, as the demo's instantiate request in deploy/demo does (vpc 198.51.100.2:4789,
internet 198.51.100.6:4789)" ;;
  esac
  if ip -o addr show | grep -qw "inet $address"; then
    die "endpoint $1 is $2, an address this host already has: pick another for the lab"
  fi
}

# An underlay namespace holding an NS endpoint, joined to the host by a veth (the host's end: host_addr).
lab_underlay() { # ns veth-prefix host_addr endpoint_addr
  local ns=$1 hostif=${2}0 nsif=${2}1 host_addr=$3 endpoint=$4
  ip link add "$hostif" mtu 1550 type veth peer name "$nsif" mtu 1550 netns "$ns" || die "could not make veth $hostif"
  ip addr add "$host_addr/32" dev "$hostif"
  ip link set "$hostif" up
  ip route add "$endpoint/32" dev "$hostif" src "$host_addr"
  ip -n "$ns" addr add "$endpoint/32" dev "$nsif"
  ip -n "$ns" link set "$nsif" up
  ip -n "$ns" route add "$host_addr/32" dev "$nsif"
  # offloads would leave inner TCP checksums unfinished in the VXLAN datagrams the fastpaths receive
  if command -v ethtool >/dev/null 2>&1; then
    ip netns exec "$ns" ethtool -K "$nsif" tx off tso off gso off >/dev/null 2>&1
    ethtool -K "$hostif" tx off tso off gso off >/dev/null 2>&1
  else
    warn "ethtool is missing: TCP through the lab may fail (apt-get install ethtool)"
  fi
}

# One VXLAN device per fastpath, made in the underlay namespace (device i listens on port+i; device 0 on the
# endpoint's port, so the fastpaths' packets to the endpoint arrive on it) and moved into the tenant-side namespace.
lab_tunnels() { # underlay-ns target-ns mac vni port host_addr fastpath-ports...
  local ul=$1 target=$2 mac=$3 vni=$4 port=$5 host_addr=$6 i=0 fp
  shift 6
  for fp in "$@"; do
    lab_tunnel "$ul" "$target" "$mac" "$vni" "$port" "$host_addr" "$i" "$fp"
    i=$((i + 1))
  done
}

# Device vx<i> to the fastpath of VNFC index i at fastpath-port: made if missing, pointed at the port if it moved.
lab_tunnel() { # underlay-ns target-ns mac vni port host_addr index fastpath-port
  local ul=$1 target=$2 mac=$3 vni=$4 port=$5 host_addr=$6 i=$7 fp=$8
  if ! ip -n "$target" link show "vx$i" >/dev/null 2>&1; then
    ip -n "$ul" link add "vx$i" address "$mac" type vxlan id "$vni" dstport $((port + i)) nolearning \
      dev "${ul/isthmus-ul/isl-}1" || die "could not make VXLAN device vx$i (VNI $vni) in $ul"
    ip -n "$ul" link set "vx$i" netns "$target"
  fi
  # the default entry cannot be replaced (not unicast): the old one goes, the new one comes
  local current
  current=$(ip netns exec "$target" bridge fdb show dev "vx$i" 2>/dev/null \
    | awk '/^00:00:00:00:00:00/ {for (j = 1; j < NF; j++) if ($j == "port") print $(j + 1)}' | head -1)
  if [[ $current != "$fp" ]]; then
    [[ -z $current ]] || ip netns exec "$target" bridge fdb del 00:00:00:00:00:00 dev "vx$i" dst "$host_addr" \
      port "$current" self
    ip netns exec "$target" bridge fdb append 00:00:00:00:00:00 dev "vx$i" dst "$host_addr" port "$fp" self permanent
  fi
  ip -n "$target" link set "vx$i" up
}

lab_multipath() { # ns -> the devices vx0.. of ns as nexthop arguments
  local dev args=()
  for dev in $(ip -n "$1" -o link show | awk -F': ' '{print $2}' | grep -E '^vx[0-9]+' | sed 's/@.*//'); do
    args+=(nexthop dev "$dev")
  done
  echo "${args[@]}"
}

# Routes prefix over every device vx* of ns (ECMP) via an on-link gateway, which resolves to mac on each: the MAC of
# the namespace the frames are for, as the fastpaths forward the inner Ethernet frame as it came.
lab_route_over() { # ns prefix gateway mac [route options: src a.b.c.d, mtu n, ...]
  local ns=$1 prefix=$2 gw=$3 mac=$4 dev nexthops=()
  shift 4
  for dev in $(lab_multipath "$ns" | tr ' ' '\n' | grep '^vx'); do
    ip -n "$ns" neigh replace "$gw" lladdr "$mac" dev "$dev" nud permanent
    nexthops+=(nexthop via "$gw" onlink dev "$dev")
  done
  ip -n "$ns" route replace "$prefix" "$@" "${nexthops[@]}" || die "could not route $prefix in $ns"
}

lab_sysctls() { # ns
  ip netns exec "$1" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 \
    net.ipv4.fib_multipath_hash_policy=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
    net.core.txrehash=0 >/dev/null 2>&1 || true
}

lab_vpc() {
  local ns=$LAB_NS_VPC dev
  lab_sysctls "$ns"
  ip -n "$ns" addr add "$LAB_VPC_HOST/24" dev vx0
  for dev in $(lab_multipath "$ns" | tr ' ' '\n' | grep '^vx'); do
    ip -n "$ns" neigh replace "$LAB_VPC_GATEWAY" lladdr "$LAB_MAC_OUT" dev "$dev" nud permanent
  done
  lab_routes "$(lab_multipath "$ns" | tr ' ' '\n' | grep '^vx' | tr '\n' ' ')"
}

# The VPC's default route and the router's routes to the public addresses over these devices (the ingress): the VPC's
# devices, and the router's (a chain's last VNF's; the same by default).
lab_routes() { # "devices" ["router devices"]
  local devices=$1 devices_out=${2-$1} dev vpc=() out=() public
  for dev in $devices; do
    vpc+=(nexthop via "$LAB_VPC_GATEWAY" onlink dev "$dev")
    ip -n "$LAB_NS_VPC" neigh replace "$LAB_VPC_GATEWAY" lladdr "$LAB_MAC_OUT" dev "$dev" nud permanent
  done
  for dev in $devices_out; do
    out+=(nexthop dev "$dev")
  done
  if [[ ${#vpc[@]} == 0 ]]; then
    ip -n "$LAB_NS_VPC" route del default 2>/dev/null
  else
    ip -n "$LAB_NS_VPC" route replace default src "$LAB_VPC_HOST" "${vpc[@]}"
  fi
  for public in ${LAB_PUBLICS:-}; do
    for dev in $devices_out; do
      ip -n "$LAB_NS_OUT" neigh replace "$public" lladdr "$LAB_MAC_VPC" dev "$dev" nud permanent 2>/dev/null
    done
    if [[ ${#out[@]} == 0 ]]; then
      ip -n "$LAB_NS_OUT" route del "$public/32" 2>/dev/null
    elif ip -n "$LAB_NS_OUT" link show vx0 >/dev/null 2>&1 && ip -n "$LAB_NS_OUT" route show "$public/32" | grep -q .; then
      ip -n "$LAB_NS_OUT" route replace "$public/32" src "$LAB_ROUTER" "${out[@]}"
    fi
  done
}

lab_router() { # public addresses
  local ns=$LAB_NS_OUT public dev
  lab_sysctls "$ns"
  ip netns exec "$ns" sysctl -q -w net.ipv4.ip_forward=1 >/dev/null
  ip -n "$ns" addr add "$LAB_ROUTER/32" dev vx0
  for public in $1; do
    for dev in $(lab_multipath "$ns" | tr ' ' '\n' | grep '^vx'); do
      ip -n "$ns" neigh replace "$public" lladdr "$LAB_MAC_VPC" dev "$dev" nud permanent
    done
    # shellcheck disable=SC2046
    ip -n "$ns" route add "$public/32" src "$LAB_ROUTER" $(lab_multipath "$ns")
  done
  ip link add isl-r0 netns "$ns" type veth peer name isl-s0 netns "$LAB_NS_SRV"
  ip -n "$ns" addr add "$LAB_ROUTER_SRV/25" dev isl-r0
  ip -n "$ns" link set isl-r0 up
}

lab_servers() {
  local ns=$LAB_NS_SRV
  lab_sysctls "$ns"
  ip -n "$ns" addr add "$LAB_SERVER/25" dev isl-s0
  ip -n "$ns" addr add "$LAB_SERVER2/25" dev isl-s0
  ip -n "$ns" link set isl-s0 up
  ip -n "$ns" route add default via "$LAB_ROUTER_SRV"
  mkdir -p "$LAB_DIR/www"
  printf 'hello from %s, behind the gateway\n' "$LAB_SERVER" >"$LAB_DIR/www/index.html"
  head -c 16777216 /dev/urandom >"$LAB_DIR/www/16MiB.bin"
  find_java
  local jweb
  jweb=$(dirname "$JAVA")/jwebserver
  lab_spawn http "$jweb" -b "$LAB_SERVER" -p 80 -d "$LAB_DIR/www" -o info
  if command -v iperf3 >/dev/null 2>&1; then
    lab_spawn iperf3 iperf3 -s -B "$LAB_SERVER" -p 5201
  else
    warn "iperf3 is missing: no iperf3 server in the lab (apt-get install iperf3)"
  fi
  if command -v turnserver >/dev/null 2>&1; then
    # a configuration of its own: Debian's /etc/turnserver.conf turns RFC 5780 off and logs to syslog
    printf '%s\n' "listening-ip=$LAB_SERVER" "listening-ip=$LAB_SERVER2" listening-port=3478 alt-listening-port=3479 \
      stun-only no-auth no-tcp no-tls no-dtls no-cli simple-log "log-file=$LAB_DIR/stun-server.log" \
      "pidfile=$LAB_DIR/turnserver.pid" >"$LAB_DIR/turnserver.conf"
    lab_spawn stun turnserver -c "$LAB_DIR/turnserver.conf"
  else
    warn "turnserver is missing: no STUN server in the lab (apt-get install coturn)"
  fi
  local i
  for i in $(seq 50); do
    ip netns exec "$ns" bash -c "exec 3<>/dev/tcp/$LAB_SERVER/80" 2>/dev/null && return 0
    sleep 0.1
  done
  die "the lab's HTTP server did not start: $LAB_DIR/http.log"
}

lab_spawn() { # name command...
  local name=$1
  shift
  ip netns exec "$LAB_NS_SRV" setsid "$@" </dev/null >"$LAB_DIR/$name.log" 2>&1 &
  echo $! >"$LAB_DIR/$name.pid"
}

# Makes these namespaces, each with its loopback up.
lab_add_namespaces() { # ns...
  local n
  for n in "$@"; do
    ip netns add "$n" && ip -n "$n" link set lo up || die "could not make namespace $n"
  done
}

# One NS endpoint as a namespace of the tests: an underlay namespace holding the endpoint's address, joined to this
# host by a veth, and the target namespace with one VXLAN device per fastpath of the VNF at that edge (lab_tunnels),
# its sysctls set. Both namespaces must exist.
lab_endpoint() { # underlay-ns veth-prefix host_addr endpoint_addr target-ns mac vni "fastpath ports, comma-separated"
  local ul=$1 veth=$2 host_addr=$3 endpoint=$4 target=$5 mac=$6 vni=$7 ports=$8
  lab_underlay "$ul" "$veth" "$host_addr" "$endpoint"
  # shellcheck disable=SC2046 # the ports, one argument each
  lab_tunnels "$ul" "$target" "$mac" "$vni" 4789 "$host_addr" $(tr , ' ' <<<"$ports")
  lab_sysctls "$target"
}

# Stops the processes in these namespaces (TERM, KILL after 2 s) and deletes the namespaces; missing ones are fine.
lab_remove_namespaces() { # ns...
  local n pid
  for n in "$@"; do
    for pid in $(ip netns pids "$n" 2>/dev/null); do
      kill -TERM "$pid" 2>/dev/null
    done
  done
  for n in "$@"; do
    for pid in $(ip netns pids "$n" 2>/dev/null); do
      for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null
    done
    ip netns del "$n" 2>/dev/null
  done
  return 0
}

lab_down() {
  if [[ -f $LAB_DIR/follow.pid ]]; then
    kill -TERM "$(cat "$LAB_DIR/follow.pid")" 2>/dev/null
    rm -f "$LAB_DIR/follow.pid"
  fi
  rm -f "$LAB_DIR/sync.state"
  lab_remove_namespaces "$LAB_NS_KERNEL" "${LAB_NAMESPACES[@]}"
  # shellcheck disable=SC2046
  lab_remove_namespaces $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^isthmus-(a|ula)[0-9]+$')
  ip link del isl-v0 2>/dev/null
  ip link del isl-o0 2>/dev/null
  local veth
  for veth in $(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' | grep -E '^isl-a[0-9]+0$'); do
    ip link del "$veth" 2>/dev/null
  done
  rm -f "$LAB_DIR"/*.pid "$LAB_DIR/lab.env"
  return 0
}

# Follows the VNF's published ingress (contracts.md "Ingress"), as a VPC's vSwitch would: one VXLAN device per fastpath
# VNFC (vx<index>, pointed at its data port), the routes over the devices of the fastpaths in the ingress. Once, or
# every second with --follow (what lab up starts) until the lab goes.
lab_sync() { # [--follow]
  if [[ ${1:-} == --follow ]]; then
    while [[ -f $LAB_DIR/lab.env ]]; do
      (lab_sync_once) || true
      sleep 1
    done
    return 0
  fi
  lab_sync_once
}

lab_sync_once() {
  [[ -f $LAB_DIR/lab.env ]] || die "no lab is up (./nfv lab up <ns-instance-id>)"
  local env ns fastpaths ingress state fp i port dev devices="" inside outside vnf_out fastpaths_out ingress_out
  local devices_out=""
  env=$(cat "$LAB_DIR/lab.env")
  ns=$(lab_read_ns "$(sed -n 's/^ns=//p' <<<"$env")") || return 1
  read -r fastpaths ingress < <(lab_vnf_now "$ns" "$(sed -n 's/^vnf=//p' <<<"$env")") || return 1
  # a chain: the router's side follows its last VNF
  vnf_out=$(sed -n 's/^vnf_out=//p' <<<"$env")
  if [[ -n $vnf_out && $vnf_out != "$(sed -n 's/^vnf=//p' <<<"$env")" ]]; then
    read -r fastpaths_out ingress_out < <(lab_vnf_now "$ns" "$vnf_out") || return 1
  else
    fastpaths_out=$fastpaths
    ingress_out=$ingress
  fi
  fastpaths=${fastpaths//,/ } ingress=${ingress//,/ } fastpaths_out=${fastpaths_out//,/ } ingress_out=${ingress_out//,/ }
  state="$fastpaths|$ingress|$fastpaths_out|$ingress_out"
  [[ $state == "$(cat "$LAB_DIR/sync.state" 2>/dev/null)" ]] && return 0
  if grep -q '^mode=attachments' <<<"$env"; then
    lab_sync_attachments "$fastpaths" "$ingress"
    echo "$state" >"$LAB_DIR/sync.state"
    say "$(date -u +%H:%M:%S) the lab follows fastpaths [$fastpaths], ingress [$ingress]"
    return 0
  fi
  inside=$(sed -n 's/^inside=//p' <<<"$env")
  outside=$(sed -n 's/^outside=//p' <<<"$env")
  for fp in $fastpaths; do
    lab_tunnel "$LAB_NS_ULV" "$LAB_NS_VPC" "$LAB_MAC_VPC" "$(sed -n 's/^inside_vni=//p' <<<"$env")" "${inside#*:}" \
      "$LAB_HOST_V" "${fp%%:*}" "${fp#*:}"
  done
  for fp in $fastpaths_out; do
    lab_tunnel "$LAB_NS_ULO" "$LAB_NS_OUT" "$LAB_MAC_OUT" "$(sed -n 's/^outside_vni=//p' <<<"$env")" \
      "${outside#*:}" "$LAB_HOST_O" "${fp%%:*}" "${fp#*:}"
  done
  for i in $ingress; do
    devices+="vx$i "
  done
  for i in $ingress_out; do
    devices_out+="vx$i "
  done
  LAB_PUBLICS=$(sed -n 's/^public=//p' <<<"$env") lab_routes "$devices" "$devices_out"
  # the devices of fastpaths gone go too, but vx0: it receives what the fastpaths send to the NS's endpoints
  lab_drop_devices "$LAB_NS_VPC" "$fastpaths"
  lab_drop_devices "$LAB_NS_OUT" "$fastpaths_out"
  echo "$state" >"$LAB_DIR/sync.state"
  say "$(date -u +%H:%M:%S) the lab follows fastpaths [$fastpaths], ingress [$ingress]$([[ $fastpaths_out == "$fastpaths" ]] || echo "; outside: fastpaths [$fastpaths_out], ingress [$ingress_out]")"
}

# A VNF of the NS as the VNFM shows it now, mid-operation too (the NS view is refreshed when an operation ends: a scale
# in takes fastpaths out of the ingress, then drains them, and the lab must have left them by then): its fastpaths
# ("index:port,...") and the indexes of its ingress ("index,..."), on one line.
lab_vnf_now() { # ns-json vnf-id
  local vnf now token fastpaths ingress
  vnf=$(jq -c --arg id "$2" '.vnfInstance[]? | select(.id == $id)' <<<"$1")
  [[ -n $vnf ]] || return 1
  token=$(lab_token) || return 1
  now=$(curl -sS --fail -m 5 -H "Authorization: Bearer $token" -H 'Version: 2.0.0' \
    "$VNFM_URL/vnflcm/v2/vnf_instances/$2" 2>/dev/null) && vnf=$now
  fastpaths=$(jq -r '[.instantiatedVnfInfo.vnfcResourceInfo[]? | select(.vduId == "fastpath")
    | "\(.id | sub(".*-"; "")):\(.metadata.dataPort)"] | join(",")' <<<"$vnf")
  ingress=$(jq -r '[.instantiatedVnfInfo.extCpInfo[0].metadata.ingress.endpoints[]?.vnfcId | sub(".*-"; "")]
    | join(",")' <<<"$vnf")
  echo "${fastpaths:-,} ${ingress:-,}"
}

lab_drop_devices() { # ns "index:port ..."
  local dev i
  for dev in $(ip -n "$1" -o link show | awk -F': ' '{print $2}' | grep -E '^vx[0-9]+' | sed 's/@.*//'); do
    i=${dev#vx}
    if [[ $i != 0 && " $2 " != *" $i:"* ]]; then
      ip -n "$1" link del "$dev" 2>/dev/null
    fi
  done
}

# The lab of a VNF that routes between attachments (its configuration has "attachments": each a network behind one of
# the VNF's connection points, on a VNI of its own): each attachment of kind vpc or router becomes a namespace
# isthmus-a<i> (i from 1, in the configuration's order) with one VXLAN device per fastpath (its VNI); a vpc's has the
# host .5 of its first CIDR; each distinct endpoint (a connection point's next hop) is an underlay namespace
# isthmus-ula<j> joined to this host by a veth (host end 198.18.1.<j>), where a router's BGP speaker can run. The VNF
# forwards the inner frame as it came, so a frame must leave addressed to the attachment that takes it: the devices of
# attachment k have the address 02:00:00:00:0a:<k>, and each namespace reaches attachment k's CIDRs through a gateway
# 169.254.0.<k> that resolves to it (the default route through the first router attachment's, if any, else through
# 169.254.0.254, nobody's). Attachments of other kinds are not built.
lab_up_attachments() { # ns-id vnf-json
  local ns_id=$1 vnf=$2 ports count i j name kind vni cidr endpoint key ns ul host_addr
  local -A underlays=()
  ports=$(jq -r '[.instantiatedVnfInfo.vnfcResourceInfo[] | select(.vduId == "fastpath") | .metadata.dataPort] | join(" ")' <<<"$vnf")
  [[ -n $ports ]] || die "the VNF has no fastpath"
  lab_down
  mkdir -p "$LAB_DIR"
  {
    echo "mode=attachments"
    echo "ns=$ns_id"
    echo "vnf=$(jq -r .id <<<"$vnf")"
    echo "fastpaths=$ports"
  } >"$LAB_DIR/lab.env"
  step "lab for NS $ns_id: VNF $(jq -r .id <<<"$vnf") routes between its attachments, fastpaths on ports $ports"
  count=$(jq -r '.vnfConfigurableProperties.attachments | length' <<<"$vnf")
  j=0
  for ((i = 1; i <= count; i++)); do
    name=$(jq -r ".vnfConfigurableProperties.attachments[$((i - 1))].name" <<<"$vnf")
    kind=$(jq -r ".vnfConfigurableProperties.attachments[$((i - 1))].kind" <<<"$vnf")
    [[ $kind == vpc || $kind == router ]] || { say "attachment $name ($kind): not built"; continue; }
    vni=$(jq -r ".vnfConfigurableProperties.attachments[$((i - 1))].vni" <<<"$vnf")
    key=$(jq -r ".vnfConfigurableProperties.attachments[$((i - 1))].connectionPoint" <<<"$vnf")NextHop
    endpoint=$(jq -r --arg key "$key" '.vnfConfigurableProperties[$key] // empty' <<<"$vnf")
    [[ -n $endpoint ]] || die "attachment $name: no $key in the VNF's configuration (the NFVO fills it from the NSD)"
    if [[ -z ${underlays[$endpoint]:-} ]]; then
      lab_check_endpoint "$name" "$endpoint"
      j=$((j + 1))
      underlays[$endpoint]=$j
      lab_add_namespaces "isthmus-ula$j"
      lab_underlay "isthmus-ula$j" "isl-a$j" "198.18.1.$j" "${endpoint%:*}"
    fi
    ul="isthmus-ula${underlays[$endpoint]}"
    host_addr="198.18.1.${underlays[$endpoint]}"
    ns="isthmus-a$i"
    lab_add_namespaces "$ns"
    lab_sysctls "$ns"
    # shellcheck disable=SC2086
    lab_tunnels "$ul" "$ns" "$(printf '02:00:00:00:0a:%02x' "$i")" "$vni" "${endpoint#*:}" "$host_addr" $ports
    echo "attachment=$i $ns $vni $ul ${endpoint#*:} $host_addr" >>"$LAB_DIR/lab.env"
    if [[ $kind == vpc ]]; then
      cidr=$(jq -r ".vnfConfigurableProperties.attachments[$((i - 1))].cidrs[0]" <<<"$vnf")
      ip -n "$ns" addr add "$(lab_address_plus "${cidr%/*}" 5)/${cidr#*/}" dev vx0
      ok "attachment $name: namespace $ns, host $(lab_address_plus "${cidr%/*}" 5) on VNI $vni, endpoint $endpoint"
    else
      ok "attachment $name (router): namespace $ns on VNI $vni, endpoint $endpoint in $ul"
    fi
  done
  printf '%s\n' "$vnf" >"$LAB_DIR/vnf.json"
  lab_attachment_routes
  setsid "$NFV_DIR/nfv" lab sync --follow </dev/null >"$LAB_DIR/follow.log" 2>&1 &
  echo $! >"$LAB_DIR/follow.pid"
  say "Try: ip netns exec isthmus-a1 ping -c 3 <the host .5 of another attachment>; ./nfv lab down"
}

# Every attachment namespace's routes to the others (lab.env, vnf.json): attachment k's CIDRs through 169.254.0.<k>,
# resolved to k's devices, spread over the devices of the fastpaths in the ingress (all of them if none is published).
lab_attachment_routes() { # [devices-filter: "vx0 vx1 ..."]
  local vnf i k ns dev cidr devices kinds_line
  local -A kinds=()
  vnf=$(cat "$LAB_DIR/vnf.json")
  for kinds_line in $(sed -n 's/^attachment=\([0-9]*\) .*/\1/p' "$LAB_DIR/lab.env"); do
    kinds[$kinds_line]=$(jq -r ".vnfConfigurableProperties.attachments[$((kinds_line - 1))].kind" <<<"$vnf")
  done
  local default_gw=169.254.0.254 default_mac=02:00:00:00:0a:fe
  for k in "${!kinds[@]}"; do
    if [[ ${kinds[$k]} == router ]]; then
      default_gw=169.254.0.$k
      default_mac=$(printf '02:00:00:00:0a:%02x' "$k")
      break
    fi
  done
  for i in "${!kinds[@]}"; do
    ns="isthmus-a$i"
    devices=${1:-$(lab_multipath "$ns" | tr ' ' '\n' | grep '^vx')}
    for k in "${!kinds[@]}"; do
      [[ $k != "$i" ]] || continue
      local nexthops=()
      for dev in $devices; do
        ip -n "$ns" neigh replace "169.254.0.$k" lladdr "$(printf '02:00:00:00:0a:%02x' "$k")" dev "$dev" nud permanent
        nexthops+=(nexthop via "169.254.0.$k" onlink dev "$dev")
      done
      if [[ ${kinds[$k]} == vpc ]]; then
        for cidr in $(jq -r ".vnfConfigurableProperties.attachments[$((k - 1))].cidrs[]" <<<"$vnf"); do
          ip -n "$ns" route replace "$cidr" "${nexthops[@]}"
        done
      fi
    done
    local nexthops=()
    for dev in $devices; do
      ip -n "$ns" neigh replace "$default_gw" lladdr "$default_mac" dev "$dev" nud permanent
      nexthops+=(nexthop via "$default_gw" onlink dev "$dev")
    done
    [[ $default_gw == "169.254.0.$i" ]] || ip -n "$ns" route replace default "${nexthops[@]}"
  done
}

# The attachments' lab follows the VNF as the gateway's does: a device per fastpath VNFC pointed at its data port, the
# routes over the devices of the fastpaths in the ingress.
lab_sync_attachments() { # fastpaths ("index:port ...") ingress ("index ...")
  local fastpaths=$1 ingress=$2 line i ns vni ul port host_addr fp devices=""
  while read -r line; do
    read -r i ns vni ul port host_addr <<<"${line#attachment=}"
    for fp in $fastpaths; do
      lab_tunnel "$ul" "$ns" "$(printf '02:00:00:00:0a:%02x' "$i")" "$vni" "$port" "$host_addr" "${fp%%:*}" "${fp#*:}"
    done
  done < <(grep '^attachment=' "$LAB_DIR/lab.env")
  for i in $ingress; do
    devices+="vx$i "
  done
  [[ -n $devices ]] && lab_attachment_routes "$devices"
  return 0
}

lab_address_plus() { # a.b.c.d n -> the address n after it
  local IFS=. a b c d
  read -r a b c d <<<"$1"
  local n=$(((a << 24 | b << 16 | c << 8 | d) + $2))
  echo "$((n >> 24 & 255)).$((n >> 16 & 255)).$((n >> 8 & 255)).$((n & 255))"
}

lab_status() {
  if [[ ! -f $LAB_DIR/lab.env ]]; then
    say "no lab"
    return 0
  fi
  cat "$LAB_DIR/lab.env"
  local n
  for n in "${LAB_NAMESPACES[@]}"; do
    say "$n: $(ip -n "$n" -o -4 addr show 2>/dev/null | awk '$2 != "lo" {print $2, $4}' | tr '\n' ' ')"
  done
}
