#!/bin/bash
# appuser setup in setuid mode (issue 6's setup guards): the binary is
# installed 4755 root in a throwaway root and called by an unprivileged
# uid.  It maps the application user to the caller's own IDs once per
# container; everything else is refused with 125 and changes nothing.
. "$(dirname "$0")/../../lib/tap.sh"
. "$(dirname "$0")/../../lib/sandbox.sh"
. "$(dirname "$0")/../../lib/setup.sh"
sandbox_enter "$@"
FX=$TESTS/fixtures
CONF='allow_setuid = yes
user = application
paths = /app
uid_range = 1000-60000'

# suid_root [FIXTURE [CONFIG]] — a root with the setuid binary and a config.
suid_root() {
	local r
	r=$(mkroot "${1:-$FX/webdevops}")
	install_appuser "$r" 4755
	printf '%s\n' "${2-$CONF}" >"$r/etc/appuser.conf"
	chown 0:0 "$r/etc/appuser.conf"; chmod 0644 "$r/etc/appuser.conf"
	mkdir -p "$r/app"; chown 1000:1000 "$r/app"
	echo "$r"
}

# --- The normal path: first setup maps to the caller, then only no-ops ------
R=$(suid_root)
out=$(setup_as "$R" 1234 1234 2>&1); rc=$?
is "$rc" 0 "setuid: the first setup works"
is "$(grep '^application:' "$R/etc/passwd" | cut -d: -f3,4)" "1234:1234" "mapped to the caller's uid and gid"
is "$(grep '^application:' "$R/etc/group" | cut -d: -f3)" "1234" "the group follows"
is "$(grep -c 'application uid 1000 -> 1234' <<<"$out")" 1 "each change is one line on stderr"
is "$(grep -c 'audit:' <<<"$out")" 1 "no syslog: one audit line on stderr for the run"
like "$out" "audit: ruid=1234: setup: first setup in this container done" "… with the caller's uid"
is "$(stat -c '%u %a' "$R/run/appuser/setup.done")" "0 644" "marker /run/appuser/setup.done, root-owned"
is "$(stat -c '%u %a' "$R/run/appuser")" "0 755" "its folder is root-owned, not writable by others"
check_clean "$R" "setuid setup"
is "$(asuser "$R" 1234 1234 appuser exec id -un 2>/dev/null)" "application" "exec then runs as the application user"
st=$(etc_state "$R")
out=$(setup_as "$R" 1234 1234 2>&1); rc=$?
is "$rc:$out" "0:" "a second identical setup is a silent no-op (docker restart)"
is "$(etc_state "$R")" "$st" "... that writes nothing"
status_is 0 "naming your own uid explicitly is still a no-op" setup_as "$R" 1234 1234 APPLICATION_UID=1234 PGID=1234
out=$(setup_as "$R" 1235 1235 2>&1); rc=$?
is "$rc" 125 "a second setup that would change anything is refused"
like "$out" "already ran in this container" "... and says why"
is "$(etc_state "$R")" "$st" "... and changed nothing"
status_is 125 "the same with APPLICATION_UID" setup_as "$R" 1234 1234 APPLICATION_GID=1234 APPLICATION_UID=1235
rm -rf "$R/home/application"
status_is 125 "recreating a deleted home counts as a change, refused" setup_as "$R" 1234 1234

# --- Refusals, each on a fresh root: exit 125, nothing written, no marker ---
refused() {	# DESC WANT-IN-MESSAGE ROOT UID GID [NAME=VALUE...] [-- ARGS]
	local desc=$1 want=$2 r=$3 u=$4 g=$5 out rc st; shift 5
	st=$(etc_state "$r")
	out=$(setup_as "$r" "$u" "$g" "$@" 2>&1); rc=$?
	if [ "$rc" = 125 ] && [[ $out == *"$want"* ]] && [ "$(etc_state "$r")" = "$st" ] &&
	   [ ! -e "$r/run/appuser/setup.done" ] && [ -z "$(leftovers "$r")" ]; then
		tap_ok "refused: $desc"
	else
		tap_not_ok "refused: $desc"; tap_diag "exit $rc, want 125 and '$want'" "$out"
	fi
}
R=$(suid_root)
refused "APPLICATION_UID=0" "APPLICATION_UID='0'" "$R" 1234 1234 APPLICATION_UID=0
refused "PUID=0" "PUID='0'" "$R" 1234 1234 PUID=0
refused "another user's uid" "your own uid 1234" "$R" 1234 1234 APPLICATION_UID=1000
refused "another gid" "your own gid 1234" "$R" 1234 1234 PGID=33
refused "auto naming another owner" "your own uid 1234" "$R" 1234 1234 APPLICATION_UID=auto
refused "a uid outside uid_range" "outside uid_range 1000-60000" "$R" 70000 70000
refused "a uid below uid_range" "outside uid_range" "$R" 999 999
# gid 0 is the caller's own (OpenShift's arbitrary uids, docker --user UID): the user
# joins root's group (tests/integration/setup/contexts.sh has the details).
R0=$(suid_root)
is "$(setup_as "$R0" 1234 0 -- -q 2>/dev/null; grep '^application:' "$R0/etc/passwd" | cut -d: -f3,4)" "1234:0" \
	"your own gid 0: the application user joins root's group"
