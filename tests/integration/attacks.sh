#!/bin/bash
# Red-team regression suite: attacks on a setuid-root appuser (and on root-
# mode fix/exec over a hostile tree) that are DEFEATED today.  Each test
# shows the attacker gained nothing: IDs, capabilities, owners, /etc bytes
# compared before and after.  Throwaway roots only (sandbox.sh).
#
# Threat model: appuser 4755 root, /etc/appuser.conf root 0644 with
# allow_setuid = yes; the attacker is uid 1001 ("mallory") and controls env,
# argv, fds, rlimits, signals, its terminal, /tmp and the volume /app.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
. "$(dirname "$0")/../lib/setup.sh"
sandbox_enter "$@"

PROBE=${APPUSER_PROBE:-$(dirname "$APPUSER_BIN")/tests/appuser-probe}
STATIC=${APPUSER_STATIC:-$(dirname "$APPUSER_BIN")/appuser-static}
CONF='allow_setuid = yes
user = application
paths = /app
uid_range = 1000-60000
allow_caps = net_bind_service'
SECRET='$6$REDTEAMSECRETHASH$x'

# A root with the setuid binary (and the static one as appuser-static), the
# application user at 1000, mallory at 1001, a secret in /etc/shadow.
suid_root() {
	local r
	r=$(mkroot "$TESTS/fixtures/webdevops")
	install_appuser "$r" 4755
	if [ -x "$STATIC" ]; then
		cp "$STATIC" "$r/opt/appuser/bin/appuser-static"
		chown 0:0 "$r/opt/appuser/bin/appuser-static"; chmod 4755 "$r/opt/appuser/bin/appuser-static"
	fi
	[ -x "$PROBE" ] && cp "$PROBE" "$r/opt/appuser/bin/appuser-probe"
	printf '%s\n' "${1:-$CONF}" >"$r/etc/appuser.conf"
	chown 0:0 "$r/etc/appuser.conf"; chmod 0644 "$r/etc/appuser.conf"
	echo "mallory:x:1001:1001::/home/mallory:/bin/sh" >>"$r/etc/passwd"
	echo "mallory:x:1001:" >>"$r/etc/group"
	echo "mallory:$SECRET:19000:0:99999:7:::" >>"$r/etc/shadow"
	mkdir -p "$r/app" "$r/home/application" "$r/home/mallory"
	chown 1001:1001 "$r/app" "$r/home/mallory"; chown 1000:1000 "$r/home/application"
	echo "$r"
}
M() { asuser "$R" 1001 1001 "$@"; }	# mallory
field() { awk -v k="$1:" '$1 == k { $1 = ""; sub(/^ /, ""); print }' <<<"$2"; }
# own ROOT PATH... — lstat owners, to compare before/after
own() { local r=$1; shift; (cd "$r" && stat -c '%u:%g %a %n' "$@" 2>&1); }

R=$(suid_root)
sum0=$(etc_sum "$R")

# --- 1. exec: user-spec spellings that would wrap to 0 or name others --------
bad=""
for spec in -1 4294967295 4294967296 18446744073709551616 +0 ' 0' 0x0 00 000000001000x \
	    '1000 ' 'application:0' 'application:+0' ':00' 'mallory:application' \
	    ':application' '1001:1000' '1000:1001' "$(printf 'application\nroot')" \
	    'application:root' 'root:application'; do
	out=$(M appuser exec -u "$spec" id -u 2>&1); rc=$?
	[ "$rc" = 125 ] || bad+="[$spec] rc=$rc out=$out; "
done
is "$bad" "" "exec -u: wrap-around, padded, signed, hex and mixed specs are all refused (125)"
out=$(M bash -c 'exec -a gosu appuser root id -u' 2>&1); rc=$?
is "$rc" 125 "argv[0]=gosu (exec -a) gives the gosu form the same rules: 'gosu root' refused"
out=$(M bash -c 'exec -a su-exec appuser 0:0 id -u' 2>&1); rc=$?
is "$rc" 125 "argv[0]=su-exec: '0:0' refused"

# --- 2. exec: what the service ends up with --------------------------------
st=$(M appuser exec cat /proc/self/status 2>/dev/null)
is "$(field Uid "$st")|$(field Gid "$st")|$(field Groups "$st")" "1000 1000 1000 1000|1000 1000 1000 1000|1000" \
	"exec as the application user: all uids, gids and groups switched, nothing of mallory's or root's"
