#!/bin/bash
# One validated environment (env.c) for every command: for each bad value
# of each documented variable, setup, exec (and its gosu form), fix and
# status all refuse it with the same reason (setup, exec, fix: exit 125
# and "CMD: REASON"; status: exit 1 and "env asks:   INVALID: REASON"),
# in root mode and in setuid mode.  Before this test, exec, fix and status
# read APPLICATION_USER with getenv(), so root-mode exec ran a command as
# APPLICATION_USER=root while setup refused it.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
sandbox_enter "$@"

R=$(mkroot "$TESTS/fixtures/webdevops")
mkdir -p "$R/app"; chown 1000:1000 "$R/app"

run_cmd() {	# RUNNER CMD NAME=VALUE...
	local runner=$1 cmd=$2; shift 2
	case $cmd in
	setup) $runner /usr/bin/env "$@" appuser setup --dry-run ;;
	exec) $runner /usr/bin/env "$@" appuser exec -- /bin/true ;;
	gosu) $runner /usr/bin/env "$@" gosu application /bin/true ;;
	fix) $runner /usr/bin/env "$@" appuser fix --dry-run /app ;;
	status) $runner /usr/bin/env "$@" appuser status ;;
	esac
}
# reason RUNNER CMD NAME=VALUE... — the one-line reason CMD gives (without
# "appuser: CMD: "; status: its "env asks: INVALID" line), a tab, its exit status.
reason() {
	local runner=$1 cmd=$2 out rc; shift 2
	if [ "$cmd" = status ]; then
		out=$(run_cmd "$runner" "$cmd" "$@" 2>/dev/null </dev/null); rc=$?
		out=$(printf '%s\n' "$out" | sed -n 's/^  env asks:   INVALID: //p')
	else
		out=$(run_cmd "$runner" "$cmd" "$@" 2>&1 >/dev/null </dev/null); rc=$?
		[ "$cmd" = gosu ] && cmd=exec
		out=$(printf '%s\n' "$out" | sed -n "s/^appuser: $cmd: //p")
	fi
	printf '%s\t%s' "$(printf '%s\n' "$out" | head -1)" "$rc"
}
root_runner() { inroot "$R" "$@"; }
user_runner() { asuser "$R" 1000 1000 "$@"; }

# agree MODE NAME=VALUE... — every command refuses, with setup's reason.
agree() {
	local mode=$1 runner=${1}_runner; shift
	local want got cmd desc r rc ok=1 diag=()
	want=$(reason "$runner" setup "$@"); r=${want%$'\t'*}; rc=${want##*$'\t'}
	desc="$mode mode: $(printf '%q ' "$@")refused alike by setup, exec, gosu, fix, status"
	if [ "$rc" != 125 ] || [ -z "$r" ]; then
		tap_not_ok "$desc"; tap_diag "setup: exit $rc, reason '$r'"; return
	fi
	for cmd in exec gosu fix status; do
		[ "$mode" = user ] && [ "$cmd" = fix ] && continue	# fix needs root
		got=$(reason "$runner" "$cmd" "$@")
		local wrc=125; [ "$cmd" = status ] && wrc=1
		if [ "${got%$'\t'*}" != "$r" ] || [ "${got##*$'\t'}" != "$wrc" ]; then
			ok=0; diag+=("$cmd: exit ${got##*$'\t'} (want $wrc), reason '${got%$'\t'*}'")
		fi
	done
	if [ "$ok" = 1 ]; then tap_ok "$desc"; else
		tap_not_ok "$desc"; tap_diag "setup: '$r'" "${diag[@]}"; fi
}

# Every value env.c refuses (the same lists as setup/badinput.sh, less the
# ones only the planner can judge: existing system accounts, missing
# folders and groups).
nl=$'\n'
BAD=()
for v in "" root "a:b" "a${nl}b" "-x" "+x" . .. 1234 "a b" abcdefghijklmnopqrstuvwxyz0123456 $'a\tb'; do
	BAD+=("APPLICATION_USER=$v")
done
for v in "" root "g:x" "g${nl}x" "-g" 123; do BAD+=("APPLICATION_GROUP=$v"); done
for var in APPLICATION_UID APPLICATION_GID PUID PGID; do
	for v in "" 0 -1 4294967295 4294967296 99999999999999999999 +5 " 5" "5 " 0x10 1e3 AUTO abc; do
		BAD+=("$var=$v")
	done
done
for v in "" / /etc /etc/x home/app /root /home/../etc "/home/a:b" /proc/self /usr /sys /dev \
	 /boot/x "/home/./x" /tmp /var; do
	BAD+=("APPLICATION_HOME=$v")
done
for v in "" / /etc app "/app::/data" "/app:" /app:/sys/x "/app/../.."; do BAD+=("APPLICATION_PATH=$v"); done
for v in "" "bad:name" " , " "ok,-bad"; do BAD+=("APPLICATION_GROUPS=$v"); done
for var in APPLICATION_UID_CONFLICT APPLICATION_GID_CONFLICT; do
	for v in "" MOVE ignore "move "; do BAD+=("$var=$v"); done
done

for b in "${BAD[@]}"; do agree root "$b"; done
agree root APPLICATION_UID=1000 PUID=1001

# The case that started it: root-mode exec as APPLICATION_USER=root.
out=$(inroot "$R" /usr/bin/env APPLICATION_USER=root appuser exec -- /usr/bin/id -u 2>&1); rc=$?
is "$rc:$(printf '%s' "$out" | grep -c '^0$')" "125:0" "root-mode exec refuses APPLICATION_USER=root (runs nothing)"

# Setuid mode: the same parser, the same words.
install_appuser "$R" 4755
printf 'allow_setuid = yes\nuser = application\n' > "$R/etc/appuser.conf"
chmod 644 "$R/etc/appuser.conf"
for b in APPLICATION_USER=root "APPLICATION_USER=a${nl}b" APPLICATION_UID=0 APPLICATION_HOME=/etc \
	 APPLICATION_PATH=/sys/x PUID=abc APPLICATION_GID_CONFLICT=ignore; do
	agree user "$b"
done

done_testing
