#!/bin/bash
# seccomp overhead (issue 5): the cost of the default filter per syscall —
# a tight getppid loop and a mixed workload (file I/O, poll, an ioctl the
# filter inspects, mmap, futex) — with and without the filter, interleaved
# rounds, medians and the ratio; then exec latency with the filter against
# --seccomp none and chpst (target: <= 1.1x chpst).  Reports only: timing
# is never asserted.
set -eu
B=${TOP:?}/build
BIN=${APPUSER_STATIC:-$B/appuser-static}
[ -x "$BIN" ] || BIN=${APPUSER_BIN:?}
ROUNDS=${ROUNDS:-15}
CALLS=${CALLS:-2000000}
MIXED=${MIXED:-100000}
EXECS=${EXECS:-1000}
PROBE=$B/bench-probe
cc -O2 -D_GNU_SOURCE -o "$PROBE" "$TOP/tests/probe/probe.c" -pthread
[ -x "$B/spawn" ] || cc -O2 -o "$B/spawn" "$TESTS/bench/spawn.c"
[ "$(id -u)" = 0 ] || { echo "seccomp bench: needs root (appuser exec -u nobody)"; exit 1; }

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# An allow-all filter (the architecture check only): what any seccomp
# filter costs, since the kernel's syscall entry takes its slow path.
ALLOW=$(mktemp /tmp/appuser-bench-allow.XXXXXX)
trap 'rm -f "$ALLOW"' EXIT
printf '# nothing denied\n' > "$ALLOW"
PROFILES=(none "$ALLOW" default)

# run MODE COUNT PROFILE: nanoseconds per iteration under PROFILE
run() { "$BIN" exec -u nobody --seccomp "$3" "$PROBE" "$1" "$2"; }

compare() {	# compare LABEL MODE COUNT UNIT
	local label=$1 mode=$2 count=$3 unit=$4 i p
	local -a med res
	for p in "${!PROFILES[@]}"; do res[p]=""; done
	for ((i = 0; i < ROUNDS; i++)); do
		for p in "${!PROFILES[@]}"; do
			res[p]+="$(run "$mode" "$count" "${PROFILES[p]}") "
		done
	done
	for p in "${!PROFILES[@]}"; do med[p]=$(printf '%s\n' ${res[p]} | median); done
	awk -v l="$label" -v n="${med[0]}" -v a="${med[1]}" -v d="${med[2]}" -v u="$unit" 'BEGIN {
		s = u == "us" ? 1000 : 1
		printf "%-32s none %7.1f %s | allow-all %7.1f %s (%+5.1f%%) | default %7.1f %s (%+5.1f%%)\n",
		       l, n / s, u, a / s, u, (a / n - 1) * 100, d / s, u, (d / n - 1) * 100 }'
}

echo "seccomp filter overhead, $ROUNDS interleaved rounds, medians ($BIN exec -u nobody):"
compare "getppid loop ($CALLS calls)" bench-getppid "$CALLS" ns
compare "mixed workload ($MIXED iterations)" bench-mixed "$MIXED" us
echo
echo "exec latency: fork+exec+wait of /bin/true as nobody, $EXECS interleaved rounds"
args=("appuser --seccomp none|$BIN exec --seccomp none -u nobody /bin/true"
      "appuser (default filter)|$BIN exec -u nobody /bin/true"
      "appuser --seccomp strict|$BIN exec --seccomp strict -u nobody /bin/true")
command -v chpst >/dev/null && args=("chpst|$(command -v chpst) -u nobody /bin/true" "${args[@]}")
"$B/spawn" "$EXECS" "${args[@]}"