is "$(field CapInh "$st")/$(field CapPrm "$st")/$(field CapEff "$st")/$(field CapBnd "$st")/$(field CapAmb "$st")" \
	"0000000000000000/0000000000000000/0000000000000000/0000000000000000/0000000000000000" \
	"exec: no capability in any set, bounding set empty"
is "$(field NoNewPrivs "$st") $(field Seccomp "$st")" "1 2" "exec: NoNewPrivs and a seccomp filter"
st=$(M appuser exec -u mallory --cap net_bind_service cat /proc/self/status 2>/dev/null)
is "$(field CapEff "$st") $(field CapBnd "$st") $(field CapAmb "$st")" \
	"0000000000000400 0000000000000400 0000000000000400" "exec as self with an allowed cap: exactly that cap"
status_is 125 "exec --cap NET_BIND_SERVICE,cap_net_raw (case/prefix games) refused" \
	M appuser exec --cap NET_BIND_SERVICE,cap_net_raw id
status_is 125 "exec --cap all refused" M appuser exec --cap all id
status_is 125 "exec --cap 'net_bind_service,' refused" M appuser exec --cap 'net_bind_service,' id
out=$(M appuser exec -- sh -c 'unshare -U -r id -u 2>&1; echo rc=$?' 2>/dev/null)
like "$out" "rc=[1-9]" "the service cannot create a user namespace (seccomp)"

# Tiny rlimits must fail closed, never leave a half-switched process.
for lim in "-n 4" "-n 8" "-v 20000" "-s 64" "-u 1"; do
	out=$(M sh -c "ulimit $lim 2>/dev/null; exec appuser exec id -u" 2>/dev/null); rc=$?
	if { [ "$rc" = 0 ] && [ "$out" = 1000 ]; } || { [ "$rc" -ge 125 ] && [ -z "$out" ]; }; then
		tap_ok "ulimit $lim: exec either works as 1000 or fails (rc $rc), never anything else"
	else
		tap_not_ok "ulimit $lim: exec gave rc $rc, output '$out'"
	fi
done

# Static build, setuid: the loader is gone, the environment must stay inert too.
if [ -x "$R/opt/appuser/bin/appuser-static" ]; then
	cat >"$R/tmp/evil.c" <<'C'
#include <fcntl.h>
#include <unistd.h>
__attribute__((constructor)) static void evil(void)
{ if (geteuid() == 0) close(open("/tmp/pwned", O_CREAT | O_WRONLY, 0644)); }
C
	mkdir -p "$R/tmp/gconv"
	cc -shared -fPIC -o "$R/tmp/evil.so" "$R/tmp/evil.c" 2>/dev/null && cp "$R/tmp/evil.so" "$R/tmp/gconv/EVIL.so"
	printf 'module INTERNAL EVIL// EVIL 1\nmodule EVIL// INTERNAL EVIL 1\n' >"$R/tmp/gconv/gconv-modules"
	bad=""
	for var in LD_PRELOAD=/tmp/evil.so GCONV_PATH=/tmp/gconv LOCPATH=/tmp \
		   GLIBC_TUNABLES=glibc.malloc.check=3 MALLOC_CHECK_=3 TZ=/etc/shadow LANG=EVIL; do
		SANDBOX_ENV=("$var" "CHARSET=EVIL")
		out=$(M appuser-static exec id -u 2>/dev/null)
		SANDBOX_ENV=()
		[ "$out" = 1000 ] || bad+="[$var] $out; "
		[ -e "$R/tmp/pwned" ] && bad+="[$var] code ran as root; " && rm -f "$R/tmp/pwned"
	done
	is "$bad" "" "static setuid build: LD_PRELOAD, GCONV_PATH, LOCPATH, tunables, TZ change nothing"
else
	tap_skip "static setuid build" "no $STATIC"
fi

# --- 3. the service injecting into mallory's terminal (TIOCSTI) -------------
if [ -x "$R/opt/appuser/bin/appuser-probe" ]; then
	for bin in appuser appuser-static; do
		[ -x "$R/opt/appuser/bin/$bin" ] || { tap_skip "$bin TIOCSTI" "not built"; continue; }
		for hb in "" high; do
			out=$(M appuser-probe pty $bin exec appuser-probe tiocsti $hb 2>&1)
			if [[ $out == *"tiocsti"*EPERM* ]] && [[ $out == *"pty-input 0 []"* ]]; then
				tap_ok "$bin: the application user's service cannot TIOCSTI${hb:+ (high bits)} into mallory's tty"
			else
				tap_not_ok "$bin: TIOCSTI${hb:+ (high bits)} reached the caller's tty"; tap_diag "$out"
			fi
		done
	done
