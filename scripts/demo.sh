# shellcheck shell=bash
# The demo printed at the end of `./nfv up`. Sourced, not run.
# print_demo: one copy-paste curl sequence that orders a NAT gateway as the tenant alice.
# Variables at hand: OIDC_URL, NFVO_URL, VNFM_URL, VIM_URL (see scripts/lib.sh).
#
# PLACEHOLDER: the lead fills in the API sequence (onboard the NAT package, create and instantiate the NS).

print_demo() {
  cat <<EOF2
Try it (as alice, tenant acme):

  TOKEN=\$(curl -s -d grant_type=password -d client_id=isthmus-cli -d username=alice -d password=alice \\
    $OIDC_URL/protocol/openid-connect/token | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
  curl -s -H "Authorization: Bearer \$TOKEN" $NFVO_URL/q/health
  # TODO(lead): order a NAT gateway through the SOL005 API of $NFVO_URL

EOF2
}
