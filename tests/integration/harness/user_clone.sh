#!/bin/bash
# The suite run from a checkout that a normal user owns (`sudo make check`
# in a clone of uid 1000, group-writable as with umask 002): throwaway
# roots are root's whoever owns the fixtures they are made from, and tests
# that depend on it (a setuid config in the root's /etc) pass from there.
# Before this, such a run hung in attacks.sh and reported ~96 failures.
. "$(dirname "$0")/../../lib/tap.sh"
. "$(dirname "$0")/../../lib/sandbox.sh"
sandbox_enter "$@"

C=$(sandbox_tmpdir)
cp -R "$TESTS" "$C/tests"
mkdir -p "$C/build/tests"
cp "$APPUSER_BIN" "$C/build/appuser"
[ -x "${APPUSER_STATIC:-}" ] && cp "$APPUSER_STATIC" "$C/build/appuser-static"
chown -R 1000:1000 "$C"; chmod -R g+w "$C"
is "$(stat -c '%u:%g %A' "$C/tests/fixtures/webdevops/passwd")" "1000:1000 -rw-rw-r--" \
	"the copy belongs to uid 1000 and is group-writable"

# A root made from the user's fixture: /etc and all in it root's, and
# nothing writable by group or others.
R=$(mkroot "$C/tests/fixtures/webdevops")
is "$(stat -c '%u:%g %a' "$R/etc")" "0:0 755" "the root's /etc is root's, 0755"
is "$(find "$R/etc" ! -user 0 -printf '%u %p\n')" "" "every file in it belongs to root"
is "$(find "$R/etc" -perm /022 ! -type l -printf '%m %p\n')" "" "none is writable by group or others"

# Part of the suite, run by the copy's own runner (outside this sandbox).
out=$(env -u APPUSER_IN_SANDBOX -u APPUSER_SANDBOX_DIR -u APPUSER_BIN -u APPUSER_STATIC \
	-u TESTS -u TOP B="$C/build" QUICK=1 TEST_TIMEOUT=300 \
	"$C/tests/run" integration/exec/setuid.sh integration/status.sh 2>&1)
last=$(tail -n 1 <<<"$out")
if [[ $last =~ ^[1-9][0-9]*\ passed,\ 0\ failed,\ 0\ skipped$ ]]; then
	tap_ok "exec/setuid.sh and status.sh from the user's copy: $last"
else
	tap_not_ok "exec/setuid.sh and status.sh from the user's copy: all pass"
	tap_diag "$last" "$(grep -E -A3 '^not ok' <<<"$out" | head -20)"
fi

done_testing
