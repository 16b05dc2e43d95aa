#!/bin/bash
# One account reader (accounts/read.c) for every command: setup, exec (and
# the gosu form), fix and status read /etc/passwd and /etc/group the same
# way — the folder resolved inside the root, the file itself never a
# symlink — and refuse a symlinked file with the same words.  Before,
# exec, fix and status followed the link (RESOLVE_IN_ROOT) while setup
# refused it (O_NOFOLLOW), so they could disagree on who the user is.
. "$(dirname "$0")/../../lib/tap.sh"
. "$(dirname "$0")/../../lib/sandbox.sh"
sandbox_enter "$@"

# reason ROOT CMD — "REASON<tab>STATUS" as in integration/env.sh.
reason() {
	local r=$1 cmd=$2 out rc
	case $cmd in
	setup) out=$(inroot "$r" appuser setup --dry-run 2>&1 >/dev/null); rc=$? ;;
	exec) out=$(inroot "$r" appuser exec -- /bin/true 2>&1 >/dev/null); rc=$? ;;
	gosu) out=$(inroot "$r" gosu application /bin/true 2>&1 >/dev/null); rc=$?; cmd=exec ;;
	fix) out=$(inroot "$r" appuser fix --dry-run /app 2>&1 >/dev/null); rc=$? ;;
	status) out=$(inroot "$r" appuser status 2>/dev/null); rc=$?
		printf '%s\t%s' "$(printf '%s\n' "$out" | sed -n 's/^  files say:  INVALID: //p' | head -1)" "$rc"
		return ;;
	esac
	printf '%s\t%s' "$(printf '%s\n' "$out" | sed -n "s/^appuser: $cmd: //p" | head -1)" "$rc"
}

# same_refusal DESC ROOT FILE CMD... — setup and each CMD refuse, naming
# FILE, with the same words.
same_refusal() {
	local desc=$1 r=$2 file=$3 want got cmd wrc ok=1 diag=(); shift 3
	want=$(reason "$r" setup)
	if [ "${want##*$'\t'}" != 125 ] || [[ ${want%$'\t'*} != "$file: "*"symlink"* ]]; then
		tap_not_ok "$desc: setup refuses"; tap_diag "setup: $want"; return
	fi
	tap_ok "$desc: setup refuses ($file)"
	for cmd in "$@"; do
		wrc=125; [ "$cmd" = status ] && wrc=1
		got=$(reason "$r" "$cmd")
		[ "$got" = "${want%$'\t'*}"$'\t'"$wrc" ] || { ok=0; diag+=("$cmd: $got"); }
	done
	if [ "$ok" = 1 ]; then tap_ok "$desc: $* refuse with setup's words"
	else tap_not_ok "$desc: $* refuse with setup's words"
		tap_diag "setup: ${want%$'\t'*}" "${diag[@]}"; fi
}

# A relative symlink inside the root: etc/passwd -> passwd.real.
R=$(mkroot "$TESTS/fixtures/webdevops")
mkdir -p "$R/app"; chown 1000:1000 "$R/app"
mv "$R/etc/passwd" "$R/etc/passwd.real"; ln -s passwd.real "$R/etc/passwd"
same_refusal "etc/passwd -> passwd.real" "$R" /etc/passwd exec gosu fix status

# An absolute one, which RESOLVE_IN_ROOT used to keep inside the root.
R2=$(mkroot "$TESTS/fixtures/webdevops")
mkdir -p "$R2/app"; chown 1000:1000 "$R2/app"
mv "$R2/etc/group" "$R2/etc/group.real"; ln -s /etc/group.real "$R2/etc/group"
# (fix reads only /etc/passwd.)
same_refusal "etc/group -> /etc/group.real" "$R2" /etc/group exec gosu status

# The plain files still work for all of them.
R3=$(mkroot "$TESTS/fixtures/webdevops")
status_is 0 "regular account files: exec runs" inroot "$R3" appuser exec -- /bin/true
status_is 0 "regular account files: gosu runs" inroot "$R3" gosu application /bin/true

done_testing
