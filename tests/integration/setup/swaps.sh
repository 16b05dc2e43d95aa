#!/bin/bash
# Folders swapped under setup (issue 11 §4).  setup_home() made the home
# root-owned with mkdirat, reopened it by name and chowned what it opened;
# where the home's parent is writable by the caller or the application user
# (home = /app/home), a racer exchanging the new folder with a root-owned
# one beside it (renameat2 RENAME_EXCHANGE) had setup give that folder away,
# in root and setuid mode.  The same holds for the remap's start paths
# under such a folder: whatever is put at the name is walked (no race even
# needed: a rename beforehand does it).  Now a home under a folder that
# others than root may write is created as the user itself (the kernel
# checks the parent as that user; nothing is chowned), and such a start
# path is walked only when it already belongs to the IDs being moved.
. "$(dirname "$0")/../../lib/tap.sh"
. "$(dirname "$0")/../../lib/sandbox.sh"
. "$(dirname "$0")/../../lib/setup.sh"
sandbox_enter "$@"
FX=$TESTS/fixtures
SWAP=$(dirname "$APPUSER_BIN")/tests/appuser-swap
[ -x "$SWAP" ] || { echo "Bail out! $SWAP not built (make check builds it)"; exit 1; }
ROUNDS=$(quick 150 40)
command -v strace >/dev/null || { echo "1..0 # SKIP needs strace"; exit 0; }

# decoy ROOT — /app/conf: root-owned 0755, a root file inside; the folder a
# racer swaps the new home with.
decoy() {
	mkdir -p "$1/app/conf"; echo secret >"$1/app/conf/marker"
	chmod 0755 "$1/app/conf"
}
# where_decoy ROOT — which name of /app holds the decoy now.
where_decoy() {
	local d
	for d in conf home; do [ -e "$1/app/$d/marker" ] && { echo "$d"; return; }; done
	echo lost
}
# reset_decoy ROOT — the decoy back at /app/conf, no home (racer stopped).
reset_decoy() {
	if [ "$(where_decoy "$1")" = home ]; then
		rm -rf "$1/app/conf"; mv "$1/app/home" "$1/app/conf"
	else
		rm -rf "$1/app/home"
	fi
}
# race ROOT UID — setup (in the caller's shape: run_setup) against a racer
# of uid UID swapping /app/home and /app/conf, ROUNDS times or until the
# decoy changes owner.  Prints "won ROUND" or "held ROUNDS".
race() {
	local r=$1 u=$2 i racer where
	cp "$SWAP" "$r/opt/appuser/bin/appuser-swap"
	for i in $(seq 1 "$ROUNDS"); do
		rm -f "$r/tmp/stop"
		asuser "$r" "$u" "$u" appuser-swap /app home conf /tmp/stop & racer=$!
		run_setup "$r" >/dev/null 2>&1
		touch "$r/tmp/stop"; wait_pid $racer 30
		where=$(where_decoy "$r")
		if [ "$where" = lost ] || [ "$(stat -c %u "$r/app/$where")" != 0 ]; then
			echo "won $i"; return
		fi
		reset_decoy "$r"; reset_round "$r"
	done
	echo "held $ROUNDS"
}

# once ROOT UID CMD... — the race won every time: strace holds setup for
# 0.3 s after each mkdirat (so between the home's mkdirat and its open),
# while a racer of uid UID exchanges /app/home and /app/conf once, as soon
# as the home exists.  Prints setup's exit status and output.
once() {
	local r=$1 u=$2 racer out rc; shift 2
	cp "$SWAP" "$r/opt/appuser/bin/appuser-swap"; rm -f "$r/tmp/stop"
	asuser "$r" "$u" "$u" appuser-swap /app home conf /tmp/stop once & racer=$!
	# (LeakSanitizer cannot run under ptrace: off for this run in SANITIZE=1.)
	out=$(inroot "$r" strace -f -qq -o /dev/null -e trace=mkdirat \
		-e inject=mkdirat:delay_exit=300000 "$@" 2>&1); rc=$?
	touch "$r/tmp/stop"; wait_pid $racer 30
	echo "$rc $out"
}

