#!/bin/bash
# appuser setup (issue 3): every bad value of every variable exits 125 with
# a message naming the variable and the value, and leaves /etc exactly as
# it was (bytes, mtimes, inodes), with no home and no leftovers.
. "$(dirname "$0")/../../lib/tap.sh"
. "$(dirname "$0")/../../lib/sandbox.sh"
. "$(dirname "$0")/../../lib/setup.sh"
sandbox_enter "$@"

R=$(mkroot "$TESTS/fixtures/webdevops")
mkdir -p "$R/app" "$R/rootowned"; chown 1000:1000 "$R/app"
echo "someone:x:1500:1500::/home/someone:/bin/sh" >>"$R/etc/passwd"
ln -s /etc "$R/linktoetc"
before=$(etc_state "$R")

# refused NAME=VALUE [SHOWN] — 125, message names NAME and SHOWN (default
# VALUE), nothing written.
refused() {
	local assign=$1 var=${1%%=*} val=${1#*=} shown=${2-${1#*=}} out rc
	out=$(setup_with "$R" "$assign" 2>&1); rc=$?
	if [ "$rc" = 125 ] && [[ $out == *"$var"* ]] && [[ $out == *"$shown"* ]] &&
	   [ "$(etc_state "$R")" = "$before" ] && [ -z "$(leftovers "$R")" ]; then
		tap_ok "$(printf '%q' "$assign") refused"
	else
		tap_not_ok "$(printf '%q' "$assign") refused"
		tap_diag "exit $rc, want 125; message must name '$var' and '$shown'" "$out"
		[ "$(etc_state "$R")" = "$before" ] || tap_diag "/etc changed"
	fi
}

nl=$'\n'
for v in "" root "a:b" "a${nl}b" "-x" "+x" . .. 1234 "a b" abcdefghijklmnopqrstuvwxyz0123456 \
	 $'a\tb' daemon www-data nobody; do
	case $v in *[[:cntrl:]]*) refused "APPLICATION_USER=$v" "" ;; *) refused "APPLICATION_USER=$v" ;; esac
done
for v in "" root "g:x" "g${nl}x" "-g" 123 staff dialout; do
	case $v in *[[:cntrl:]]*) refused "APPLICATION_GROUP=$v" "" ;; *) refused "APPLICATION_GROUP=$v" ;; esac
done
for var in APPLICATION_UID APPLICATION_GID PUID PGID; do
	for v in "" 0 -1 4294967295 4294967296 99999999999999999999 +5 " 5" "5 " 0x10 1e3 AUTO abc; do
		refused "$var=$v"
	done
done
for v in "" / /etc /etc/x home/app /root /home/../etc "/home/a:b" /proc/self /usr /sys /dev \
	 /boot/x "/home/./x" /tmp /var; do
	refused "APPLICATION_HOME=$v"
done
for v in "" / /etc app "/app::/data" "/app:" /app:/sys/x "/app/../.." /nonexistent /linktoetc; do
	refused "APPLICATION_PATH=$v"
done
for v in "" "bad:name" " , " "ok,-bad" nosuchgroup /nonexistent root /rootowned; do
	refused "APPLICATION_GROUPS=$v"
done
for var in APPLICATION_UID_CONFLICT APPLICATION_GID_CONFLICT; do
	for v in "" MOVE ignore "move "; do
		refused "$var=$v"
	done
done

# Combinations the planner rejects.
combo() {	# DESC WANT_IN_MESSAGE NAME=VALUE...
	local desc=$1 want=$2 out rc; shift 2
	out=$(setup_with "$R" "$@" 2>&1); rc=$?
	if [ "$rc" = 125 ] && [[ $out == *"$want"* ]] && [ "$(etc_state "$R")" = "$before" ]; then
		tap_ok "$desc"
	else
		tap_not_ok "$desc"; tap_diag "exit $rc; want 125 and '$want'" "$out"
	fi
}
combo "PUID conflicting with APPLICATION_UID" "PUID='1001'" APPLICATION_UID=1000 PUID=1001
combo "PGID=auto conflicting with APPLICATION_GID=20" "PGID='auto'" APPLICATION_GID=20 PGID=auto
combo "auto on a root-owned path" "owned by uid 0" APPLICATION_UID=auto APPLICATION_PATH=/rootowned
combo "auto with a path that does not exist" "APPLICATION_PATH: '/app/nothere' does not exist" APPLICATION_UID=auto APPLICATION_PATH=/app/nothere
combo "system uid (www-data) without share" "system account 'www-data'" APPLICATION_UID=33
combo "uid of another user with fail" "belongs to user 'someone'" APPLICATION_UID=1500 APPLICATION_UID_CONFLICT=fail
combo "system gid with fail" "dialout" APPLICATION_GID=20 APPLICATION_GID_CONFLICT=fail

rm -rf "$R/app"
out=$(setup_with "$R" APPLICATION_UID=auto 2>&1); rc=$?
is "$rc" 125 "auto when /app does not exist and nothing else is given"
like "$out" "APPLICATION_UID='auto'" "... names the variable"

# The config is read and checked too, in every mode.
printf 'home = /etc/app\n' >"$R/etc/appuser.conf"; chmod 644 "$R/etc/appuser.conf"
combo "config home under /etc" "system folder"
printf 'user = root\n' >"$R/etc/appuser.conf"
combo "config user = root" "root"
printf 'paths = /app /\n' >"$R/etc/appuser.conf"
combo "config paths = /" "paths: '/'"
printf 'bogus = 1\n' >"$R/etc/appuser.conf"
combo "unknown config key" "unknown key 'bogus'"
printf 'user = application\n' >"$R/etc/appuser.conf"; chown 1000 "$R/etc/appuser.conf"
combo "config not owned by root" "not owned by root"
chown 0 "$R/etc/appuser.conf"; chmod 666 "$R/etc/appuser.conf"
combo "config writable by others" "writable by group or others"
rm -f "$R/etc/appuser.conf"

is "$(etc_state "$R")" "$before" "after all of the above /etc is byte-identical"
check_fail "no home was created" test -e "$R/home/application"
check_clean "$R" "bad input"

done_testing
