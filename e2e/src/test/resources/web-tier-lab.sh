#!/usr/bin/env bash
# The web tier chain's network (WebTierChainEndToEndIT; deploy/demo/web-tier-nsd.yaml): the three NS endpoints of a
# load balancer -> NAT -> CEN -> NAT chain as network namespaces with kernel VXLAN tunnels to the fastpaths of the VNF at
# each edge, built with scripts/lab.sh's recipes (underlay namespaces joined to this host by veths, VXLAN devices made
# there and moved to the tenant side, static neighbours because every fastpath forwards the inner Ethernet frame as it
# came). The links between the VNFs are the NFVO's: nothing here knows them.
#
#   isthmus-wt-client   the clients: 172.16.1.5 on vx0..; the VIP 172.16.9.10 routed over one device per fastpath
#                       of the load balancer (ECMP by the inner 5-tuple; frontend VNI 300)
#   isthmus-wt-servers  the servers' VPC: 10.20.0.11-.13 on vx0..; one device per fastpath of the CEN (VNI 320); the
#                       load balancer's ranges 10.30.0.0/15 (its own, its NAT's) and the default route over them, ECMP
#   isthmus-wt-internet the router after the NAT: one device per fastpath of the NAT (outside VNI 200), the NAT's
#                       public address 203.0.113.10 routed over them; the server 203.0.113.130 on its loopback
#   isthmus-ulwc/ulws/  underlay namespaces holding the endpoints clients 198.18.4.2:4789, servers 198.18.4.6:4789 and
#   ulwi                internet 198.18.4.10:4789, joined to the host (198.18.4.1, .5, .9) by veths isl-wc0/1, ...
#
# A frame is addressed to the namespace that takes it, whichever VNFs it crosses: the clients' devices have MAC_CLIENT
# and send to MAC_SERVERS, the servers send to MAC_CLIENT (the load balancer's ranges) or MAC_INTERNET (the rest), the
# router sends to MAC_SERVERS.
#
# Usage: web-tier-lab.sh up <lb data ports> <cen data ports> <nat data ports>   (each comma-separated, in VNFC index
#        order)  |  web-tier-lab.sh down
# Nothing leaves the machine: every address lives in these namespaces or on their veths.
set -u

NS_CLIENT=isthmus-wt-client
NS_SERVERS=isthmus-wt-servers
NS_INTERNET=isthmus-wt-internet
NS_ULC=isthmus-ulwc
NS_ULS=isthmus-ulws
NS_ULI=isthmus-ulwi
NAMESPACES=("$NS_CLIENT" "$NS_SERVERS" "$NS_INTERNET" "$NS_ULC" "$NS_ULS" "$NS_ULI")
CLIENT=172.16.1.5
VIP=172.16.9.10
SERVERS=(10.20.0.11 10.20.0.12 10.20.0.13)
LB_RANGES=10.30.0.0/15
PUBLIC=203.0.113.10
INTERNET_SERVER=203.0.113.130
FRONTEND_VNI=300
SERVERS_VNI=320
OUTSIDE_VNI=200
MAC_CLIENT=02:00:00:00:04:01
MAC_SERVERS=02:00:00:00:04:02
MAC_INTERNET=02:00:00:00:04:03
# on-link gateways, each resolved to the MAC of the namespace behind it
GW_CLIENT=169.254.0.1
GW_INTERNET=169.254.0.3
GW_SERVERS=169.254.0.2

die() {
  echo "web-tier-lab: $*" >&2
  exit 1
}

warn() {
  echo "web-tier-lab: $*" >&2
}

# lab_underlay, lab_tunnels, lab_sysctls, lab_route_over, lab_remove_namespaces: the VPC lab's recipes
# shellcheck source=../../../../scripts/lab.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)/scripts/lab.sh" || die "cannot read scripts/lab.sh"

down() {
  lab_remove_namespaces "${NAMESPACES[@]}"
  ip link del isl-wc0 2>/dev/null
  ip link del isl-ws0 2>/dev/null
  ip link del isl-wi0 2>/dev/null
  return 0
}

up() { # lb-ports cen-ports nat-ports
  [[ $# -eq 3 ]] || die "up takes the data ports of the load balancer's, the CEN's and the NAT's fastpaths"
  down
  local address
  lab_add_namespaces "${NAMESPACES[@]}"
  lab_endpoint "$NS_ULC" isl-wc 198.18.4.1 198.18.4.2 "$NS_CLIENT" "$MAC_CLIENT" "$FRONTEND_VNI" "$1"
  lab_endpoint "$NS_ULS" isl-ws 198.18.4.5 198.18.4.6 "$NS_SERVERS" "$MAC_SERVERS" "$SERVERS_VNI" "$2"
  lab_endpoint "$NS_ULI" isl-wi 198.18.4.9 198.18.4.10 "$NS_INTERNET" "$MAC_INTERNET" "$OUTSIDE_VNI" "$3"

  ip -n "$NS_CLIENT" addr add "$CLIENT/24" dev vx0
  lab_route_over "$NS_CLIENT" "$VIP/32" "$GW_SERVERS" "$MAC_SERVERS" src "$CLIENT"

  for address in "${SERVERS[@]}"; do
    ip -n "$NS_SERVERS" addr add "$address/24" dev vx0
  done
  lab_route_over "$NS_SERVERS" "$LB_RANGES" "$GW_CLIENT" "$MAC_CLIENT"
  lab_route_over "$NS_SERVERS" default "$GW_INTERNET" "$MAC_INTERNET"

  ip -n "$NS_INTERNET" addr add "$INTERNET_SERVER/32" dev lo
  lab_route_over "$NS_INTERNET" "$PUBLIC/32" "$GW_SERVERS" "$MAC_SERVERS" src "$INTERNET_SERVER"
}

[[ $(id -u) == 0 ]] || die "needs root"
case ${1:-} in
  up) shift; up "$@" ;;
  down) down ;;
  *) die "usage: web-tier-lab.sh up <lb ports> <cen ports> <nat ports> | down" ;;
esac
