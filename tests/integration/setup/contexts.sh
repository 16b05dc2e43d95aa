#!/bin/bash
# appuser setup under the contexts container runtimes create (issue 12):
# the first start on a bind mount that already has the host's owner
# (OnRootMismatch), ... Each in a throwaway root.
. "$(dirname "$0")/../../lib/tap.sh"
. "$(dirname "$0")/../../lib/sandbox.sh"
. "$(dirname "$0")/../../lib/setup.sh"
sandbox_enter "$@"
FX=$TESTS/fixtures

# image ROOT — the kit's image: application 1000:1000 with a home full of
# files it created, /app a bind mount owned by the host user 501:20.
image() {
	local r
	r=$(mkroot "$FX/webdevops")
	mkdir -p "$r/home/application/.cache" "$r/app/src"
	touch "$r/home/application/.profile" "$r/home/application/.cache/x"
	chown -R 1000:1000 "$r/home/application"
	touch "$r/app/src/a.php" "$r/app/README"
	chown -R 501:20 "$r/app"
	echo "$r"
}

# --- The first start on a bind mount that already has the new owner ---------
R=$(image)
touch "$R/app/src/left-by-1000"; chown 1000:1000 "$R/app/src/left-by-1000"
out=$(setup_with "$R" APPLICATION_UID=auto APPLICATION_GID=auto -- -v 2>&1); rc=$?
is "$rc" 0 "auto on a 501:20 bind mount: setup works"
is "$(grep '^application:' "$R/etc/passwd" | cut -d: -f3,4)" "501:20" "the user takes the mount's owner"
is "$(stat -c %u:%g "$R/home/application" "$R/home/application/.cache/x" | sort -u)" "501:20" \
	"the home (old owner at its root) is walked: its files follow"
like "$out" "/app: already owned by 501:20; not walked" "/app (new owner at its root) is not walked, and -v says so"
is "$(stat -c %u:%g "$R/app/src/left-by-1000")" "1000:1000" \
	"… so a file below it on the old IDs stays (the OnRootMismatch rule)"
# A root with the new uid but the old gid is a mismatch: walked.
R=$(image)
chown 501:1000 "$R/app" "$R/app/src/a.php"
setup_with "$R" APPLICATION_UID=501 APPLICATION_GID=20 -- -q
is "$(stat -c %u:%g "$R/app" "$R/app/src/a.php" | sort -u)" "501:20" \
	"root on the new uid but the old gid: walked, the gid follows"
# An interrupted walk leaves the old owner on the root (it is changed
# last): the next run walks and finishes it.
R=$(image)
chown -R 1000:1000 "$R/app"; chown 501:20 "$R/app/src/a.php"
mkdir -p "$R/run/appuser"
printf 'appuser-remap 2\njob\nuid 1000 501\ngid 1000 20\npath /app\n' >"$R/run/appuser/remap.pending"
setup_with "$R" APPLICATION_UID=501 APPLICATION_GID=20 -- -q
is "$(stat -c %u:%g "$R/app" "$R/app/README" "$R/app/src/a.php" | sort -u)" "501:20" \
	"an interrupted remap (root still old) is finished"
# The restart: nothing changes, nothing walked.
out=$(setup_with "$R" APPLICATION_UID=501 APPLICATION_GID=20 -- -v 2>&1)
like "$out" "nothing to do" "restart: nothing to do"

# sp ROOT SETPRIV-ARGS... -- [NAME=VALUE...] appuser ARGS...
sp() {
	local r=$1 a=(); shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do a+=("$1"); shift; done
	shift
	chroot "$r" /usr/bin/setpriv "${a[@]}" /usr/bin/env -i PATH="$ROOT_PATH" "$@"
}
suid() {	# ROOT: the kit's setuid install and config
	install_appuser "$1" 4755
	printf 'allow_setuid = yes\nuser = application\ngroup = application\npaths = /app\nuid_range = 500-2147483647\n' >"$1/etc/appuser.conf"
	chmod 0644 "$1/etc/appuser.conf"
}

