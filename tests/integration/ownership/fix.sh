#!/bin/bash
# appuser fix: the ownership remap engine (issue 4), in a throwaway root:
# the correctness matrix, mounts, hostile trees and racers, dry run,
# defaults, errors and refusals.  Nothing outside the test root changes.
. "$(dirname "$0")/../../lib/tap.sh"
. "$(dirname "$0")/../../lib/sandbox.sh"
sandbox_enter "$@"

R=$(mkroot)
fix() { inroot "$R" appuser fix "$@"; }
own() { stat -c '%u:%g' "$@"; }	# lstat: a symlink's own owner
snap() { (cd "$R/$1" && find . -printf '%u:%g %m %y %p\n' | LC_ALL=C sort); }
mksock() { perl -MIO::Socket::UNIX -e 'IO::Socket::UNIX->new(Local => $ARGV[0], Listen => 1) or die "$!"' "$1"; }

# mkentry TYPE PATH — one entry of each kind the tree may hold.
mkentry() {
	case $1 in
	file) : > "$2" ;;
	dir) mkdir "$2" ;;
	symlink) ln -s /etc/passwd "$2" ;;
	fifo) mkfifo "$2" ;;
	socket) mksock "$2" ;;
	chr) mknod "$2" c 1 3 ;;
	blk) mknod "$2" b 7 0 ;;
	esac
}

# --- 1. The correctness matrix: every type x every kind of owner.
#     old=1000:1000 moves, new/other/root stay, group-only and owner-only
#     matches move only their side.
declare -A OWNERS=([old]=1000:1000 [new]=1500:1500 [other]=2000:2000 [root]=0:0
		   [grp]=2000:1000 [usr]=1000:2000)
declare -A WANT=([old]=1500:1500 [new]=1500:1500 [other]=2000:2000 [root]=0:0
		 [grp]=2000:1500 [usr]=1500:2000)
KINDS="old new other root grp usr"
TYPES="file dir symlink fifo socket chr blk"
mkdir -p "$R/app/m"
for t in $TYPES; do
	for k in $KINDS; do
		mkentry "$t" "$R/app/m/$t.$k"
		chown -h "${OWNERS[$k]}" "$R/app/m/$t.$k"
	done
done
chown 1000:1000 "$R/app" "$R/app/m"
out=$(fix --from 1000:1000 --to 1500:1500 /app 2>&1); rc=$?
is "$rc" 0 "matrix: exit 0"
like "$out" "^appuser: fix: /app: 44 entries, 23 changed, 0 errors, [0-9]+\.[0-9] s$" \
	"matrix: one summary line with entries, changed, errors, seconds"
for t in $TYPES; do
	got="" want=""
	for k in $KINDS; do
		got+="$k=$(own "$R/app/m/$t.$k") "
		want+="$k=${WANT[$k]} "
	done
	is "$got" "$want" "matrix: $t remapped by owner and by group, others untouched"
done
is "$(stat -L -c %u:%g "$R/etc/passwd")" "0:0" "matrix: symlink targets are never followed"
is "$(own "$R/app")" "1500:1500" "matrix: PATH itself is remapped"

# --- 2. setuid/setgid: restored only while the file stays with the same
#     account; never handed to another user.
mkdir -p "$R/s"
for f in suid:4755 sgid:2755 sgid_noexec:2644 both:6755 plain:0755; do
	: > "$R/s/${f%%:*}"; chown 1000:1000 "$R/s/${f%%:*}"; chmod "${f#*:}" "$R/s/${f%%:*}"
done
: > "$R/s/rootsuid"; chown 0:1000 "$R/s/rootsuid"; chmod 4755 "$R/s/rootsuid"
mkdir "$R/s/gdir"; chown 1000:1000 "$R/s/gdir"; chmod 2775 "$R/s/gdir"
chown 1000:1000 "$R/s"
fix -q --from 1000:1000 --to 1500:1500 /s
for f in suid:4755 sgid:2755 sgid_noexec:2644 both:6755 plain:755; do
	is "$(stat -c '%u:%g %a' "$R/s/${f%%:*}")" "1500:1500 ${f#*:}" \
		"setuid: ${f%%:*} keeps mode ${f#*:} when its account is renumbered"
