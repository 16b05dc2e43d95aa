#!/bin/bash
# tests/bench/fix.sh — `appuser fix` against `chown -R --from` and
# `find -uid -exec chown -h {} +` (issue 4), on a tmpfs and on the disk.
#
# A deterministic tree (default 200,000 files in 10,000 folders, depth up
# to 6, 2% symlinks), warm cache, remapped 1000:1000 -> 1500:1500 and back
# by each tool in turn, BENCH_ROUNDS times, interleaved; medians and
# ratios.  Then the no-op walk (nothing to change), peak memory, and
# system calls per entry (strace -c).  Runs in its own mount namespace;
# the trees are deleted afterwards.
#   BENCH_ROUNDS=5 BENCH_FILES=200000 BENCH_DIRS=10000 BENCH_DISK=/var/tmp
set -u
APPUSER_BIN=${APPUSER_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/build/appuser}
ROUNDS=${BENCH_ROUNDS:-5}
FILES=${BENCH_FILES:-200000}
DIRS=${BENCH_DIRS:-10000}
DISK=${BENCH_DISK:-/var/tmp}

[ "$(id -u)" = 0 ] || { echo "# SKIP fix bench: needs root (chown, mount namespace)"; exit 0; }
if [ -z "${APPUSER_BENCH_NS:-}" ]; then
	APPUSER_BENCH_NS=1 exec unshare --mount --propagation private -- bash "$0" "$@"
fi

WORK=$(mktemp -d "$DISK/appuser-fix-bench.XXXXXX") || exit 1
TMPFS=$(mktemp -d /tmp/appuser-fix-bench.XXXXXX) || exit 1
cleanup() { umount "$TMPFS" 2>/dev/null; rm -rf "$WORK" "$TMPFS"; }
trap cleanup EXIT
mount -t tmpfs -o size=2g appuser-bench "$TMPFS" || exit 1

# mktree ROOT — the tree, then everything owned by 1000:1000.
mktree() {
	perl - "$1" "$DIRS" "$FILES" <<'EOF' || return 1
use strict; use warnings;
my ($root, $nd, $nf) = @ARGV;
srand(42);
my @dirs = ($root); my @depth = (0);
mkdir $root or die "$root: $!";
for my $i (1 .. $nd - 1) {
	my $p;
	do { $p = int(rand(@dirs)) } while ($depth[$p] >= 6);
	mkdir "$dirs[$p]/d$i" or die "$!";
	push @dirs, "$dirs[$p]/d$i"; push @depth, $depth[$p] + 1;
}
for my $i (1 .. $nf) {
	my $d = $dirs[int(rand(@dirs))];
	if ($i % 50 == 0) { symlink("f" . ($i - 1), "$d/l$i") or die "$!"; next; }
	open(my $fh, '>', "$d/f$i") or die "$!"; close $fh;
}
EOF
	chown -hR 1000:1000 "$1"
}

