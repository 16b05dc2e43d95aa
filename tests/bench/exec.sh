#!/bin/bash
# exec latency: appuser exec vs gosu, setpriv, chpst and plain true, per
# fork+exec+wait, interleaved, medians and ratios (issue 2's targets:
# appuser <= 1.1x chpst, <= 0.6x gosu).
set -eu
B=${TOP:?}/build
cc -O2 -o "$B/spawn" "$TESTS/bench/spawn.c"
ROUNDS=${ROUNDS:-2000}
for t in gosu setpriv chpst; do command -v $t >/dev/null || { echo "missing $t (apt-get install gosu util-linux runit)"; exit 1; }; done
echo "fork+exec+wait of /bin/true as nobody, $ROUNDS interleaved rounds"
"$B/spawn" "$ROUNDS" \
	"chpst|$(command -v chpst) -u nobody /bin/true" \
	"true|/bin/true" \
	"appuser (static)|$APPUSER_STATIC exec -u nobody /bin/true" \
	"appuser (dynamic)|$APPUSER_BIN exec -u nobody /bin/true" \
	"appuser --seccomp none|$APPUSER_STATIC exec --seccomp none -u nobody /bin/true" \
	"setpriv|$(command -v setpriv) --reuid=65534 --regid=65534 --clear-groups /bin/true" \
	"gosu|$(command -v gosu) nobody /bin/true"
