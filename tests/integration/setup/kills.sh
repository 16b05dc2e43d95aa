#!/bin/bash
# appuser setup (issue 3): SIGKILL at random moments, over hundreds of
# runs on a 10,000-line passwd.  Every file is always its old or its new
# version, no lock or temp blocks the next run, which completes.
# QUICK=1 runs 30 kills instead of 300 (KILL_RUNS sets any number).
. "$(dirname "$0")/../../lib/tap.sh"
. "$(dirname "$0")/../../lib/sandbox.sh"
. "$(dirname "$0")/../../lib/setup.sh"
sandbox_enter "$@"

KILL_RUNS=${KILL_RUNS:-$(quick 300 30)}

# each_known ROOT — every file is one of its known versions.
each_known() {
	local f i=0 h ok=1 o n
	for f in $ACCT_FILES; do
		i=$((i + 1))
		h=$(sha256sum <"$1/etc/$f" | cut -c1-16)
		o=$(cut -d' ' -f$i <<<"$OLD"); n=$(cut -d' ' -f$i <<<"$NEW")
		[ "$h" = "$o" ] || [ "$h" = "$n" ] || { ok=0; echo "$f: unknown version $h"; }
	done
	[ $ok = 1 ]
}

# --- SIGKILL at random moments, hundreds of runs, 10,000-line passwd ----------
R=$(mkroot); add_users "$R" 10000 2000
setup_with "$R" APPLICATION_UID=1500 APPLICATION_GID=1500 -- -q; OLD=$(hashes "$R")
setup_with "$R" APPLICATION_UID=1501 APPLICATION_GID=1501 -- -q; NEW=$(hashes "$R")
t0=$(date +%s%N); setup_with "$R" APPLICATION_UID=1500 APPLICATION_GID=1500 -- -q; t1=$(date +%s%N)
span=$(( (t1 - t0) / 1000 + 1 ))	# microseconds one changing run takes
bad=""; killed=0
for ((i = 1; i <= KILL_RUNS; i++)); do
	uid=$((1500 + i % 2))
	chroot "$R" /usr/bin/env -i PATH="$ROOT_PATH" APPLICATION_UID=$uid APPLICATION_GID=$uid \
		appuser setup -q 2>/dev/null & p=$!
	d=$((RANDOM * 32768 + RANDOM)); d=$((d % span))
	sleep "$(printf '0.%06d' "$d")"
	kill -9 $p 2>/dev/null; wait $p 2>/dev/null	# bounded: SIGKILL
	[ $? = 137 ] && killed=$((killed + 1))
	msg=$(each_known "$R") || bad+="run $i: $msg"$'\n'
done
tap_diag "$killed of $KILL_RUNS runs were killed before they finished (one run: ${span}us)"
is "$bad" "" "SIGKILL x $KILL_RUNS: every file is always an old or a new version"
out=$(setup_with "$R" APPLICATION_UID=1501 APPLICATION_GID=1501 2>&1); rc=$?
is "$rc" 0 "after the kills, the next run completes"
is "$(hashes "$R")" "$NEW" "... and the four files are consistent"
check_clean "$R" "after the kills"
st=$(etc_state "$R")
setup_with "$R" APPLICATION_UID=1501 APPLICATION_GID=1501 -- -q
is "$(etc_state "$R")" "$st" "... and a further run is a no-op"
# The files are now byte-identical to a run that was never killed; that
# such a run's 10,000-line files pass pwck -r and grpck -r is setup.sh's
# test (there it runs beside this loop, not after it).
lines=$(wc -l <"$R/etc/passwd")
[ "$lines" -gt 10000 ] && tap_ok "passwd still has its $lines lines" || tap_not_ok "passwd lost lines: $lines"

done_testing