done
is "$(stat -c '%u:%g %a' "$R/s/rootsuid")" "0:1500 4755" \
	"setuid: group-only change of a setuid-root file keeps the bit (owner unchanged)"
is "$(stat -c '%u:%g %a' "$R/s/gdir")" "1500:1500 2775" "setgid directory keeps its bit"
mkdir -p "$R/s2"; : > "$R/s2/ping"; chmod 4755 "$R/s2/ping"; chown 0:0 "$R/s2"
out=$(fix --from 0:0 --to 1000:1000 /s2 2>&1)
is "$(stat -c '%u:%g %a' "$R/s2/ping")" "1000:1000 755" \
	"setuid: root's setuid file given to another user loses the bit"
like "$out" "ping: setuid bit dropped" "setuid: the dropped bit is reported"
like "$out" "1 setuid/setgid dropped" "setuid: the summary counts it"
: > "$R/s2/tool"; chown 1000:1000 "$R/s2/tool"; chmod 6755 "$R/s2/tool"
fix -q --from 1000:1000 --to 0:0 /s2/tool
is "$(stat -c '%u:%g %a' "$R/s2/tool")" "0:0 755" "setuid: nothing becomes setuid root"

# --- 3. Shapes: empty dirs, a 100-deep tree (also with a descriptor budget
#     of a few per stack, so closed levels are reopened through ".."),
#     names with newlines and invalid UTF-8, a single file.
mkdir -p "$R/shape/empty1" "$R/shape/empty2/empty3"
p="$R/shape/deep"
for i in $(seq 1 100); do mkdir -p "$p/d" "$p/x"; : > "$p/f"; p="$p/d"; done
: > "$p/bottom"
: > "$R/shape/$(printf 'new\nline')"
: > "$R/shape/$(printf 'bad\377\376utf8')"
: > "$R/shape/$(printf 'tab\there')"
chown -R 1000:1000 "$R/shape"
n=$(find "$R/shape" -printf x | wc -c)
out=$(fix --from 1000:1000 --to 1500:1500 /shape 2>&1)
like "$out" ": $n entries, $n changed, 0 errors" "shapes: every entry counted and changed"
is "$(own "$p/bottom")" "1500:1500" "shapes: the bottom of a 100-deep tree"
is "$(own "$R/shape/empty2/empty3")" "1500:1500" "shapes: empty directories"
is "$(own "$R/shape/$(printf 'new\nline')")" "1500:1500" "shapes: name with a newline"
is "$(own "$R/shape/$(printf 'bad\377\376utf8')")" "1500:1500" "shapes: name with invalid UTF-8"
out=$(inroot "$R" sh -c 'ulimit -n 40; exec appuser fix -j1 --from 1500:1500 --to 1000:1000 /shape' 2>&1)
like "$out" ": $n entries, $n changed, 0 errors" \
	"shapes: 100-deep tree walked with 40 descriptors in all (levels closed and reopened)"
is "$(own "$p/bottom")" "1000:1000" "shapes: ... down to the bottom"
out=$(fix --from 1000:1000 --to 1500:1500 /shape/deep/f 2>&1)
like "$out" "/shape/deep/f: 1 entry, 1 changed" "a single file as PATH"
is "$(own "$R/shape/deep/f")" "1500:1500" "... is remapped"
is "$(own "$R/shape/deep/x")" "1000:1000" "... and nothing next to it"

