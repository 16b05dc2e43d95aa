#!/bin/bash
# Service isolation (issue 11 §1): a service started by `appuser exec`
# must not reach into the processes around it that run as the same uid —
# the container's PID 1 (supervisord started with --user), the process
# that ran `appuser exec` (a shell, supervisord), or a sibling service.
# /proc/PID/mem needs no ptrace(2) call, so seccomp cannot see it; each
# service gets its own Landlock domain instead.
#
# The layout is the kit's `--user` container: a new pid namespace whose
# PID 1 runs as the application user (uid 1000) with neither NoNewPrivs
# nor a filter, appuser setuid root, every service uid 1000 as well.  Each
# victim is appuser-reach (tests/probe/reach.c) holding a marker string;
# the attacker writes "pwned" over it through /proc/PID/mem.
. "$(dirname "$0")/../../lib/tap.sh"
. "$(dirname "$0")/../../lib/sandbox.sh"
sandbox_enter "$@"

BIN=$(dirname "$APPUSER_BIN")/tests
for h in appuser-reach appuser-probe appuser-landlock; do
	if [ ! -x "$BIN/$h" ]; then
		tap_not_ok "the test helper $BIN/$h exists (make $BIN/$h)"
		done_testing; exit
	fi
done

CONF='allow_setuid = yes
user = application
uid_range = 1000-60000'

# kit_root MODE — a root with appuser installed MODE (4755: setuid, 0755:
# plain), the application user at 1000 and the helpers; gdb and strace
# come with the bound /usr.
kit_root() {
	local r
	r=$(mkroot "$TESTS/fixtures/webdevops")
	install_appuser "$r" "$1"
	for h in appuser-reach appuser-probe appuser-landlock; do cp "$BIN/$h" "$r/opt/appuser/bin/"; done
	printf '%s\n' "$CONF" >"$r/etc/appuser.conf"
	chown 0:0 "$r/etc/appuser.conf"; chmod 0644 "$r/etc/appuser.conf"
	mkdir -p "$r/home/application"; chown 1000:1000 "$r/home/application"
	pid1_script >"$r/opt/appuser/bin/pid1.sh"
	echo "$r"
}

# What PID 1 runs: pid1.sh SCENARIO LAUNCHER...  A sibling service
# blocked on a FIFO, then SCENARIO as a service whose parent is a victim.
# LAUNCHER starts a service: "appuser exec [OPTION...] --", or
# "appuser-landlock ABI" for the domain of an older kernel.
pid1_script() {
	cat <<'SH'
set -u
what=$1; shift
EXEC="$*"
T=/tmp/iso
wait_for() { i=0; while [ ! -e "$1" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done; }
sib() { cut -d' ' -f1 $T/sib.info; }

mkfifo $T/sib.in
$EXEC appuser-reach victim $T/sib.info <$T/sib.in &
exec 3>$T/sib.in
wait_for $T/sib.info

case $what in
mem)
	appuser-reach victim $T/parent.info $EXEC \
		appuser-reach mem pid1=$T/pid1.info parent=$T/parent.info sibling=$T/sib.info
	# Control: the same write by an unconfined process of the same uid.
	appuser-reach victim $T/ctl.info appuser-reach mem control=$T/ctl.info ;;
gdb)
	appuser-reach victim $T/parent.info $EXEC sh -c '
		echo "gdb parent: $(gdb -nx -batch -p $PPID -ex "info proc" 2>&1 | tr "\n" " ")"
		echo "gdb pid1: $(gdb -nx -batch -p 1 -ex "info proc" 2>&1 | tr "\n" " ")"
		echo "strace sibling: $(timeout 5 strace -o /dev/null -p $(cut -d" " -f1 /tmp/iso/sib.info) 2>&1 | tr "\n" " ")"' ;;
scopes)
	appuser-reach abstract-listen appuser-iso-pid1 $T/listen.ready &
	wait_for $T/listen.ready
	appuser-reach victim $T/parent.info $EXEC sh -c '
		appuser-reach kill pid1=1 parent=$PPID sibling=$(cut -d" " -f1 /tmp/iso/sib.info)
		appuser-reach abstract-connect appuser-iso-pid1'
	appuser-reach abstract-connect appuser-iso-pid1 >/dev/null	# let the listener go
	appuser-reach kill inbound=$(sib) ;;
