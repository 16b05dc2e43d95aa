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
	"/bin/true (no drop)|/bin/true"
bench_load after