# --- 4. Mounts: other filesystems are not entered without --cross-mounts;
#     /proc, /sys, /dev and kernel filesystems never; a bind-mount loop ends.
mkdir -p "$R/mnt/sub" "$R/mnt/loop/a/back" "$R/mnt/devbind" "$R/mnt/proc2"
mount -t tmpfs -o size=1m inner "$R/mnt/sub"
: > "$R/mnt/sub/inside"; : > "$R/mnt/top"; : > "$R/dev/planted"
chown -R 1000:1000 "$R/mnt" "$R/dev/planted"
out=$(fix --from 1000:1000 --to 1500:1500 /mnt 2>&1)
is "$(own "$R/mnt/sub/inside")" "1000:1000" "mounts: a nested tmpfs is not entered"
is "$(own "$R/mnt/sub")" "1000:1000" "mounts: ... nor its root changed"
is "$(own "$R/mnt/top")" "1500:1500" "mounts: the starting filesystem is remapped"
like "$out" "1 mount point not entered" "mounts: the summary counts the mount point"
mount --bind "$R/dev" "$R/mnt/devbind"
mount -t proc proc "$R/mnt/proc2"
mount --bind "$R/mnt/loop" "$R/mnt/loop/a/back"
out=$(fix --cross-mounts --from 1500:1500 --to 1000:1000 /mnt 2>&1); rc=$?
is "$(own "$R/mnt/sub/inside")" "1000:1000" "mounts: --cross-mounts (file already 1000, untouched)"
out=$(fix --cross-mounts --from 1000:1000 --to 1500:1500 /mnt 2>&1); rc=$?
is "$rc" 0 "mounts: --cross-mounts with /proc, /dev and a loop below: no errors"
is "$(own "$R/mnt/sub/inside")" "1500:1500" "mounts: --cross-mounts enters the nested tmpfs"
is "$(own "$R/dev/planted")" "1000:1000" "mounts: /dev bound into the tree is never entered"
like "$out" "entries" "mounts: the bind-mount loop terminates"
umount "$R/mnt/devbind" "$R/mnt/proc2" "$R/mnt/loop/a/back"

# --- 5. Hostile trees: symlinks out of the tree, hardlinks to files
#     outside it, refused start paths.
mkdir -p "$R/outside/dir" "$R/evil"
: > "$R/outside/mine"; : > "$R/outside/dir/x"; : > "$R/outside/rootfile"
chown -R 1000:1000 "$R/outside/mine" "$R/outside/dir" "$R/evil"
chown 0:0 "$R/outside/rootfile"
ln -s /etc/shadow "$R/evil/shadow"
ln -s ../outside/mine "$R/evil/mine"
ln -s ../outside/dir "$R/evil/dir"
ln "$R/outside/rootfile" "$R/evil/rootlink"
chown -h 1000:1000 "$R/evil/shadow" "$R/evil/mine" "$R/evil/dir"
shadow_before=$(stat -c '%u:%g %a' "$R/etc/shadow")
outside_before=$(snap outside)
fix -q --from 1000:1000 --to 1500:1500 /evil
is "$(stat -c '%u:%g %a' "$R/etc/shadow")" "$shadow_before" "attack: symlink to /etc/shadow: shadow untouched"
is "$(own "$R/evil/shadow")" "1500:1500" "attack: ... the symlink itself is remapped"
is "$(snap outside)" "$outside_before" "attack: symlinks to a file and a folder outside: nothing outside changed"
is "$(own "$R/outside/rootfile")" "0:0" "attack: hardlink to a root-owned file: not ours, untouched"