# --- 7. Root without CAP_CHOWN/CAP_DAC_OVERRIDE/CAP_FOWNER: say so before
#        touching anything (it used to rewrite /etc, then fail on the home).
R=$(image)
st=$(etc_state "$R"); home=$(stat -c %u:%g "$R/home/application")
out=$(sp "$R" --bounding-set -all,+setuid,+setgid -- APPLICATION_UID=auto APPLICATION_GID=auto appuser setup 2>&1); rc=$?
is "$rc" 125 "root without CHOWN/DAC_OVERRIDE/FOWNER: refused"
like "$out" "^appuser: setup: .*CAP_CHOWN.*CAP_DAC_OVERRIDE.*CAP_FOWNER.*--cap-add" "… in one line naming them and the way out"
is "$(wc -l <<<"$out")" 1 "… one line"
is "$(etc_state "$R"):$(stat -c %u:%g "$R/home/application")" "$st:$home" "… before anything changed"
check_clean "$R" "root without caps"
out=$(sp "$R" --bounding-set -all,+setuid,+setgid -- APPLICATION_UID=1000 APPLICATION_GID=1000 appuser setup 2>&1); rc=$?
is "$rc:$out" "0:" "… but a setup with nothing to change passes silently"
out=$(sp "$R" --bounding-set -all,+chown,+setuid,+setgid,+dac_override,+fowner -- \
	APPLICATION_UID=auto APPLICATION_GID=auto appuser setup -q 2>&1); rc=$?
is "$rc" 0 "root with the hardened set (CHOWN SETUID SETGID DAC_OVERRIDE FOWNER): setup works"
is "$(stat -c %u:%g "$R/home/application")" "501:20" "… and remaps the home"

# --- 5. Kubernetes "restricted" / OpenShift restricted-v2: no privilege at
#        all.  Setup says once that it cannot change the accounts, exits 0,
#        and the kit carries on as the runtime's user.
R=$(image); suid "$R"
st=$(etc_state "$R")
out=$(sp "$R" --nnp --bounding-set -all --reuid 1000680000 --regid 0 --clear-groups -- appuser setup 2>&1); rc=$?
is "$rc" 0 "restricted-v2 (uid 1000680000 gid 0, NNP, no caps): setup exits 0"
is "$(grep -c '^appuser: setup:' <<<"$out"):$(wc -l <<<"$out")" "1:1" "… after exactly one line"
like "$out" "cannot change the accounts as uid 1000680000 gid 0.*no_new_privs.*carrying on as the runtime's user" \
	"… saying what it could not do, why, and that it carries on"
is "$(etc_state "$R")" "$st" "… and changes nothing"
out=$(sp "$R" --nnp --bounding-set -all --reuid 1000 --regid 1000 --clear-groups -- appuser setup 2>&1); rc=$?
is "$rc:$out" "0:" "restricted with the image's own IDs (runAsUser 1000): silent, nothing to do"
out=$(sp "$R" --bounding-set -all --reuid 501 --regid 20 --clear-groups -- appuser setup 2>&1); rc=$?
is "$rc" 0 "setuid bit but --cap-drop ALL: setup exits 0"
like "$out" "cannot change the accounts as uid 501 gid 20.*CAP_SETUID" "… naming the missing capabilities"
is "$(etc_state "$R")" "$st" "… and changes nothing"
out=$(sp "$R" --nnp --reuid 1000 --regid 1000 --clear-groups -- APPLICATION_UID=-1 appuser setup 2>&1); rc=$?
is "$rc" 125 "restricted: an invalid variable is still an error"
install_appuser "$R" 0755
out=$(sp "$R" --reuid 501 --regid 20 --clear-groups -- appuser setup 2>&1); rc=$?
is "$rc" 0 "not installed setuid at all: setup exits 0 …"
like "$out" "cannot change the accounts as uid 501 gid 20.*not installed setuid" "… and says why"

# --- 4. OpenShift arbitrary UIDs: --user 1000680000:0 through the setuid
#        bit; the image's /app is chgrp 0 + g=u.  The application user takes
#        the uid with primary group 0; nothing moves to or from group 0.
R=$(image); suid "$R"
chgrp -R 0 "$R/app"; chmod -R g=u "$R/app"; chown 1000 "$R/app" "$R/app/README"
touch "$R/home/application/rootgrp"; chown 1000:0 "$R/home/application/rootgrp"
OS=(--reuid 1000680000 --regid 0 --clear-groups)
out=$(sp "$R" "${OS[@]}" -- appuser setup 2>&1); rc=$?
is "$rc" 0 "OpenShift --user 1000680000:0: setup works"
is "$(grep '^application:' "$R/etc/passwd" | cut -d: -f3,4)" "1000680000:0" \
	"the application user takes the uid with primary group 0"