else
	tap_skip "TIOCSTI" "no probe $PROBE"
fi

# --- 4. status / policy / dry-run never show what root can read ------------
out=$( { M appuser policy dump /etc/shadow; M appuser policy check /etc/shadow;
	 M appuser policy dump /etc/gshadow; M appuser status; M appuser status --json;
	 M appuser status --root /etc; M appuser setup --dry-run; } 2>&1)
unlike "$out" "REDTEAMSECRETHASH" "policy dump/check, status and setup --dry-run never quote /etc/shadow"
like "$(M appuser policy check /etc/shadow 2>&1)" "Permission denied" "policy check reads its file as the caller"

# --- 5. setup: environment that names other IDs, folders or groups ----------
refused_setup() {	# DESC NAME=VALUE...
	local desc=$1 st rc out; shift
	st=$(etc_state "$R")
	out=$(M /usr/bin/env "$@" appuser setup 2>&1); rc=$?
	if [ "$rc" = 125 ] && [ "$(etc_state "$R")" = "$st" ] && [ ! -e "$R/run/appuser/setup.done" ] &&
	   [ -z "$(leftovers "$R")" ]; then tap_ok "setup refused: $desc"
	else tap_not_ok "setup refused: $desc"; tap_diag "rc=$rc" "$out"; fi
}
refused_setup "APPLICATION_UID=0" APPLICATION_UID=0
refused_setup "PUID=4294967296 (wraps to 0)" PUID=4294967296
refused_setup "APPLICATION_UID=1000 (not mine)" APPLICATION_UID=1000
refused_setup "PUID=1001 but APPLICATION_UID=1002" PUID=1001 APPLICATION_UID=1002
refused_setup "APPLICATION_GID=42 (shadow)" APPLICATION_GID=42
refused_setup "APPLICATION_UID set twice in the environment" APPLICATION_UID=1001 APPLICATION_UID=1000
refused_setup "APPLICATION_USER=root" APPLICATION_USER=root
refused_setup "APPLICATION_USER=daemon" APPLICATION_USER=daemon
refused_setup "APPLICATION_USER with ':' (field injection)" 'APPLICATION_USER=application:x:0:0::/root:/bin/sh'
refused_setup "APPLICATION_GROUP=shadow" APPLICATION_GROUP=shadow
refused_setup "APPLICATION_GROUPS=shadow" APPLICATION_GROUPS=shadow
refused_setup "APPLICATION_GROUPS=/etc/shadow" APPLICATION_GROUPS=/etc/shadow
refused_setup "APPLICATION_HOME=/etc/cron.d" APPLICATION_HOME=/etc/cron.d
refused_setup "APPLICATION_HOME=/home/x (not the config's)" APPLICATION_HOME=/home/x
refused_setup "APPLICATION_HOME with a newline" "APPLICATION_HOME=/home/a
b"
refused_setup "APPLICATION_PATH=/etc" APPLICATION_PATH=/etc
refused_setup "APPLICATION_PATH=/app/../etc" APPLICATION_PATH=/app/../etc
refused_setup "APPLICATION_PATH=/app:/usr/lib" APPLICATION_PATH=/app:/usr/lib
refused_setup "APPLICATION_PATH=/tmp (not in paths)" APPLICATION_PATH=/tmp
refused_setup "APPLICATION_UID_CONFLICT=share (config says move)" APPLICATION_UID_CONFLICT=share
status_is 125 "setup --root refused in setuid mode" M appuser setup --root /tmp
status_is 125 "fix refused in setuid mode" M appuser fix --from 0:0 --to 1001:1001 /app
is "$(etc_sum "$R")" "$sum0" "/etc account files unchanged after sections 1-5"

# --- 6. setup: a hostile /run and a hostile home -----------------------------
R2=$(suid_root)
chmod 1777 "$R2/run"			# a careless image: /run writable by all
asuser "$R2" 1001 1001 mkdir /run/appuser
st=$(etc_state "$R2")
out=$(asuser "$R2" 1001 1001 appuser setup 2>&1); rc=$?
is "$rc:$(etc_state "$R2")" "125:$st" "a /run/appuser made by mallory is refused before any change"
asuser "$R2" 1001 1001 rmdir /run/appuser
asuser "$R2" 1001 1001 ln -s /etc /run/appuser
out=$(asuser "$R2" 1001 1001 appuser setup 2>&1); rc=$?
is "$rc:$(etc_state "$R2")" "125:$st" "/run/appuser as a symlink to /etc is refused before any change"
is "$(own "$R2" etc)" "0:0 755 etc" "... and /etc keeps its owner"