# fs.protected_hardlinks off, simulated for appuser only: a file over the
# sandbox's own /proc entry (the host's sysctl is never touched).
echo 0 > "$R/tmp/ph0"; echo 1 > "$R/tmp/ph1"
if mount --bind "$R/tmp/ph0" "$R/proc/sys/fs/protected_hardlinks" 2>/dev/null; then
	mkdir -p "$R/hl"; : > "$R/outside/linked"; ln "$R/outside/linked" "$R/hl/link"
	: > "$R/hl/single"; chown -R 1000:1000 "$R/hl" "$R/outside/linked"
	out=$(fix --from 1000:1000 --to 1500:1500 /hl 2>&1); rc=$?
	is "$(own "$R/outside/linked")" "1000:1000" "protected_hardlinks=0: a hardlinked file is left alone"
	is "$(own "$R/hl/single")" "1500:1500" "protected_hardlinks=0: unlinked files are remapped"
	like "$out" "hl/link: hardlinked and fs.protected_hardlinks is off: left alone" \
		"protected_hardlinks=0: reported by name"
	like "$out" "1 hardlinked left alone" "protected_hardlinks=0: counted in the summary"
	is "$rc" 0 "protected_hardlinks=0: not an error"
	umount "$R/proc/sys/fs/protected_hardlinks"
	mount --bind "$R/tmp/ph1" "$R/proc/sys/fs/protected_hardlinks"
	fix -q --from 1000:1000 --to 1500:1500 /hl
	is "$(own "$R/outside/linked")" "1500:1500" "protected_hardlinks=1: a 0644 file only its owner could link: remapped"
	# ...but anyone may link a file it can read and write (safe_hardlink_source)
	: > "$R/outside/shared"; chmod 0666 "$R/outside/shared"; chown 1500:1500 "$R/outside/shared"
	ln "$R/outside/shared" "$R/hl/shared"
	out=$(fix --from 1500:1500 --to 1000:1000 /hl 2>&1)
	is "$(own "$R/outside/shared")" "1500:1500" "protected_hardlinks=1: a 0666 hardlinked file, anyone's to link: left alone"
	like "$out" "hl/shared: hardlinked and writable by others, who may have linked it: left alone" \
		"protected_hardlinks=1: reported by name"
	umount "$R/proc/sys/fs/protected_hardlinks"
else
	for i in 1 2 3 4 5 6 7 8; do tap_skip "protected_hardlinks simulation" "cannot bind over /proc here"; done
fi

ln -s /etc "$R/etclink"
for p in / /etc /etc/ssl /proc /proc/1 /sys /dev /dev/shm /etclink /etclink/ssl //etc/../etc; do
	out=$(fix --from 1000:1000 --to 1500:1500 "$p" 2>&1); rc=$?
	is "$rc" 125 "refused start path '$p' (125)"
done
like "$(fix --from 0:0 --to 1:1 / 2>&1)" "root folder; refused" "refusal names the reason"
# One list of system folders (path.c) for setup and fix: what setup never
# gives the application user, fix does not remap without the flag.
mkdir -p "$R/boot/grub" "$R/var/lib" "$R/var/www"
for p in /usr /usr/local /var /var/lib /home /tmp /run /root /boot /boot/grub; do
	out=$(fix --from 1000:1000 --to 1500:1500 "$p" 2>&1); rc=$?
	is "$rc:$(grep -c 'system folder' <<<"$out")" "125:1" "system folder '$p' refused without --allow-system-path, as setup refuses it"
done
mkdir -p "$R/home/app"
status_is 0 "a folder below /home or /var is not a system folder" fix -q --from 1000:1000 --to 1500:1500 /home/app /var/www
: > "$R/dev/shm/x"; chown 1000:1000 "$R/dev/shm/x"
status_is 0 "--allow-system-path lets root remap /dev/shm" \
	fix -q --allow-system-path --from 1000:1000 --to 1500:1500 /dev/shm
is "$(own "$R/dev/shm/x")" "1500:1500" "... and it did"
status_is 125 "--allow-system-path never opens /proc" fix --allow-system-path --from 0:0 --to 1:1 /proc

# --- 6. Racers: directories swapped with symlinks out of the tree, files
#     swapped with hardlinks to a root-owned file (RENAME_EXCHANGE, in a
#     tight loop) while walks run.  Checked after every walk: nothing
#     outside the tree may ever change owner.
mkdir -p "$R/race/d" "$R/outside/secret"
: > "$R/outside/rootsecret"
for i in 1 2 3 4; do
	mkdir "$R/race/d/v$i"; : > "$R/race/d/v$i/f"
	ln -s ../../outside/secret "$R/race/d/s$i"
	: > "$R/race/d/f$i"; ln "$R/outside/rootsecret" "$R/race/d/h$i"
