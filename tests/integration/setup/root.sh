#!/bin/bash
# setup --root DIR keeps to the root it opened: every step, the ownership
# remap included, works below the one descriptor of DIR (RESOLVE_IN_ROOT),
# never on the string DIR again.  Before, the remap rebuilt host paths
# ("DIR/app") and reopened them from the current folder, so
#   - a folder swapped in at DIR after the plan (someone who may rename
#     in DIR's parent) had its files chowned instead of the image's, and
#   - a DIR reached through a symlink had nothing remapped at all (every
#     start path "went through a symlink"), yet setup reported success.
. "$(dirname "$0")/../../lib/tap.sh"
. "$(dirname "$0")/../../lib/sandbox.sh"
sandbox_enter "$@"
command -v strace >/dev/null || { echo "1..0 # SKIP needs strace"; exit 0; }

FX=$TESTS/fixtures/webdevops
W=$(mktemp -d /tmp/appuser-ws.XXXXXX); SANDBOX_ROOTS+=("$W")
mount -t tmpfs -o mode=0755 appuser-ws "$W"

# image DIR — a small image folder: the fixture's account files, /app and
# the home owned by 1000:1000.
image() {
	mkdir -p "$1/etc" "$1/app" "$1/home/application" "$1/run"
	cp "$FX"/passwd "$FX"/group "$FX"/shadow "$FX"/gshadow "$1/etc/"
	touch "$1/app/mine"; chown -R 1000:1000 "$1/app" "$1/home/application"
}
setup_root() {	# DIR [strace args...]
	local dir=$1; shift
	env -i PATH=/usr/bin:/bin APPLICATION_UID=1300 APPLICATION_GID=1300 "$@" \
		"$APPUSER_BIN" setup -q --root "$dir"
}

# --- 1. The root swapped between the plan and the remap ----------------------
# strace stops setup at the remap's first system call of its own (the read
# of fs.protected_hardlinks), after the account files were written; then
# DIR is renamed away and a folder of someone else's files, owned by the
# old uid, is put in its place.
image "$W/img"
mkdir -p "$W/victim/app"; touch "$W/victim/app/theirs"; chown -R 1000:1000 "$W/victim"
# (LeakSanitizer cannot run under ptrace: off for this run in SANITIZE=1.)
setup_root "$W/img" ASAN_OPTIONS=detect_leaks=0 strace -f -qq -o /dev/null -e trace=openat \
	-e inject=openat:signal=SIGSTOP:when=1 -P /proc/sys/fs/protected_hardlinks &
sp=$!
stopped=""
for _ in $(seq 300); do
	pid=$(pgrep -f "^$APPUSER_BIN setup -q --root $W/img\$" | head -1)
	# A traced process is in state t at every syscall stop too: only a
	# stop after the account files were written is the injected one (a
	# swap before setup opened DIR would test nothing).
	[ -n "$pid" ] && grep -q '^application:[^:]*:1300:' "$W/img/etc/passwd" &&
		case $(ps -o stat= -p "$pid") in [Tt]*) stopped=1; break ;; esac
	sleep 0.1
done
if [ -n "$stopped" ]; then
	mv "$W/img" "$W/img.orig"; mkdir "$W/img"; mv "$W/victim/app" "$W/img/app"
	kill -CONT "$pid"
fi
wait "$sp"; rc=$?
is "$stopped" 1 "setup stopped between the plan and the remap"
is "$rc" 0 "setup finished"
is "$(stat -c %u:%g "$W/img/app/theirs")" "1000:1000" \
	"the folder swapped in at DIR is not remapped (someone else's files)"
is "$(stat -c %u:%g "$W/img.orig/app/mine" "$W/img.orig/home/application" | tr '\n' ' ')" \
	"1300:1300 1300:1300 " "the image setup opened is remapped: its /app and home"

# --- 2. DIR reached through a symlink ------------------------------------------
image "$W/img2"
ln -s img2 "$W/current"
out=$(setup_root "$W/current" 2>&1); rc=$?
is "$rc" 0 "setup --root through a symlinked DIR works"
is "$(stat -c %u:%g "$W/img2/app/mine" "$W/img2/home/application" | tr '\n' ' ')" \
	"1300:1300 1300:1300 " "... and remaps the image's /app and home"
is "$out" "" "... without a word (-q)"

# --- 3. A relative DIR, from another folder -------------------------------------
image "$W/img3"
out=$(cd "$W" && env -i PATH=/usr/bin:/bin APPLICATION_UID=1300 APPLICATION_GID=1300 \
	"$APPUSER_BIN" setup -q --root img3 2>&1); rc=$?
is "$rc:$(stat -c %u "$W/img3/app/mine")" "0:1300" "a relative --root DIR is remapped too"

done_testing
