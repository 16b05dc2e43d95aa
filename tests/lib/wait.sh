# wait.sh — bounded waits.  Every wait in the suite has a timeout, so a
# test whose program hangs fails with a message instead of hanging the run
# (tests/run also kills a whole file after TEST_TIMEOUT seconds).
#
#   cmd & pid=$!; ...; wait_pid "$pid" 30; rc=$?   # 124 on a timeout
#   wait_file "$R/tmp/ready" 10 || tap_not_ok "the helper never started"

WAIT_TIMEOUT=${WAIT_TIMEOUT:-60}

# kill_tree PID — SIGKILL PID and every process below it, found by PID in
# /proc (a background shell function is a subshell whose children would
# outlive a plain kill).
kill_tree() {
	local kids k
	kids=$(cat /proc/"$1"/task/*/children 2>/dev/null)
	kill -KILL "$1" 2>/dev/null
	for k in $kids; do kill_tree "$k"; done
}

# wait_pid PID [SECONDS] — wait for the background job PID, at most SECONDS
# (default WAIT_TIMEOUT); then kill its tree.  Status: the job's, or 124
# after a timeout (with a "# " line saying so on stderr).
wait_pid() {
	local pid=$1 secs=${2:-$WAIT_TIMEOUT} end
	end=$(( ${EPOCHREALTIME/./} + secs * 1000000 ))
	while kill -0 "$pid" 2>/dev/null; do	# bash reaps its jobs at once
		if [ "${EPOCHREALTIME/./}" -ge $end ]; then
			echo "# wait_pid: process $pid still running after ${secs}s, killed" >&2
			kill_tree "$pid"; wait "$pid" 2>/dev/null
			return 124
		fi
		sleep 0.02
	done
	wait "$pid"
}

# wait_file PATH [SECONDS] — poll until PATH exists, at most SECONDS.
wait_file() {
	local i n=$(( ${2:-$WAIT_TIMEOUT} * 20 ))
	for ((i = 0; i < n; i++)); do
		[ -e "$1" ] && return 0
		sleep 0.05
	done
	echo "# wait_file: $1 did not appear in ${2:-$WAIT_TIMEOUT}s" >&2
	return 124
}