done
for j in 1 2 3 4 5; do : > "$R/outside/secret/f$j"; done
chown -R 1000:1000 "$R/race" "$R/outside/secret"
chown 0:0 "$R/outside/rootsecret"; chmod 600 "$R/outside/rootsecret"
outside_before=$(snap outside)
cat > "$R/tmp/racer.pl" <<'EOF'
use strict; use POSIX ();
my ($dir, $stop) = @ARGV;
my %nr = (x86_64 => 316, aarch64 => 276);	# renameat2
my $nr = $nr{(POSIX::uname())[4]} or exit 3;
my @n = map { ["v$_", "s$_", "f$_", "h$_"] } 1 .. 4;	# writable strings for syscall()
chdir $dir or die;
syscall($nr, -100, $n[0][0], -100, $n[0][1], 2) == 0 or exit 3;	# RENAME_EXCHANGE
until (-e $stop) {
	for my $p (@n) {
		syscall($nr, -100, $p->[0], -100, $p->[1], 2);
		syscall($nr, -100, $p->[2], -100, $p->[3], 2);
	}
}
EOF
rm -f "$R/tmp/stop"
perl "$R/tmp/racer.pl" "$R/race/d" "$R/tmp/stop" & racer=$!
sleep 0.2
if kill -0 $racer 2>/dev/null; then
	changed=0 walks=0 hits=0
	for i in $(seq 1 "$(quick 150 30)"); do
		for m in 1000:1000,1500:1500 1500:1500,1000:1000; do
			out=$(fix -j1 --from "${m%,*}" --to "${m#*,}" /race 2>&1)
			[[ $out == *"during the walk"* ]] && hits=$((hits + 1))
			walks=$((walks + 1))
			[ "$(snap outside)" = "$outside_before" ] || { changed=1; break 2; }
		done
	done
	touch "$R/tmp/stop"; wait_pid $racer 30
	tap_diag "$walks walks, $hits of them met a swapped entry"
	is "$changed" 0 "racers: $walks walks against swapping directories and hardlinks: nothing outside ever changed"
else
	tap_skip "racers" "no renameat2(RENAME_EXCHANGE) here"
fi
is "$(stat -c '%u:%g %a' "$R/etc/shadow")" "$shadow_before" "racers: /etc/shadow untouched"

# A subtree moved out of the tree and back while the walk is deep inside
# it with a tiny descriptor budget: closed ancestors are reopened through
# "..", which then leads outside; the walk must notice, never go on there.
mkdir -p "$R/race2/a/b" "$R/outside2/x"
# e and g around d: with one thread, a sibling goes to the queue and d is
# walked inline, so the walk goes deep with ancestors closed.
p="$R/race2/a/b"; for i in $(seq 1 40); do mkdir "$p/e" "$p/d" "$p/g"; : > "$p/f"; p="$p/d"; done
for j in 1 2 3 4 5; do : > "$R/outside2/x/f$j"; mkdir "$R/outside2/x/dir$j"; done
chown -R 1000:1000 "$R/race2" "$R/outside2"
# What must never change: the folder the subtree visits, and its other
# entries (the moving subtree itself is left out: find would race it).
outside2() { stat -c '%u:%g %n' "$R"/outside2/x "$R"/outside2/x/{f,dir}{1..5}; }
outside2_before=$(outside2)
cat > "$R/tmp/mover.pl" <<'EOF'
my ($in, $out, $stop) = @ARGV;
until (-e $stop) { rename($in, $out); rename($out, $in); }
EOF
rm -f "$R/tmp/stop"
perl "$R/tmp/mover.pl" "$R/race2/a/b/d/d/d/d/d/d" "$R/outside2/x/b" "$R/tmp/stop" & mover=$!
changed=0 walks=0 hits=0
for i in $(seq 1 "$(quick 100 20)"); do
	for m in 1000:1000,1500:1500 1500:1500,1000:1000; do
		out=$(inroot "$R" sh -c 'ulimit -n 40; exec appuser fix -j1 --from "$1" --to "$2" /race2' sh "${m%,*}" "${m#*,}" 2>&1)
		[[ $out == *"moved during the walk"* ]] && hits=$((hits + 1))
		walks=$((walks + 1))
		[ "$(outside2)" = "$outside2_before" ] || { changed=1; break 2; }
	done
done
touch "$R/tmp/stop"; wait_pid $mover 30
tap_diag "$walks walks, $hits of them found a folder moved away"
is "$changed" 0 "racers: $walks walks while a subtree moves out and back: no walk continued outside"