refused "--root" "--root is refused in setuid mode" "$R" 1234 1234 -- --root /
refused "APPLICATION_USER=root" "APPLICATION_USER='root'" "$R" 1234 1234 APPLICATION_USER=root
refused "APPLICATION_USER=www-data" "APPLICATION_USER='www-data'" "$R" 1234 1234 APPLICATION_USER=www-data
refused "another application user name" "may only repeat the configured 'application'" "$R" 1234 1234 APPLICATION_USER=other
refused "APPLICATION_GROUP=shadow" "APPLICATION_GROUP='shadow'" "$R" 1234 1234 APPLICATION_GROUP=shadow
refused "APPLICATION_GROUPS=shadow" "APPLICATION_GROUPS" "$R" 1234 1234 APPLICATION_GROUPS=shadow
refused "APPLICATION_GROUPS=/var/run/docker.sock" "APPLICATION_GROUPS" "$R" 1234 1234 APPLICATION_GROUPS=/dev/null
refused "APPLICATION_HOME=/root" "APPLICATION_HOME='/root'" "$R" 1234 1234 APPLICATION_HOME=/root
refused "APPLICATION_HOME elsewhere" "APPLICATION_HOME='/srv/x'" "$R" 1234 1234 APPLICATION_HOME=/srv/x
refused "APPLICATION_PATH=/etc" "APPLICATION_PATH='/etc'" "$R" 1234 1234 APPLICATION_PATH=/etc
refused "APPLICATION_PATH=/" "APPLICATION_PATH='/'" "$R" 1234 1234 APPLICATION_PATH=/
ln -s /etc "$R/linktoetc"
refused "APPLICATION_PATH, a symlink to /etc" "not one of the config's paths" "$R" 1234 1234 APPLICATION_PATH=/linktoetc
mkdir -p "$R/srv/other"
refused "APPLICATION_PATH outside the config's" "not one of the config's paths" "$R" 1234 1234 APPLICATION_PATH=/srv/other
refused "a conflict policy the config does not set" "APPLICATION_UID_CONFLICT" "$R" 1234 1234 APPLICATION_UID_CONFLICT=share
refused "names with ':'" "APPLICATION_USER" "$R" 1234 1234 "APPLICATION_USER=a:0:0::/:/bin/sh"
refused "names with a newline" "APPLICATION_USER" "$R" 1234 1234 "APPLICATION_USER=x
root2:x:0:0::/:/bin/sh"
mkdir "$R/run/appuser"; chown 1234 "$R/run/appuser"
refused "/run/appuser made by the caller" "/run/appuser" "$R" 1234 1234
rmdir "$R/run/appuser"

R=$(suid_root "$FX/webdevops" "")
rm -f "$R/etc/appuser.conf"
refused "no config" "does not exist" "$R" 1234 1234
R=$(suid_root "$FX/webdevops" "allow_setuid = no")
refused "allow_setuid = no" "allow_setuid = yes" "$R" 1234 1234
R=$(suid_root "$FX/webdevops" "user = application")
refused "allow_setuid missing" "allow_setuid = yes" "$R" 1234 1234
R=$(suid_root)
chown 1234 "$R/etc/appuser.conf"
refused "a config owned by the caller" "not owned by root" "$R" 1234 1234
chown 0 "$R/etc/appuser.conf"; chmod 0666 "$R/etc/appuser.conf"
refused "a config with mode 0666" "writable by group or others" "$R" 1234 1234
chmod 0644 "$R/etc/appuser.conf"; chmod 0777 "$R/etc"
refused "a config in a world-writable folder" "its folder is writable by group or others" "$R" 1234 1234
chmod 0755 "$R/etc"

