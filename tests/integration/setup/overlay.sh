#!/bin/bash
# appuser setup on the overlay a rootless engine mounts (issue 12): rootless
# Podman mounts the container's root as an overlay inside its user namespace,
# where the kernel makes it use "user." xattrs (userxattr) and no inode index.
# There a copied-up file (podman has just appended the keep-id user to
# /etc/passwd) and a new hard link to it show different inode numbers, so the
# backup link (passwd-) looked like another file and setup refused with
# "cannot write the backup /etc/passwd-: Stale file handle".  Each in a
# throwaway root whose /etc is such an overlay, mounted by root in a user
# namespace that maps 0-65535 to itself.
. "$(dirname "$0")/../../lib/tap.sh"
. "$(dirname "$0")/../../lib/sandbox.sh"
. "$(dirname "$0")/../../lib/setup.sh"
sandbox_enter "$@"

crash_after_commit() {
	# A crash after the commit point there: the journal names passwd by the
	# inode number setup read (the lower file's, copied up), the backup link
	# passwd- exists, passwd+ holds the new file.  After a remount (the
	# container's restart) passwd shows the upper inode's number, so the next
	# run must recognise it by its bytes (still those of its backup) and finish
	# the rename instead of dropping the committed change.
	read -r R T < <(overlay_root)
	in_userns "$R" "$T" append /bin/sh -c 'cd /etc && ino=$(stat -c %i passwd) && ln passwd passwd- &&
		sed "s/^dev:\*:2501:/dev:*:2502:/" passwd >passwd+ && : >".appuser-txn.passwd=$ino"' 2>&1
	want=$(sed 's/^dev:\*:2501:/dev:*:2502:/' "$T/upper/passwd")
	out=$(in_userns "$R" "$T" keep APPLICATION_UID=1000 APPLICATION_GID=1000 appuser setup 2>&1); rc=$?
	is "$rc" 0 "after a crash past the commit point on that overlay, the next setup runs"
	is "$(cat "$T/upper/passwd")" "$want" "… and finishes the committed rename (passwd recognised by its bytes)"
	is "$(cd "$T/upper" && ls -A | grep -E '^(passwd|group|shadow|gshadow)\+$|^\.appuser-txn')" "" "… no temp or journal left"
}
FX=$TESTS/fixtures

# overlay_root — a root from the fixture whose /etc is an overlay with the
# fixture's files as its lower layer; prints ROOT and the scratch folder.
overlay_root() {
	local r t
	r=$(mkroot "$FX/webdevops") && t=$(sandbox_tmpdir) || return 1
	mkdir "$t/lower" "$t/upper" "$t/work" && cp -a "$r/etc/." "$t/lower/" && echo "$r $t"
}

# in_userns ROOT T append|keep CMD... — in a new user and mount namespace,
# mount the overlay on ROOT/etc (userxattr: the kernel requires it there),
# with "append" add a line to /etc/passwd as podman does for
# --userns=keep-id (the copy-up), then run CMD as root chrooted in ROOT.
PLACEHOLDER='dev:*:2501:2501:rootless developer:/app:/bin/sh'
in_userns() {
	local r=$1 t=$2 how=$3 pid i rc; shift 3
	# The child stops itself until its maps are written from here (root
	# may map 0-65535 onto itself; unshare --map-users would need newuidmap
	# and /etc/subuid).
	unshare --user --mount --propagation private -- /bin/sh -c 'kill -STOP $$; r=$1 t=$2 how=$3 line=$4; shift 4
		mount -t overlay appuser-test-etc -o "lowerdir=$t/lower,upperdir=$t/upper,workdir=$t/work,userxattr" "$r/etc" ||
			exit 99
		[ "$how" = keep ] || echo "$line" >>"$r/etc/passwd"
		exec chroot "$r" /usr/bin/env -i PATH=/opt/appuser/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"' sh "$r" "$t" "$how" "$PLACEHOLDER" "$@" &
	pid=$!
	for ((i = 0; i < 500; i++)); do
		[ "$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null)" = T ] && break
		sleep 0.01
	done
	echo "0 0 65536" >"/proc/$pid/uid_map" && echo "0 0 65536" >"/proc/$pid/gid_map" || { kill -KILL $pid; wait $pid; return 99; }
	kill -CONT $pid; wait $pid; rc=$?
	return $rc
}

# Does this kernel reproduce it (two inode numbers for one file)?
read -r R T < <(overlay_root)
probe=$(in_userns "$R" "$T" append /bin/sh -c 'ln /etc/passwd /etc/p2 && stat -c %i /etc/passwd /etc/p2 | sort -u | wc -l; rm -f /etc/p2' 2>&1)
rc=$?
if [ "$rc" = 99 ]; then
	tap_skip "setup on a rootless engine's overlay /etc" "no overlay with userxattr in a user namespace here"
	
crash_after_commit
done_testing
	exit 0
fi
tap_diag "a hard link on this overlay shows $probe inode number(s) (2: the case rootless podman meets)"

read -r R T < <(overlay_root)
orig=$(cat "$T/lower/passwd")
out=$(in_userns "$R" "$T" append APPLICATION_UID=1234 APPLICATION_GID=1234 appuser setup 2>&1); rc=$?
is "$rc" 0 "setup on a copied-up /etc/passwd of a userxattr overlay works"
unlike "$out" "Stale file handle|cannot write the backup" "… no false 'replaced' verdict on the backup link"
is "$(grep '^application:' "$T/upper/passwd" | cut -d: -f3,4)" "1234:1234" "… the application user is 1234:1234"
is "$(cat "$T/upper/passwd-" 2>&1)" "$(printf '%s\n%s' "$orig" "$PLACEHOLDER")" \
	"… and passwd- holds the file it replaced, byte for byte"
is "$(cd "$T/upper" && ls -A | grep -E '^(passwd|group|shadow|gshadow)(\+|\.lock)$|^\.appuser-txn')" "" \
	"… no temp, journal or lock files left"
out=$(in_userns "$R" "$T" keep APPLICATION_UID=1234 APPLICATION_GID=1234 appuser setup 2>&1); rc=$?
is "$rc:$out" "0:" "a second run there is a silent no-op"

crash_after_commit
done_testing