unlike "$out" "use --user" "… without the --user hint (an OpenShift uid)"
is "$(grep -c ':x:0:' "$R/etc/group")" 1 "no second group with gid 0"
is "$(stat -c %u:%g "$R/app/README" "$R/app/src/a.php" | sort -u | tr '\n' ' ')" "1000680000:0 501:0 " \
	"files follow the uid; their group 0 stays"
is "$(stat -c %g "$R/home/application/.profile" "$R/home/application" | sort -u)" "1000" \
	"the old gid is not remapped to group 0"
is "$(stat -c %u:%g "$R/home/application/rootgrp")" "1000680000:0" "… and group 0 files are not remapped away"
is "$(sp "$R" "${OS[@]}" -- whoami 2>&1)" "application" "whoami sees the name"
st=$(sp "$R" "${OS[@]}" -- appuser exec cat /proc/self/status 2>&1)
is "$(awk '$1=="Uid:"{print $2} $1=="Gid:"{print $2}' <<<"$st" | tr '\n' ' ')" "1000680000 0 " \
	"exec runs the service as 1000680000:0 (the caller's own gid: no gain)"
is "$(etc_state "$R" >/dev/null; sp "$R" "${OS[@]}" -- appuser setup 2>&1; echo $?)" "0" \
	"restart: a silent no-op"
# gid 0 is never given to someone who did not have it.
out=$(sp "$R" --reuid 1000680001 --regid 1000 --clear-groups -- appuser exec -u application id 2>&1); rc=$?
is "$rc" 125 "exec: a caller without gid 0 cannot become the gid-0 application user"

# --- 7. docker --user 501 gives gid 0: it works as OpenShift's rule says,
#        and one line tells a developer how to keep their own group.
R=$(image); suid "$R"
out=$(sp "$R" --reuid 501 --regid 0 --clear-groups -- appuser setup 2>&1); rc=$?
is "$rc" 0 "--user 501 (gid 0): setup works"
like "$out" "gid is 0.*--user \\\$\\(id -u\\):\\\$\\(id -g\\)" "… and says how to keep your group"
is "$(grep -c 'use --user' <<<"$out")" 1 "… once"
# In root mode gid 0 stays refused.
R=$(image)
status_is 125 "root mode: APPLICATION_GID=0 still refused" setup_with "$R" APPLICATION_GID=0

# --- 3. Podman --user 501:20: the engine appends a placeholder for the
#        unknown uid ("501:*:501:20:container user:WORKDIR:/bin/sh"; with
#        --userns=keep-id the host user's name and home).  The application
#        user may take the caller's own uid from it; nothing else may.
R=$(image); suid "$R"
pw0=$(pw_report "$R")
echo '501:*:501:20:container user:/app:/bin/sh' >>"$R/etc/passwd"
pw1=$(pw_report "$R")
out=$(sp "$R" --reuid 501 --regid 20 --clear-groups -- appuser setup 2>&1); rc=$?
is "$rc" 0 "podman --user 501:20: setup works"
like "$out" "placeholder 501 .*removed" "… saying it took over the engine's placeholder"
is "$(awk -F: '$3 == 501' "$R/etc/passwd" | cut -d: -f1,3,4)" "application:501:20" \
	"exactly one passwd line with uid 501: the application user"