limits)	# RLIMIT_CPU 0 SIGKILLs a process, RLIMIT_FSIZE 0 gets it SIGXFSZ: a signal
	# by other means.  The probe sets "unlimited", which it already is.
	appuser-reach victim $T/parent.info $EXEC sh -c '
		appuser-reach prlimit pid1=1 parent=$PPID sibling=$(cut -d" " -f1 /tmp/iso/sib.info)
		appuser-reach prlimit self=0 own=$$'
	appuser-reach prlimit control=$(sib) ;;
self)
	appuser-reach victim $T/parent.info $EXEC sh -c '
		appuser-reach self
		appuser-probe everyday >/tmp/iso/everyday.out 2>&1; echo "everyday rc=$?"
		cat /tmp/iso/everyday.out' | cat ;;	# stdout: a pipe of uid 1000's
files)	# fd 5: a file outside the root; fd 6: a folder outside it, with a/f and b/
	$EXEC sh -c '
		t() { if eval "$2" 2>/dev/null; then echo "files $1 ok"; else echo "files $1 FAIL"; fi; }
		cd /tmp/iso && mkdir a b && echo x >a/f
		t rename "mv a/f b/f"
		t link "ln b/f a/g"
		t rename_dir "mv a b/a"
		t outside_reopen_read "cat /proc/self/fd/5 >/dev/null"
		t outside_reopen_write "echo y >>/proc/self/fd/5"
		t outside_same_dir_link "ln /proc/self/fd/6/a/f /proc/self/fd/6/a/g"
		t outside_cross_dir_link "ln /proc/self/fd/6/a/f /proc/self/fd/6/b/f"' ;;
esac
exec 3>&-
wait
SH
}

# pid1 ROOT SCENARIO [ARGS...] — a new pid namespace whose PID 1 is a
# victim running as uid 1000, unconfined, which runs pid1.sh SCENARIO.
pid1() {
	local r=$1; shift
	rm -rf "$r/tmp/iso"; mkdir -m 0777 "$r/tmp/iso"
	unshare --pid --fork --mount-proc="$r/proc" chroot "$r" /usr/bin/setpriv --reuid=1000 \
		--regid=1000 --clear-groups /usr/bin/env -i PATH="$ROOT_PATH" HOME=/home/application \
		appuser-reach victim /tmp/iso/pid1.info /bin/sh /opt/appuser/bin/pid1.sh "$@" 2>&1
}

# on OUT PREFIX — the lines of OUT starting with PREFIX, sorted, one line.
on() { grep -E "^$2" <<<"$1" | sort | tr '\n' ';'; }

for t in gdb strace; do
	command -v $t >/dev/null || { tap_not_ok "$t is installed (tests/deps check)"; done_testing; exit; }
done
landlock_abi=$(inroot "$(kit_root 0755)" appuser-landlock probe 2>/dev/null)
[ -n "$landlock_abi" ] || landlock_abi=0