# Before setup mallory may act as the application user (uid 1000) and plants
# links in its home and in /app; the remap must change nothing outside.
R3=$(suid_root)
mkdir -p "$R3/outside/dir"; : >"$R3/outside/f"; : >"$R3/outside/dir/g"
chown -R 1000:1000 "$R3/outside"; : >"$R3/rootfile"
mkfifo "$R3/app/fifo"; chown 1000:1000 "$R3/app/fifo"	# would block an open()
asuser "$R3" 1001 1001 appuser exec sh -c '
	ln -s /etc/shadow /home/application/shadow; ln -s /outside/dir /home/application/dir
	ln -s /outside/f /home/application/f; ln /rootfile /home/application/rootlink 2>/dev/null
	ln -s /proc/self/fd/0 /home/application/fd0; mkdir /home/application/sub
	ln -s /etc /home/application/sub/etc' 2>/dev/null
asuser "$R3" 1001 1001 sh -c 'ln -s /etc/passwd /app/passwd; ln -s / /app/root'
chown 1000:1000 "$R3/app"	# on the old IDs, so the remap walks it (not OnRootMismatch-skipped)
before=$(own "$R3" etc/shadow etc/passwd etc outside outside/f outside/dir outside/dir/g rootfile)
out=$(timeout 20 chroot "$R3" /usr/bin/setpriv --reuid=1001 --regid=1001 --clear-groups \
	/usr/bin/env -i PATH="$ROOT_PATH" appuser setup 2>&1); rc=$?
is "$rc" 0 "setup over a booby-trapped home and /app completes (a fifo is never opened)"
is "$(own "$R3" etc/shadow etc/passwd etc outside outside/f outside/dir outside/dir/g rootfile)" "$before" \
	"symlinks to /etc/shadow, /etc, /proc/self/fd and outside folders: nothing outside changed"
is "$(stat -c %u "$R3/app/fifo") $(stat -c %u "$R3/home/application")" "1001 1001" \
	"... while the tree itself was remapped (fifo included, by descriptor)"

# The home replaced by a symlink to /etc before setup: refused, not followed.
R4=$(suid_root)
mv "$R4/home/application" "$R4/home/application.real"
ln -s /etc "$R4/home/application"
etc_before=$(own "$R4" etc etc/passwd etc/shadow etc/appuser.conf)
asuser "$R4" 1001 1001 appuser setup >/dev/null 2>&1
is "$(own "$R4" etc etc/passwd etc/shadow etc/appuser.conf)" "$etc_before" "a home that is a symlink to /etc is never walked"

# --- 7. setup under signals and rlimits ---------------------------------------
R5=$(suid_root)
old=$(etc_state "$R5" | awk '{print $2}' | tr '\n' ' ')
bad=""
for d in 0.001 0.003 0.005 0.008 0.012 0.02 0.03 0.05; do
	chroot "$R5" /usr/bin/setpriv --reuid=1001 --regid=1001 --clear-groups \
		/usr/bin/env -i PATH="$ROOT_PATH" appuser setup >/dev/null 2>&1 & p=$!
	sleep $d; kill -KILL $p 2>/dev/null; wait $p 2>/dev/null
	for f in passwd group shadow gshadow; do
		[ -s "$R5/etc/$f" ] || bad+="$f empty after kill at $d; "
		grep -qv ':' "$R5/etc/$f" && bad+="$f has a torn line after kill at $d; "
	done
done
out=$(M sh -c 'ulimit -f 0; ulimit -n 16; exec appuser setup' 2>&1 >/dev/null); rc=$?
R=$R5 M true
[ "$(stat -c %u "$R5/etc/passwd"):$(grep -c '^application:' "$R5/etc/passwd")" = "0:1" ] ||
	bad+="passwd owner or entry wrong; "
is "$bad" "" "SIGKILL at 8 moments, then a run under ulimit -f 0 / -n 16: files whole, root-owned"
# Whether a killed run got as far as its commit depends on the machine's
# speed (ASan, load): the next run finishes whatever is left, and only the
# one after it must be a silent no-op.
status_is 0 "... and the next run completes what the killed ones left" asuser "$R5" 1001 1001 appuser setup
is "$(asuser "$R5" 1001 1001 appuser setup 2>&1; echo rc=$?)" "rc=0" "... after which a run is a silent no-op"
is "$(grep '^application:' "$R5/etc/passwd" | cut -d: -f3,4) $(leftovers "$R5")" "1001:1001 " \
	"... with the application user at mallory's IDs and no lock or temp left"

