#!/bin/bash
# appuser status: text and --json, consistent (0) vs mismatch (1), in a
# throwaway root (issue 7).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
sandbox_enter "$@"

R=$(mkroot "$TESTS/fixtures/webdevops")
mkdir -p "$R/app" && chown 501:20 "$R/app"

st() { inroot "$R" /usr/bin/env "$@" appuser status; }
sj() { inroot "$R" /usr/bin/env "$@" appuser status --json; }

# Before setup: the environment asks for 501:20, the files say 1000:1000.
out=$(st APPLICATION_UID=auto APPLICATION_GID=auto); rc=$?
is "$rc" 1 "mismatch before setup: exit 1"
like "$out" "files say:  uid 1000 gid 1000" "shows the user as the files say"
like "$out" "env asks:   uid 501 \(MISMATCH\) gid 20 \(MISMATCH\)" "shows what the environment asks (auto)"
like "$out" "folder:       /app: owner 501:20, MISMATCH" "shows /app's owner and the mismatch"
like "$out" "setup:        no record" "no setup record yet"
like "$out" "exec applies: seccomp default, caps none" "what exec would apply"

# After setup: consistent, with a record of what changed.
inroot "$R" /usr/bin/env APPLICATION_UID=auto APPLICATION_GID=auto appuser setup -q
out=$(st APPLICATION_UID=auto APPLICATION_GID=auto); rc=$?
is "$rc" 0 "consistent after setup: exit 0"
like "$out" "status:       consistent" "says consistent"
like "$out" "last:       change .*uid 1000 -> 501" "the record says what setup changed"
like "$out" "folder:       /app: owner 501:20, matches" "/app matches now"

# A restart (no-op setup) keeps the record; a change of the folder shows.
inroot "$R" /usr/bin/env APPLICATION_UID=auto APPLICATION_GID=auto appuser setup -q
like "$(st APPLICATION_UID=auto)" "last:       change" "a no-op setup keeps the last record"
chown 777:777 "$R/app"
out=$(st); rc=$?
is "$rc" 1 "a folder owned by someone else: exit 1"
like "$out" "/app: owner 777:777, MISMATCH" "…and it says which"
chown 501:20 "$R/app"

# `auto` follows setup's own rule: a root-owned source folder is refused,
# with the same words setup uses.
chown 0:0 "$R/app"
out=$(st APPLICATION_UID=auto); rc=$?
is "$rc" 1 "auto on a root-owned folder: exit 1"
want=$(inroot "$R" /usr/bin/env APPLICATION_UID=auto appuser setup --dry-run 2>&1 | sed 's/^appuser: setup: //')
like "$out" "env asks:   INVALID: .*owned by uid 0" "auto on a root-owned folder: refused as setup does"
like "$want" "owned by uid 0" "…and setup says the same"
chown 501:20 "$R/app"

# Bad input is reported, not fatal.
out=$(st APPLICATION_UID=-1); rc=$?
is "$rc" 1 "invalid environment: exit 1"
like "$out" "env asks:   INVALID: .*APPLICATION_UID" "names the bad variable"
printf 'bogus = 1\n' > "$R/etc/appuser.conf"
out=$(st); rc=$?
is "$rc" 1 "invalid config: exit 1"
like "$out" "config:       /etc/appuser.conf INVALID: .*unknown key" "names the config problem"
rm "$R/etc/appuser.conf"

# JSON: valid, same facts.
if command -v jq >/dev/null; then
	j=$(sj APPLICATION_UID=auto)
	is "$(jq -r '.consistent' <<<"$j")" "true" "--json: consistent"
	is "$(jq -r '.user.uid, .user.gid' <<<"$j" | tr '\n' ' ')" "501 20 " "--json: user IDs"
	is "$(jq -r '.folders[0].path, .folders[0].matches' <<<"$j" | tr '\n' ' ')" "/app true " "--json: folders"
	is "$(jq -r '.exec.seccomp' <<<"$j")" "default" "--json: exec profile"
	is "$(jq -r '.env.error' <<<"$(sj 'APPLICATION_USER=a
b')")" "$(st 'APPLICATION_USER=a
b' | sed -n 's/^  env asks:   INVALID: //p')" "--json: control characters escaped, same error text"
	sj 'APPLICATION_USER=a"\b' | jq . >/dev/null
	is "$?" 0 "--json stays valid JSON with quotes and backslashes in values"
else
	tap_skip "--json checks" "jq not installed"
fi

# Isolation: the Landlock domain exec would make, and Yama.  The kernel's
# answer is faked with strace's fault injection for the kernels that lack it.
if command -v jq >/dev/null; then
	abi=$(sj | jq -r .isolation.landlock_abi)
	out=$(st)
	if [ "$abi" -ge 2 ]; then
		like "$out" "isolation:    Landlock ABI $abi: each service in its own domain" \
			"isolation: the Landlock ABI and the domain exec makes"
		[ "$abi" -ge 6 ] && like "$out" "scoped: signals, abstract unix sockets" \
			"isolation: signal and abstract-socket scopes (ABI 6)"
	else
		like "$out" "isolation:    Landlock .*: a service can write /proc/PID/mem" \
			"isolation: says there is no Landlock domain here, and what that means"
	fi
	like "$out" "  Yama:       (not in this kernel|ptrace_scope [0-3])" "isolation: Yama shown"
	inj() { inroot "$R" strace -f -qq -o /dev/null -e inject=landlock_create_ruleset:error="$1" appuser status; }
	like "$(inj ENOSYS)" "isolation:    Landlock not in this kernel .*: a service can write /proc/PID/mem" \
		"isolation, no Landlock (ENOSYS): said once, with what it means"
	like "$(inj EOPNOTSUPP)" "isolation:    Landlock built into the kernel but not enabled" \
		"isolation, Landlock off at boot (EOPNOTSUPP): said"
	like "$(inj EPERM)" "isolation:    Landlock blocked by the runtime's seccomp filter" \
		"isolation, blocked by a filter (EPERM): said"
	is "$(inroot "$R" strace -f -qq -o /dev/null -e inject=landlock_create_ruleset:error=ENOSYS \
		appuser status --json | jq -c '.isolation | [.landlock_domain, .scoped]')" '[false,[]]' \
		"--json: isolation without Landlock"
else
	tap_skip "isolation checks" "jq not installed"
fi

# Setuid mode: status drops to the caller and still works.
install_appuser "$R" 4755
printf 'allow_setuid = yes\nuser = application\n' > "$R/etc/appuser.conf"; chmod 644 "$R/etc/appuser.conf"
out=$(asuser "$R" 501 20 appuser status); rc=$?
is "$rc" 0 "setuid caller: status works (consistent)"
like "$out" "setuid mode \(real uid 501\)" "setuid caller: mode shown"
status_is 125 "setuid caller: --root reads only what the caller may (125)" \
	asuser "$R" 501 20 appuser status --root /root/nonexistent

done_testing
