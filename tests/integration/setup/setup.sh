#!/bin/bash
# appuser setup (issue 3): creating and renumbering the application user in
# throwaway roots that mimic real images, idempotence, --dry-run, --root,
# and interop with shadow's tools (pwck, grpck, useradd, usermod, su, id).
. "$(dirname "$0")/../../lib/tap.sh"
. "$(dirname "$0")/../../lib/sandbox.sh"
. "$(dirname "$0")/../../lib/setup.sh"
sandbox_enter "$@"
FX=$TESTS/fixtures

# agree ROOT USER DESC — id, getent and su inside the root say the same.
agree() {
	local r=$1 u=$2 line uid gid
	line=$(inroot "$r" getent passwd "$u")
	uid=$(cut -d: -f3 <<<"$line"); gid=$(cut -d: -f4 <<<"$line")
	is "$(inroot "$r" id -u "$u"):$(inroot "$r" id -g "$u")" "$uid:$gid" "$3: id agrees with getent ($uid:$gid)"
	is "$(inroot "$r" su -s /bin/sh "$u" -c 'id -u; id -g' 2>&1 | tr '\n' ':')" "$uid:$gid:" \
		"$3: su -s /bin/sh $u -c id agrees"
	is "$(inroot "$r" appuser exec -u "$u" id -u)" "$uid" "$3: appuser exec -u $u agrees"
}

# --- An image without an application user (Debian) --------------------------
R=$(mkroot)
before_pw=$(pw_report "$R")
before=$(etc_state "$R")
out=$(setup_in "$R" --dry-run 2>&1); rc=$?
is "$rc" 0 "--dry-run exits 0"
like "$out" "created user application \(uid 1000, gid 1000, home /home/application\)" "--dry-run prints the user it would add"
like "$out" "write /etc/passwd" "--dry-run names the files it would write"
like "$out" "create /home/application" "--dry-run names the home it would create"
is "$(etc_state "$R")" "$before" "--dry-run changes nothing"
check_fail "--dry-run creates no home" test -e "$R/home/application"

old_ino=$(stat -c %i "$R/etc/passwd")
out=$(setup_in "$R" 2>&1); rc=$?
is "$rc" 0 "setup creates the application user"
like "$out" "appuser: setup: created user application" "one log line per change"
like "$out" "appuser: setup: done: application is uid 1000 gid 1000" "a summary line"
is "$(grep '^application:' "$R/etc/passwd")" "application:x:1000:1000::/home/application:/bin/sh" "passwd line"
is "$(grep '^application:' "$R/etc/group")" "application:x:1000:" "group line"
like "$(grep '^application:' "$R/etc/shadow")" '^application:!:[0-9]+:0:99999:7:::$' "shadow line with a locked password"
is "$(grep '^application:' "$R/etc/gshadow")" "application:!::" "gshadow line"
is "$(stat -c '%u:%g %a' "$R/home/application")" "1000:1000 750" "home created 0750 with the user's IDs"
is "$(stat -c '%u:%g %a' "$R/etc/shadow")" "0:42 640" "shadow keeps its owner and mode"
is "$(stat -c '%a' "$R/etc/passwd")" "644" "passwd keeps its mode"
is "$(cat "$R/etc/passwd-" | sha256sum)" "$(cat "$FX/debian/passwd" | sha256sum)" "passwd- is the old file (shadow's backup)"
is "$(stat -c %i "$R/etc/passwd-")" "$old_ino" "passwd- is the replaced inode itself (a hard link: nothing copied)"
is "$(stat -c '%u:%g %a %h' "$R/etc/shadow-")" "0:42 640 1" "shadow- keeps shadow's owner and mode, one name"
cmp -s <(head -n -1 "$R/etc/passwd") "$FX/debian/passwd" && tap_ok "untouched lines are byte-identical" ||
	tap_not_ok "untouched lines are byte-identical"
check_clean "$R" "after setup"
is "$(pw_report "$R")" "$before_pw" "pwck -r / grpck -r report nothing new"
agree "$R" application "debian"

# Idempotence: same input → nothing written, nothing said.
st=$(etc_state "$R")
out=$(setup_in "$R" 2>&1); rc=$?
is "$rc:$out" "0:" "second run: exit 0 and silent"
is "$(etc_state "$R")" "$st" "second run: bytes, mtimes and inodes unchanged"
out=$(setup_in "$R" -v 2>&1)
like "$out" "nothing to do" "-v says so on a no-op"
is "$(setup_in "$R" --dry-run)" "nothing to do" "--dry-run on a matching state: nothing to do"

