# tests/engines/checks.sh — what every started container must show, asserted
# from the host (TAP, tests/lib/tap.sh).  ENGINE is a function that runs the
# engine's client (dk, pm, or rootless podman's prl): `ENGINE inspect`,
# `ENGINE restart`, `ENGINE logs` are all these checks use of it.
#
#   app_dir NAME UID:GID                 a host folder with a site, owned UID:GID
#   wait_serving ENGINE NAME [SECS]      until HTTP 200 on :8080, or PID 1 is gone
#   check_container TAG ENGINE NAME UID GID APP [GROUP]
#       the site is served; nginx master, workers and the worker loop run as
#       UID:GID (all four IDs, mapped through the container's user
#       namespace), with no capability, NoNewPrivs 1 and appuser's seccomp
#       filter on top of the engine's (and with the supplementary GROUP);
#       files the worker created in APP (the host folder at /app, or @: the
#       image's own /app) belong to UID:GID on the host; pwck -r / grpck -r
#       find nothing the image did not have; no lock, temp or journal files
#       left in /etc
#   check_restart TAG ENGINE NAME        a restart changes nothing in /etc and serves again
#   check_refused TAG ENGINE NAME REGEX  PID 1 exits 125 with one line matching REGEX

KIT_PORT=8080

app_dir() {
	local a=$ENG_W/app/$1
	mkdir -p "$a" &&
		printf '<!doctype html>\n<title>%s</title>\n<p>served by appuser engines test %s</p>\n' "$1" "$1" >"$a/index.html" &&
		chown -R "$2" "$a" && echo "$2" >"$a.owner" && echo "$a"
}

# start_ct ENGINE NAME IMAGE APP [run options] — run IMAGE detached as NAME
# with APP at /app, no network; remembers the options that shape the
# account files (--user, --userns, --group-add) for acct_baseline.
declare -A CT_ACCT_ARGS
start_ct() {
	local eng=$1 name=$2 image=$3 app=$4 a keep=() next=; shift 4
	for a; do
		if [ -n "$next" ]; then keep+=("$a"); next=; continue; fi
		case $a in
		--user|-u|--userns|--group-add) keep+=("$a"); next=1 ;;
		--user=*|--userns=*|--group-add=*) keep+=("$a") ;;
		esac
	done
	CT_ACCT_ARGS[$name]=${keep[*]}
	"$eng" run -d --name "$name" --network none -v "$app:/app" "$@" "$image" >/dev/null
}