# Timing: seconds of one run, appended to T[key].
declare -A T
run() {
	local key=$1 s e; shift
	s=$EPOCHREALTIME
	"$@" >/dev/null 2>&1
	e=$EPOCHREALTIME
	T[$key]+=" $(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.4f", e - s }')"
}
median() { tr ' ' '\n' <<<"${T[$1]}" | grep . | bench_median; }
p10() { tr ' ' '\n' <<<"${T[$1]}" | grep . | bench_p10; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

fix_to()   { "$APPUSER_BIN" fix -q --from "$1" --to "$2" "$TREE"; }
fixj_to()  { "$APPUSER_BIN" fix -q -j"$J" --from "$1" --to "$2" "$TREE"; }
chown_to() { chown -R --from="$1" "$2" "$TREE"; }
find_to()  { find "$TREE" -uid "${1%:*}" -exec chown -h "$2" {} +; }

bench_tree() {
	local name=$1 key
	TREE=$2
	T=()
	echo "## $name: $TREE"
	mktree "$TREE" || { echo "# cannot build the tree"; return 1; }
	find "$TREE" -printf '' ; fix_to 1000:1000 1000:1000	# warm the cache
	# Each round: every task once, in a new random order; a remap task
	# goes there and back (two timed runs), so the tree is 1000:1000 again.
	local tasks=(fix fix1 fix2 fix2n chown find noop_fix noop_chown) t
	for ((r = 1; r <= ROUNDS; r++)); do
		for t in $(printf '%s\n' "${tasks[@]}" | shuf); do
			case $t in
			fix)	run fix fix_to 1000:1000 1500:1500; run fix fix_to 1500:1500 1000:1000 ;;
			fix1)	J=1; run fix1 fixj_to 1000:1000 1500:1500; run fix1 fixj_to 1500:1500 1000:1000 ;;
			fix2)	J=2; run fix2 fixj_to 1000:1000 1500:1500; run fix2 fixj_to 1500:1500 1000:1000 ;;
			fix2n)	J=$((2 * CPUS)); run fix2n fixj_to 1000:1000 1500:1500
				run fix2n fixj_to 1500:1500 1000:1000 ;;
			chown)	run chown chown_to 1000:1000 1500:1500; run chown chown_to 1500:1500 1000:1000 ;;
			find)	run find find_to 1000:1000 1500:1500; run find find_to 1500:1500 1000:1000 ;;
			noop_fix) run noop_fix fix_to 1500:1500 1000:1000 ;;
			noop_chown) run noop_chown chown_to 1500:1500 1000:1000 ;;
			esac
		done
	done
	local mc nc
	mc=$(median chown) nc=$(median noop_chown)
	row() {	# LABEL KEY [REF]
		printf '    %-36s median %7.3f  p10 %7.3f' "$1" "$(median "$2")" "$(p10 "$2")"
		[ -n "${3:-}" ] && printf '   x chown -R: %s (p10 %s)' "$(ratio "$(median "$2")" "$3")" \
			"$(ratio "$(p10 "$2")" "$(p10 "${4:-chown}")")"
		echo
	}
	printf '  remap 1000:1000 <-> 1500:1500, %d runs each, random order per round, seconds:\n' $((2 * ROUNDS))
	row "appuser fix (default: $CPUS threads)" fix "$mc"
	row "appuser fix -j1" fix1 "$mc"
	row "appuser fix -j2" fix2 "$mc"
	row "appuser fix -j$((2 * CPUS)) (2 x the CPUs)" fix2n "$mc"
	row "chown -R --from" chown
	row "find -uid -exec chown -h {} +" find "$mc"
	printf '  no-op walk (nothing to change), %d runs:\n' "$ROUNDS"
	row "appuser fix" noop_fix "$nc" noop_chown
	row "chown -R --from" noop_chown
	memory
	syscalls
	rm -rf "$TREE"
}

# Peak resident memory (getrusage via GNU time), remap and no-op walk.
memory() {
	local a b c
	[ -x /usr/bin/time ] || { echo "  (no /usr/bin/time: peak memory not measured)"; return; }
	a=$(/usr/bin/time -f %M "$APPUSER_BIN" fix -q --from 1000:1000 --to 1500:1500 "$TREE" 2>&1 >/dev/null | tail -1)
	b=$(/usr/bin/time -f %M "$APPUSER_BIN" fix -q --from 1000:1000 --to 1500:1500 "$TREE" 2>&1 >/dev/null | tail -1)
	c=$(/usr/bin/time -f %M chown -R --from=1500:1500 1000:1000 "$TREE" 2>&1 >/dev/null | tail -1)
	printf '  peak RSS: appuser fix %s KiB (no-op walk %s KiB), chown -R %s KiB\n' "$a" "$b" "$c"
}

# Where the time goes: system calls per entry of one run each.
syscalls() {
	local n a c
	command -v strace >/dev/null || return
	n=$(find "$TREE" -printf x | wc -c)
	a=$(strace -f -c -o /dev/stdout "$APPUSER_BIN" fix -q --from 1000:1000 --to 1500:1500 "$TREE" 2>/dev/null | awk '$NF == "total" { print $(NF-2) }')
	c=$(strace -f -c -o /dev/stdout chown -R --from=1500:1500 1000:1000 "$TREE" 2>/dev/null | awk '$NF == "total" { print $(NF-2) }')
	[ -n "$a" ] && [ -n "$c" ] &&
		printf '  system calls per entry (strace -c, remap): appuser fix %s, chown -R %s\n' \
			"$(ratio "$a" "$n")" "$(ratio "$c" "$n")"
}

. "$(dirname "$0")/lib.sh"
# The default thread count, as fix itself works it out (affinity, cgroup quota).
CPUS=$("$APPUSER_BIN" fix -v --from 1:1 --to 2:2 "$WORK" 2>&1 | sed -n 's/.* \([0-9]*\) threads\{0,1\} (the CPUs.*/\1/p')
[ -n "$CPUS" ] || { echo "BENCH FAILED: fix -v did not say how many threads it uses"; exit 1; }
bench_need chown coreutils
bench_load before
printf '# tree: %d files (2%% symlinks) in %d folders, depth <= 6; %d CPUs; %s\n' \
	"$FILES" "$DIRS" "$CPUS" "$("$APPUSER_BIN" --version)"
bench_tree tmpfs "$TMPFS/tree"
bench_tree "disk ($(findmnt -n -o FSTYPE -T "$WORK"))" "$WORK/tree"
bench_load after