# Locks were released: shadow's tools work afterwards.
check "useradd works after setup" inroot "$R" useradd -m -u 1100 later
check "usermod works after setup" inroot "$R" usermod -c "changed" application
is "$(grep '^application:' "$R/etc/passwd" | cut -d: -f5)" "changed" "usermod's change is there"
check "groupadd works after setup" inroot "$R" groupadd extra
st=$(etc_state "$R")
check "setup still a no-op after usermod -c" setup_in "$R" -q
is "$(etc_state "$R")" "$st" "setup leaves others' edits alone"

# Renumbering: uid and gid follow the environment; the home follows.
out=$(setup_with "$R" APPLICATION_UID=2000 APPLICATION_GID=2000 2>&1); rc=$?
is "$rc" 0 "renumber to 2000:2000"
like "$out" "setup: application uid 1000 -> 2000" "log: uid line"
like "$out" "setup: group application gid 1000 -> 2000" "log: group line"
is "$(grep '^application:' "$R/etc/passwd" | cut -d: -f3,4)" "2000:2000" "passwd renumbered"
is "$(grep '^application:' "$R/etc/group" | cut -d: -f3)" "2000" "group renumbered"
agree "$R" application "renumbered"
st=$(etc_state "$R")
setup_with "$R" PUID=2000 PGID=2000 -- -q
is "$(etc_state "$R")" "$st" "PUID/PGID aliases: same input, no-op"

# -q: nothing but errors.
is "$(setup_with "$R" APPLICATION_UID=2001 -- -q 2>&1)" "" "-q prints nothing on success"

# Rename through APPLICATION_USER; the group named after it follows.
out=$(setup_with "$R" APPLICATION_USER=web 2>&1); rc=$?
is "$rc" 0 "APPLICATION_USER=web renames the configured user"
like "$out" "user application renamed to web" "log: rename"
is "$(grep -c '^web:' "$R/etc/passwd"):$(grep -c '^application:' "$R/etc/passwd")" "1:0" "passwd: renamed, not duplicated"
is "$(grep -c '^web:' "$R/etc/shadow"):$(grep -c '^application:' "$R/etc/shadow")" "1:0" "shadow follows the rename"
is "$(grep -c '^web:' "$R/etc/group")" "1" "the personal group follows the rename"

# --- --root: an image folder, from outside ------------------------------------
R2=$(mkroot)
before=$(etc_state "$R2")
out=$(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin APPLICATION_UID=1234 "$APPUSER_BIN" setup --root "$R2" 2>&1); rc=$?
is "$rc" 0 "setup --root DIR works on an image folder"
like "$out" "created user application \(uid 1234" "--root: user created"
like "$(grep '^application:' "$R2/etc/passwd")" "^application:x:1234:1234:" "--root: written under DIR/etc"
is "$(stat -c '%u:%g' "$R2/home/application")" "1234:1234" "--root: home created under DIR"
like "$(env -i PATH=/usr/bin:/bin "$APPUSER_BIN" setup --root "$R2" --dry-run)" "nothing to do" "--root: idempotent"
# An absolute symlink in the image never sends the remap to the host: the
# same name exists inside the image and on the host, only the image's counts.
R4=$(mkroot "$FX/webdevops"); R5=$(mkroot)
mkdir -p "$R5/outside/app" "$R4$R5/outside/app" "$R4/home/application"
touch "$R5/outside/app/f" "$R4$R5/outside/app/f"
chown -R 1000:1000 "$R5/outside" "$R4$R5/outside" "$R4/home/application"
ln -s "$R5/outside" "$R4/srv"
out=$(env -i PATH=/usr/bin:/bin APPLICATION_UID=1300 APPLICATION_PATH=/srv/app \
	"$APPUSER_BIN" setup --root "$R4" 2>&1); rc=$?
is "$(stat -c %u "$R5/outside/app/f")" "1000" "--root: a symlink out of the image is not followed by the remap"
like "$out" "goes through a symlink" "... and says so"
# An absolute symlink in the image must not reach the host.
R3=$(mkroot)
ln -sf /etc/passwd-outside "$R3/etc/passwd-link"
mv "$R3/etc/passwd" "$R3/etc/passwd.real"; ln -s /etc/passwd.real "$R3/etc/passwd"
out=$(env -i PATH=/usr/bin:/bin "$APPUSER_BIN" setup --root "$R3" 2>&1); rc=$?
is "$rc" 125 "a symlinked etc/passwd is refused"
like "$out" "symlink" "the message says why"