# A failed run leaves no marker: the next good one is still the first.
R=$(suid_root)
refused "a bad first run" "APPLICATION_UID" "$R" 1234 1234 APPLICATION_UID=4321
status_is 0 "after a failed run, the first good setup still works" setup_as "$R" 1234 1234
check "and leaves the marker" test -e "$R/run/appuser/setup.done"

# --- The macOS case: --user 501:20 ---------------------------------------------
R=$(suid_root "$FX/webdevops" "allow_setuid = yes
uid_range = 500-60000")
out=$(setup_as "$R" 501 20 2>&1); rc=$?
is "$rc" 0 "setuid, caller 501:20: works"
is "$(grep '^application:' "$R/etc/passwd" | cut -d: -f3,4)" "501:20" "joins gid 20 (a system group) without renumbering it"
is "$(grep '^dialout:' "$R/etc/group")" "dialout:x:20:" "dialout unchanged"
status_is 0 "restart: no-op" setup_as "$R" 501 20

# --- The caller's uid belongs to the image's other user (node at 1000) -------
R=$(suid_root "$FX/node")
mkdir -p "$R/home/node"; touch "$R/home/node/f"; chown -R 1000:1000 "$R/home/node"
out=$(setup_as "$R" 1000 1000 2>&1); rc=$?
is "$rc" 0 "setuid, caller 1000 while node holds 1000: node moves"
is "$(grep '^node:' "$R/etc/passwd" | cut -d: -f3)" "1001" "node renumbered"
is "$(stat -c %u "$R/home/node/f")" "1000" "in setuid mode node's home is not walked (only paths and the home)"

# --- SIGKILL from the caller during a setuid setup ---------------------------
R=$(suid_root)
add_users "$R" 3000 5000
snap() { mkdir -p "$R/snap"; (cd "$R/etc" && cp -p $ACCT_FILES "$R/snap/"); }
back() { local f; for f in $ACCT_FILES; do cat "$R/snap/$f" >"$R/etc/$f"; done; rm -rf "$R/run/appuser" "$R/home/application"; }
snap; OLD=$(cd "$R/etc" && cat passwd group | sha256sum)
setup_as "$R" 1234 1234 -- -q 2>/dev/null; NEW=$(cd "$R/etc" && cat passwd group | sha256sum)
bad=""
KILLS=$(quick 40 10)
for i in $(seq 1 "$KILLS"); do
	back
	chroot "$R" /usr/bin/setpriv --reuid=1234 --regid=1234 --clear-groups /usr/bin/env -i \
		PATH="$ROOT_PATH" appuser setup -q 2>/dev/null & p=$!
	sleep "0.00$((RANDOM % 8))"
	kill -9 $p 2>/dev/null; wait $p 2>/dev/null
	cur=$(cd "$R/etc" && cat passwd group | sha256sum)
	# A run claims the marker under the locks before the files change;
	# only a finished one says "done".
	if grep -qs 'state=done' "$R/run/appuser/setup.done" && [ "$cur" != "$NEW" ]; then
		bad+="run $i: a finished marker without the change"$'\n'
	fi
	setup_as "$R" 1234 1234 -- -q 2>/dev/null || bad+="run $i: the next setup failed"$'\n'
	[ "$(cd "$R/etc" && cat passwd group | sha256sum)" = "$NEW" ] || bad+="run $i: wrong final files"$'\n'
	[ -z "$(leftovers "$R")" ] || bad+="run $i: left $(leftovers "$R")"$'\n'
done
is "$bad" "" "SIGKILL by the caller x $KILLS: never a finished marker without the change; the same caller's next setup completes"

# --- With a syslog: the audit records go there, nothing doubled on stderr ---
if command -v perl >/dev/null; then
	. "$TESTS/lib/syslog.sh"
	R=$(suid_root)
	syslog_start "$R"
	out=$(setup_as "$R" 1234 1234 2>&1)
	syslog_stop "$R"
	unlike "$out" "audit:" "syslog: no audit line on stderr"
	is "$(grep -c 'application uid 1000 -> 1234' <<<"$out")" 1 "syslog: each change still one line on stderr"
	like "$(cat "$R/dev/log.out")" "audit: ruid=1234: setup: application uid 1000 -> 1234" \
		"syslog: a record per change, with the caller's uid"
	like "$(cat "$R/dev/log.out")" "audit: ruid=1234: setup: first setup in this container done" \
		"syslog: the run's record"
else
	tap_skip "setup audit to syslog" "no perl"
fi

done_testing