# --- 1. root mode: home = /app/home, /app owned by the application user -----
R=$(mkroot)
printf 'user = application\nhome = /app/home\n' >"$R/etc/appuser.conf"
mkdir "$R/app"; chown 1000:1000 "$R/app"; decoy "$R"
out=$(once "$R" 1000 /usr/bin/env ASAN_OPTIONS=detect_leaks=0 APPLICATION_UID=1000 \
	APPLICATION_GID=1000 appuser setup)
is "$(where_decoy "$R")" home "root mode, the race won: the racer exchanged the new home with a root-owned folder"
is "$(stat -c '%u:%g %a' "$R/app/home")" "0:0 755" "…which setup did not give away"
like "$out" "^125 .*home /app/home changed while being created; refused" "…it refused, naming the home"

R=$(mkroot)
printf 'user = application\nhome = /app/home\n' >"$R/etc/appuser.conf"
mkdir "$R/app"; chown 1000:1000 "$R/app"; decoy "$R"
run_setup() { setup_with "$1" APPLICATION_UID=1000 APPLICATION_GID=1000 -- -q; }
reset_round() { :; }
res=$(race "$R" 1000)
tap_diag "root mode: $res"
like "$res" "^held" "root mode: a racer swapping the new home with a root-owned folder beside it never has it given away ($res)"
is "$(stat -c "%u:%g %a" "$R/app/$(where_decoy "$R")")" "0:0 755" "root mode: the root-owned folder is still root's"

# Without a racer: the home is made by the user itself, with its IDs.
R=$(mkroot)
printf 'user = application\nhome = /app/home\n' >"$R/etc/appuser.conf"
mkdir "$R/app"; chown 1000:1000 "$R/app"
out=$(setup_with "$R" APPLICATION_UID=1000 APPLICATION_GID=1000 2>&1)
is "$?:$(stat -c '%u:%g %a' "$R/app/home")" "0:1000:1000 750" "home in a folder of the user's: created 1000:1000 0750"
like "$out" "created home /app/home" "…and said"
# A setgid parent gives its group: the home still gets the user's.
R=$(mkroot)
printf 'user = application\nhome = /app/home\n' >"$R/etc/appuser.conf"
mkdir "$R/app"; chown 1000:1002 "$R/app"; chmod 2775 "$R/app"
setup_with "$R" APPLICATION_UID=1000 APPLICATION_GID=1000 -- -q
is "$(stat -c '%u:%g %a' "$R/app/home")" "1000:1000 750" "setgid parent: the home still gets the user's group, mode 0750"
# Missing parents inside such a folder are made by the user too.
R=$(mkroot)
printf 'user = application\nhome = /app/users/application\n' >"$R/etc/appuser.conf"
mkdir "$R/app"; chown 1000:1000 "$R/app"
setup_with "$R" APPLICATION_UID=1000 APPLICATION_GID=1000 -- -q
is "$(stat -c '%u:%g %a' "$R/app/users" "$R/app/users/application" | tr '\n' ' ')" \
	"1000:1000 755 1000:1000 750 " "missing parents in a folder of the user's are the user's too"
# A root-owned parent nobody else may write: made by root and given, as before.
R=$(mkroot)
printf 'user = application\nhome = /srv/homes/application\n' >"$R/etc/appuser.conf"
setup_with "$R" APPLICATION_UID=1000 APPLICATION_GID=1000 -- -q
is "$(stat -c '%u:%g %a' "$R/srv/homes" "$R/srv/homes/application" | tr '\n' ' ')" \
	"0:0 755 1000:1000 750 " "under root-owned folders: parents root's 0755, the home the user's"
# A parent writable by someone else, where the user may not create it: refused.
R=$(mkroot)
printf 'user = application\nhome = /srv/home\n' >"$R/etc/appuser.conf"
mkdir "$R/srv"; chown 1002:1002 "$R/srv"; chmod 0755 "$R/srv"
out=$(setup_with "$R" APPLICATION_UID=1000 APPLICATION_GID=1000 2>&1); rc=$?
is "$rc" 125 "a parent writable by another user, not by the application user: refused"
like "$out" "home /srv/home.*writable by others than root.*created as uid 1000" "…naming the rule"
check_fail "…and nothing was made" test -e "$R/srv/home"

