#!/bin/bash
# SELinux (issue 5, DESIGN §8): the policy module in policy/selinux/
# compiles on its own with checkmodule and semodule_package, its
# interfaces expand to valid rules, and `appuser exec` behaves as
# documented on a host without SELinux (exec tests in a throwaway root).
. "$(dirname "$0")/../../lib/tap.sh"
. "$(dirname "$0")/../../lib/sandbox.sh"
sandbox_enter "$@"

SEL=$TOP/policy/selinux
T=$(sandbox_tmpdir)

# --- the module ------------------------------------------------------------
if ! command -v checkmodule >/dev/null || ! command -v semodule_package >/dev/null; then
	tap_skip "appuser.te compiles" "checkpolicy and semodule-utils are not installed"
else
	check "appuser.te compiles standalone (checkmodule -M -m)" \
		checkmodule -M -m -o "$T/appuser.mod" "$SEL/appuser.te"
	check "it packages with appuser.fc (semodule_package)" \
		semodule_package -o "$T/appuser.pp" -m "$T/appuser.mod" -f "$SEL/appuser.fc"
	check "appuser.pp is not empty" test -s "$T/appuser.pp"
	like "$(head -c 4 "$T/appuser.pp" | od -An -tx1 | tr -d ' ')" "^8fff7cf9$" \
		"appuser.pp is a module package (magic 0xf97cff8f)"
	# Every type the file contexts name is declared by the module.
	missing=
	for t in $(grep -o '[a-z_]*_t:s0' "$SEL/appuser.fc" | sed 's/:s0//' | sort -u); do
		grep -q "^type $t;" "$SEL/appuser.te" || missing+=" $t"
	done
	is "$missing" "" "appuser.fc names only types appuser.te declares"
fi

# The interfaces (refpolicy m4) expanded with small stand-ins for the
# refpolicy support macros, used by a test module, compiled.
if ! command -v m4 >/dev/null || ! command -v checkmodule >/dev/null; then
	tap_skip "appuser.if expands to a module that compiles" "m4 or checkpolicy missing"
else
	cat > "$T/stubs.m4" <<'EOF'
divert(-1)
define(`interface', `define(`$1', `$2')')
define(`gen_require', `require { $1 }')
define(`corecmd_search_bin', `require { type bin_t; } allow $1 bin_t:dir search;')
define(`files_search_etc', `require { type etc_t; } allow $1 etc_t:dir search;')
define(`domtrans_pattern', `allow $1 $2:file { read open getattr execute map };
	allow $1 $3:process transition; type_transition $1 $2:process $3;
	allow $3 $2:file entrypoint;')
divert(0)dnl
EOF
	cat > "$T/use.te" <<'EOF'
module appuser_iftest 1.0.0;
require {
	class process { transition sigchld };
	class process2 { nnp_transition nosuid_transition };
	class file { read open getattr execute map entrypoint setattr };
	class dir { search getattr open read setattr };
	class lnk_file { getattr setattr };
	class sock_file { getattr setattr };
	class fifo_file { getattr setattr };
	class fd use;
}
type test_t;
type test_exec_t;
type test_data_t;
appuser_domtrans(test_t)
appuser_run_service_as(test_t, test_exec_t)
appuser_remap_files(test_data_t)
appuser_read_config(test_t)
EOF
	m4 "$T/stubs.m4" "$SEL/appuser.if" "$T/use.te" > "$T/expanded.te" 2>"$T/m4.err"
	is "$(cat "$T/m4.err")" "" "appuser.if: m4 expands it without complaint"
	check "appuser.if: its interfaces compile into a module" \
		checkmodule -M -m -o "$T/appuser_iftest.mod" "$T/expanded.te"
	like "$(cat "$T/expanded.te")" "allow appuser_t test_t:process2 \{ nnp_transition" \
		"appuser_run_service_as() grants nnp_transition (appuser sets NO_NEW_PRIVS)"
fi

# --- appuser exec on a host without SELinux ----------------------------------
CTX=system_u:system_r:unconfined_t:s0
R=$(mkroot)
if [ -e /sys/fs/selinux/enforce ] && grep -q . /sys/fs/selinux/enforce 2>/dev/null; then
	tap_skip "--selinux-context without SELinux" "SELinux is enabled here"
else
	out=$(inroot "$R" appuser exec -u nobody --selinux-context "$CTX" true 2>&1); rc=$?
	is "$rc" 125 "SELinux off: an explicit --selinux-context is an error (125)"
	is "$out" "appuser: exec: --selinux-context '$CTX': SELinux is not enabled" \
		"SELinux off: the message says so"
	status_is 0 "SELinux off: an empty --selinux-context is nothing to do" \
		inroot "$R" appuser exec -u nobody --selinux-context '' true
	printf 'selinux_context = %s\n' "$CTX" > "$R/etc/appuser.conf"
	status_is 0 "SELinux off: the config's selinux_context is ignored" \
		inroot "$R" appuser exec -u nobody true
fi

# Setuid mode: the caller cannot choose a domain.
inroot "$R" sh -c 'echo "application:x:1000:1000::/:/bin/sh" >> /etc/passwd
	echo "application:x:1000:" >> /etc/group'
printf 'allow_setuid = yes\nuser = application\n' > "$R/etc/appuser.conf"
install_appuser "$R" 4755
out=$(asuser "$R" 1000 1000 appuser exec --selinux-context "$CTX" true 2>&1); rc=$?
is "$rc" 125 "setuid: --selinux-context refused"
like "$out" "refused in setuid mode" "setuid: the message says why"

done_testing
