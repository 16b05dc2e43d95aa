#!/bin/bash
# appuser setup (issue 3): the account database writer under faults.
# ENOSPC/EIO injected at every write, fsync, rename, link and fchown
# (strace), a full filesystem, `ulimit -f`, a bind-mounted file (EBUSY),
# stale and live locks, a killed run's journal, two setups at once
# (SIGKILL at random moments: kills.sh).  Always: the four files are
# together their old or their new version, nothing is left behind, the
# next run works.
. "$(dirname "$0")/../../lib/tap.sh"
. "$(dirname "$0")/../../lib/sandbox.sh"
. "$(dirname "$0")/../../lib/setup.sh"
sandbox_enter "$@"

# snapshot ROOT NAME / restore ROOT NAME — account files kept in the root.
snapshot() { mkdir -p "$1/snap/$2"; (cd "$1/etc" && cp -p $ACCT_FILES "$1/snap/$2/"); }
restore() {
	local f
	for f in $ACCT_FILES; do cat "$1/snap/$2/$f" >"$1/etc/$f"; done
}
# which ROOT — "old", "new" or "mixed:..." for the four files together.
which_state() {
	local h; h=$(hashes "$1")
	if [ "$h" = "$OLD" ]; then echo old; elif [ "$h" = "$NEW" ]; then echo new; else echo "mixed: $h"; fi
}
run_change() {	# ROOT [PREFIX-CMD...] — the changing setup
	local r=$1; shift
	# (LeakSanitizer cannot run under strace's ptrace: SANITIZE=1 builds)
	chroot "$r" /usr/bin/env -i PATH="$ROOT_PATH" APPLICATION_UID=1500 APPLICATION_GID=1500 \
		ASAN_OPTIONS=detect_leaks=0 "$@" appuser setup -q
}

R=$(mkroot)
setup_in "$R" -q					# application at 1000:1000
snapshot "$R" old; OLD=$(hashes "$R")
run_change "$R"; NEW=$(hashes "$R"); snapshot "$R" new
[ "$OLD" != "$NEW" ] && tap_ok "the changing run changes passwd and group" || tap_not_ok "baseline"
restore "$R" old