# --- ubuntu:24.04 (`ubuntu` at 1000) -----------------------------------------
R=$(mkroot "$FX/ubuntu")
mkdir -p "$R/home/ubuntu"; chown 1000:1000 "$R/home/ubuntu"; touch "$R/home/ubuntu/.bashrc"
chown 1000:1000 "$R/home/ubuntu/.bashrc"
before_pw=$(pw_report "$R")
out=$(setup_in "$R" 2>&1); rc=$?
is "$rc" 0 "ubuntu: default setup"
is "$(grep '^application:' "$R/etc/passwd" | cut -d: -f3,4)" "1001:1001" "ubuntu: no uid asked, so the first free one (ubuntu keeps 1000)"
R=$(mkroot "$FX/ubuntu")
mkdir -p "$R/home/ubuntu"; chown 1000:1000 "$R/home/ubuntu"
out=$(setup_with "$R" APPLICATION_UID=1000 APPLICATION_GID=1000 2>&1); rc=$?
is "$rc" 0 "ubuntu: APPLICATION_UID=1000 moves ubuntu (default move)"
like "$out" "user ubuntu uid 1000 -> 1001 \(moved" "log: ubuntu moved"
is "$(grep '^ubuntu:' "$R/etc/passwd" | cut -d: -f3,4)" "1001:1001" "ubuntu renumbered with its group"
is "$(grep '^application:' "$R/etc/passwd" | cut -d: -f3,4)" "1000:1000" "application at 1000:1000"
is "$(inroot "$R" id -Gn ubuntu | tr ' ' '\n' | sort | tr '\n' ' ')" "adm audio cdrom dialout dip floppy plugdev sudo ubuntu users video " "ubuntu keeps its supplementary groups"
is "$(pw_report "$R")" "$before_pw" "ubuntu: pwck/grpck report nothing new"
agree "$R" application "ubuntu"
agree "$R" ubuntu "ubuntu (moved)"
st=$(etc_state "$R")
setup_with "$R" APPLICATION_UID=1000 APPLICATION_GID=1000 -- -q
is "$(etc_state "$R")" "$st" "ubuntu: second run is a no-op"
R=$(mkroot "$FX/ubuntu")
out=$(setup_with "$R" APPLICATION_UID=1000 APPLICATION_UID_CONFLICT=fail 2>&1); rc=$?
is "$rc" 125 "ubuntu: APPLICATION_UID_CONFLICT=fail refuses"
like "$out" "APPLICATION_UID=1000 belongs to user 'ubuntu'" "the message names the holder"
out=$(setup_with "$R" APPLICATION_UID=1000 APPLICATION_GID=1000 APPLICATION_UID_CONFLICT=share APPLICATION_GID_CONFLICT=share 2>&1); rc=$?
is "$rc" 0 "ubuntu: share allows a duplicate uid, like usermod -o"
is "$(awk -F: '$3 == 1000' "$R/etc/passwd" | cut -d: -f1 | sort | tr '\n' ' ')" "application ubuntu " "both at uid 1000"

# --- node (`node` at 1000) ---------------------------------------------------
R=$(mkroot "$FX/node")
mkdir -p "$R/home/node"; chown 1000:1000 "$R/home/node"
before_pw=$(pw_report "$R")
out=$(setup_with "$R" APPLICATION_USER=node APPLICATION_UID=501 APPLICATION_GID=501 2>&1); rc=$?
is "$rc" 0 "node: renumber the image's own user"
is "$(grep '^node:' "$R/etc/passwd" | cut -d: -f3,4)" "501:501" "node at 501:501"
is "$(grep '^node:' "$R/etc/group" | cut -d: -f3)" "501" "node's group at 501"
is "$(pw_report "$R")" "$before_pw" "node: pwck/grpck report nothing new"
R=$(mkroot "$FX/node")
out=$(setup_with "$R" APPLICATION_UID=1000 APPLICATION_GID=1000 2>&1); rc=$?
is "$rc" 0 "node: application takes 1000, node moves"
is "$(grep '^node:' "$R/etc/passwd" | cut -d: -f3,4)" "1001:1001" "node moved to 1001:1001"