is "$(sp "$R" --reuid 501 --regid 20 --clear-groups -- id -un)" "application" "id -un says application"
is "$(stat -c %u:%g "$R/app/README")" "501:20" "the placeholder's home (/app) is not remapped"
like "$(diff <(echo "$pw1") <(pw_report "$R") | grep '^>' || true)" "^$" "pwck/grpck: nothing new"
out=$(sp "$R" --reuid 501 --regid 20 --clear-groups -- appuser setup 2>&1); rc=$?
is "$rc:$out" "0:" "restart: a silent no-op"
# keep-id: the host user's name and home, uid 1000 = the image's user.
R=$(image); suid "$R"
echo 'alice:*:1000:1000:Alice:/home/alice:/bin/sh' >>"$R/etc/passwd"
mkdir -p "$R/home/alice"; touch "$R/home/alice/mine"; chown -R 1000:1000 "$R/home/alice"
out=$(sp "$R" --reuid 1000 --regid 1000 --clear-groups -- appuser setup 2>&1); rc=$?
is "$rc" 0 "podman keep-id (alice at the application user's uid): setup works"
is "$(awk -F: '$3 == 1000' "$R/etc/passwd" | cut -d: -f1)" "application" "… one line at uid 1000, the application user's"
is "$(stat -c %u "$R/home/alice/mine")" "1000" "… and the host user's home is not remapped"
# keep-id at a uid and gid the image does not have: podman also appends a
# group line for the host user's gid, named after it and listing it.  The
# application group takes that gid and the engine's group goes with the
# user line (a moved "dev" group listing a deleted user made grpck complain).
R=$(image); suid "$R"
pw0=$(pw_report "$R")
echo 'dev:*:2501:2501:rootless developer:/app:/bin/sh' >>"$R/etc/passwd"
echo 'dev:x:2501:dev' >>"$R/etc/group"
out=$(sp "$R" --reuid 2501 --regid 2501 --clear-groups -- appuser setup 2>&1); rc=$?
is "$rc" 0 "podman keep-id (dev 2501:2501, new to the image): setup works"
is "$(awk -F: '$3 == 2501' "$R/etc/group" | cut -d: -f1)" "application" "… one group at gid 2501, the application group"
is "$(grep -c '^dev:' "$R/etc/group")" 0 "… the engine's group line for dev is gone with its user line"
like "$out" "placeholder group dev .*removed" "… and setup says so"
is "$(pw_report "$R")" "$pw0" "… pwck/grpck: nothing the image did not have"
# A real group at that gid (a member other than the placeholder, or a
# gshadow entry) is not the engine's: it is kept.
R=$(image); suid "$R"
echo 'dev:*:2501:2501:rootless developer:/app:/bin/sh' >>"$R/etc/passwd"
echo 'dev:x:2501:dev,www-data' >>"$R/etc/group"
sp "$R" --reuid 2501 --regid 2501 --clear-groups -- appuser setup >/dev/null 2>&1
is "$(grep -c '^dev:' "$R/etc/group")" 1 "a group at that gid with other members is kept"
# Only the caller's own uid, only a placeholder.
R=$(image); suid "$R"
echo '502:*:502:20:container user:/:/bin/sh' >>"$R/etc/passwd"
sp "$R" --reuid 501 --regid 20 --clear-groups -- appuser setup >/dev/null 2>&1
like "$(grep '^502:' "$R/etc/passwd")" "^502:\*:502:20:" "a placeholder for another uid stays"
R=$(image); suid "$R"
echo 'svc:x:501:20:a real account:/srv:/bin/sh' >>"$R/etc/passwd"
echo 'svc:!:19000:0:99999:7:::' >>"$R/etc/shadow"
st=$(etc_state "$R")
out=$(sp "$R" --reuid 501 --regid 20 --clear-groups -- appuser setup 2>&1); rc=$?
is "$rc:$(etc_state "$R")" "125:$st" "a real system account at the caller's uid is still refused"
R=$(image)
echo '501:*:501:20:container user:/:/bin/sh' >>"$R/etc/passwd"
status_is 125 "root mode: a placeholder is not taken over" setup_with "$R" APPLICATION_UID=501 APPLICATION_GID=20

# --- 9. APPLICATION_USER=node on the node image, with the kit's config
#        (user = application, group = application): the group follows the
#        chosen user; the image's node group keeps its name.
R=$(mkroot "$FX/node")
printf 'user = application\ngroup = application\npaths = /app\n' >"$R/etc/appuser.conf"
chmod 0644 "$R/etc/appuser.conf"; mkdir -p "$R/app"; chown 501:20 "$R/app"
out=$(setup_with "$R" APPLICATION_USER=node APPLICATION_UID=auto APPLICATION_GID=auto 2>&1); rc=$?
is "$rc" 0 "APPLICATION_USER=node: setup works"
is "$(grep '^node:' "$R/etc/passwd" | cut -d: -f3,4)" "501:20" "node takes the mount's owner"
like "$(grep -c '^node:' "$R/etc/group"):$(grep -c '^application:' "$R/etc/group")" "^1:0$" \
	"the node group is not renamed to application"