for mode in 4755 0755; do
	R=$(kit_root $mode)
	what=$([ $mode = 4755 ] && echo "setuid" || echo "plain")
	if [ "$landlock_abi" -lt 2 ]; then
		tap_skip "$what: isolation" "no usable Landlock here (ABI $landlock_abi)"
		continue
	fi

	# --- /proc/PID/mem of PID 1, the parent and a sibling service ----------
	out=$(pid1 "$R" mem appuser exec --)
	is "$(on "$out" 'mem (pid1|parent|sibling) ')" "mem parent open EACCES;mem pid1 open EACCES;mem sibling open EACCES;" \
		"$what: a service cannot open /proc/PID/mem of PID 1, its parent or a sibling service"
	is "$(on "$out" 'victim /tmp/iso/(pid1|parent|sib)')" \
		"victim /tmp/iso/parent.info marker: intact;victim /tmp/iso/pid1.info marker: intact;victim /tmp/iso/sib.info marker: intact;" \
		"$what: all three victims' memory is untouched"
	like "$out" "mem control ok" "$what: (control) the same write by an unconfined same-uid process works"
	like "$out" "ctl.info marker: pwned" "$what: (control) …and changes the victim's memory"

	# --- the same with seccomp off: Landlock alone (unprivileged mode) -------
	if [ $mode = 0755 ]; then
		out=$(pid1 "$R" mem appuser exec --seccomp none --)
		is "$(on "$out" 'mem (pid1|parent|sibling) ')" "mem parent open EACCES;mem pid1 open EACCES;mem sibling open EACCES;" \
			"$what, --seccomp none: Landlock alone stops the /proc/PID/mem writes"
	fi

	# --- debuggers ------------------------------------------------------------
	for sc in "" "--seccomp none"; do
		[ -n "$sc" ] && [ $mode = 4755 ] && continue	# refused in setuid mode
		out=$(pid1 "$R" gdb appuser exec $sc --)
		like "$out" "gdb parent: .*ptrace: Operation not permitted" "$what${sc:+ ($sc)}: gdb -p PARENT fails"
		unlike "$out" "gdb parent: .*cmdline = " "$what${sc:+ ($sc)}: …and never attached to the parent"
		like "$out" "gdb pid1: .*ptrace: Operation not permitted" "$what${sc:+ ($sc)}: gdb -p 1 fails"
		like "$out" "strace sibling: .*Operation not permitted" "$what${sc:+ ($sc)}: strace -p SIBLING fails"
		unlike "$out" "strace sibling: .*attached" "$what${sc:+ ($sc)}: …strace never attached"
	done

	# --- signals and abstract unix sockets (Landlock ABI 6 scopes) -------------
	out=$(pid1 "$R" scopes appuser exec --)
	if [ "$landlock_abi" -ge 6 ]; then
		is "$(on "$out" 'kill (pid1|parent|sibling) ')" "kill parent EPERM;kill pid1 EPERM;kill sibling EPERM;" \
			"$what: a service cannot signal PID 1, its parent or a sibling (scoped signals)"
		like "$out" "abstract-connect (EPERM|ECONNREFUSED)" \
			"$what: a service cannot connect to PID 1's abstract unix socket"
		like "$out" "kill inbound ok" "$what: the parent can still signal the service"
	else
		tap_skip "$what: scoped signals and abstract sockets" "Landlock ABI $landlock_abi < 6"
	fi

	# --- resource limits: a kill that is no signal (review round 2) -------------
	out=$(pid1 "$R" limits appuser exec --)
	is "$(on "$out" 'prlimit (pid1|parent|sibling) ')" "prlimit parent EPERM;prlimit pid1 EPERM;prlimit sibling EPERM;" \
		"$what: a service cannot set the resource limits of PID 1, its parent or a sibling (RLIMIT_CPU 0 would kill them)"
	like "$out" "prlimit self ok" "$what: …its own, as setrlimit() asks (pid 0), still work"
	like "$out" "prlimit control ok" "$what: (control) an unconfined same-uid process can set them"

	# --- what a service does to itself still works -----------------------------
	out=$(pid1 "$R" self appuser exec --)
	is "$(grep -c '^self .* ok$' <<<"$out")/$(grep -c '^self ' <<<"$out")" 9/9 \
		"$what: the service reads its own /proc/self/*, reopens its pipes and a memfd, writes a child's memory"
	[ "$(grep -c '^self .* ok$' <<<"$out")" = 9 ] || tap_diag "$out"
	like "$out" "everyday rc=0" "$what: the everyday-work probe passes inside the domain"
	[[ $out =~ "everyday rc=0" ]] || tap_diag "$out"
done

# --- root mode: supervisord as root, every service as uid 1000 ----------------
# The parent is root's (DAC already stops a uid-1000 service), but sibling
# services share the uid; --allow-new-privs makes the domain before the switch.
R=$(kit_root 4755)
if [ "$landlock_abi" -ge 2 ]; then
	rm -rf "$R/tmp/iso"; mkdir -m 0777 "$R/tmp/iso"; mkfifo -m 0666 "$R/tmp/iso/in"
	inroot "$R" appuser exec -- appuser-reach victim /tmp/iso/sib.info <"$R/tmp/iso/in" >"$R/tmp/iso/sib.out" &
	exec 3>"$R/tmp/iso/in"
	for i in $(seq 1 600); do [ -e "$R/tmp/iso/sib.info" ] && break; sleep 0.05; done
	for anp in "" --allow-new-privs; do
		is "$(inroot "$R" appuser exec $anp -- appuser-reach mem sibling=/tmp/iso/sib.info)" \
			"mem sibling open EACCES" "root mode${anp:+ $anp}: a service cannot write a sibling service's memory"
	done
	exec 3>&-; wait
	is "$(cat "$R/tmp/iso/sib.out")" "victim /tmp/iso/sib.info marker: intact" "root mode: the sibling is untouched"