# --- WebDevOps base-app (`application` 1000:1000, /app) ----------------------
R=$(mkroot "$FX/webdevops")
mkdir -p "$R/app" "$R/home/application"; chown 1000:1000 "$R/app" "$R/home/application"
before_pw=$(pw_report "$R")
# macOS: host user 501, group staff = 20 (dialout here).
out=$(setup_with "$R" APPLICATION_UID=501 APPLICATION_GID=20 2>&1); rc=$?
is "$rc" 0 "webdevops: macOS ids 501:20"
like "$out" "application gid 1000 -> 20 \(joins the system group" "the system group is joined, not renumbered"
is "$(grep '^application:' "$R/etc/passwd" | cut -d: -f3,4)" "501:20" "application at 501:20"
is "$(grep '^dialout:' "$R/etc/group")" "dialout:x:20:" "dialout untouched"
is "$(pw_report "$R")" "$before_pw" "webdevops: pwck/grpck report nothing new"
agree "$R" application "webdevops"
st=$(etc_state "$R")
setup_with "$R" APPLICATION_UID=501 APPLICATION_GID=20 -- -q
is "$(etc_state "$R")" "$st" "webdevops: restart with the same ids is a no-op"
# auto: the owner of the mounted source.
R=$(mkroot "$FX/webdevops")
mkdir -p "$R/app"; chown 1234:1235 "$R/app"
out=$(setup_with "$R" APPLICATION_UID=auto APPLICATION_GID=auto 2>&1); rc=$?
is "$rc" 0 "webdevops: APPLICATION_UID=auto"
is "$(grep '^application:' "$R/etc/passwd" | cut -d: -f3,4)" "1234:1235" "auto takes the owner of /app"
out=$(setup_with "$R" PUID=auto PGID=auto APPLICATION_PATH=/app -- --dry-run 2>&1)
is "$out" "nothing to do" "auto is stable"

# --- Alpine-style files (busybox, no gshadow) --------------------------------
R=$(mkroot "$FX/alpine")
before_pw=$(pw_report "$R")
out=$(setup_in "$R" 2>&1); rc=$?
is "$rc" 0 "alpine: setup"
check_fail "alpine: no gshadow is created" test -e "$R/etc/gshadow"
is "$(grep '^application:' "$R/etc/passwd")" "application:x:1000:1000::/home/application:/bin/sh" "alpine: passwd line"
is "$(diff <(head -n -1 "$R/etc/passwd") "$FX/alpine/passwd" && echo same)" "same" "alpine: other lines unchanged"
is "$(pw_report "$R")" "$before_pw" "alpine: pwck/grpck report nothing new"
check_clean "$R" "alpine"

# --- A scratch-like root: no account files at all ----------------------------
R=$(mkroot); rm -f "$R"/etc/{passwd,group,shadow,gshadow}
status_is 0 "no account files: setup creates them" setup_in "$R" -q
is "$(cat "$R/etc/passwd")" "application:x:1000:1000::/home/application:/bin/sh" "passwd created"
is "$(cat "$R/etc/group")" "application:x:1000:" "group created"
is "$(stat -c '%u:%g %a' "$R/etc/passwd" "$R/etc/group" | sort -u)" "0:0 644" "root-owned, 0644"
check_fail "no shadow invented" test -e "$R/etc/shadow"
like "$(setup_in "$R" --dry-run)" "nothing to do" "and then a no-op"

# --- APPLICATION_GROUPS: names and paths (docker.sock, /dev/dri) -------------
R=$(mkroot)
touch "$R/run/docker.sock"; chgrp 999 "$R/run/docker.sock"
mkdir -p "$R/dev/dri"; chgrp 44 "$R/dev/dri"
out=$(setup_with "$R" APPLICATION_GROUPS="/run/docker.sock,/dev/dri audio" 2>&1); rc=$?
is "$rc" 0 "APPLICATION_GROUPS with paths and names"
is "$(grep '^appuser-g999:' "$R/etc/group")" "appuser-g999:x:999:application" "a group is created for a gid nobody has"
is "$(grep '^appuser-g999:' "$R/etc/gshadow")" "appuser-g999:!::application" "and its gshadow line"
is "$(inroot "$R" id -Gn application | tr ' ' '\n' | sort | tr '\n' ' ')" "application appuser-g999 audio video " "id shows every group"
st=$(etc_state "$R")
setup_with "$R" APPLICATION_GROUPS="/run/docker.sock,/dev/dri audio" -- -q
is "$(etc_state "$R")" "$st" "APPLICATION_GROUPS: second run is a no-op"