# --- 7. Dry run: lists, one line per entry, and changes nothing.
mkdir -p "$R/dry/sub"; : > "$R/dry/a"; : > "$R/dry/sub/b"; : > "$R/dry/other"
: > "$R/dry/$(printf 'evil\nname')"; : > "$R/dry/$(printf '\033[31mred')"
chown -R 1000:1000 "$R/dry"; chown 2000:2000 "$R/dry/other"
before=$(snap dry)
out=$(fix --dry-run --from 1000:1000 --to 1500:1500 /dry 2>/dev/null); rc=$?
is "$rc" 0 "dry run: exit 0"
is "$(snap dry)" "$before" "dry run: nothing changed"
is "$(wc -l <<<"$out")" 6 "dry run: one line per entry to change (5 entries + PATH)"
like "$out" "1000:1000 -> 1500:1500 /dry/sub/b" "dry run: 'OLD -> NEW PATH' lines"
like "$out" '/dry/evil\\nname' "dry run: a newline in a name is escaped"
like "$out" '/dry/\\x1b\[31mred' "dry run: terminal escapes in a name are escaped"
unlike "$out" "other" "dry run: other owners' files are not listed"
like "$(fix --dry-run --from 1000:1000 --to 1500:1500 /dry 2>&1 >/dev/null)" "6 to change \(dry run\)" \
	"dry run: the summary says 'to change'"

# --- 8. Defaults: --to is the application user, --from the owner of PATH.
inroot "$R" sh -c 'echo "application:x:1500:1500::/home/application:/bin/sh" >> /etc/passwd
		   echo "web:x:1700:1800::/srv:/bin/sh" >> /etc/passwd'
mkdir -p "$R/def/in"; : > "$R/def/in/f"; chown -R 1000:1000 "$R/def"
fix -q /def
is "$(own "$R/def/in/f")" "1500:1500" "defaults: --from = owner of PATH, --to = user 'application'"
SANDBOX_ENV=(APPLICATION_USER=web)
fix -q /def
is "$(own "$R/def/in/f")" "1700:1800" "defaults: APPLICATION_USER names the --to user"
: > "$R/def/in/stray"; chown 1000:1000 "$R/def/in/stray"
out=$(fix /def 2>&1)
like "$out" "already owned as wanted, nothing to do" "defaults: PATH already right: no walk (OnRootMismatch)"
is "$(own "$R/def/in/stray")" "1000:1000" "defaults: ... so a stray file below is not looked at"
SANDBOX_ENV=(APPLICATION_USER=ghost)
status_is 125 "defaults: unknown application user: 125" fix /def
SANDBOX_ENV=()
printf 'user = web\n' > "$R/etc/appuser.conf"; chmod 644 "$R/etc/appuser.conf"
chown -R 1000:1000 "$R/def"
fix -q /def
is "$(own "$R/def/in/f")" "1700:1800" "defaults: the config's user names the --to user"
rm "$R/etc/appuser.conf"
mkdir -p "$R/rootowned"; : > "$R/rootowned/f"
out=$(fix --to 1000:1000 /rootowned 2>&1); rc=$?
is "$rc" 125 "defaults: a root-owned PATH is not a default --from"
like "$out" "owned by root; give --from" "defaults: ... and says so"
mkdir -p "$R/os"; : > "$R/os/f"; chown -R 1001:0 "$R/os"
fix -q --to 1000:1000 /os
is "$(own "$R/os/f")" "1000:0" "defaults: gid 0 of PATH is not taken either (uid remapped only)"
mkdir -p "$R/part"; : > "$R/part/f"; chown -R 1000:1000 "$R/part"
fix -q --from 1000: --to 1500:1500 /part
is "$(own "$R/part/f")" "1500:1000" "--from UID: remaps the uid only"
fix -q --from :1000 --to :1600 /part
is "$(own "$R/part/f")" "1500:1600" "--from :GID remaps the group only"