unlike "$out" "renamed" "… nothing is renamed"
R=$(mkroot "$FX/node")
printf 'user = application\ngroup = web\n' >"$R/etc/appuser.conf"; chmod 0644 "$R/etc/appuser.conf"
setup_with "$R" -- -q
is "$(grep '^application:' "$R/etc/passwd" | cut -d: -f4):$(grep -c '^web:' "$R/etc/group")" \
	"$(grep '^web:' "$R/etc/group" | cut -d: -f3):1" "the configured user still gets the configured group"
R=$(mkroot "$FX/node")
setup_with "$R" APPLICATION_USER=node APPLICATION_GROUP=staff-app APPLICATION_UID=1000 -- -q
is "$(grep -c '^staff-app:' "$R/etc/group")" 1 "APPLICATION_GROUP still names the group"

# --- 6. Read-only root (--read-only --tmpfs /run --tmpfs /tmp): a needed
#        change says so and the way out; matching IDs serve.
R=$(image)
mount --bind "$R/etc" "$R/etc" && mount -o remount,bind,ro "$R/etc"
st=$(etc_state "$R")
out=$(setup_with "$R" APPLICATION_UID=auto APPLICATION_GID=auto 2>&1); rc=$?
is "$rc" 125 "read-only /etc and a change to make: refused"
like "$out" "^appuser: setup: .*read-only.*build time.*--read-only" "… one line naming the cause and both ways out"
is "$(wc -l <<<"$out")" 1 "… one line"
unlike "$out" "\.lock" "… not a lock file"
is "$(etc_state "$R")" "$st" "… nothing changed"
out=$(setup_with "$R" APPLICATION_UID=1000 APPLICATION_GID=1000 2>&1); rc=$?
is "$rc:$out" "0:" "read-only /etc, baked IDs match: silent, exit 0"
umount "$R/etc"
R=$(image)
out=$(setup_with "$R" APPLICATION_UID=501 APPLICATION_GID=20 -- --root /  2>&1); rc=$?
is "$rc" 0 "build time: a RUN appuser setup with the IDs (here --root /) bakes them"

# --- 7. Rootless podman: the rootless user's own files show as root inside;
#        auto on them says to use --userns=keep-id.
# rootless ROOT CMD... — run CMD chrooted in ROOT inside a new user namespace
# whose uid/gid 0 is host 100000, the way rootless podman maps its user
# (the mapping is written from here: root needs no /etc/subuid).  Needs perl.
rootless() {
	local r=$1 d pid me rc; shift
	d=$(mktemp -d); me=$(readlink /proc/self/ns/user)
	perl -e 'use POSIX; syscall(272, 0x10000000) == 0 or die "unshare: $!";
		open(my $f, ">", "$ARGV[0]/in"); close $f;
		select(undef, undef, undef, 0.01) until -e "$ARGV[0]/go";
		POSIX::setgid(0) and POSIX::setuid(0) or die "setuid: $!";
		shift @ARGV; exec { "chroot" } "chroot", @ARGV or die "exec: $!"' "$d" "$r" "$@" & pid=$!
	while [ ! -e "$d/in" ]; do sleep 0.01; done
	echo "0 100000 65536" >/proc/$pid/uid_map && echo "0 100000 65536" >/proc/$pid/gid_map
	touch "$d/go"; wait $pid; rc=$?; rm -rf "$d"; return $rc
}
R=$(image); chown -R 100000:100000 "$R/etc" "$R/app"; chgrp 100042 "$R/etc/shadow" "$R/etc/gshadow"
if command -v perl >/dev/null; then
	out=$(rootless "$R" /usr/bin/env -i PATH="$ROOT_PATH" APPLICATION_UID=auto appuser setup 2>&1); rc=$?
	is "$rc" 125 "rootless: auto on /app that shows as root-owned: refused"
	like "$out" "owned by uid 0.*--userns=keep-id" "… suggesting --userns=keep-id"