# --- strace fault injection at each call of each syscall ----------------------
count_calls() {	# ROOT SYSCALL-REGEX
	restore "$1" old
	run_change "$1" strace -qq -o /tmp/count.trace -e trace=write,fsync,fdatasync,renameat,renameat2,rename,linkat,link,fchown >/dev/null 2>&1
	grep -cE "^($2)\(" "$1/tmp/count.trace"
}
inject_bad=""
inject_runs=0
for spec in "write:write" "fsync,fdatasync:fsync|fdatasync" "renameat,renameat2,rename:renameat2?|rename" \
	    "linkat,link:linkat|link" "fchown:fchown"; do
	calls=${spec%%:*}; re=${spec#*:}
	n=$(count_calls "$R" "$re")
	[ "$n" -gt 0 ] || { tap_not_ok "strace saw no $calls call"; continue; }
	for ((k = 1; k <= n; k++)); do
		for err in ENOSPC EIO; do
			[ $err = EIO ] && [ $((k % 3)) != 1 ] && continue	# EIO: a sample
			restore "$R" old
			out=$(run_change "$R" strace -qq -o /dev/null -e inject=$calls:error=$err:when=$k 2>&1); rc=$?
			st=$(which_state "$R"); left=$(leftovers "$R")
			inject_runs=$((inject_runs + 1))
			if { [ $rc = 0 ] && [ "$st" = new ]; } || { [ $rc = 125 ] && [ "$st" = old ]; }; then :; else
				inject_bad+="$calls#$k $err: exit $rc, files $st; $out"$'\n'
			fi
			[ -z "$left" ] || inject_bad+="$calls#$k $err: left $left"$'\n'
			out=$(run_change "$R" 2>&1); rc=$?
			[ $rc = 0 ] && [ "$(which_state "$R")" = new ] && [ -z "$(leftovers "$R")" ] ||
				inject_bad+="$calls#$k $err: the next run: exit $rc $out"$'\n'
		done
	done
done
is "$inject_bad" "" "fault injection ($inject_runs runs): exit 0 with new files or 125 with old files, nothing left, next run completes"

# --- a full filesystem ----------------------------------------------------------
restore "$R" old
cp -a "$R/etc" "$R/etc.copy"
mount -t tmpfs -o size=2m,mode=0755 appuser-etc "$R/etc" && cp -a "$R/etc.copy/." "$R/etc/"
dd if=/dev/zero of="$R/etc/zz-fill" bs=4k 2>/dev/null
out=$(run_change "$R" 2>&1); rc=$?
is "$rc" 125 "full filesystem: 125"
like "$out" "No space left on device" "full filesystem: the message says ENOSPC"
is "$(which_state "$R")" old "full filesystem: files unchanged"
check_clean "$R" "full filesystem"
rm -f "$R/etc/zz-fill"
check "full filesystem: the next run completes" run_change "$R"
is "$(which_state "$R")" new "full filesystem: then the new version"
umount "$R/etc"

# --- ulimit -f ----------------------------------------------------------------
R=$(mkroot); add_users "$R" 200 3000; setup_in "$R" -q
snapshot "$R" old; OLD=$(hashes "$R"); run_change "$R"; NEW=$(hashes "$R"); snapshot "$R" new
restore "$R" old
out=$(chroot "$R" /usr/bin/env -i PATH="$ROOT_PATH" APPLICATION_UID=1500 APPLICATION_GID=1500 \
	bash -c 'ulimit -f 4; exec appuser setup' 2>&1); rc=$?
is "$rc" 125 "ulimit -f: 125, not a SIGXFSZ death"
like "$out" "File too large" "ulimit -f: the message says EFBIG"
is "$(which_state "$R")" old "ulimit -f: files unchanged"
check_clean "$R" "ulimit -f"
check "ulimit -f: the next run completes" run_change "$R"

# --- a bind-mounted /etc/passwd (docker -v /etc/passwd:/etc/passwd) -----------
restore "$R" old
cp "$R/etc/passwd" "$R/tmp/passwd.host"
mount --bind "$R/tmp/passwd.host" "$R/etc/passwd"
out=$(run_change "$R" 2>&1); rc=$?
is "$rc" 125 "bind-mounted passwd: 125"
like "$out" "bind mount" "bind-mounted passwd: a clear message"
is "$(which_state "$R")" old "bind-mounted passwd: no file changed (group neither)"
check_clean "$R" "bind-mounted passwd"
umount "$R/etc/passwd"
check "after the bind mount is gone, setup works" run_change "$R"

# --- locks ----------------------------------------------------------------------
restore "$R" old
sh -c 'exit 0' & dead=$!; wait $dead
printf '%s\0' "$dead" >"$R/etc/passwd.lock"
printf '%s\0' "$dead" >"$R/etc/group.$dead"
check "a lock of a dead process is taken over" run_change "$R"
check_clean "$R" "stale lock"
restore "$R" old
printf '1\0' >"$R/etc/shadow.lock"; touch -d '2 days ago' "$R/etc/shadow.lock"
check "a lock whose PID was reused (PID 1, older than the process) is stale" run_change "$R"
check_clean "$R" "reused PID"
restore "$R" old
sleep 30 & holder=$!
printf '%s\0' "$holder" >"$R/etc/group.lock"
run_change "$R" & waiter=$!
sleep 0.5
if kill -0 $waiter 2>/dev/null; then tap_ok "a live lock makes setup wait"; else tap_not_ok "a live lock makes setup wait"; fi
is "$(which_state "$R")" old "nothing written while waiting"
rm -f "$R/etc/group.lock"; kill $holder 2>/dev/null
wait_pid $waiter 60; rc=$?
is "$rc" 0 "once the lock is released, setup completes"
is "$(which_state "$R")" new "... with the new files"
sleep 30 & holder=$!
printf '%s\0' "$holder" >"$R/etc/group.lock"
status_is 0 "a lock held by a live process does not fail a no-op run" run_change "$R"
check "... nor is it taken from its holder" test -e "$R/etc/group.lock"
rm -f "$R/etc/group.lock"; kill $holder 2>/dev/null; wait $holder 2>/dev/null

# A SIGKILLed setup whose parent never reaps it (a PID 1 that does not
# wait) stays a zombie: its PID answers kill(0) and its start time is the
# lock's, but it holds nothing.  Before issue 11 the lock stayed for the
# container's life.
restore "$R" old
zinfo="$R/tmp/zombie.pid"; rm -f "$zinfo"
# (The child outlives the shell's own code, so only the exec'd sleep, which
# never waits, can be its parent: a "sleep 0" child was sometimes reaped by
# the shell itself first.)
sh -c 'sleep 0.3 & echo $! >"$1"; exec sleep 60' sh "$zinfo" & zparent=$!
for i in $(seq 1 200); do
	[ -s "$zinfo" ] && [ "$(awk '{ print $3 }' "/proc/$(cat "$zinfo")/stat" 2>/dev/null)" = Z ] && break
	sleep 0.05
done
zombie=$(cat "$zinfo")
is "$(awk '{ print $3 }' "/proc/$zombie/stat")" Z "(the lock holder is a zombie)"
printf '%s\0' "$zombie" >"$R/etc/passwd.lock"
printf '%s\0' "$zombie" >"$R/etc/group.$zombie"
run_change "$R" & waiter=$!
wait_pid $waiter 60; rc=$?
is "$rc" 0 "a lock of a zombie (killed, never reaped) is taken over"
is "$(which_state "$R")" new "... and the change is made"
check_clean "$R" "zombie's lock"
kill $zparent 2>/dev/null; wait $zparent 2>/dev/null

# --- a killed run's journal ---------------------------------------------------
restore "$R" old
cp "$R/snap/new/passwd" "$R/etc/passwd+"; cp "$R/snap/new/group" "$R/etc/group+"
# What a run killed after its commit point leaves: the journal is an empty
# file named for the files and the inodes they replace (accounts/store.h).
: >"$R/etc/.appuser-txn.passwd=$(stat -c %i "$R/etc/passwd").group=$(stat -c %i "$R/etc/group")"
out=$(setup_with "$R" APPLICATION_UID=1500 APPLICATION_GID=1500 2>&1); rc=$?
is "$rc" 0 "a committed journal is rolled forward"
like "$out" "finished 2 files of an interrupted earlier run" "... and said so"
is "$(which_state "$R")" new "... to the new files"
check_clean "$R" "journal"
# ... but never over a file someone else replaced since (useradd after the crash).
restore "$R" old
cp "$R/snap/new/passwd" "$R/etc/passwd+"
: >"$R/etc/.appuser-txn.passwd=$(stat -c %i "$R/etc/passwd")"
inroot "$R" useradd -u 1700 after-crash
check "useradd ran meanwhile" grep -q '^after-crash:' "$R/etc/passwd"
setup_in "$R" -q
check "the journal did not undo useradd's change" grep -q '^after-crash:' "$R/etc/passwd"
check_clean "$R" "stale journal"
# A journal whose name does not parse commits nothing.
restore "$R" old
cp "$R/snap/new/passwd" "$R/etc/passwd+"
: >"$R/etc/.appuser-txn.passwd=12x"
check "a mangled journal: setup still works" setup_in "$R" -q
check_clean "$R" "mangled journal"
# Uncommitted temps (no journal) are dropped, even by a no-op run.
restore "$R" new
echo garbage >"$R/etc/passwd+"; echo garbage >"$R/etc/shadow+"
check "a no-op run after a crash" run_change "$R"
is "$(which_state "$R")" new "uncommitted temps never reach the files"
check_clean "$R" "uncommitted temps"

# --- two setups at once ---------------------------------------------------------
bad=""
for i in 1 2 3 4 5 6 7 8 9 10; do
	restore "$R" old
	run_change "$R" & a=$!
	run_change "$R" & b=$!
	wait_pid $a 60; ra=$?; wait_pid $b 60; rb=$?
	[ "$ra:$rb" = 0:0 ] && [ "$(which_state "$R")" = new ] && [ -z "$(leftovers "$R")" ] ||
		bad+="round $i: exit $ra/$rb, $(which_state "$R") $(leftovers "$R")"$'\n'
done
is "$bad" "" "two setups at once (10 rounds): both succeed, files end correct"
restore "$R" old
run_change "$R" & a=$!
inroot "$R" useradd -u 1800 concurrent & b=$!
wait_pid $a 60; ra=$?; wait_pid $b 60; rb=$?
is "$ra:$rb" "0:0" "setup and useradd at once: both succeed (one waits)"
is "$(grep -c '^concurrent:\|^application:x:1500:1500:' "$R/etc/passwd")" 2 "both changes are there"

done_testing
