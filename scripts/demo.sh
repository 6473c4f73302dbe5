# shellcheck shell=bash
# The demos printed at the end of `./nfv up`. Sourced, not run.
# print_demo: the copy-paste sequence of each deploy/demo/order-*.sh, with this platform's URLs; each script's first
# line says what it orders.
# Variables at hand: OIDC_URL, NFVO_URL, VNFM_URL, VIM_URL (see scripts/lib.sh).

print_demo() {
  local demo title
  for demo in "$ISTHMUS_HOME"/deploy/demo/order-*.sh; do
    [[ -f $demo ]] || continue
    title=$(head -n1 "$demo" | sed -e 's/^# //' -e 's/\. Run from.*//')
    say "$title (copy-paste into a shell in $ISTHMUS_HOME,"
    say "or run: bash deploy/demo/$(basename "$demo")):"
    say ""
    say "  cd $ISTHMUS_HOME"
    say "  NFVO=$NFVO_URL OIDC=$OIDC_URL"
    grep -v '^NFVO=\|^JAVA=\|^# Order\|^# after\|# (script only)$' "$demo" \
      | sed -e "s|^TOKENS=.*|TOKENS=\$OIDC/protocol/openid-connect/token|" -e 's/^/  /'
    say ""
  done
}