# Root's supplementary groups are none of the user's (review round 2): a
# /srv writable only by group 1002, setup run as root with that group
# (docker run --group-add 1002) — the kernel let uid 1000 create the home
# through root's group, where the user itself may not write.
R=$(mkroot)
printf 'user = application\nhome = /srv/home\n' >"$R/etc/appuser.conf"
mkdir "$R/srv"; chown 0:1002 "$R/srv"; chmod 0775 "$R/srv"
out=$(inroot "$R" setpriv --groups=1002 /usr/bin/env APPLICATION_UID=1000 APPLICATION_GID=1000 \
	appuser setup 2>&1); rc=$?
is "$rc" 125 "root mode with a supplementary group that may write the parent: the user may not, refused"
like "$out" "home /srv/home.*uid 1000 may not create it" "…naming the rule"
check_fail "…and nothing was made" test -e "$R/srv/home"
status_is 0 "…and setup still runs with that group when the parent is the user's" \
	inroot "$R" setpriv --groups=1002 /usr/bin/env APPLICATION_UID=1000 APPLICATION_GID=1000 \
	APPLICATION_HOME=/tmp/home appuser setup -q
is "$(stat -c '%u:%g %a' "$R/tmp/home")" "1000:1000 750" "…a home in the sticky /tmp is made by the user"

# A home made first by another user where others may write (review round
# 2): in the sticky /tmp, uid 1002 makes /tmp/home before setup (or between
# setup's look and its mkdirat); setup kept it as any existing home, so the
# application user's home, and its shell's startup files, were 1002's.
R=$(mkroot)
printf 'user = application\nhome = /tmp/home\n' >"$R/etc/appuser.conf"
asuser "$R" 1002 1002 mkdir /tmp/home
out=$(setup_with "$R" APPLICATION_UID=1000 APPLICATION_GID=1000 2>&1); rc=$?
is "$rc" 125 "an existing home of another user's in the sticky /tmp: refused"
like "$out" "home /tmp/home exists and is owned by uid 1002, not 1000, in a folder others than root may write" \
	"…naming the rule"
# …or a symlink there to a folder of its own, at the home or on the way.
R=$(mkroot)
printf 'user = application\nhome = /tmp/home\n' >"$R/etc/appuser.conf"
asuser "$R" 1002 1002 sh -c 'mkdir /tmp/evil && ln -s /tmp/evil /tmp/home'
out=$(setup_with "$R" APPLICATION_UID=1000 APPLICATION_GID=1000 2>&1); rc=$?
is "$rc" 125 "a symlink another user made at the home's place in /tmp: refused"
like "$out" "home /tmp/home is a symlink, goes through one or is not a folder, in a folder others" \
	"…naming the rule"
R=$(mkroot)
printf 'user = application\nhome = /tmp/d/home\n' >"$R/etc/appuser.conf"
asuser "$R" 1002 1002 sh -c 'mkdir -p /tmp/evil/home && ln -s /tmp/evil /tmp/d'
out=$(setup_with "$R" APPLICATION_UID=1000 APPLICATION_GID=1000 2>&1); rc=$?
is "$rc" 125 "a symlink another user made on the home's way in /tmp: refused"
R=$(mkroot)
printf 'user = application\nhome = /tmp/home\n' >"$R/etc/appuser.conf"
mkdir "$R/tmp/home"; chown 1000:1000 "$R/tmp/home"
status_is 0 "control: an existing home of the user's own there is kept" \
	setup_with "$R" APPLICATION_UID=1000 APPLICATION_GID=1000 -- -q
# The old uid's home with --no-fix (remapped later by appuser fix): kept.
R=$(mkroot)
printf 'user = application\nhome = /app/home\n' >"$R/etc/appuser.conf"
mkdir -p "$R/app/home"; chown 1000:1000 "$R/app" "$R/app/home"
setup_with "$R" APPLICATION_UID=1000 APPLICATION_GID=1000 -- -q
status_is 0 "control: the old uid's home with --no-fix is kept" \
	setup_with "$R" APPLICATION_UID=1005 APPLICATION_GID=1005 -- -q --no-fix
is "$(stat -c %u "$R/app/home")" 1000 "…and left to appuser fix"