fi

# --- without Landlock: fall back quietly; a failure after the probe is fatal -----
R=$(kit_root 0755)
ll_inject() { inroot "$R" strace -f -qq -o /dev/null -e inject="$1" appuser exec -u nobody "${@:2}"; }
for e in ENOSYS EOPNOTSUPP EPERM; do
	is "$(ll_inject landlock_create_ruleset:error=$e echo ran 2>&1)" "ran" \
		"no Landlock ($e from the probe): exec runs the service without a domain, silently"
done
if [ "$landlock_abi" -ge 2 ]; then
	out=$(ll_inject landlock_restrict_self:error=EPERM echo ran 2>&1); rc=$?
	is "$rc" 125 "Landlock present but the domain cannot be made: exec fails closed (125)"
	like "$out" "cannot put the service in a Landlock domain" "…and says so"
	unlike "$out" "ran" "…and runs nothing"
fi

# --- files: the domain takes no file access away -----------------------------
# fd 5 is a file and fd 6 a folder outside the root (what a descriptor
# from outside a chroot or another mount namespace looks like).
files_expect() {	# ABI
	local cross=ok; [ "$1" -lt 6 ] && cross=FAIL
	echo "files link ok;files outside_cross_dir_link $cross;files outside_reopen_read ok;files outside_reopen_write ok;files outside_same_dir_link ok;files rename ok;files rename_dir ok;"
}
outside=$(mktemp -d /tmp/appuser-outside.XXXXXX)
run_files() {	# ROOT LAUNCHER...
	local r=$1; shift
	rm -rf "${outside:?}"/*; mkdir "$outside/a" "$outside/b"; echo x >"$outside/a/f"
	echo data >"$outside/file"; chown -R 1000:1000 "$outside"
	pid1 "$r" files "$@" 5<>"$outside/file" 6<"$outside"
}
R=$(kit_root 0755)
if [ "$landlock_abi" -ge 2 ]; then
	out=$(run_files "$R" appuser exec --)
	is "$(on "$out" 'files ')" "$(files_expect "$landlock_abi")" \
		"ABI $landlock_abi: renames, links and files outside the root work as without a domain"
fi

# --- the domain of older kernels: ABI 2-5 handle REFER, granted beneath / ------
# appuser-landlock runs exec/landlock.c as it runs on such a kernel.
for abi in 1 2 3 4 5; do
	if [ "$landlock_abi" -lt "$abi" ]; then
		tap_skip "ABI $abi domain" "the kernel has ABI $landlock_abi"; continue
	fi
	if [ "$abi" = 1 ]; then
		out=$(inroot "$R" appuser-landlock 1 true 2>&1); rc=$?
		is "$rc" 125 "ABI 1: no domain is made (it would refuse every cross-directory rename)"
		continue
	fi
	out=$(pid1 "$R" mem appuser-landlock $abi)
	is "$(on "$out" 'mem (pid1|parent|sibling) ')" "mem parent open EACCES;mem pid1 open EACCES;mem sibling open EACCES;" \
		"ABI $abi domain: no /proc/PID/mem of PID 1, the parent or a sibling"
	out=$(pid1 "$R" self appuser-landlock $abi)
	is "$(grep -c '^self .* ok$' <<<"$out")" 9 "ABI $abi domain: the service's own /proc/self, pipes, memfd, children"
	like "$out" "everyday rc=0" "ABI $abi domain: the everyday-work probe passes"
	out=$(run_files "$R" appuser-landlock $abi)
	is "$(on "$out" 'files ')" "$(files_expect $abi)" \
		"ABI $abi domain: renames and links under / work; outside the root only a cross-folder link is refused"
done
rm -rf "${outside:?}"

done_testing
