# setup.sh — helpers for the `appuser setup` integration tests
# (tests/integration/setup/*.sh).  Source after tap.sh and sandbox.sh.

ACCT_FILES="passwd group shadow gshadow"

# etc_state ROOT — content hash, size, mtime and inode of each account
# file: equal before and after means "nothing was written".
etc_state() {
	local f
	for f in $ACCT_FILES; do
		if [ -e "$1/etc/$f" ]; then
			printf '%s %s %s\n' "$f" "$(sha256sum <"$1/etc/$f" | cut -c1-16)" \
				"$(stat -c '%s %.9Y %i' "$1/etc/$f")"
		else
			echo "$f absent"
		fi
	done
}

# hashes ROOT — one hash per account file, in ACCT_FILES order.
hashes() {
	local f
	for f in $ACCT_FILES; do sha256sum <"$1/etc/$f" | cut -c1-16; done | tr '\n' ' '
}

# leftovers ROOT — temp, journal, lock and PID files a run could leave.
leftovers() {
	(cd "$1/etc" && ls -A 2>/dev/null | grep -E '^(passwd|group|shadow|gshadow)(\+|\.lock|\.[0-9]+)$|^\.appuser-txn' || true)
}

# check_clean ROOT DESC — no leftovers.
check_clean() {
	local l; l=$(leftovers "$1")
	is "$l" "" "$2: no temp, journal or lock files left"
}

# pw_report ROOT — what shadow's own checkers say (read-only).
pw_report() {
	{ inroot "$1" pwck -r; inroot "$1" grpck -r; } 2>&1 | sort
}

# setup_in ROOT [ARGS...] — run appuser setup as root in ROOT with SANDBOX_ENV.
setup_in() {
	local r=$1; shift
	inroot "$r" appuser setup "$@"
}

# setup_with ROOT [NAME=VALUE...] [-- ARGS...] — setup with these variables.
setup_with() {
	local r=$1 envs=(); shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
	[ "${1:-}" = -- ] && shift
	inroot "$r" /usr/bin/env ${envs[@]+"${envs[@]}"} appuser setup "$@"
}

# setup_as ROOT UID GID [NAME=VALUE...] [-- ARGS...] — the same, as a user.
setup_as() {
	local r=$1 u=$2 g=$3 envs=(); shift 3
	while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
	[ "${1:-}" = -- ] && shift
	asuser "$r" "$u" "$g" /usr/bin/env ${envs[@]+"${envs[@]}"} appuser setup "$@"
}

# add_users ROOT N FIRST_UID — N filler users (non-system) in all four files.
add_users() {
	local r=$1 n=$2 first=$3
	awk -v n="$n" -v f="$first" 'BEGIN { for (i = 0; i < n; i++) printf "user%d:x:%d:%d:Filler %d:/home/user%d:/usr/sbin/nologin\n", i, f+i, f+i, i, i }' >>"$r/etc/passwd"
	awk -v n="$n" -v f="$first" 'BEGIN { for (i = 0; i < n; i++) printf "user%d:x:%d:\n", i, f+i }' >>"$r/etc/group"
	awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) printf "user%d:!:19000:0:99999:7:::\n", i }' >>"$r/etc/shadow"
	[ -e "$r/etc/gshadow" ] && awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) printf "user%d:!::\n", i }' >>"$r/etc/gshadow"
	return 0
}
