#!/bin/bash
# Sandboxing the exec'd service (issue 5): the built-in seccomp profiles,
# custom policy files, kept capabilities, `appuser policy`, in throwaway
# roots.  The syscall probe (tests/probe/probe.c) tries every denied call
# with arguments the kernel would reject with something other than EPERM;
# a run without the filter, as root with every capability, proves that an
# EPERM under the filter came from the filter.
. "$(dirname "$0")/../../lib/tap.sh"
. "$(dirname "$0")/../../lib/sandbox.sh"
sandbox_enter "$@"

PROBE=${APPUSER_PROBE:-$(dirname "$APPUSER_BIN")/tests/appuser-probe}
if [ ! -x "$PROBE" ]; then
	tap_not_ok "the syscall probe $PROBE exists (make $(dirname "$APPUSER_BIN")/tests/appuser-probe)"
	done_testing; exit
fi
R=$(mkroot)
cp "$PROBE" "$R/opt/appuser/bin/appuser-probe"
STATIC=${APPUSER_STATIC:-}
if [ -x "$STATIC" ]; then
	cp "$STATIC" "$R/opt/appuser/bin/appuser-static"
fi
# Every capability our bounding set still has (a VM or container may lack
# some), except setpcap, which the ID switch always drops.
bnd=$((16#$(awk '$1 == "CapBnd:" { print $2 }' /proc/self/status)))
ALLCAPS=$(setpriv --list-caps | awk -v b="$bnd" '
	{ if (int(b / 2^(NR - 1)) % 2 && $1 != "setpcap") printf "%s%s", n++ ? "," : "", $1 }')
field() { awk -v k="$1:" '$1 == k { $1 = ""; sub(/^ /, ""); print }' <<<"$2"; }

# --- /proc/self/status of the child -------------------------------------
for bin in appuser appuser-static; do
	[ "$bin" = appuser-static ] && [ ! -x "$R/opt/appuser/bin/appuser-static" ] &&
		{ tap_skip "$bin: status fields" "no static build ($STATIC)"; continue; }
	st=$(inroot "$R" $bin exec -u nobody cat /proc/self/status)
	is "$(field Seccomp "$st")" 2 "$bin: default profile on without asking (Seccomp: 2)"
	is "$(field Seccomp_filters "$st")" 1 "$bin: one program, one seccomp(2) call"
	is "$(field NoNewPrivs "$st")" 1 "$bin: NoNewPrivs: 1"
	is "$(field CapEff "$st")/$(field CapBnd "$st")/$(field CapAmb "$st")" \
		"0000000000000000/0000000000000000/0000000000000000" "$bin: no capabilities left"
	st=$(inroot "$R" $bin exec -u nobody --cap net_bind_service cat /proc/self/status)
	is "$(field CapEff "$st") $(field CapAmb "$st") $(field CapBnd "$st")" \
		"0000000000000400 0000000000000400 0000000000000400" "$bin: --cap net_bind_service kept, as ambient"
	is "$(field Seccomp "$st")" 2 "$bin: kept caps and the filter together"
done
st=$(inroot "$R" appuser exec -u nobody --seccomp strict cat /proc/self/status)
is "$(field Seccomp "$st")" 2 "--seccomp strict: filtered"
st=$(inroot "$R" appuser exec -u nobody --seccomp none cat /proc/self/status)
is "$(field Seccomp "$st")" 0 "--seccomp none (root caller): no filter"
st=$(inroot "$R" appuser exec -u nobody --allow-new-privs cat /proc/self/status)
is "$(field Seccomp "$st") $(field NoNewPrivs "$st")" "2 0" \
	"--allow-new-privs: filter loaded before the switch, NoNewPrivs off"
printf 'seccomp = none\n' > "$R/etc/appuser.conf"
is "$(field Seccomp "$(inroot "$R" appuser exec -u nobody cat /proc/self/status)")" 0 \
	"config 'seccomp = none' is the default for a root caller"
printf 'seccomp = strict\n' > "$R/etc/appuser.conf"
is "$(inroot "$R" appuser exec -u nobody --seccomp default appuser-probe syscalls | grep '^chroot ')" \
	"chroot EFAULT" "--seccomp overrides the config's profile"
rm "$R/etc/appuser.conf"

# --- every denied call, with and without the filter ----------------------
declare -A base def strict none_nobody
load() {	# load ARRAY CMD...: "name result" lines into an associative array
	local -n arr=$1; shift
	local name res
	while read -r name res; do arr[$name]=$res; done < <("$@")
}
load base inroot "$R" appuser exec -u root --cap "$ALLCAPS" --seccomp none appuser-probe syscalls
load def inroot "$R" appuser exec -u root --cap "$ALLCAPS" appuser-probe syscalls
load strict inroot "$R" appuser exec -u root --cap "$ALLCAPS" --seccomp strict appuser-probe syscalls
is "${#base[@]}" "${#def[@]}" "the probe ran to the end under the default profile"

# denied NAME WANT PROFILE-ARRAY: WANT under the filter, something else without
denied() {
	local name=$1 want=$2 prof=$3
	local -n got=$prof
	if [ -z "${base[$name]:-}" ]; then
		tap_skip "$prof: $name" "not probed on this machine"
	elif [ "${base[$name]}" = "$want" ]; then
		tap_skip "$prof: $name denied" "already $want without a filter here (host sysctl)"
	else
		is "${got[$name]:-missing}" "$want" "$prof: $name -> $want (unfiltered: ${base[$name]})"
	fi
}
# allowed NAME PROFILE-ARRAY: the filter changes nothing
allowed() {
	local -n got=$2
	is "${got[$1]:-missing}" "${base[$1]:-missing}" "$2: $1 allowed (${base[$1]:-missing})"
}

DEFAULT_DENIED="unshare setns mount umount2 pivot_root move_mount open_tree fsopen fsconfig
	fsmount fspick mount_setattr clone:newns clone:newuser clone:newpid clone:newnet
	clone:newuts clone:newipc clone:newcgroup init_module finit_module delete_module
	kexec_load kexec_file_load reboot swapon swapoff acct quotactl syslog settimeofday
	clock_settime clock_adjtime adjtimex add_key request_key keyctl bpf perf_event_open
	userfaultfd io_uring_setup io_uring_enter io_uring_register ptrace process_vm_readv
	process_vm_writev process_madvise kcmp pidfd_getfd get_robust_list prlimit64:other open_by_handle_at mbind set_mempolicy migrate_pages
	move_pages personality:bsd personality:read_implies_exec personality:addr_no_randomize
	personality:high_bits_bsd ioctl:tiocsti ioctl:tiocsti_high_bits ioctl:tioclinux
	socket:vsock socket:vsock_high_bits socket:alg"
DEFAULT_ALLOWED="clone:plain prlimit64:self personality:linux32 personality:linux32_uname26 personality:query
	personality:high_bits_linux ioctl:tcgets socket:inet socket:unix socket:raw
	socket:raw_cloexec socket:packet chroot name_to_handle_at iopl ioperm"
STRICT_ONLY="chroot name_to_handle_at socket:raw socket:raw_cloexec socket:packet
	iopl ioperm modify_ldt"
for n in $DEFAULT_DENIED; do denied "$n" EPERM def; done
denied clone3 ENOSYS def
for n in $DEFAULT_ALLOWED; do allowed "$n" def; done
for n in $DEFAULT_DENIED $STRICT_ONLY; do denied "$n" EPERM strict; done
denied clone3 ENOSYS strict
for n in clone:plain personality:query ioctl:tcgets socket:inet socket:unix; do allowed "$n" strict; done

# The 32-bit ABIs: i386 through int 0x80, x32 through bit 30.
if [ "${base[i386]:-}" = unsupported ]; then
	tap_skip "i386 syscalls" "this kernel runs without IA-32 emulation"
else
	for n in i386:unshare i386:mount i386:ioctl:tiocsti i386:personality:bsd \
		 i386:socket:vsock i386:socketcall:socket i386:stime; do
		denied "$n" EPERM def
	done
	denied i386:clone3 ENOSYS def
	allowed i386:getppid def
	denied i386:ptrace EPERM def
	denied i386:ptrace EPERM strict
	denied i386:vm86old EPERM strict
fi
denied x32:unshare EPERM def
denied x32:ioctl:tiocsti EPERM def
allowed x32:getppid def

# As an ordinary user, with no capability to fall back on.
load none_nobody inroot "$R" appuser exec -u nobody appuser-probe syscalls
for n in unshare clone:newuser ioctl:tiocsti_high_bits socket:vsock personality:read_implies_exec; do
	is "${none_nobody[$n]:-missing}" EPERM "nobody, default: $n -> EPERM"
done
is "${none_nobody[clone3]:-missing}" ENOSYS "nobody, default: clone3 -> ENOSYS"

# --- everyday work still runs ------------------------------------------
for prof in default strict; do
	out=$(inroot "$R" appuser exec -u nobody --seccomp $prof appuser-probe everyday 2>&1); rc=$?
	is "$rc" 0 "$prof: threads, fork, exec, posix_spawn, files, sockets all work"
	[ "$rc" = 0 ] || tap_diag "$out"
done
is "$(inroot "$R" appuser exec -u nobody sh -c 'echo a | sed s/a/b/ | cat')" "b" \
	"default: a shell pipeline runs"

# --- TIOCSTI into the caller's terminal -----------------------------------
# The probe's pty mode is the caller: it owns a terminal, runs the command
# as its session, then reads back what was left in the terminal's input.
out=$(inroot "$R" appuser-probe pty appuser exec -u root --cap sys_admin --seccomp none \
	appuser-probe tiocsti 2>&1)
like "$out" "tiocsti ok" "without a filter TIOCSTI works here (the test can see an injection)"
like "$out" "pty-input 3 \[id\.\]" "without a filter the injected 'id\\n' reaches the caller"
for who in "-u nobody" "-u root --cap sys_admin"; do
	for hb in "" high; do
		out=$(inroot "$R" appuser-probe pty appuser exec $who appuser-probe tiocsti $hb 2>&1)
		like "$out" "tiocsti(_high_bits)? EPERM" "default ($who) TIOCSTI ${hb:+with high bits }denied"
		like "$out" "pty-input 0 \[\]" "default ($who): nothing reaches the caller's terminal"
	done
done

# --- port 80 in a private network namespace ------------------------------
innet() { unshare --net chroot "$R" /usr/bin/env -i PATH="$ROOT_PATH" HOME=/ "$@"; }
is "$(innet appuser exec -u nobody --cap net_bind_service appuser-probe bind 80)" "bind ok" \
	"--cap net_bind_service: non-root binds port 80"
is "$(innet appuser exec -u nobody appuser-probe bind 80)" "bind EACCES" \
	"without --cap: bind to port 80 fails with EACCES"
is "$(innet appuser exec -u nobody appuser-probe bind 8080)" "bind ok" \
	"without --cap: port 8080 is fine"

# Capabilities that cannot be kept are refused up front, by name.
out=$(inroot "$R" appuser exec -u nobody --cap setpcap true 2>&1); rc=$?
is "$rc:$out" "125:appuser: exec: --cap: capability setpcap cannot be kept: the ID switch drops it" \
	"--cap setpcap: refused before the switch, with the reason"
out=$(setpriv --bounding-set -sys_time chroot "$R" /usr/bin/env -i PATH="$ROOT_PATH" \
	appuser exec -u nobody --cap sys_time true 2>&1); rc=$?
is "$rc" 125 "--cap of a capability the bounding set lacks: refused (125)"
like "$out" "capability sys_time is not in the bounding set" "the message names it"

# --- custom policy files (root mode) -------------------------------------
cat > "$R/tmp/custom.policy" <<'EOF'
# my service: the default profile, and no mkdir
@include <default>
mkdir errno EROFS
mkdirat errno EROFS
EOF
out=$(inroot "$R" appuser exec -u nobody --seccomp /tmp/custom.policy mkdir /tmp/x 2>&1)
like "$out" "Read-only file system" "--seccomp FILE: its rule applies (mkdir -> EROFS)"
is "$(inroot "$R" appuser exec -u nobody --seccomp /tmp/custom.policy appuser-probe syscalls |
	grep '^unshare ')" "unshare EPERM" "--seccomp FILE: @include <default> keeps the default rules"
printf 'getppid kill\n' > "$R/tmp/kill.policy"
status_is 159 "--seccomp FILE: a 'kill' rule kills with SIGSYS" \
	inroot "$R" appuser exec -u nobody --seccomp /tmp/kill.policy appuser-probe bench-getppid 1
if [ -x "$R/opt/appuser/bin/appuser-static" ]; then
	out=$(inroot "$R" appuser-static exec -u nobody --seccomp /tmp/custom.policy mkdir /tmp/y 2>&1)
	like "$out" "Read-only file system" "static build: --seccomp FILE compiles at run time"
fi
printf 'mount\nioctl arg1 ==\n' > "$R/tmp/bad.policy"
out=$(inroot "$R" appuser exec -u nobody --seccomp /tmp/bad.policy true 2>&1); rc=$?
is "$rc" 125 "a bad FILE is refused (125) before anything runs"
is "$out" "appuser: exec: /tmp/bad.policy:2:14: expected a value, not the end of the line" \
	"the message names FILE:LINE:COLUMN"
printf 'frobnicate\n' > "$R/tmp/unknown.policy"
out=$(inroot "$R" appuser exec -u nobody --seccomp /tmp/unknown.policy true 2>&1)
like "$out" "/tmp/unknown.policy:1:1: unknown syscall 'frobnicate'" "unknown syscall names are errors"
printf '?frobnicate\nmount\n' > "$R/tmp/optional.policy"
status_is 0 "an optional unknown syscall is skipped" \
	inroot "$R" appuser exec -u nobody --seccomp /tmp/optional.policy true
out=$(inroot "$R" appuser exec -u nobody --seccomp /tmp/missing.policy true 2>&1); rc=$?
is "$rc" 125 "a missing FILE is refused (125)"
like "$out" "cannot open /tmp/missing.policy" "the message says why"
out=$(inroot "$R" appuser exec -u nobody --seccomp bogus true 2>&1); rc=$?
is "$rc" 125 "an unknown profile name is refused (125)"
like "$out" "unknown seccomp profile 'bogus'" "the message names it"

# --- setuid mode: built-in profiles only, never none ---------------------
inroot "$R" sh -c 'echo "application:x:1000:1000::/:/bin/sh" >> /etc/passwd
	echo "application:x:1000:" >> /etc/group'
conf() { printf '%s\n' "$@" > "$R/etc/appuser.conf"; chmod 0644 "$R/etc/appuser.conf"; }
install_appuser "$R" 4755
conf "allow_setuid = yes" "user = application"
st=$(asuser "$R" 1000 1000 appuser exec --seccomp strict cat /proc/self/status)
is "$(field Seccomp "$st")" 2 "setuid: --seccomp strict loads"
conf "allow_setuid = yes" "user = application" "seccomp = none"
status_is 125 "setuid: config 'seccomp = none' refused" asuser "$R" 1000 1000 appuser exec true
install_appuser "$R" 0755
rm -f "$R/etc/appuser.conf"

# --- appuser policy ------------------------------------------------------
out=$(asuser "$R" 65534 65534 appuser policy list)
like "$out" "^default +[0-9]+ insns" "policy list: default"
like "$out" $'\nstrict +[0-9]+ insns' "policy list: strict"
like "$out" $'\nnone ' "policy list: none"
like "$(inroot "$R" appuser policy show strict)" "@include <default>" "policy show: the source"
out=$(inroot "$R" appuser policy dump default)
like "$out" "ioctl arg1 == 0x5412 errno EPERM" "policy dump: the rules"
like "$out" "jeq  #0xc000003e .*# x86_64" "policy dump: the architecture check"
like "$out" "ret  KILL_PROCESS" "policy dump: other architectures are killed"
like "$out" "# i386" "policy dump: the i386 branch"
like "$out" "ret  ERRNO\(ENOSYS\)" "policy dump: clone3's ENOSYS"
like "$(inroot "$R" appuser policy dump /tmp/custom.policy)" "mkdir errno EROFS" \
	"policy dump FILE: compiled on the spot"
like "$(inroot "$R" appuser policy check /tmp/custom.policy)" \
	"^/tmp/custom.policy: ok, [0-9]+ rules, [0-9]+ instructions$" "policy check: ok"
out=$(inroot "$R" appuser policy check /tmp/bad.policy 2>&1); rc=$?
is "$rc" 125 "policy check: a bad file fails (125)"
is "$out" "appuser: policy: /tmp/bad.policy:2:14: expected a value, not the end of the line" \
	"policy check: FILE:LINE:COLUMN"
status_is 125 "policy: unknown subcommand" inroot "$R" appuser policy frob
status_is 125 "policy show: unknown profile" inroot "$R" appuser policy show nosuch

done_testing