# The host PIDs of the processes in PID's pid namespace.
ns_pids() {
	local ns p
	ns=$(readlink "/proc/$1/ns/pid") || return
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/ns/pid" 2>/dev/null)" = "$ns" ] && echo "${p#/proc/}"
	done
}
# ns_find PID REGEX — PIDs in PID's namespace whose command line matches.
ns_find() {
	local p cl
	for p in $(ns_pids "$1"); do
		cl=$(tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline") || continue
		[[ $cl =~ $2 ]] && echo "$p"
	done
}
status_field() { awk -v k="$2:" '$1 == k { $1 = ""; sub(/^ /, ""); print }' "/proc/$1/status" | tr -s ' \t' ' '; }

# map_id PID uid|gid ID — the host's number for ID inside PID's user namespace.
map_id() {
	awk -v id="$3" '$1 <= id && id < $1 + $3 { print $2 + id - $1; found = 1; exit }
		END { if (!found) print "unmapped" }' "/proc/$1/${2}_map"
}

# http PID [PATH] — GET from the host into the container's network namespace:
# the body, then the status code on a line of its own.
http() {
	nsenter -t "$1" -n curl -s -m 5 -w '\n%{http_code}' "http://127.0.0.1:$KIT_PORT${2:-/}" 2>/dev/null
}

wait_serving() {
	local eng=$1 name=$2 secs=${3:-30} i pid
	for ((i = 0; i < secs * 10; i++)); do
		pid=$(engine_pid "$eng" "$name")
		[ -n "$pid" ] && [ "$pid" != 0 ] || return 1
		[ "$(http "$pid" | tail -n 1)" = 200 ] && return 0
		sleep 0.1
	done
	return 1
}

logs_diag() {	# ENGINE NAME
	tap_diag "state: $("$1" inspect -f '{{.State.Status}} exit {{.State.ExitCode}}' "$2" 2>&1)" \
		"--- last lines of the container's log:" \
		"$("$1" logs "$2" 2>&1 | grep -v ' INFO \| CRIT Supervisor is running as root' | tail -n 12)"
}

# acct_check ROOT — pwck/grpck's complaints about ROOT's account files.
acct_check() { { pwck -r -R "$1"; grpck -r -R "$1"; } 2>&1 | grep -v ': no changes$' | sort -u; }

# The image's own complaints, as an engine presents it (placeholder lines
# included): a throwaway container of IMAGE started with ARGS that only
# sleeps.  Cached per engine, image and ARGS.
declare -A ACCT_BASELINE
acct_baseline() {
	local eng=$1 image=$2 key="$*" name pid; shift 2
	if [ -z "${ACCT_BASELINE[$key]+x}" ]; then
		name=baseline-$RANDOM$RANDOM
		"$eng" run -d --name "$name" --network none --entrypoint sleep "$@" "$image" infinity >/dev/null 2>&1
		pid=$(engine_pid "$eng" "$name")
		ACCT_BASELINE[$key]=$( [ -n "$pid" ] && [ "$pid" != 0 ] && acct_check "/proc/$pid/root")
		"$eng" rm -f -t 0 "$name" >/dev/null 2>&1 || "$eng" rm -f "$name" >/dev/null 2>&1
	fi
	printf '%s\n' "${ACCT_BASELINE[$key]}"
}

# Lock, temp and journal files of appuser's or shadow's in ROOT/etc.
etc_leftovers() {
	ls -A "$1/etc" | grep -E '^(passwd|group|shadow|gshadow)(\+|\.lock|\.[0-9]+)$|^\.appuser-txn\+?$|\.tmp$'
}

# Every file of ROOT/etc on /etc's own file system (not the engine's
# hostname, hosts, resolv.conf mounts): name, size, mtime, inode, owner,
# mode, and a hash of its bytes.
etc_state() {
	local dev
	dev=$(stat -c %d "$1/etc") || return
	(cd "$1/etc" && find . -xdev -printf '%D %p %s %T@ %i %U:%G %m %y\n' |
			awk -v d="$dev" '$1 == d { sub(/^[^ ]+ /, ""); print }' | sort &&
		find . -xdev -type f -printf '%D %p\n' |
			awk -v d="$dev" '$1 == d { sub(/^[^ ]+ /, ""); print }' |
			xargs -r -d '\n' sha256sum | sort -k 2)
}

# One line per property for a role's PIDs: passes when every PID has WANT.
all_have() {	# DESC WANT FIELD PIDS...
	local desc=$1 want=$2 field=$3 p got bad=; shift 3
	[ $# -gt 0 ] || { tap_not_ok "$desc"; tap_diag "no such processes"; return; }
	for p; do
		got=$(status_field "$p" "$field")
		[ "$got" = "$want" ] || bad+="pid $p: '$got' "
	done
	if [ -z "$bad" ]; then tap_ok "$desc"; else tap_not_ok "$desc"; tap_diag "want '$want'" "$bad"; fi
}

# appuser's filter is stacked on the one the engine gave PID 1 (Docker and
# Podman load their default profile into every container process).
all_filtered() {	# DESC INIT PIDS...
	local desc=$1 init=$2 base p bad=; shift 2
	base=$(status_field "$init" Seccomp_filters)
	for p; do
		[ "$(status_field "$p" Seccomp)" = 2 ] && [ "$(status_field "$p" Seccomp_filters)" -gt "${base:-0}" ] ||
			bad+="pid $p: Seccomp $(status_field "$p" Seccomp), $(status_field "$p" Seccomp_filters) filters (PID 1: $base) "
	done
	[ $# -gt 0 ] || bad="no such processes"
	if [ -z "$bad" ]; then tap_ok "$desc"; else tap_not_ok "$desc"; tap_diag "$bad"; fi
}

check_container() {
	local tag=$1 eng=$2 name=$3 uid=$4 gid=$5 app=$6 group=${7:-} pid out hu hg master workers loop p i
	pid=$(engine_pid "$eng" "$name")
	if ! wait_serving "$eng" "$name" 30; then
		tap_not_ok "$tag: the container starts and nginx serves :$KIT_PORT (HTTP 200 from the host)"
		logs_diag "$eng" "$name"
		return 1
	fi
	tap_ok "$tag: the container starts and nginx serves :$KIT_PORT (HTTP 200 from the host)"
	pid=$(engine_pid "$eng" "$name")
	like "$(http "$pid" /)" "served by appuser engines test" "$tag: GET / returns the site in /app"
	[ "$app" = @ ] && app=/proc/$pid/root/app

	# The worker loop is started by supervisord a moment after nginx.
	for ((i = 0; i < 50; i++)); do
		loop=$(ns_find "$pid" '^sh -c .*heartbeat')
		[ -n "$loop" ] && break
		sleep 0.1
	done
	master=$(ns_find "$pid" '^nginx: master process')
	workers=$(ns_find "$pid" '^nginx: worker process')
	hu=$(map_id "$pid" uid "$uid") hg=$(map_id "$pid" gid "$gid")
	like "$master" '^[0-9]+$' "$tag: one nginx master"
	like "$workers" '^[0-9]+' "$tag: nginx workers"
	like "$loop" '^[0-9]+$' "$tag: the worker loop runs"
	all_have "$tag: nginx master, workers and the worker loop run as uid $uid (real, effective, saved, fs)" \
		"$hu $hu $hu $hu" Uid $master $workers $loop
	all_have "$tag: …and as gid $gid" "$hg $hg $hg $hg" Gid $master $workers $loop
	all_have "$tag: …with no capability (CapEff 0)" 0000000000000000 CapEff $master $workers $loop
	all_have "$tag: …with no capability left to gain (CapPrm, CapAmb 0)" 0000000000000000 CapPrm $master $workers $loop
	all_have "$tag: …with NoNewPrivs 1" 1 NoNewPrivs $master $workers $loop
	all_filtered "$tag: …with appuser's seccomp filter stacked on the engine's" "$pid" $master $workers $loop
	if [ -n "$group" ]; then
		out=
		for p in $master $workers $loop; do
			[[ " $(status_field "$p" Groups) " == *" $(map_id "$pid" gid "$group") "* ]] || out+="pid $p: $(status_field "$p" Groups) "
		done
		if [ -z "$out" ]; then tap_ok "$tag: …and keep the runtime-given group $group"
		else tap_not_ok "$tag: …and keep the runtime-given group $group"; tap_diag "$out"; fi
	fi

	# nginx reopened /dev/stdout, the pipe supervisord (PID 1's user) made,
	# after dropping to the application user: its access log reaches the
	# engine's log.
	for ((i = 0; i < 50; i++)); do "$eng" logs "$name" 2>&1 | grep -q '"GET / HTTP/1.1" 200' && break; sleep 0.1; done
	like "$("$eng" logs "$name" 2>&1)" '"GET / HTTP/1.1" 200' "$tag: nginx's access log (its /dev/stdout, reopened) is in the container's log"

	for ((i = 0; i < 50; i++)); do [ -s "$app/var/heartbeat" ] && break; sleep 0.1; done
	is "$(stat -c %u:%g "$app/var" "$app/var/heartbeat" 2>&1 | sort -u)" "$hu:$hg" \
		"$tag: files the worker wrote into /app belong to $hu:$hg on the host"
	is "$(stat -c %u:%g "$app/index.html")" "$(cat "$app.owner" 2>/dev/null || echo 0:0)" "$tag: the site's files keep their owner"

	out=$(comm -13 <(acct_baseline "$eng" "$("$eng" inspect -f '{{.Config.Image}}' "$name")" \
		${CT_ACCT_ARGS[$name]:-}) <(acct_check "/proc/$pid/root"))
	is "$out" "" "$tag: pwck -r and grpck -r find nothing the image did not have"
	is "$(etc_leftovers "/proc/$pid/root")" "" "$tag: no lock, temp or journal files left in /etc"
}

check_restart() {
	local tag=$1 eng=$2 name=$3 pid before setup_lines only=.
	pid=$(engine_pid "$eng" "$name")
	[ -n "$pid" ] && [ "$pid" != 0 ] || { tap_not_ok "$tag: restart"; tap_diag "not running"; return 1; }
	before=$(etc_state "/proc/$pid/root")
	# Where setup cannot change the accounts (restricted contexts) it says
	# so at every start; nothing else may appear again.
	setup_lines=$("$eng" logs "$name" 2>&1 | grep '^appuser: setup:' | grep -vc 'cannot change the accounts')
	"$eng" restart "$name" >/dev/null 2>&1
	# podman restart of a kube-played pod's container sometimes leaves it
	# stopped (exit 0 after the SIGTERM, no second start in its log: the
	# engine never started it again).  A stop then start is the same
	# second start for appuser; say so when it was needed.
	if ! wait_serving "$eng" "$name" 30 &&
	   [[ $("$eng" inspect -f '{{.State.Status}}' "$name" 2>/dev/null) == exited* ]]; then
		tap_diag "$tag: the engine left the container stopped after restart; started again" \
			"(a start rewrites the engine's own /etc/hosts etc.: only the account files are compared)"
		"$eng" start "$name" >/dev/null 2>&1
		only='(^| )\./(passwd|group|shadow|gshadow)-?( |$)'
		before=$(grep -E "$only" <<<"$before")
	fi
	if ! wait_serving "$eng" "$name" 30; then
		tap_not_ok "$tag: after a restart nginx serves again"
		logs_diag "$eng" "$name"
		return 1
	fi
	tap_ok "$tag: after a restart nginx serves again"
	pid=$(engine_pid "$eng" "$name")
	is "$(etc_state "/proc/$pid/root" | grep -E "$only")" "$before" "$tag: the restart changed nothing in /etc (bytes, mtimes, inodes)"
	is "$("$eng" logs "$name" 2>&1 | grep '^appuser: setup:' | grep -vc 'cannot change the accounts')" "$setup_lines" \
		"$tag: setup logs nothing on the restart (a no-op)"
}

# The container stops by itself: PID 1 (the entrypoint) exits 125 after
# one line from appuser that matches REGEX, and nothing was served.
check_refused() {
	local tag=$1 eng=$2 name=$3 re=$4 i st
	for ((i = 0; i < 300; i++)); do
		st=$("$eng" inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$name" 2>/dev/null)
		[[ $st == exited* || $st == stopped* ]] && break
		sleep 0.1
	done
	is "${st/#stopped/exited}" "exited 125" "$tag: the entrypoint stops with 125"
	like "$("$eng" logs "$name" 2>&1 | grep '^appuser: ')" "$re" "$tag: appuser says why and what to do: /$re/"
	is "$("$eng" logs "$name" 2>&1 | grep -c '^appuser: ')" 1 "$tag: …in one line"
}
