# Order a NAT gateway through the SOL005 API and curl through it from a VPC. Run from the repository's folder
# after ./nfv up (needs curl >= 7.84; the lab needs root, jq and iproute2). Stops at the first failure.
set -euo pipefail # (script only)
NFVO=${NFVO:-http://127.0.0.1:8081}
TOKENS=${OIDC:-http://127.0.0.1:8180/realms/isthmus}/protocol/openid-connect/token
[[ -f vnf-nat/target/vnf-nat.csar ]] || { echo "vnf-nat/target/vnf-nat.csar is missing: ./nfv up builds it" >&2; exit 1; } # (script only)
token() { curl -sS --fail-with-body -d grant_type=password -d client_id=isthmus-cli -d username=$1 -d password=$1 $TOKENS | sed 's/.*"access_token":"\([^"]*\)".*/\1/'; }
api() { local who=$1; shift; curl -sS --fail-with-body -H "Authorization: Bearer $who" -H 'Version: 2.0.0' "$@"; }
OSCAR=$(token oscar); ALICE=$(token alice)
# 1. the operator on-boards the NAT VNF package, the SOL004 CSAR the build made of vnf-nat/src/main/csar
#    (skipped when it is there already; a refused upload takes its empty package away again)
PKGS=$(api $OSCAR "$NFVO/vnfpkgm/v2/vnf_packages?filter=(eq,vnfdId,isthmus-nat-1.0)")
if [[ $PKGS != *ONBOARDED* ]]; then
  PKG=$(api $OSCAR -o /dev/null -w '%header{location}' -H 'Content-Type: application/json' -d '{}' $NFVO/vnfpkgm/v2/vnf_packages)
  api $OSCAR -X PUT -H 'Content-Type: application/zip' --data-binary @vnf-nat/target/vnf-nat.csar $PKG/package_content \
    || { api $OSCAR -X DELETE $PKG; exit 1; }
fi
# 2. alice (tenant acme) on-boards an NSD that uses it, and creates an NS instance
NSD=$(api $ALICE -o /dev/null -w '%header{location}' -H 'Content-Type: application/json' -d '{}' $NFVO/nsd/v2/ns_descriptors)
api $ALICE -X PUT -H 'Content-Type: text/plain' --data-binary @deploy/demo/nat-gateway-nsd.yaml $NSD/nsd_content \
  || { api $ALICE -X DELETE $NSD; exit 1; }
NS=$(api $ALICE -o /dev/null -w '%header{location}' -H 'Content-Type: application/json' -d '{"nsdId":"nat-gateway","nsName":"office-nat"}' $NFVO/nslcm/v2/ns_instances)
echo "NS instance: $NS"
# 3. ...and instantiates it (NAT config in deploy/demo/instantiate-nat.json): 202, then watch the operation
OP=$(api $ALICE -o /dev/null -w '%header{location}' -H 'Content-Type: application/json' -d @deploy/demo/instantiate-nat.json $NS/instantiate)
for i in $(seq 60); do S=$(api $ALICE $OP | grep -o '"operationState":"[A-Z_]*"'); echo "$S"; case $S in *COMPLETED*|*FAILED*) break;; esac; sleep 1; done
[[ $S == *COMPLETED* ]] || { echo "the instantiation did not complete: $S" >&2; exit 1; } # (script only)
# 4. the VPC lab (root): the tenant's VPC and the outside as network namespaces with kernel VXLAN tunnels to the
#    gateway's fastpaths (docs/lab.md), then a real curl from the VPC through the NAT to a server outside
NS_ID=${NS##*/}
if [[ $(id -u) != 0 ]]; then echo "now, as root: ./nfv lab up $NS_ID && ip netns exec isthmus-vpc curl http://203.0.113.130/"; exit 0; fi # (script only)
ISTHMUS_NFVO_URL=$NFVO ISTHMUS_OIDC_URL=${OIDC:-http://127.0.0.1:8180/realms/isthmus} ./nfv lab up $NS_ID
ip netns exec isthmus-vpc curl -sS --fail-with-body http://203.0.113.130/
# 5. when you are done: ./nfv lab down, then terminate (and DELETE $NS once the operation is COMPLETED)
echo "terminate with: curl -s -X POST -H \"Authorization: Bearer \$ALICE\" -H 'Version: 2.0.0' -H 'Content-Type: application/json' -d '{}' $NS/terminate"