else
	tap_skip "rootless: auto on a root-owned /app" "no perl"
fi
R=$(image); chown 0:0 "$R/app"
out=$(setup_with "$R" APPLICATION_UID=auto 2>&1)
unlike "$out" "keep-id" "not in a user namespace: no keep-id hint"

# --- 2. APPLICATION_GROUPS in setuid mode: only a group the caller already
#        holds (the runtime gave it: --group-add, fsGroup) may be named.
R=$(image); suid "$R"
echo "volume:x:2000:" >>"$R/etc/group"; echo "volume:!::" >>"$R/etc/gshadow"
mkdir -p "$R/srv/data" "$R/srv/other"; chgrp 2000 "$R/srv/data"; chgrp 3000 "$R/srv/other"
G=(--reuid 1234 --regid 1234 --groups 2000)
st=$(etc_state "$R")
out=$(sp "$R" "${G[@]}" -- APPLICATION_GROUPS=shadow appuser setup 2>&1); rc=$?
is "$rc:$(etc_state "$R")" "125:$st" "setuid: APPLICATION_GROUPS naming a group you do not hold: refused, nothing changed"
like "$out" "APPLICATION_GROUPS.*shadow.*not one you hold" "… saying why"
out=$(sp "$R" "${G[@]}" -- APPLICATION_GROUPS=/srv/other appuser setup 2>&1); rc=$?
is "$rc" 125 "setuid: a path whose group you do not hold: refused"
unlike "$out" "3000" "… without telling its gid"
mkdir -p "$R/root/hidden"; chmod 0700 "$R/root"
a=$(sp "$R" "${G[@]}" -- APPLICATION_GROUPS=/root/hidden appuser setup 2>&1)
b=$(sp "$R" "${G[@]}" -- APPLICATION_GROUPS=/root/nothing appuser setup 2>&1)
is "${a//hidden/X}" "${b//nothing/X}" "… nor whether a path it cannot reach exists"
# …even when the path's group is one it holds: a gid-2000 caller probing
# /root/held (group 2000), an OpenShift gid-0 caller probing /root/hidden
# (group 0) learnt that each existed (review round 2).
mkdir -p "$R/root/held"; chgrp 2000 "$R/root/held"
a=$(sp "$R" "${G[@]}" -- APPLICATION_GROUPS=/root/held appuser setup --dry-run 2>&1); ra=$?
b=$(sp "$R" "${G[@]}" -- APPLICATION_GROUPS=/root/nothing appuser setup --dry-run 2>&1); rb=$?
is "$ra:${a//held/X}" "$rb:${b//nothing/X}" "… nor whether one exists whose group it holds"
G0=(--reuid 1234 --regid 0 --groups 0)
a=$(sp "$R" "${G0[@]}" -- APPLICATION_GROUPS=/root/hidden appuser setup --dry-run 2>&1); ra=$?
b=$(sp "$R" "${G0[@]}" -- APPLICATION_GROUPS=/root/nothing appuser setup --dry-run 2>&1); rb=$?
is "$ra:${a//hidden/X}" "$rb:${b//nothing/X}" "… nor, with real gid 0 (OpenShift), whether a root-group path exists there"
is "$(etc_state "$R")" "$st" "… and the probes changed nothing"
out=$(sp "$R" "${G[@]}" -- APPLICATION_GROUPS=volume appuser setup 2>&1); rc=$?
is "$rc" 0 "setuid: APPLICATION_GROUPS naming a group you hold works"
is "$(grep '^volume:' "$R/etc/group")" "volume:x:2000:application" "… the application user joins it"
R=$(image); suid "$R"
mkdir -p "$R/srv/data"; chgrp 2000 "$R/srv/data"
out=$(sp "$R" "${G[@]}" -- APPLICATION_GROUPS=/srv/data appuser setup 2>&1); rc=$?
is "$rc:$(grep -c '^appuser-g2000:x:2000:application' "$R/etc/group")" "0:1" \
	"setuid: a path whose group you hold: its group is made and joined"

done_testing
