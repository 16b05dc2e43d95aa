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

done_testing