# --- Ownership follows the IDs -------------------------------------------------
R=$(mkroot "$FX/webdevops")
mkdir -p "$R/app/src" "$R/home/application"
touch "$R/app/src/a" "$R/app/other"; chown -R 1000:1000 "$R/app" "$R/home/application"
chown 33:33 "$R/app/other"
setup_with "$R" APPLICATION_UID=1500 APPLICATION_GID=1500 -- -q
is "$(stat -c %u:%g "$R/app/src/a")" "1500:1500" "remap: files under APPLICATION_PATH follow"
is "$(stat -c %u:%g "$R/home/application")" "1500:1500" "remap: the home follows"
is "$(stat -c %u:%g "$R/app/other")" "33:33" "remap: other owners untouched"
R=$(mkroot "$FX/ubuntu")
mkdir -p "$R/home/ubuntu" "$R/app"; touch "$R/home/ubuntu/f" "$R/app/host-file"
chown -R 1000:1000 "$R/home/ubuntu" "$R/app"
setup_with "$R" APPLICATION_UID=1000 APPLICATION_GID=1000 -- -q
is "$(stat -c %u "$R/home/ubuntu/f")" "1001" "remap: the moved user's files follow it"
is "$(stat -c %u "$R/app/host-file")" "1000" "remap: the host's files under /app stay at 1000"
R=$(mkroot "$FX/webdevops")
mkdir -p "$R/app"; touch "$R/app/f"; chown -R 1000:1000 "$R/app"
setup_with "$R" APPLICATION_UID=1600 -- --no-fix -q
is "$(stat -c %u "$R/app/f")" "1000" "--no-fix: ownership left alone"
# A run killed after the account files changed but before the walk
# leaves /run/appuser/remap.pending; the next run, a no-op, finishes it.
mkdir -p "$R/run/appuser"
printf 'appuser-remap 2\njob\nuid 1000 1600\npath /app\n' >"$R/run/appuser/remap.pending"
st=$(etc_state "$R")
setup_with "$R" APPLICATION_UID=1600 -- -q
is "$(stat -c %u "$R/app/f")" "1600" "a pending remap left by a killed run is finished by the next run"
check_fail "... and then forgotten" test -e "$R/run/appuser/remap.pending"
is "$(etc_state "$R")" "$st" "... without touching the account files"
R=$(mkroot "$FX/webdevops")
mkdir -p "$R/real"; ln -s /real "$R/home/application"; touch "$R/real/f"; chown -R 1000:1000 "$R/real"
out=$(setup_with "$R" APPLICATION_UID=1601 2>&1); rc=$?
is "$rc" 0 "a symlinked home: setup still succeeds"
like "$out" "is a symlink; refused" "... says the home is not walked"
is "$(stat -c %u "$R/real/f")" "1000" "... and does not follow it"

# --- A 10,000-user passwd (the files kills.sh kills setup on) -----------------
R=$(mkroot); add_users "$R" 10000 2000
setup_with "$R" APPLICATION_UID=1500 APPLICATION_GID=1500 -- -q
setup_with "$R" APPLICATION_UID=1501 APPLICATION_GID=1501 -- -q
# pwck also complains about the filler users' homes, which do not exist.
out=$({ inroot "$R" pwck -r; inroot "$R" grpck -r; } 2>&1 |
	grep -v -e "^user '[^']*': directory '[^']*' does not exist$" -e '^pwck: no changes$')
is "$out" "" "10,000 users, renumbered twice: pwck -r and grpck -r find nothing but absent homes"
is "$(grep -c '^user[0-9]*:' "$R/etc/passwd")" 10000 "... and every filler user is still there"
rmroot "$R"

# --- Without privilege --------------------------------------------------------
R=$(mkroot)
before=$(etc_state "$R")
out=$(setup_as "$R" 1000 1000 2>&1); rc=$?
is "$rc" 0 "unprivileged caller: 0, the caller carries on as itself"
like "$out" "^appuser: setup: cannot change the accounts as uid 1000 gid 1000 \(appuser is not installed setuid root" \
	"the one line says why"
is "$(etc_state "$R")" "$before" "unprivileged: nothing changed"
status_is 125 "unknown option: 125" setup_in "$R" --bogus
status_is 125 "stray argument: 125" setup_in "$R" extra

done_testing
