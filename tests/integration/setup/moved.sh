#!/bin/bash
# A moved user's home may be the developer's checkout (issue 11 §5).  When
# the wanted uid belongs to another non-system user, setup moves that user
# and remapped its home: podman --userns=keep-id writes the host user as
# NAME:*:1000:1000::/app:/bin/sh, images do `useradd -d /app`, so the
# host's checkout went to the moved uid.  Now such a home is never walked
# when it is, lies in or holds a configured folder or the application's
# home, or is a mount point; setup says so in one line.
. "$(dirname "$0")/../../lib/tap.sh"
. "$(dirname "$0")/../../lib/sandbox.sh"
. "$(dirname "$0")/../../lib/setup.sh"
sandbox_enter "$@"
FX=$TESTS/fixtures

# dev ROOT UID HOME [keep-id] — user dev (and group dev) at UID with HOME:
# podman's keep-id line (password *, /bin/sh, no shadow entry), or what
# useradd -d HOME writes.
dev() {
	local r=$1 u=$2 h=$3
	if [ "${4:-}" = keep-id ]; then
		echo "dev:*:$u:$u::$h:/bin/sh" >>"$r/etc/passwd"
	else
		echo "dev:x:$u:$u::$h:/bin/bash" >>"$r/etc/passwd"
		echo "dev:!:19000:0:99999:7:::" >>"$r/etc/shadow"
	fi
	echo "dev:x:$u:" >>"$r/etc/group"
	[ -e "$r/etc/gshadow" ] && echo "dev:!::" >>"$r/etc/gshadow"
	return 0
}
# checkout ROOT DIR UID — a tree of UID's files at DIR.
checkout() {
	mkdir -p "$1$2/src"; echo code >"$1$2/src/main.c"; chown -R "$3:$3" "$1$2"
}
owners() { (cd "$1" && shift && stat -c %u:%g "$@" | tr '\n' ' '); }
dev_uid() { grep '^dev:' "$1/etc/passwd" | cut -d: -f3; }

# --- root mode -----------------------------------------------------------------
# keep-id: the host user's line with home /app; /app (the default path) is the
# checkout, owned by 1000; the entrypoint maps the application user to 1000.
R=$(mkroot); dev "$R" 1000 /app keep-id; checkout "$R" /app 1000
out=$(setup_with "$R" APPLICATION_UID=1000 APPLICATION_GID=1000 2>&1); rc=$?
is "$rc:$(dev_uid "$R")" "0:1001" "root, keep-id line at /app: dev moves out of uid 1000"
is "$(owners "$R" app app/src/main.c)" "1000:1000 1000:1000 " "…and the checkout at /app is not remapped to it"
like "$out" "user dev moves, but its home /app is not remapped: it is the application's folder /app" \
	"…said in one line"
is "$(grep -c 'not remapped' <<<"$out")" 1 "…once (dev's uid and its group both moved)"

# useradd -d /app/sub: inside the configured /app.
R=$(mkroot); printf 'user = application\npaths = /app\n' >"$R/etc/appuser.conf"
dev "$R" 1000 /app/sub; checkout "$R" /app/sub 1000
out=$(setup_with "$R" APPLICATION_UID=1000 APPLICATION_GID=1000 2>&1); rc=$?
is "$rc:$(owners "$R" app/sub app/sub/src/main.c)" "0:1000:1000 1000:1000 " \
	"root, useradd -d /app/sub, paths = /app: the home inside the checkout is not remapped"
like "$out" "home /app/sub is not remapped: it lies in the application's folder /app" "…said"
# A home that holds a configured folder.
R=$(mkroot); printf 'user = application\npaths = /srv/app\n' >"$R/etc/appuser.conf"
dev "$R" 1000 /srv; checkout "$R" /srv/app 1000
out=$(setup_with "$R" APPLICATION_UID=1000 APPLICATION_GID=1000 2>&1)
is "$(owners "$R" srv/app/src/main.c)" "1000:1000 " "root, home /srv holding paths = /srv/app: not remapped"
like "$out" "home /srv is not remapped: it holds the application's folder /srv/app" "…said"
# The application user's own home counts too.
R=$(mkroot); printf 'user = application\nhome = /srv/work\n' >"$R/etc/appuser.conf"
dev "$R" 1000 /srv/work; checkout "$R" /srv/work 1000
setup_with "$R" APPLICATION_UID=1000 APPLICATION_GID=1000 -- -q
is "$(owners "$R" srv/work/src/main.c)" "1000:1000 " "root, dev's home is the application's home: not remapped"
# A mount point: a volume bind-mounted at the home (same filesystem, so only
# the mount itself tells).
R=$(mkroot); dev "$R" 1000 /srv/dev; checkout "$R" /vol 1000; mkdir -p "$R/srv/dev"
mount --bind "$R/vol" "$R/srv/dev"
out=$(setup_with "$R" APPLICATION_UID=1000 APPLICATION_GID=1000 2>&1); rc=$?
is "$rc:$(owners "$R" srv/dev/src/main.c)" "0:1000:1000 " "root, dev's home is a mount point: not remapped"
like "$out" "/srv/dev: a mount point .*not walked" "…said"
umount "$R/srv/dev"
# --dry-run says it too.
R=$(mkroot); dev "$R" 1000 /app keep-id; checkout "$R" /app 1000
like "$(setup_with "$R" APPLICATION_UID=1000 APPLICATION_GID=1000 -- --dry-run 2>&1)" \
	"home /app is not remapped" "--dry-run says which home is left alone"
unlike "$(setup_with "$R" APPLICATION_UID=1000 APPLICATION_GID=1000 -- --dry-run 2>&1)" \
	"remap /app" "…and plans no remap of it"
# Control: a home of its own elsewhere still follows the moved user.
R=$(mkroot); dev "$R" 1000 /home/dev; checkout "$R" /home/dev 1000
setup_with "$R" APPLICATION_UID=1000 APPLICATION_GID=1000 -- -q
is "$(owners "$R" home/dev/src/main.c)" "1001:1001 " "control: dev's own /home/dev still moves with it"

# --- setuid mode ---------------------------------------------------------------
# The caller is 1001 (docker run --user 1001:1001 -v $PWD:/app); the image's
# application user is 1000.
suid() {
	local r
	r=$(mkroot "$FX/webdevops")
	install_appuser "$r" 4755
	printf 'allow_setuid = yes\nuser = application\npaths = /app\nuid_range = 1000-60000\n' >"$r/etc/appuser.conf"
	chmod 0644 "$r/etc/appuser.conf"
	echo "$r"
}
R=$(suid); dev "$R" 1001 /app keep-id; checkout "$R" /app 1001
out=$(setup_as "$R" 1001 1001 2>&1); rc=$?
is "$rc:$(owners "$R" app app/src/main.c)" "0:1001:1001 1001:1001 " \
	"setuid, keep-id line at the caller's uid with home /app: the checkout stays the caller's"
is "$(grep -c '^dev:' "$R/etc/passwd"):$(grep '^application:' "$R/etc/passwd" | cut -d: -f3)" "0:1001" \
	"…the placeholder goes, the application user takes its uid"
R=$(suid); dev "$R" 1001 /app/sub; checkout "$R" /app/sub 1001
out=$(setup_as "$R" 1001 1001 2>&1); rc=$?
is "$rc:$(dev_uid "$R")" "0:1002" "setuid, useradd -d /app/sub at the caller's uid: dev moves"
is "$(owners "$R" app/sub app/sub/src/main.c)" "1001:1001 1001:1001 " "…and its home in the checkout stays the caller's"

done_testing