# --- 2. setuid mode: the caller owns /app --------------------------------------
suid_app() {
	local r
	r=$(mkroot "$FX/webdevops")
	install_appuser "$r" 4755
	printf 'allow_setuid = yes\nuser = application\nhome = /app/home\nuid_range = 1000-60000\n' >"$r/etc/appuser.conf"
	chmod 0644 "$r/etc/appuser.conf"
	mkdir "$r/app"; chown 1001:1001 "$r/app"; decoy "$r"
	echo "$r"
}
R=$(suid_app)
out=$(once "$R" 1001 /usr/bin/setpriv --reuid=1001 --regid=1001 --clear-groups /usr/bin/env -i \
	PATH="$ROOT_PATH" ASAN_OPTIONS=detect_leaks=0 appuser setup)
is "$(where_decoy "$R")" home "setuid mode, the race won: the caller exchanged the new home with a root-owned folder"
is "$(stat -c '%u:%g %a' "$R/app/home")" "0:0 755" "…which setup did not give away"
like "$out" "^125 .*home /app/home changed while being created; refused" "…it refused, naming the home"
R=$(suid_app)
cp -a "$R/etc" "$R/etc.orig"
run_setup() { setup_as "$1" 1001 1001 -- -q; }
reset_round() { cp -a "$1/etc.orig/." "$1/etc/"; rm -rf "$1/run/appuser"; }
res=$(race "$R" 1001)
tap_diag "setuid mode: $res"
like "$res" "^held" "setuid mode: the caller's racer never gets the root-owned folder ($res)"
is "$(stat -c "%u:%g %a" "$R/app/$(where_decoy "$R")")" "0:0 755" "setuid mode: the root-owned folder is still root's"
reset_round "$R"
status_is 0 "setuid mode without a racer: setup works" setup_as "$R" 1001 1001 -- -q
is "$(stat -c '%u:%g %a' "$R/app/home")" "1001:1001 750" "…the home is the caller's, 0750"

# The image's /app is the old application uid's (1000) and configured: the
# remap gives it to the caller first, then the caller's home is made in it.
R=$(mkroot "$FX/webdevops")
install_appuser "$R" 4755
printf 'allow_setuid = yes\nuser = application\nhome = /app/home\npaths = /app\nuid_range = 1000-60000\n' >"$R/etc/appuser.conf"
chmod 0644 "$R/etc/appuser.conf"
mkdir "$R/app"; chown 1000:1000 "$R/app"
status_is 0 "setuid mode, home in the image's /app of the old uid (configured): setup works" \
	setup_as "$R" 1001 1001 -- -q
is "$(stat -c '%u:%g' "$R/app" "$R/app/home" | tr '\n' ' ')" "1001:1001 1001:1001 " \
	"…/app is remapped first, then the home is made in it by the caller's uid"

# --- 3. a remap start path under such a folder ----------------------------------
# The application user (1000) has its home at /app/home; /app is the caller's
# (1001).  Beside it, /app/vault: root's folder with a file of uid 1000.  The
# caller renames the vault into the home's place before its setuid setup.
vault_root() {
	local r
	r=$(mkroot "$FX/webdevops")
	install_appuser "$r" 4755
	printf 'allow_setuid = yes\nuser = application\nhome = /app/home\nuid_range = 1000-60000\n' >"$r/etc/appuser.conf"
	chmod 0644 "$r/etc/appuser.conf"
	sed -i 's|^application:\(.*\):/home/application:|application:\1:/app/home:|' "$r/etc/passwd"
	mkdir -p "$r/app/home" "$r/app/vault"; echo mine >"$r/app/home/notes"
	chown -R 1000:1000 "$r/app/home"; chown 1001:1001 "$r/app"
	echo key >"$r/app/vault/key"; chown 1000:1000 "$r/app/vault/key"; chmod 0600 "$r/app/vault/key"
	echo "$r"
}
R=$(vault_root)
asuser "$R" 1001 1001 sh -c 'mv /app/home /app/real && mv /app/vault /app/home'
out=$(setup_as "$R" 1001 1001 2>&1); rc=$?
is "$(stat -c %u "$R/app/home/key")" 1000 "a root-owned folder renamed into a start path's place is not walked: its uid-1000 file stays"
like "$out" "/app/home: .*not walked" "…said in one line"
is "$rc" 0 "…and setup carries on"
R=$(vault_root)
status_is 0 "control: the real home in the same place" setup_as "$R" 1001 1001 -- -q
is "$(stat -c %u "$R/app/home" "$R/app/home/notes" "$R/app/vault/key" | tr '\n' ' ')" "1001 1001 1000 " \
	"…is walked (the user's folder), the vault beside it is not"

done_testing
