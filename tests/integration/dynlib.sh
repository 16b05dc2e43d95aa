#!/bin/bash
# Lazily loaded libraries (src/dynlib.h, issue 14): the dynamic build links
# only libc; libseccomp is loaded for a policy FILE and nothing else,
# libselinux where SELinux can be on or a context is asked for.  Each
# library is loaded here and exercised through appuser, in both builds.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
sandbox_enter "$@"

R=$(mkroot)
cat > "$R/tmp/mkdir.policy" <<'P'
# deny mkdir with EACCES, allow the rest
mkdir errno EACCES
mkdirat errno EACCES
P

# loaded ARGS...: the libraries ld.so loaded while `appuser ARGS` ran.
loaded() {
	local SANDBOX_ENV=(LD_DEBUG=files)
	inroot "$R" appuser "$@" 2>&1 >/dev/null |
		sed -n 's/.*file=\(lib[a-z0-9-]*\)\.so.*/\1/p' | sort -u | tr '\n' ' '
}

# (a sanitizer build adds its runtime: only these four are looked for)
OPT='libseccomp|libselinux|libcap-ng|libpcre2'
unlike "$(ldd "$APPUSER_BIN")" "$OPT" \
	"the dynamic build links none of libseccomp, libselinux, libcap-ng, libpcre2"
unlike "$(loaded exec -u nobody true)" "$OPT" "exec with the default profile loads none of them"
unlike "$(loaded exec -u nobody --seccomp strict true)" "$OPT" "exec with another built-in profile neither"
unlike "$(loaded status)" "$OPT" "status on a host without selinuxfs does not load libselinux"
like "$(loaded exec -u nobody --seccomp /tmp/mkdir.policy true)" "libseccomp" \
	"exec --seccomp FILE loads libseccomp"
like "$(loaded policy check /tmp/mkdir.policy)" "libseccomp" "policy check loads libseccomp"

for bin in "$APPUSER_BIN" "$APPUSER_STATIC"; do
	[ -x "$bin" ] || { tap_skip "$bin" "not built"; continue; }
	APPUSER_BIN=$bin install_appuser "$R"
	b=$(basename "$bin")
	out=$(inroot "$R" appuser exec -u nobody --seccomp /tmp/mkdir.policy mkdir /tmp/x 2>&1)
	like "$out" "Permission denied" "$b: the FILE compiled by libseccomp is enforced (mkdir EACCES)"
	check "$b: and allows the rest" inroot "$R" appuser exec -u nobody --seccomp /tmp/mkdir.policy true
	like "$(inroot "$R" appuser policy check /tmp/mkdir.policy)" "ok, 2 rules" \
		"$b: policy check compiles it"
	like "$(inroot "$R" appuser policy dump /tmp/mkdir.policy)" "# mkdir" \
		"$b: policy dump names its syscalls (libseccomp's table)"
	if [ -e /sys/fs/selinux/enforce ]; then
		tap_skip "$b: --selinux-context on a host without SELinux" "SELinux is on here"
	else
		# Asked for a context: libselinux is loaded and itself says no.
		out=$(inroot "$R" appuser exec -u nobody --selinux-context system_u:system_r:unconfined_t:s0 true 2>&1)
		is "$out" "appuser: exec: --selinux-context 'system_u:system_r:unconfined_t:s0': SELinux is not enabled" \
			"$b: --selinux-context asks libselinux, which says SELinux is off"
	fi
done
APPUSER_BIN=$APPUSER_BIN install_appuser "$R"
[ -e /sys/fs/selinux/enforce ] ||
	like "$(loaded exec -u nobody --selinux-context system_u:system_r:unconfined_t:s0 true)" "libselinux" \
		"--selinux-context loads libselinux"
done_testing
