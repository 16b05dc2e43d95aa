#!/bin/bash
# --root without openat2 (issue 11 §6): kernels before 5.6, qemu-user and
# runtimes whose seccomp profile blocks openat2 must resolve an image's
# symlinks inside the image exactly as RESOLVE_IN_ROOT does.  Before the
# fix the fallback was a plain openat(): `status --root IMG` followed an
# absolute `etc` symlink onto the host's files.  strace's fault injection
# (openat2 -> ENOSYS, and EPERM as a seccomp'd runtime answers) stands in
# for such a kernel; every answer must equal the openat2 one.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
sandbox_enter "$@"

command -v strace >/dev/null || { tap_not_ok "strace is installed"; # EAGAIN is openat2's "a rename or mount raced a '..': try again" (a busy
# machine): retried, not reported.
got=$(st rel 'EAGAIN:when=1..3')
is "$got" "$(st rel)" "rel, openat2 -> EAGAIN three times: retried, the same answer"

# The folder itself, "..", ".", and a folder reached through a symlink.
for rel in . .. ./etc/.. etc/. image-etc/../etc; do
	want=$(inroot "$R" appuser status --json --root "/tmp/abs/$rel" 2>&1)
	got=$(inroot "$R" env ASAN_OPTIONS=detect_leaks=0 strace -f -qq -o /dev/null -e inject=openat2:error=ENOSYS \
		appuser status --json --root "/tmp/abs/$rel" 2>&1)
	is "$got" "$want" "--root /tmp/abs/$rel, openat2 -> ENOSYS: the same answer"
done

# setup reads (and would write) through the same resolution.
d=$(img setup); ln -s /image-etc "$d/etc"; mkdir -p "$d/run" "$d/home/application"
SANDBOX_ENV=(APPLICATION_UID=5000 APPLICATION_GID=5000)
want=$(inroot "$R" appuser setup --dry-run --root /tmp/setup 2>&1)
got=$(inroot "$R" env ASAN_OPTIONS=detect_leaks=0 strace -f -qq -o /dev/null -e inject=openat2:error=ENOSYS \
	appuser setup --dry-run --root /tmp/setup 2>&1)
SANDBOX_ENV=()
like "$got" "application uid 4242 -> 5000" "setup --dry-run --root, openat2 -> ENOSYS: the image's user is planned"
is "$got" "$want" "setup --dry-run --root, openat2 -> ENOSYS: the same plan as with openat2"

done_testing; exit; }
R=$(mkroot "$TESTS/fixtures/webdevops")	# the "host": application is uid 1000 here
# The host has an /image-etc too: what an escaping lookup would find.
mkdir "$R/image-etc"; cp "$R/etc/passwd" "$R/etc/group" "$R/image-etc/"

# img NAME — an image whose own account files say application is 4242.
img() {
	local d="$R/tmp/$1"
	mkdir -p "$d/image-etc" "$d/real"
	sed 's/^application:x:1000:1000:/application:x:4242:4242:/' "$R/etc/passwd" >"$d/image-etc/passwd"
	sed 's/^application:x:1000:/application:x:4242:/' "$R/etc/group" >"$d/image-etc/group"
	echo "$d"
}
# (Under strace, LeakSanitizer cannot run: ASAN_OPTIONS=detect_leaks=0 for
# SANITIZE=1 builds; nothing else sees it.)
st() {	# IMAGE [INJECT-ERRNO]
	if [ -n "${2:-}" ]; then
		inroot "$R" env ASAN_OPTIONS=detect_leaks=0 strace -f -qq -o /dev/null -e inject=openat2:error="$2" \
			appuser status --json --root "/tmp/$1" 2>&1
	else
		inroot "$R" appuser status --json --root "/tmp/$1" 2>&1
	fi
}
user_of() { jq -r 'if .user.exists then "\(.user.uid)" else "missing" end' 2>/dev/null <<<"$1"; }

d=$(img abs); ln -s /image-etc "$d/etc"
d=$(img rel); ln -s ../../../../image-etc "$d/etc"
d=$(img deep); mkdir -p "$d/a/b"; ln -s /a/b/../../image-etc "$d/etc"
d=$(img chain); ln -s /x "$d/etc"; ln -s image-etc "$d/x"
d=$(img loop); ln -s etc2 "$d/etc"; ln -s etc "$d/etc2"
d=$(img filelink); mkdir "$d/etc"; ln -s /image-etc/passwd "$d/etc/passwd"; cp "$d/image-etc/group" "$d/etc/"
d=$(img escape_file); mkdir "$d/etc"; ln -s ../../../../etc/passwd "$d/etc/passwd"; cp "$d/image-etc/group" "$d/etc/"

for i in abs rel deep chain; do
	want=$(st $i)
	is "$(user_of "$want")" 4242 "$i: with openat2, the image's own passwd (application 4242)"
	for e in ENOSYS EPERM EAGAIN; do
		got=$(st $i $e)
		is "$(user_of "$got")" 4242 "$i, openat2 -> $e: the image's passwd, never the host's"
		is "$got" "$want" "$i, openat2 -> $e: the same status as with openat2"
	done
done
for i in loop filelink escape_file; do
	want=$(st $i)
	for e in ENOSYS EPERM; do
		got=$(st $i $e)
		is "$got" "$want" "$i, openat2 -> $e: the same answer as with openat2"
		unlike "$got" '"uid":1000' "$i, openat2 -> $e: no host file read"
	done
done

# EAGAIN is openat2's "a rename or mount raced a '..': try again" (a busy
# machine): retried, not reported.
got=$(st rel 'EAGAIN:when=1..3')
is "$got" "$(st rel)" "rel, openat2 -> EAGAIN three times: retried, the same answer"

# The folder itself, "..", ".", and a folder reached through a symlink.
for rel in . .. ./etc/.. etc/. image-etc/../etc; do
	want=$(inroot "$R" appuser status --json --root "/tmp/abs/$rel" 2>&1)
	got=$(inroot "$R" env ASAN_OPTIONS=detect_leaks=0 strace -f -qq -o /dev/null -e inject=openat2:error=ENOSYS \
		appuser status --json --root "/tmp/abs/$rel" 2>&1)
	is "$got" "$want" "--root /tmp/abs/$rel, openat2 -> ENOSYS: the same answer"
done

# setup reads (and would write) through the same resolution.
d=$(img setup); ln -s /image-etc "$d/etc"; mkdir -p "$d/run" "$d/home/application"
SANDBOX_ENV=(APPLICATION_UID=5000 APPLICATION_GID=5000)
want=$(inroot "$R" appuser setup --dry-run --root /tmp/setup 2>&1)
got=$(inroot "$R" env ASAN_OPTIONS=detect_leaks=0 strace -f -qq -o /dev/null -e inject=openat2:error=ENOSYS \
	appuser setup --dry-run --root /tmp/setup 2>&1)
SANDBOX_ENV=()
like "$got" "application uid 4242 -> 5000" "setup --dry-run --root, openat2 -> ENOSYS: the image's user is planned"
is "$got" "$want" "setup --dry-run --root, openat2 -> ENOSYS: the same plan as with openat2"

done_testing
