#!/bin/bash
# The order of the durability barriers of a uid+gid change (accounts/store.h,
# issue 14), read from strace: each must come before the step that needs it,
# and there are no more than the argument in store.h says (N + 3 on /etc).
# A behaviour test of the commit protocol; it never looks at time.
. "$(dirname "$0")/../../lib/tap.sh"
. "$(dirname "$0")/../../lib/sandbox.sh"
. "$(dirname "$0")/../../lib/setup.sh"
sandbox_enter "$@"
command -v strace >/dev/null || { echo "1..0 # SKIP strace is not installed"; exit 0; }

R=$(mkroot); setup_in "$R" -q
chroot "$R" /usr/bin/env -i PATH="$ROOT_PATH" APPLICATION_UID=1500 APPLICATION_GID=1500 \
	ASAN_OPTIONS=detect_leaks=0 strace -f -y -qq -o /tmp/commit.trace \
	-e trace=openat,write,fsync,fdatasync,renameat,renameat2,rename,linkat,unlinkat \
	appuser setup -q
T=$R/tmp/commit.trace
is "$(grep -c '^application:x:1500:1500:' "$R/etc/passwd")" 1 "the traced run changed the uid and gid"

# first REGEX / last REGEX: line number of the first / last match (0: none).
first() { grep -nE "$1" "$T" | head -1 | cut -d: -f1 | grep . || echo 0; }
last() { grep -nE "$1" "$T" | tail -1 | cut -d: -f1 | grep . || echo 0; }
before() {	# DESC A B: 0 < A < B
	if [ "$2" -gt 0 ] && [ "$3" -gt 0 ] && [ "$2" -lt "$3" ]; then tap_ok "$1"; else
		tap_not_ok "$1"; tap_diag "lines $2 and $3 of the trace" "$(grep -v ENOENT "$T" | grep '/etc' | cut -c1-150)"; fi
}

before "the lock's PID file is fdatasync'ed before it becomes passwd.lock" \
	"$(first 'fdatasync\([0-9]+</etc/passwd\.[0-9]+>')" "$(first '^[0-9]+ +linkat\(.*"passwd\.lock"')"
is "$(grep -cE '^[0-9]+ +linkat\(.*"(passwd|group|shadow|gshadow)\.lock"' "$T")" 4 "four locks, links of it"
for f in passwd group; do
	before "$f+ is fsync'ed before it is renamed over $f" \
		"$(last "fsync\([0-9]+</etc/$f\+>")" "$(first "renameat2?\(.*\"$f\+\", [0-9]+</etc>, \"$f\"")"
	before "$f- is a hard link of $f, made before the commit" \
		"$(first "^[0-9]+ +linkat\([0-9]+</etc>, \"$f\", [0-9]+</etc>, \"$f\+\"")" "$(first 'openat\(.*"\.appuser-txn\.')"
	is "$(grep -cE "openat\(.*\"$f-\"|</etc/$f->" "$T")" 0 "$f-: nothing written to it"
	before "$f+ is durable before the journal exists" \
		"$(last "fsync\([0-9]+</etc/$f\+>")" "$(first 'openat\(.*"\.appuser-txn\.')"
done
j=$(first 'openat\(.*"\.appuser-txn\.passwd=[0-9]+\.group=[0-9]+"')
before "the journal (named for what it commits) is followed by fsync of etc" "$j" "$(first 'fsync\([0-9]+</etc>\)')"
before "... which comes before the first rename over a file" \
	"$(first 'fsync\([0-9]+</etc>\)')" "$(first 'renameat2?\(.*"(passwd|group)\+", [0-9]+</etc>, "(passwd|group)"')"
before "the renames are made durable (fsync of etc) ..." \
	"$(last 'renameat2?\(.*"(passwd|group)\+", [0-9]+</etc>, "(passwd|group)"')" "$(last 'fsync\([0-9]+</etc>\)')"
before "... before the journal is removed" "$(last 'fsync\([0-9]+</etc>\)')" "$(first 'unlinkat\(.*"\.appuser-txn\.')"
is "$(grep -cE '^[0-9]+ +(fsync|fdatasync)\([0-9]+</etc' "$T")" 5 \
	"five barriers on /etc for two files: one for the locks, one per file, two for etc (N + 3)"
is "$(grep -cE 'write\([0-9]+</etc/\.appuser-txn' "$T")" 0 "the journal holds no data"
check_clean "$R" "after the traced run"
done_testing
