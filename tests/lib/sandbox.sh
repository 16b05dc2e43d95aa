# sandbox.sh — throwaway roots for tests that edit /etc, create users or
# chown.  Nothing here touches the machine: the test re-executes itself in
# new mount and pid namespaces, each root is a tmpfs with a private,
# root-owned /etc copy and the host's /usr bound read-only, and everything
# vanishes with the namespace.  The host's /etc/passwd stays byte-identical;
# the one folder a script makes in /tmp is removed when it ends.
#
#   . "$TESTS/lib/sandbox.sh"; sandbox_enter "$@"
#   R=$(mkroot)               # a fresh root from tests/fixtures/debian
#   inroot "$R" id            # run as root inside it
#   asuser "$R" 1000 1000 id  # run as an unprivileged uid/gid inside it
#   rmroot "$R"               # optional: roots also die with the namespace
#   T=$(sandbox_tmpdir)       # scratch space that dies with it too

TESTS=${TESTS:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
TOP=${TOP:-$(cd "$TESTS/.." && pwd)}
APPUSER_BIN=${APPUSER_BIN:-$TOP/build/appuser}
ROOT_PATH=/opt/appuser/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
. "$TESTS/lib/wait.sh"

sandbox_skip_all() { echo "1..0 # SKIP $*"; exit 0; }

# Re-run the calling script inside new mount + pid namespaces.  The outer
# shell makes one folder in /tmp and removes it afterwards; inside, a tmpfs
# on it holds every root, so nothing is left behind even when the script is
# killed (--kill-child takes the whole pid namespace with it).
sandbox_enter() {
	if [ -n "${APPUSER_IN_SANDBOX:-}" ]; then
		mount -t tmpfs -o mode=0755 appuser-sandbox "$APPUSER_SANDBOX_DIR" ||
			{ echo "Bail out! cannot mount a tmpfs on $APPUSER_SANDBOX_DIR"; exit 1; }
		return 0
	fi
	[ "$(id -u)" = 0 ] || sandbox_skip_all "needs root (mount and pid namespaces)"
	command -v unshare >/dev/null || sandbox_skip_all "needs unshare(1)"
	unshare --mount --pid --fork --propagation private true 2>/dev/null ||
		sandbox_skip_all "cannot create mount/pid namespaces here"
	local dir child rc
	dir=$(mktemp -d /tmp/appuser-test.XXXXXX) || { echo "Bail out! mktemp failed"; exit 1; }
	APPUSER_IN_SANDBOX=1 APPUSER_SANDBOX_DIR=$dir unshare --mount --pid --fork --kill-child \
		--mount-proc --propagation private -- bash "$0" "$@" <&0 & child=$!
	trap 'kill -TERM $child 2>/dev/null' TERM INT HUP
	wait $child; rc=$?
	while kill -0 $child 2>/dev/null; do wait $child; rc=$?; done
	rmdir "$dir"
	exit $rc
}

# sandbox_tmpdir — a new scratch folder inside the sandbox's tmpfs.
sandbox_tmpdir() { mktemp -d "$APPUSER_SANDBOX_DIR/tmp.XXXXXX"; }

# mkroot [FIXTURE_DIR] — print the path of a new throwaway root.
mkroot() {
	local fx=${1:-$TESTS/fixtures/debian}
	local r d
	r=$(mktemp -d "$APPUSER_SANDBOX_DIR/root.XXXXXX") || return 1
	# tmpfs without nosuid: the setuid tests need the bit to work here.
	mount -t tmpfs -o mode=0755,size=512m appuser-root "$r" || return 1
	mkdir -p "$r"/{usr,etc,proc,dev,tmp,run,home,root,var/tmp,opt/appuser/bin}
	chmod 1777 "$r/tmp" "$r/var/tmp"; chmod 0700 "$r/root"
	mount --bind /usr "$r/usr" && mount -o remount,bind,ro "$r/usr"
	for d in bin sbin lib lib64 lib32 libx32; do
		if [ -L "/$d" ]; then ln -s "$(readlink "/$d")" "$r/$d"
		elif [ -d "/$d" ]; then mkdir "$r/$d"; mount --bind "/$d" "$r/$d"; mount -o remount,bind,ro "$r/$d"; fi
	done
	mount -t proc proc "$r/proc"
	mount -t tmpfs -o mode=0755,size=1m appuser-dev "$r/dev"
	mknod -m 666 "$r/dev/null" c 1 3; mknod -m 666 "$r/dev/zero" c 1 5
	mknod -m 666 "$r/dev/full" c 1 7
	mknod -m 666 "$r/dev/random" c 1 8; mknod -m 666 "$r/dev/urandom" c 1 9
	mknod -m 666 "$r/dev/tty" c 5 0
	mkdir "$r/dev/pts" "$r/dev/shm"; chmod 1777 "$r/dev/shm"
	mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts "$r/dev/pts" 2>/dev/null &&
		ln -s pts/ptmx "$r/dev/ptmx"
	ln -s /proc/self/fd "$r/dev/fd"
	ln -s /proc/self/fd/0 "$r/dev/stdin"; ln -s /proc/self/fd/1 "$r/dev/stdout"
	ln -s /proc/self/fd/2 "$r/dev/stderr"
	# A private /etc: the fixture's account files plus what tools need.
	# Copied as root, never with the checkout's owner or modes: in a clone
	# owned by a user (sudo make check), cp -a would give that user /etc.
	cp -R --preserve=timestamps "$fx"/. "$r/etc/"
	chown -R 0:0 "$r/etc"; chmod -R go-w "$r/etc"; chmod 0755 "$r/etc"
	for f in login.defs nsswitch.conf ld.so.cache ld.so.conf host.conf hosts \
		 pam.conf pam.d security default shells localtime; do
		[ -e "/etc/$f" ] && [ ! -e "$r/etc/$f" ] && cp -a "/etc/$f" "$r/etc/$f"
	done
	chmod 0644 "$r"/etc/passwd "$r"/etc/group 2>/dev/null
	chmod 0640 "$r"/etc/shadow "$r"/etc/gshadow 2>/dev/null
	chgrp 42 "$r"/etc/shadow "$r"/etc/gshadow 2>/dev/null
	install_appuser "$r"
	echo "$r"
}

# install_appuser ROOT [MODE] — the binary under test, and its gosu names.
install_appuser() {
	local r=$1 mode=${2:-0755}
	cp "$APPUSER_BIN" "$r/opt/appuser/bin/appuser"
	chown 0:0 "$r/opt/appuser/bin/appuser"
	chmod "$mode" "$r/opt/appuser/bin/appuser"
	ln -sf appuser "$r/opt/appuser/bin/gosu"
	ln -sf appuser "$r/opt/appuser/bin/su-exec"
}

rmroot() {
	umount -R -l "$1" 2>/dev/null; rmdir "$1" 2>/dev/null
}

# inroot ROOT CMD... — run CMD as root in the root, with a clean environment
# plus whatever is exported in SANDBOX_ENV (an array of NAME=VALUE).
inroot() {
	local r=$1; shift
	chroot "$r" /usr/bin/env -i PATH="$ROOT_PATH" HOME=/root ${SANDBOX_ENV[@]+"${SANDBOX_ENV[@]}"} "$@"
}

# asuser ROOT UID GID CMD... — run CMD as an unprivileged uid/gid (no
# supplementary groups, no capabilities) in the root.
asuser() {
	local r=$1 u=$2 g=$3; shift 3
	chroot "$r" /usr/bin/setpriv --reuid="$u" --regid="$g" --clear-groups \
		/usr/bin/env -i PATH="$ROOT_PATH" HOME=/ ${SANDBOX_ENV[@]+"${SANDBOX_ENV[@]}"} "$@"
}

# A snapshot of the account files, to prove an attack changed nothing.
etc_sum() { (cd "$1/etc" && cat passwd group shadow gshadow 2>/dev/null | sha256sum | cut -c1-16); }