# --- 8. root-mode fix over mallory's volume ------------------------------------
R6=$(mkroot)
mkdir -p "$R6/vol/d"; : >"$R6/vol/d/f"
touch "$R6/vol/$(printf 'evil\n1000:1000 -> 0:0 etc')"
mkfifo "$R6/vol/d/pipe"; ln -s /etc/shadow "$R6/vol/d/shadow"; ln -s /proc/1/root "$R6/vol/d/r"
chown -R 1000:1000 "$R6/vol"; chown -h 1000:1000 "$R6/vol/d/shadow" "$R6/vol/d/r"
shadow_before=$(own "$R6" etc/shadow etc)
out=$(timeout 20 chroot "$R6" /usr/bin/env -i PATH="$ROOT_PATH" appuser fix --dry-run --from 1000:1000 --to 1500:1500 /vol 2>/dev/null)
is "$(grep -c '' <<<"$out")" 7 "fix --dry-run: one line per entry, a name with a newline included"
like "$out" 'evil\\n1000:1000 -> 0:0 etc' "... escaped as \\n, it cannot forge a line"
timeout 20 chroot "$R6" /usr/bin/env -i PATH="$ROOT_PATH" appuser fix -q --from 1000:1000 --to 1500:1500 /vol
is "$?:$(own "$R6" etc/shadow etc)" "0:$shadow_before" "fix: fifo not opened, symlinks to /etc/shadow and /proc/1/root not followed"

# --- 9. root-mode exec: only an anonymous pipe on 0-2 is handed over ----------
R7=$(mkroot)
mkfifo -m 0600 "$R7/tmp/named"; : >"$R7/tmp/rootfile"; chmod 0600 "$R7/tmp/rootfile"
( chroot "$R7" /usr/bin/env -i PATH="$ROOT_PATH" sh -c \
	'exec 3<>/tmp/named; appuser exec -u 1000 true >/tmp/named 2>/tmp/rootfile </dev/null' )
chroot "$R7" /usr/bin/env -i PATH="$ROOT_PATH" sh -c 'appuser exec -u 1000 true' </dev/null >/dev/null 2>&1
is "$(own "$R7" tmp/named tmp/rootfile dev/null)" "$(printf '0:0 600 tmp/named\n0:0 600 tmp/rootfile\n0:0 666 dev/null')" \
	"root-mode exec never chowns a named FIFO, a file or a device on its stdio"
out=$(chroot "$R7" /usr/bin/env -i PATH="$ROOT_PATH" sh -c 'appuser exec -u 1000 stat -L -c %u /proc/self/fd/1' | cat)
is "$out" "1000" "... only an anonymous pipe goes to the target (the documented hand-over)"

