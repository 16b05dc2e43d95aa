#!/bin/bash
# exec latency: fork+exec+wait of /bin/true as nobody, appuser exec (both
# builds, default filter and none) against chpst, setpriv and gosu and
# against the floor programs: floor.c does the same privilege drop, makes
# the same Landlock domain and loads the same BPF, then execs, and
# nothing else; built static and
# dynamic, with the default filter and without.  Every round runs all of
# them in a new random order (spawn.c).  Targets (issue 14): static
# <= 1.10x chpst, dynamic <= 1.20x, each within 0.15 of its floor.
set -eu
. "$TESTS/bench/lib.sh"
B=${TOP:?}/build
ROUNDS=${ROUNDS:-800}
[ "$(id -u)" = 0 ] || { echo "BENCH FAILED: exec bench needs root (exec -u nobody)" >&2; exit 1; }
bench_need chpst runit
bench_need setpriv util-linux
bench_need gosu gosu
for f in "$APPUSER_BIN" "$APPUSER_STATIC" "$B/gen/seccomp_profiles.c"; do
	[ -e "$f" ] || { echo "BENCH FAILED: $f missing (make all static)" >&2; exit 1; }
done
cc -O2 -o "$B/spawn" "$TESTS/bench/spawn.c"
FLOOR=(cc -O2 -D_GNU_SOURCE -iquote "$TOP/src" "$TESTS/bench/floor.c" "$TOP/src/exec/landlock.c"
       "$B/gen/seccomp_profiles.c")
"${FLOOR[@]}" -static -o "$B/floor-static"
"${FLOOR[@]}" -o "$B/floor-dynamic"
NOBODY=$(id -u nobody) NOGROUP=$(id -g nobody)

bench_load before
echo "fork+exec+wait of /bin/true as nobody; the first row is the reference"
"$B/spawn" "$ROUNDS" \
	"chpst -u nobody|$(command -v chpst) -u nobody /bin/true" \
	"appuser static|$APPUSER_STATIC exec -u nobody /bin/true" \
	"appuser dynamic|$APPUSER_BIN exec -u nobody /bin/true" \
	"appuser static --seccomp none|$APPUSER_STATIC exec --seccomp none -u nobody /bin/true" \
	"floor static, default filter|$B/floor-static default $NOBODY $NOGROUP /bin/true" \
	"floor static, no filter|$B/floor-static none $NOBODY $NOGROUP /bin/true" \
	"floor dynamic, default filter|$B/floor-dynamic default $NOBODY $NOGROUP /bin/true" \
	"setpriv|$(command -v setpriv) --reuid=$NOBODY --regid=$NOGROUP --clear-groups /bin/true" \
	"gosu|$(command -v gosu) nobody /bin/true" \
	"/bin/true (no drop)|/bin/true" | tee "$B/bench-exec.out"
# The targets (issue 14): each ratio to chpst, from the median (x med) and
# from the per-round ratios (x round).
col() { awk -v l="$1" -v c="$2" 'index($0, l) == 1 { for (i = NF; i > 0; i--) if ($i ~ /x$/ && ++n == c) { sub(/x$/, "", $i); print $i; exit } }' "$B/bench-exec.out"; }
for c in 3 1; do
	awk -v s="$(col "appuser static " $c)" -v d="$(col "appuser dynamic" $c)" \
	    -v fs="$(col "floor static, default" $c)" -v fd="$(col "floor dynamic, default" $c)" \
	    -v how="$([ $c = 3 ] && echo "medians" || echo "per-round ratios")" 'BEGIN {
		printf "targets (%s): static %.3fx <= 1.10x: %s, %.3f over its floor: %s; dynamic %.3fx <= 1.20x: %s, %.3f over its floor: %s (%.3f over the static floor)\n",
		       how, s, s <= 1.10 ? "met" : "NOT MET", s - fs, s - fs <= 0.15 ? "met" : "NOT MET",
		       d, d <= 1.20 ? "met" : "NOT MET", d - fd, d - fd <= 0.15 ? "met" : "NOT MET", d - fs }'
done
bench_load after
