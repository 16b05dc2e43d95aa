#!/bin/bash
# seccomp costs (issues 5 and 14), for the built-in profiles against no
# filter, an allow-all filter (the architecture check only: what any filter
# costs) and Docker's default profile (tests/bench/docker/, converted to
# appuser-policy(5) and compiled by appuser's own compiler):
#   1. per system call: a getppid loop (a call every profile allows
#      unconditionally: the kernel answers it from its per-syscall cache
#      without running the program), an ioctl loop (default inspects
#      ioctl's argument, so its program runs; Docker's allows ioctl
#      outright) and a mixed workload; nanoseconds per iteration inside the
#      probe, under `appuser exec`;
#   2. loading, once per exec: the seccomp(2) call itself and fork + load +
#      exit (seccomp_load.c), for each program;
#   3. exec latency of the floor program with each filter.
# Every round runs every profile once, in a new random order; medians and
# p10.  Reports only: timing is never asserted.
set -eu
. "$TESTS/bench/lib.sh"
B=${TOP:?}/build
BIN=${APPUSER_STATIC:-$B/appuser-static}
[ -x "$BIN" ] || { echo "BENCH FAILED: $BIN missing (make static)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "BENCH FAILED: the seccomp bench needs root (exec -u nobody)" >&2; exit 1; }
[ -x "$B/policyc" ] || { echo "BENCH FAILED: $B/policyc missing (make)" >&2; exit 1; }
ROUNDS=${ROUNDS:-15}
CALLS=${CALLS:-2000000}
IOCTLS=${IOCTLS:-1000000}
MIXED=${MIXED:-100000}
LOADS=${LOADS:-2000}
EXECS=${EXECS:-800}
DOCKER=$TESTS/bench/docker/docker.policy
W=$(mktemp -d /tmp/appuser-bench-seccomp.XXXXXX)
trap 'rm -rf "$W"' EXIT

# The probe, an allow-all policy, and every program compiled into one
# profiles file for the load and exec measurements.
cc -O2 -D_GNU_SOURCE -o "$W/probe" "$TOP/tests/probe/probe.c" -pthread
chmod 755 "$W" "$W/probe"
printf '# allow-all: the architecture check only\n' >"$W/allow.policy"
cp "$DOCKER" "$W/docker.policy"
"$B/policyc" -o "$W/profiles.c" "$TOP/policy/seccomp/default.policy" \
	"$TOP/policy/seccomp/strict.policy" "$W/allow.policy" "$W/docker.policy"
cc -O2 -D_GNU_SOURCE -iquote "$TOP/src" -o "$W/seccomp_load" "$TESTS/bench/seccomp_load.c" \
	"$W/profiles.c"
cc -O2 -D_GNU_SOURCE -iquote "$TOP/src" -static -o "$W/floor" "$TESTS/bench/floor.c" \
	"$TOP/src/exec/landlock.c" "$W/profiles.c"
cc -O2 -o "$W/spawn" "$TESTS/bench/spawn.c"
chmod 644 "$W"/*.policy

bench_load before
# --- 1. per system call ------------------------------------------------------
PROFILES=(none "$W/allow.policy" default "$W/docker.policy")
NAMES=(none allow-all default docker)
declare -A R
run() { "$BIN" exec -u nobody --seccomp "$3" "$W/probe" "$1" "$2"; }
compare() {	# LABEL MODE COUNT UNIT
	local label=$1 mode=$2 count=$3 unit=$4 i p n0 s
	R=()
	for ((i = 0; i < ROUNDS; i++)); do
		for p in $(bench_shuffle ${#PROFILES[@]}); do
			R[$p]+="$(run "$mode" "$count" "${PROFILES[p]}") "
		done
	done
	s=1; [ "$unit" = us ] && s=1000
	n0=$(printf '%s\n' ${R[0]} | bench_median)
	printf '  %s\n' "$label"
	for p in "${!PROFILES[@]}"; do
		awk -v n="${NAMES[p]}" -v m="$(printf '%s\n' ${R[$p]} | bench_median)" \
		    -v q="$(printf '%s\n' ${R[$p]} | bench_p10)" -v z="$n0" -v s="$s" -v u="$unit" 'BEGIN {
			printf "    %-10s median %8.1f %s  p10 %8.1f %s  %+7.1f %s (%+5.1f%%) over none\n",
			       n, m / s, u, q / s, u, (m - z) / s, u, (m / z - 1) * 100 }'
	done
}
echo "1. per system call, $ROUNDS rounds in a random order ($BIN exec -u nobody)"
compare "getppid loop ($CALLS calls; allowed unconditionally by every profile)" \
	bench-getppid "$CALLS" ns
compare "ioctl(FIONREAD) loop ($IOCTLS calls; default inspects ioctl's request)" \
	bench-ioctl "$IOCTLS" ns
compare "mixed workload ($MIXED iterations: file I/O, poll, ioctl, mmap, futex)" \
	bench-mixed "$MIXED" us

# --- 2. loading --------------------------------------------------------------
echo
echo "2. loading a filter, once per exec: $LOADS rounds in a random order, microseconds"
"$W/seccomp_load" "$LOADS" none allow default strict docker

# --- 3. exec -----------------------------------------------------------------
echo
echo "3. exec latency: the floor program (static) with each filter, then /bin/true"
N=$(id -u nobody) G=$(id -g nobody)
"$W/spawn" "$EXECS" \
	"floor, no filter|$W/floor none $N $G /bin/true" \
	"floor, allow-all|$W/floor allow $N $G /bin/true" \
	"floor, default|$W/floor default $N $G /bin/true" \
	"floor, strict|$W/floor strict $N $G /bin/true" \
	"floor, docker|$W/floor docker $N $G /bin/true"
bench_load after