# --- 10. the filter on the i386 ABI: clone() with a namespace flag ----------
# (int 0x80 from a 64-bit program; root with sys_admin kept, so that without
# the filter the kernel would say yes and the EPERM can only be the filter's)
cat >"$R7/tmp/c32.c" <<'C'
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <unistd.h>
static long sys32(long nr, long a) {
	long r;
	__asm__ volatile ("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(0L), "d"(0L) : "memory");
	return r;
}
int main(void) {
	long r = sys32(120, CLONE_NEWUTS | 17);	/* i386 clone(flags, newsp=0) */
	if (r == 0) _exit(0);
	printf("clone %ld unshare %ld\n", r > 0 ? 1L : r, sys32(310, CLONE_NEWUTS));
	return 0;
}
C
if [ "$(uname -m)" = x86_64 ] && cc -O1 -static -o "$R7/tmp/c32" "$R7/tmp/c32.c" 2>/dev/null; then
	nofilter=$(chroot "$R7" /usr/bin/env -i PATH="$ROOT_PATH" appuser exec -u root --cap sys_admin --seccomp none /tmp/c32 2>/dev/null)
	if [ "$nofilter" != "clone 1 unshare 0" ]; then
		tap_skip "i386 clone(CLONE_NEWUTS)" "no IA-32 emulation here ($nofilter)"
	else
		is "$(chroot "$R7" /usr/bin/env -i PATH="$ROOT_PATH" appuser exec -u root --cap sys_admin /tmp/c32 2>/dev/null)" \
			"clone -1 unshare -1" "default profile: i386 clone()/unshare() with a namespace flag get EPERM"
	fi
else
	tap_skip "i386 clone(CLONE_NEWUTS)" "not x86_64 or no static C compiler"
fi

# --- Red-team findings, fixed: each was a working attack before the fix.

# 1. root-mode `fix PATH` through a symlink planted in the volume.
R8=$(mkroot "$TESTS/fixtures/webdevops")
mkdir -p "$R8/app" "$R8/var/lib/db/data" "$R8/home/admin/.ssh"; echo secret > "$R8/var/lib/db/data/creds"
: > "$R8/home/admin/.ssh/authorized_keys"
chown -R 1001:1001 "$R8/app"; chown -R 999:999 "$R8/var/lib/db"; chmod -R go-rwx "$R8/var/lib/db"
chown -R 1500:1500 "$R8/home/admin"
before=$(own "$R8" var/lib/db var/lib/db/data/creds home/admin/.ssh/authorized_keys)
asuser "$R8" 1001 1001 sh -c 'ln -s /var/lib/db /app/storage; mkdir /app/real; ln -s /var/lib /app/sub; ln -s /home/admin /app/zz'
status_is 125 "fix: a symlink as PATH is refused, not followed" inroot "$R8" appuser fix --to 1001:1001 /app/storage
status_is 125 "fix: a symlink as PATH with --from is refused too" inroot "$R8" appuser fix --from 999:999 --to 1001:1001 /app/storage
status_is 125 "fix: a symlink in a middle folder is refused" inroot "$R8" appuser fix --from 999:999 --to 1001:1001 /app/sub/db
inroot "$R8" sh -c 'appuser fix -q --from 1500:1500 --to 1001:1001 /app/*' >/dev/null 2>&1
is "$(own "$R8" var/lib/db var/lib/db/data/creds home/admin/.ssh/authorized_keys)" "$before" \
	"fix: nothing outside the volume changed owner (storage, sub, glob over /app/*)"

# 2. setuid setup: configured paths and home under a folder the caller can write.
R9=$(suid_root "allow_setuid = yes
user = application
paths = /app/var/cache
home = /app/users/application
uid_range = 1000-60000")
mkdir -p "$R9/srv/other/cache"; : > "$R9/srv/other/cache/f"; chown -R 1000:1000 "$R9/srv/other"
rm -rf "$R9/home/application"
before=$(own "$R9" srv/other/cache srv/other/cache/f)
asuser "$R9" 1001 1001 sh -c 'ln -s /srv/other /app/var; ln -s /etc /app/users'
asuser "$R9" 1001 1001 appuser setup >/dev/null 2>&1
is "$(own "$R9" srv/other/cache srv/other/cache/f)" "$before" "setuid setup: paths through a planted symlink are not remapped"
check_fail "setuid setup: no home created through a planted /app/users -> /etc" test -e "$R9/etc/application"

# 2b. an application user in group 0 (OpenShift style): root's group is never remapped.
R10=$(suid_root "allow_setuid = yes
user = application
paths = /app
uid_range = 1000-60000")
sed -i 's/^application:x:1000:1000:/application:x:1000:0:/' "$R10/etc/passwd"
sed -i '/^application:/d' "$R10/etc/group" "$R10/etc/gshadow"
echo 'root-only' > "$R10/app/secret.log"; chown 0:0 "$R10/app/secret.log"; chmod 0640 "$R10/app/secret.log"
asuser "$R10" 1001 1001 appuser setup >/dev/null 2>&1
is "$(own "$R10" app/secret.log)" "0:0 640 app/secret.log" "setuid setup: a root:root file keeps group 0 when the user leaves gid 0"
check_fail "setuid setup: the caller still cannot read it" asuser "$R10" 1001 1001 cat /app/secret.log

# 3. seccomp: a setuid caller may tighten the configured profile, never loosen it.
R11=$(suid_root "allow_setuid = yes
user = application
seccomp = strict
uid_range = 1000-60000")
status_is 125 "setuid exec: --seccomp default under a strict config is refused" \
	asuser "$R11" 1001 1001 appuser exec --seccomp default true
status_is 0 "setuid exec: --seccomp strict under a strict config works" \
	asuser "$R11" 1001 1001 appuser exec --seccomp strict true
status_is 0 "setuid exec: --seccomp strict under the default config works" \
	asuser "$R" 1001 1001 appuser exec --seccomp strict true

# 4. syslog: a command name with a newline cannot forge a second record.
if command -v perl >/dev/null; then
	R12=$(suid_root)
	cat > "$R12/tmp/logd.pl" <<'P'
use Socket; my $p = shift; unlink $p; alarm 30;
socket(my $s, PF_UNIX, SOCK_DGRAM, 0) or die; bind($s, pack_sockaddr_un($p)) or die;
chmod 0666, $p; open(my $r, '>', "$p.ready"); close $r;
recv($s, my $buf, 4096, 0); open(my $o, '>', "$p.out"); print $o $buf; close $o;
P
	perl "$R12/tmp/logd.pl" "$R12/dev/log" & pid=$!
	wait_file "$R12/dev/log.ready" 10
	asuser "$R12" 1001 1001 appuser exec -- "$(printf 'id\n<13>Nov 28 00:00:00 appuser[1]: audit: ruid=0: forged')" >/dev/null 2>&1
	wait_pid $pid 30
	unlike "$(cat "$R12/dev/log.out")" $'\n|\r' "audit to syslog: no newline from the caller reaches the record"
	like "$(cat "$R12/dev/log.out")" "ruid=1001" "audit to syslog: the real caller's uid is recorded"
else
	tap_skip "syslog forging" "no perl"
fi

# 5. files created by a setuid setup belong to root:root, not the caller's group.
R13=$(suid_root)
rm -rf "$R13/home/application"
asuser "$R13" 1001 1001 appuser setup >/dev/null 2>&1
is "$(stat -c '%g' "$R13/run/appuser" "$R13/etc/.pwd.lock" 2>&1 | sort -u | tr '\n' ' ')" "0 " \
	"setuid setup: /run/appuser and the lock file are group root"

# 6. A swap race during a setuid setup's remap: the caller owns the volume
#    and swaps its folders with symlinks out of it, its files with
#    hardlinks, while setup remaps 1000 -> 1001 there; nothing outside the
#    volume may change owner, in any of many rounds.
R14=$(suid_root)
mkdir -p "$R14/app/d" "$R14/srv/victim"
for i in 1 2 3 4; do
	mkdir "$R14/app/d/v$i"; : > "$R14/app/d/v$i/f"; : > "$R14/app/d/f$i"
	ln -s /srv/victim "$R14/app/d/s$i"; ln "$R14/etc/passwd" "$R14/app/d/h$i"
done
for j in 1 2 3; do : > "$R14/srv/victim/f$j"; done
chown -R 1000:1000 "$R14/app/d" "$R14/srv/victim"; chown 1001:1001 "$R14/app" "$R14/app/d"
cp -a "$R14/etc" "$R14/etc.orig"
victim() { (cd "$R14" && stat -c '%u:%g %n' srv/victim srv/victim/* etc/passwd); }
before=$(victim)
cat > "$R14/tmp/racer.pl" <<'EOF2'
use strict; use POSIX ();
my ($dir, $stop) = @ARGV;
my %nr = (x86_64 => 316, aarch64 => 276);
my $nr = $nr{(POSIX::uname())[4]} or exit 3;
my @n = map { ["v$_", "s$_", "f$_", "h$_"] } 1 .. 4;
chdir $dir or die;
until (-e $stop) {
	for my $p (@n) { syscall($nr, -100, $p->[0], -100, $p->[1], 2); syscall($nr, -100, $p->[2], -100, $p->[3], 2); }
}
EOF2
if command -v perl >/dev/null; then
	rm -f "$R14/tmp/stop"
	asuser "$R14" 1001 1001 perl /tmp/racer.pl /app/d /tmp/stop & racer=$!
	bad=0 rounds=0
	for i in $(seq 1 "$(quick 40 10)"); do
		asuser "$R14" 1001 1001 appuser setup -q >/dev/null 2>&1
		rounds=$((rounds + 1))
		[ "$(victim)" = "$before" ] || { bad=1; break; }
		# reset as root for the next round: accounts, marker, the volume's files
		cp -a "$R14/etc.orig/." "$R14/etc/"; rm -rf "$R14/run/appuser"
		find "$R14/app/d" -mindepth 1 ! -type l -exec chown -h 1000:1000 {} + 2>/dev/null
	done
	touch "$R14/tmp/stop"; wait_pid $racer 30
	is "$bad" 0 "setuid setup: $rounds remaps against a swapping racer never changed anything outside /app"
else
	tap_skip "setuid setup racer" "no perl"
fi

# 7. Hardlinks the caller may make (fs.protected_hardlinks on): the kernel
#    lets a user link a file it can read and write, whoever owns it.  Linked
#    into the volume, a 0666 file of the application user's outside it (or
#    one its group may write) must not change hands with the volume; a file
#    only its owner could have linked is remapped as before.
R15=$(suid_root)
# (the volume is the application user's, a folder in it open to all: the
# race the caller could also win while setup hands it the folders it walks)
mkdir -p "$R15/srv/shared" "$R15/app/in" "$R15/app/drop"
echo notes > "$R15/srv/shared/other-rw"; chmod 0666 "$R15/srv/shared/other-rw"
echo team > "$R15/srv/shared/group-rw"; chmod 0660 "$R15/srv/shared/group-rw"
chown 1000:1000 "$R15/srv/shared/other-rw"; chown 1000:1001 "$R15/srv/shared/group-rw"
: > "$R15/app/in/own"; ln "$R15/app/in/own" "$R15/app/in/own2"; chmod 0644 "$R15/app/in/own"
chown -R 1000:1000 "$R15/app"; chmod 0777 "$R15/app/drop"
chroot "$R15" /usr/bin/setpriv --reuid=1001 --regid=1001 --groups=1001 \
	sh -c 'ln /srv/shared/other-rw /app/drop/other && ln /srv/shared/group-rw /app/drop/group'
is "$(stat -c %h "$R15/srv/shared/other-rw" "$R15/srv/shared/group-rw" | tr '\n' ' ')" "2 2 " \
	"the caller could link a 0666 and a group-writable file of the application user's into /app"
out=$(asuser "$R15" 1001 1001 appuser setup 2>&1)
is "$(stat -c '%u:%g' "$R15/srv/shared/other-rw" "$R15/srv/shared/group-rw" | tr '\n' ' ')" "1000:1000 1000:1001 " \
	"setuid setup: a file outside /app that the caller linked in keeps its owner"
is "$(stat -c '%u:%g' "$R15/app/in/own" "$R15/app/in" "$R15/app" | sort -u | tr '\n' ' ')" "1001:1001 " \
	"setuid setup: a hardlinked file only its owner could have linked is remapped"
like "$out" "/app/drop/other: hardlinked and writable by others, who may have linked it: left alone" \
	"setuid setup: each is reported by name"

# 8. The caller moves files in while the walk is inside a folder: setup
#    gives each folder to the caller only after reading all of it, so
#    files of the application user's moved in from a folder open to all
#    (outside /app) are never seen, let alone chowned.  A SIGSTOP of its own
#    setuid setup (its real uid's) the moment a folder changes hands makes
#    the window as wide as the attacker likes.  On ext4, where a new
#    name may land in the part of a folder not read yet (a tmpfs lists it
#    first, where the walk has been).
R16=$(suid_root)
T16=$(sandbox_tmpdir)
mnt16=
if truncate -s 200M "$T16/img" && mkfs.ext4 -q -N 60000 "$T16/img" 2>/dev/null &&
   mkdir -p "$R16/vol" && mount -o loop "$T16/img" "$R16/vol" 2>/dev/null; then
	mnt16=1
	printf '%s\n' "$CONF" | sed 's|^paths = .*|paths = /vol/app|' >"$R16/etc/appuser.conf"
	mkdir -p "$R16/vol/app/big" "$R16/vol/open"
	(cd "$R16/vol/app/big" && seq -w 1 20000 | sed 's/^/f/' | xargs touch)
	for i in $(seq 1 50); do : > "$R16/vol/open/v$i"; done
	chown -R 1000:1000 "$R16/vol/app" "$R16/vol/open"; chmod 0777 "$R16/vol/open"
	( asuser "$R16" 1001 1001 appuser setup -q >/dev/null 2>&1 ) & setup16=$!
	for i in $(seq 1 20000); do
		[ "$(stat -c %u "$R16/vol/app/big" 2>/dev/null)" = 1001 ] && break
		kill -0 "$setup16" 2>/dev/null || break
	done
	pkill -STOP -x appuser
	moved=$(chroot "$R16" /usr/bin/setpriv --reuid=1001 --regid=1001 --clear-groups \
		sh -c 'n=0; for f in /vol/open/v*; do mv "$f" /vol/app/big/ && n=$((n+1)); done; echo $n')
	pkill -CONT -x appuser
	wait_pid "$setup16" 120
	is "$moved" 50 "the caller could move 50 files into a folder setup had given it"
	is "$(stat -c '%u:%g' "$R16"/vol/app/big/v* | sort -u | tr '\n' ' ')" "1000:1000 " \
		"setuid setup: files moved into a folder after it was read keep their owner"
	is "$(stat -c '%u:%g' "$R16/vol/app/big/f00001" "$R16/vol/app/big/f20000" | sort -u)" "1001:1001" \
		"setuid setup: the folder's own files were remapped"
	umount "$R16/vol"
fi
[ -n "$mnt16" ] || for i in 1 2 3; do tap_skip "moved in mid-walk" "no loop-mounted ext4 here"; done

done_testing
