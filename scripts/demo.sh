# shellcheck shell=bash
# The demo printed at the end of `./nfv up`. Sourced, not run.
# print_demo: the copy-paste sequence of deploy/demo/order-nat-gateway.sh, with this platform's URLs.
# Variables at hand: OIDC_URL, NFVO_URL, VNFM_URL, VIM_URL (see scripts/lib.sh), JAVA (scripts/lib.sh find_java).

print_demo() {
  say "Order a NAT gateway and send a packet through it (copy-paste into a shell in $ISTHMUS_HOME,"
  say "or run: bash deploy/demo/order-nat-gateway.sh):"
  say ""
  say "  cd $ISTHMUS_HOME"
  say "  NFVO=$NFVO_URL OIDC=$OIDC_URL JAVA=$JAVA"
  grep -v '^NFVO=\|^JAVA=\|^# Order\|^# after' "$ISTHMUS_HOME/deploy/demo/order-nat-gateway.sh" \
    | sed -e "s|^TOKENS=.*|TOKENS=\$OIDC/protocol/openid-connect/token|" -e 's/^/  /'
  say ""
}
