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
median() { tr ' ' '\n' <<<"${T[$1]}" | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

fix_to()   { "$APPUSER_BIN" fix -q --from "$1" --to "$2" "$TREE"; }
fix1_to()  { "$APPUSER_BIN" fix -q -j1 --from "$1" --to "$2" "$TREE"; }
chown_to() { chown -R --from="$1" "$2" "$TREE"; }
find_to()  { find "$TREE" -uid "${1%:*}" -exec chown -h "$2" {} +; }

bench_tree() {
	local name=$1 key
	TREE=$2
	T=()
	echo "## $name: $TREE"
	mktree "$TREE" || { echo "# cannot build the tree"; return 1; }
	find "$TREE" -printf '' ; fix_to 1000:1000 1000:1000	# warm the cache
	for ((r = 1; r <= ROUNDS; r++)); do
		run fix fix_to 1000:1000 1500:1500;	run fix fix_to 1500:1500 1000:1000
		run chown chown_to 1000:1000 1500:1500;	run chown chown_to 1500:1500 1000:1000
		run find find_to 1000:1000 1500:1500;	run find find_to 1500:1500 1000:1000
		run fix1 fix1_to 1000:1000 1500:1500;	run fix1 fix1_to 1500:1500 1000:1000
		run noop_fix fix_to 1500:1500 1000:1000
		run noop_chown chown_to 1500:1500 1000:1000
	done
	local mf mc mfi m1 nf nc
	mf=$(median fix) mc=$(median chown) mfi=$(median find) m1=$(median fix1)
	nf=$(median noop_fix) nc=$(median noop_chown)
	printf '  remap 1000:1000 <-> 1500:1500, median of %d runs, seconds:\n' $((2 * ROUNDS))
	printf '    %-34s %7.3f   ratio to chown -R: %s\n' "appuser fix ($CPUS threads)" "$mf" "$(ratio "$mf" "$mc")"
	printf '    %-34s %7.3f   ratio to chown -R: %s\n' "appuser fix -j1" "$m1" "$(ratio "$m1" "$mc")"
	printf '    %-34s %7.3f\n' "chown -R --from" "$mc"
	printf '    %-34s %7.3f   ratio to chown -R: %s\n' "find -uid -exec chown -h {} +" "$mfi" "$(ratio "$mfi" "$mc")"
	printf '  no-op walk (nothing to change), median of %d runs:\n' "$ROUNDS"
	printf '    %-34s %7.3f   ratio to chown -R: %s\n' "appuser fix" "$nf" "$(ratio "$nf" "$nc")"
	printf '    %-34s %7.3f\n' "chown -R --from" "$nc"
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

CPUS=$(nproc)
printf '# tree: %d files (2%% symlinks) in %d folders, depth <= 6; %d CPUs; %s\n' \
	"$FILES" "$DIRS" "$CPUS" "$("$APPUSER_BIN" --version)"
bench_tree tmpfs "$TMPFS/tree"
bench_tree "disk ($(stat -f -c %T "$WORK"))" "$WORK/tree"
