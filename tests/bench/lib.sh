# tests/bench/lib.sh — shared by the benchmarks: the machine, its load,
# and peers that must be there (a missing peer fails the run loudly; it
# must never make a row vanish or a ratio look better).

# bench_machine: one line naming the date, the machine and the build.
bench_machine() {
	local cpu
	cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	printf '# %s, %s, %s CPUs (%s), %s GiB, kernel %s, %s\n' \
		"$(date -u '+%Y-%m-%d %H:%M UTC')" \
		"$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-Linux}")" \
		"$(nproc)" "${cpu:-?}" \
		"$(awk '/^MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)" \
		"$(uname -r)" "$(systemd-detect-virt 2>/dev/null || echo "virt unknown")"
}

# bench_load WHEN: the load averages, e.g. before and after a section.
bench_load() { printf '# load %s: %s\n' "$1" "$(cut -d' ' -f1-3 /proc/loadavg)"; }

# bench_need CMD PACKAGE: fail the benchmark if a peer is missing.
bench_need() {
	command -v "$1" >/dev/null && return 0
	echo "BENCH FAILED: $1 is missing (apt-get install $2); refusing to run without it" >&2
	exit 1
}

# bench_median / bench_p10: of the numbers on stdin.
bench_median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
bench_p10() { sort -g | awk '{ v[NR] = $1 } END { i = int((NR - 1) / 10) + 1; print v[i] }'; }

# bench_shuffle N: 0..N-1 in a random order, one per line.
bench_shuffle() { seq 0 $(($1 - 1)) | shuf; }
