#!/usr/bin/env bash
# The SLB end-to-end test's network (SlbEndToEndIT; docs/slb.md "The end-to-end test"): clients and the backends' VPC
# as network namespaces with kernel VXLAN tunnels to the load balancer's fastpaths, built as scripts/lab.sh builds the
# NAT's lab (underlay namespaces joined to this host by veths, VXLAN devices made there and moved to the tenant side,
# static neighbours because the fastpath forwards the inner Ethernet frame as it is).
#
#   isthmus-slb-client  clients 172.16.1.5, .6 on cvx0; the VIP 172.16.9.10 routed over cvx0.. (one device per
#                       fastpath, ECMP by the inner 5-tuple) via a gateway whose MAC is the VPC device's
#   isthmus-slb-vpc     backends 10.20.0.11-.14 on vx0 (to the first fastpath); the load balancer's local address
#                       10.20.0.250 on-link, its MAC the clients' device's; isb-m1 198.18.3.10/30 to the host, whose
#                       route 10.20.0.0/24 via it carries the slowpath's health checks
#   isthmus-slb-ulc,    underlay namespaces holding the NS's endpoints clients 198.18.3.2:4789 and vpc 198.18.3.6:4789,
#   isthmus-slb-ulv     joined to the host (198.18.3.1, .5) by veths isb-c0/1, isb-v0/1
#
# Usage: slb-lab.sh up <fastpath data port>...  |  slb-lab.sh down
# Nothing leaves the machine: every address lives in these namespaces or on their veths.
set -u

NS_CLIENT=isthmus-slb-client
NS_VPC=isthmus-slb-vpc
NS_ULC=isthmus-slb-ulc
NS_ULV=isthmus-slb-ulv
NAMESPACES=("$NS_CLIENT" "$NS_VPC" "$NS_ULC" "$NS_ULV")
HOST_C=198.18.3.1
ENDPOINT_C=198.18.3.2
HOST_V=198.18.3.5
ENDPOINT_V=198.18.3.6
HOST_M=198.18.3.9
VPC_M=198.18.3.10
CLIENTS=(172.16.1.5 172.16.1.6)
GATEWAY=172.16.1.1
VIP=172.16.9.10
BACKENDS=(10.20.0.11 10.20.0.12 10.20.0.13 10.20.0.14)
LOCAL_ADDRESS=10.20.0.250
FRONTEND_VNI=300
BACKEND_VNI=100
# a VXLAN device drops a frame from its own address as a loop, so the two sides' devices differ
MAC_CLIENT=02:00:00:00:03:01
MAC_VPC=02:00:00:00:03:02

die() {
  echo "slb-lab: $*" >&2
  exit 1
}

warn() {
  echo "slb-lab: $*" >&2
}

# lab_underlay, lab_sysctls, lab_remove_namespaces: the NAT lab's recipes
# shellcheck source=../../../../scripts/lab.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)/scripts/lab.sh" || die "cannot read scripts/lab.sh"

down() {
  lab_remove_namespaces "${NAMESPACES[@]}"
  ip route del 10.20.0.0/24 via "$VPC_M" 2>/dev/null
  ip link del isb-c0 2>/dev/null
  ip link del isb-v0 2>/dev/null
  ip link del isb-m0 2>/dev/null
  return 0
}

# A VXLAN device made in the underlay namespace (its UDP socket, port 4789 + index, lives there), moved to the target.
tunnel() { # underlay-ns underlay-if target-ns name mac vni host_addr index fastpath-port
  local ul=$1 ulif=$2 target=$3 name=$4 mac=$5 vni=$6 host_addr=$7 i=$8 fp=$9
  ip -n "$ul" link add "$name" address "$mac" type vxlan id "$vni" dstport $((4789 + i)) nolearning dev "$ulif" \
    || die "could not make VXLAN device $name (VNI $vni) in $ul"
  ip -n "$ul" link set "$name" netns "$target"
  ip netns exec "$target" bridge fdb append 00:00:00:00:00:00 dev "$name" dst "$host_addr" port "$fp" self permanent
  ip -n "$target" link set "$name" up
}

up() { # fastpath data ports...
  [[ $# -gt 0 ]] || die "up takes the fastpaths' data ports"
  down
  local i=0 fp address nexthops=()
  lab_add_namespaces "${NAMESPACES[@]}"
  lab_underlay "$NS_ULC" isb-c "$HOST_C" "$ENDPOINT_C"
  lab_underlay "$NS_ULV" isb-v "$HOST_V" "$ENDPOINT_V"

  lab_sysctls "$NS_CLIENT"
  for fp in "$@"; do
    tunnel "$NS_ULC" isb-c1 "$NS_CLIENT" "cvx$i" "$MAC_CLIENT" "$FRONTEND_VNI" "$HOST_C" "$i" "$fp"
    ip -n "$NS_CLIENT" neigh replace "$GATEWAY" lladdr "$MAC_VPC" dev "cvx$i" nud permanent
    nexthops+=(nexthop via "$GATEWAY" onlink dev "cvx$i")
    i=$((i + 1))
  done
  for address in "${CLIENTS[@]}"; do
    ip -n "$NS_CLIENT" addr add "$address/24" dev cvx0
  done
  ip -n "$NS_CLIENT" route add "$VIP/32" src "${CLIENTS[0]}" "${nexthops[@]}" || die "could not route the VIP"

  # the backends answer the load balancer's local address on-link, through the first fastpath (every fastpath has
  # every connection's rules)
  lab_sysctls "$NS_VPC"
  tunnel "$NS_ULV" isb-v1 "$NS_VPC" vx0 "$MAC_VPC" "$BACKEND_VNI" "$HOST_V" 0 "$1"
  for address in "${BACKENDS[@]}"; do
    ip -n "$NS_VPC" addr add "$address/24" dev vx0
  done
  ip -n "$NS_VPC" neigh replace "$LOCAL_ADDRESS" lladdr "$MAC_CLIENT" dev vx0 nud permanent

  # the slowpath's health checks, from this host
  ip link add isb-m0 type veth peer name isb-m1 netns "$NS_VPC" || die "could not make veth isb-m0"
  ip addr add "$HOST_M/30" dev isb-m0
  ip link set isb-m0 up
  ip -n "$NS_VPC" addr add "$VPC_M/30" dev isb-m1
  ip -n "$NS_VPC" link set isb-m1 up
  ip route add 10.20.0.0/24 via "$VPC_M" || die "could not route the backends' VPC from the host"
}

[[ $(id -u) == 0 ]] || die "needs root"
case ${1:-} in
  up) shift; up "$@" ;;
  down) down ;;
  *) die "usage: slb-lab.sh up <fastpath data port>... | down" ;;
esac
