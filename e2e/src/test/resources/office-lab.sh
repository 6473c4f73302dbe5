#!/usr/bin/env bash
# The office chain's network (OfficeChainEndToEndIT; deploy/demo/office-nsd.yaml): the three NS endpoints of an
# office -> VPN gateway -> CEN -> two VPCs chain as network namespaces with kernel VXLAN tunnels to the fastpaths of the
# VNF at each edge, built with scripts/lab.sh's recipes (underlay namespaces joined to this host by veths, VXLAN devices
# made there and moved to the tenant side, static neighbours because every fastpath forwards the inner Ethernet frame as
# it came). The link between the gateway and the CEN is the NFVO's: nothing here knows it.
#
#   isthmus-of-office  the office: its router's public address 203.0.113.130 (where strongSwan runs) and a host
#                      172.16.1.1, both on its loopback; one device per fastpath of the gateway (outside VNI 200), the
#                      gateway's public address 203.0.113.10 routed over them
#   isthmus-of-vpc-a   VPC A: 10.1.0.5/16 on vx0..; one device per fastpath of the CEN (VNI 110); the office's prefix
#                      172.16.1.0/24 routed over them (ECMP), MTU 1400 for the ESP the gateway adds
#   isthmus-of-vpc-b   VPC B: 10.2.0.5/16, likewise (VNI 120)
#   isthmus-ulofo/     underlay namespaces holding the endpoints internet 198.18.6.2:4789, vpc-a 198.18.6.6:4789 and
#   ulofa/ulofb        vpc-b 198.18.6.10:4789, joined to the host (198.18.6.1, .5, .9) by veths isl-ofo0/1, ...
#
# A frame is addressed to the namespace that takes it, whichever VNFs it crosses: the gateway decrypts the office's ESP
# into the Ethernet frame the ESP came in, and the CEN forwards it as it is, so the office sends to MAC_VPC, which both
# VPCs' devices have (one frame header serves either VPC); the VPCs send to MAC_OFFICE, which the encrypted frames keep.
#
# Usage: office-lab.sh up <vpn data ports> <cen data ports>   (each comma-separated, in VNFC index order)
#        |  office-lab.sh down
# Nothing leaves the machine: every address lives in these namespaces or on their veths.
set -u

NS_OFFICE=isthmus-of-office
NS_VPC_A=isthmus-of-vpc-a
NS_VPC_B=isthmus-of-vpc-b
NS_ULO=isthmus-ulofo
NS_ULA=isthmus-ulofa
NS_ULB=isthmus-ulofb
NAMESPACES=("$NS_OFFICE" "$NS_VPC_A" "$NS_VPC_B" "$NS_ULO" "$NS_ULA" "$NS_ULB")
OFFICE_ROUTER=203.0.113.130
OFFICE_HOST=172.16.1.1
OFFICE_PREFIX=172.16.1.0/24
PUBLIC=203.0.113.10
HOST_A=10.1.0.5/16
HOST_B=10.2.0.5/16
OUTSIDE_VNI=200
VPC_A_VNI=110
VPC_B_VNI=120
MAC_OFFICE=02:00:00:00:06:01
MAC_VPC=02:00:00:00:06:02
# on-link gateways, each resolved to the MAC of the namespace behind it
GW_VPC=169.254.0.2
GW_OFFICE=169.254.0.1

die() {
  echo "office-lab: $*" >&2
  exit 1
}

warn() {
  echo "office-lab: $*" >&2
}

# lab_underlay, lab_tunnels, lab_sysctls, lab_route_over, lab_remove_namespaces: the VPC lab's recipes
# shellcheck source=../../../../scripts/lab.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)/scripts/lab.sh" || die "cannot read scripts/lab.sh"

down() {
  lab_remove_namespaces "${NAMESPACES[@]}"
  ip link del isl-ofo0 2>/dev/null
  ip link del isl-ofa0 2>/dev/null
  ip link del isl-ofb0 2>/dev/null
  return 0
}

up() { # vpn-ports cen-ports
  [[ $# -eq 2 ]] || die "up takes the data ports of the VPN gateway's and the CEN's fastpaths"
  down
  lab_add_namespaces "${NAMESPACES[@]}"
  lab_endpoint "$NS_ULO" isl-ofo 198.18.6.1 198.18.6.2 "$NS_OFFICE" "$MAC_OFFICE" "$OUTSIDE_VNI" "$1"
  lab_endpoint "$NS_ULA" isl-ofa 198.18.6.5 198.18.6.6 "$NS_VPC_A" "$MAC_VPC" "$VPC_A_VNI" "$2"
  lab_endpoint "$NS_ULB" isl-ofb 198.18.6.9 198.18.6.10 "$NS_VPC_B" "$MAC_VPC" "$VPC_B_VNI" "$2"

  ip -n "$NS_OFFICE" addr add "$OFFICE_ROUTER/32" dev lo
  ip -n "$NS_OFFICE" addr add "$OFFICE_HOST/32" dev lo
  lab_route_over "$NS_OFFICE" "$PUBLIC/32" "$GW_VPC" "$MAC_VPC" src "$OFFICE_ROUTER"

  ip -n "$NS_VPC_A" addr add "$HOST_A" dev vx0
  lab_route_over "$NS_VPC_A" "$OFFICE_PREFIX" "$GW_OFFICE" "$MAC_OFFICE" mtu 1400
  ip -n "$NS_VPC_B" addr add "$HOST_B" dev vx0
  lab_route_over "$NS_VPC_B" "$OFFICE_PREFIX" "$GW_OFFICE" "$MAC_OFFICE" mtu 1400
}

[[ $(id -u) == 0 ]] || die "needs root"
case ${1:-} in
  up) shift; up "$@" ;;
  down) down ;;
  *) die "usage: office-lab.sh up <vpn ports> <cen ports> | down" ;;
esac