# --- 9. Errors: per-entry failures are counted, the walk goes on, 125.
mkdir -p "$R/err/sub"; : > "$R/err/a"; : > "$R/err/sub/b"; : > "$R/err/imm"
chown -R 1000:1000 "$R/err"
if chattr +i "$R/err/imm" 2>/dev/null; then
	out=$(fix --from 1000:1000 --to 1500:1500 /err 2>&1); rc=$?
	is "$rc" 125 "errors: an immutable file makes the exit status 125"
	like "$out" "err/imm: cannot change owner: Operation not permitted" "errors: the entry is named"
	like "$out" ": 5 entries, 4 changed, 1 error," "errors: the summary counts it"
	is "$(own "$R/err/sub/b")" "1500:1500" "errors: the walk went on"
	chattr -i "$R/err/imm"
else
	for i in 1 2 3 4; do tap_skip "immutable file" "chattr +i not supported here"; done
fi
mkdir -p "$R/ro"; : > "$R/ro/f"; chown -R 1000:1000 "$R/ro"
mount --bind "$R/ro" "$R/ro" && mount -o remount,bind,ro "$R/ro"
out=$(fix --from 1000:1000 --to 1500:1500 /ro 2>&1); rc=$?
is "$rc" 125 "errors: read-only filesystem: 125"
like "$out" "Read-only file system" "errors: EROFS reported"
umount "$R/ro"
status_is 125 "errors: missing PATH: 125" fix --from 1:1 --to 2:2 /nonexistent
status_is 125 "usage: no PATH" fix --from 1:1 --to 2:2
status_is 125 "usage: bad --from" fix --from 1000:x --to 2:2 /app
status_is 125 "usage: --from 4294967295 refused" fix --from 4294967295 --to 2:2 /app
status_is 125 "usage: unknown option" fix --bogus /app

# --- 10. Output and modes.
chown -R 1000:1000 "$R/app"
is "$(fix -q --from 1000:1000 --to 1500:1500 /app 2>&1)" "" "-q: silent"
out=$(fix --from 1500:1500 --to 1000:1000 /app 2>&1)
unlike "$out" $'\r' "no progress line when stderr is not a terminal"
is "$(wc -l <<<"$out")" 1 "one line of output: the summary"
mkdir -p "$R/multi1" "$R/multi2"; chown 1000:1000 "$R/multi1" "$R/multi2"
out=$(fix --to 1500:1500 /multi1 /multi2 2>&1)
is "$(grep -c ' entr' <<<"$out")" 2 "several PATHs: a summary each"
is "$(own "$R/multi2")" "1500:1500" "several PATHs: all remapped"
out=$(asuser "$R" 1000 1000 appuser fix --allow-system-path --to 1000:1000 /app 2>&1); rc=$?
is "$rc" 125 "unprivileged: --allow-system-path refused"
install_appuser "$R" 4755
out=$(asuser "$R" 1000 1000 appuser fix --to 1000:1000 /app 2>&1); rc=$?
is "$rc" 125 "setuid mode: fix refused"
like "$out" "refused in setuid mode" "setuid mode: the message says why"
install_appuser "$R"

# --- 11. Threads: -j, else one per CPU this process may use (cpus.h).
chown -R 1000:1000 "$R/app"
like "$(fix -v -j 3 --from 1000:1000 --to 1500:1500 /app 2>&1)" "/app: 3 threads"$'\n' "-j 3: three threads"
like "$(inroot "$R" taskset -c 0 appuser fix -v --from 1500:1500 --to 1000:1000 /app 2>&1)" \
	"/app: 1 thread \(the CPUs this process may use\)" "no -j under taskset -c 0: one thread"
t=$(fix -v --from 1000:1000 --to 1500:1500 /app 2>&1 | sed -n 's|.*/app: \([0-9]*\) threads\{0,1\} (the CPUs.*|\1|p')
[ -n "$t" ] && [ "$t" -ge 1 ] && [ "$t" -le "$(nproc)" ] && tap_ok "no -j: $t thread(s), at most nproc ($(nproc))" ||
	tap_not_ok "no -j: thread count '$t' not within 1..$(nproc)"

done_testing
