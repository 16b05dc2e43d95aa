# tap.sh — a small TAP assert library for the shell tests.
# ok/not ok lines on stdout; diagnostics as "# ..." lines.
# TAP_TODO=REASON marks the tests that follow as known failures (TAP's
# "# TODO"): a failure is counted in TAP_TODO_FAILED, not TAP_FAILED, and a
# pass in TAP_TODO_PASSED, so that the mark gets removed.
TAP_N=0
TAP_FAILED=0
TAP_TODO=
TAP_TODO_FAILED=0
TAP_TODO_PASSED=0
TAP_SKIPPED=0

tap_ok() {
	TAP_N=$((TAP_N + 1))
	if [ -n "$TAP_TODO" ]; then TAP_TODO_PASSED=$((TAP_TODO_PASSED + 1)); echo "ok $TAP_N - $* # TODO $TAP_TODO"
	else echo "ok $TAP_N - $*"; fi
}
tap_not_ok() {
	TAP_N=$((TAP_N + 1))
	if [ -n "$TAP_TODO" ]; then TAP_TODO_FAILED=$((TAP_TODO_FAILED + 1)); echo "not ok $TAP_N - $* # TODO $TAP_TODO"
	else TAP_FAILED=$((TAP_FAILED + 1)); echo "not ok $TAP_N - $*"; fi
}
tap_diag()   { printf '%s\n' "$@" | cut -c1-300 | head -20 | sed 's/^/#   /'; }
tap_skip()   { TAP_N=$((TAP_N + 1)); TAP_SKIPPED=$((TAP_SKIPPED + 1)); echo "ok $TAP_N - $1 # SKIP $2"; }

# check DESC CMD... — passes when CMD exits 0.
check() {
	local desc=$1; shift
	local out
	if out=$("$@" 2>&1); then tap_ok "$desc"; else tap_not_ok "$desc"; tap_diag "command: $*" "$out"; fi
}
# check_fail DESC CMD... — passes when CMD exits non-zero.
check_fail() {
	local desc=$1; shift
	local out
	if out=$("$@" 2>&1); then tap_not_ok "$desc"; tap_diag "command unexpectedly succeeded: $*" "$out"; else tap_ok "$desc"; fi
}
# is GOT WANT DESC
is() {
	if [ "$1" == "$2" ]; then tap_ok "$3"; return; fi
	tap_not_ok "$3"
	if [[ $1 == *$'\n'* || $2 == *$'\n'* ]]; then	# only the lines that differ
		tap_diag "lines that differ (< want, > got):" \
			"$(diff <(printf '%s\n' "$2") <(printf '%s\n' "$1") | grep '^[<>]')"
	else
		tap_diag "got:  '$1'" "want: '$2'"
	fi
}
# like GOT REGEX DESC
like() {
	if [[ $1 =~ $2 ]]; then tap_ok "$3"; else
		tap_not_ok "$3"; tap_diag "got:  '$1'" "want match: /$2/"; fi
}
# unlike GOT REGEX DESC
unlike() {
	if [[ $1 =~ $2 ]]; then tap_not_ok "$3"; tap_diag "got:  '$1'" "must not match: /$2/"; else
		tap_ok "$3"; fi
}
# status WANT DESC CMD... — exit status of CMD equals WANT.
status_is() {
	local want=$1 desc=$2; shift 2
	local out rc
	out=$("$@" 2>&1); rc=$?
	if [ "$rc" = "$want" ]; then tap_ok "$desc"; else
		tap_not_ok "$desc"; tap_diag "command: $*" "exit $rc, want $want" "$out"; fi
}
# quick FULL SHORT — a loop count: SHORT under QUICK=1 (local runs), else
# FULL (CI).  QUICK only ever shortens a loop, it never drops a test.
quick() { if [ "${QUICK:-}" = 1 ]; then echo "$2"; else echo "$1"; fi; }
done_testing() { echo "1..$TAP_N"; [ "$TAP_FAILED" = 0 ]; }
