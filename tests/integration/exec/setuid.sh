#!/bin/bash
# Adversarial suite, exec side (issue 6): appuser installed 4755 root in a
# throwaway root, the caller an unprivileged user.  Each attack must leave
# the attacker with nothing: IDs, caps, /etc and file owners compared.
. "$(dirname "$0")/../../lib/tap.sh"
. "$(dirname "$0")/../../lib/sandbox.sh"
sandbox_enter "$@"

R=$(mkroot)
inroot "$R" sh -c '
	echo "application:x:1000:1000::/home/application:/bin/sh" >> /etc/passwd
	echo "application:x:1000:" >> /etc/group
	echo "mallory:x:1001:1001::/home/mallory:/bin/sh" >> /etc/passwd
	echo "mallory:x:1001:" >> /etc/group
	mkdir -p /home/application /home/mallory
	chown 1000:1000 /home/application; chown 1001:1001 /home/mallory'
install_appuser "$R" 4755
conf() { printf '%s\n' "$@" > "$R/etc/appuser.conf"; chown 0:0 "$R/etc/appuser.conf"; chmod 0644 "$R/etc/appuser.conf"; }
conf "allow_setuid = yes" "user = application" "caps = net_bind_service" "uid_range = 1000-60000"
sum0=$(etc_sum "$R")
M() { asuser "$R" 1001 1001 "$@"; }	# mallory, the attacker

# Audit: one line on stderr without a syslog, none with one (item 8, issue 12).
out=$(M appuser exec true 2>&1)
is "$(grep -c 'audit: ruid=1001: exec:' <<<"$out")" 1 "no syslog: one audit line on stderr for an exec that switches"
is "$(asuser "$R" 1000 1000 appuser exec true 2>&1)" "" \
	"no syslog: an exec as the caller's own IDs (after setup mapped them) prints nothing"
if command -v perl >/dev/null; then
	. "$TESTS/lib/syslog.sh"
	syslog_start "$R"
	out=$(M appuser exec true 2>&1)
	syslog_stop "$R"
	is "$out" "" "syslog: exec prints nothing on stderr"
	like "$(cat "$R/dev/log.out")" "audit: ruid=1001: exec: uid 1000 gid 1000" "syslog: the exec record is there"
else
	tap_skip "exec audit to syslog" "no perl"
fi

# Baseline: the legitimate uses work.
is "$(M appuser exec id -un)" "application" "setuid: exec as the application user works"
is "$(M appuser exec -u mallory id -un)" "mallory" "setuid: exec as yourself works"
st=$(M appuser exec --cap net_bind_service cat /proc/self/status)
like "$st" "CapAmb:.0000000000000400" "setuid: a cap the config lists can be kept"
like "$st" "NoNewPrivs:.1" "setuid: NoNewPrivs always"
like "$(M appuser exec cat /proc/self/status)" "Uid:.1000.1000.1000.1000" "setuid: all four uids switched"

# Becoming root, or anyone else, in every spelling.
for spec in 0 root :0 0:0 root: 1000:0 application:root :root 1 daemon 1002 65534 nobody \
	    application:daemon application:1 ''; do
	out=$(M appuser exec -u "$spec" sh -c 'id -u; id -g; id -G' 2>/dev/null); rc=$?
	if [ "$spec" = "" ]; then
		is "$out" "$(printf '1001\n1001\n1001')" "setuid: -u '' stays the caller"
		continue
	fi
	is "$rc" 125 "setuid: exec -u '$spec' refused"
done
for form in gosu su-exec; do
	status_is 125 "setuid: '$form root' refused" M $form root id
	status_is 125 "setuid: '$form 0:0' refused" M $form 0:0 id
done
SANDBOX_ENV=(APPLICATION_USER=root)
status_is 125 "setuid: APPLICATION_USER=root cannot pick the target" M appuser exec id
SANDBOX_ENV=(APPLICATION_USER=daemon)
status_is 125 "setuid: APPLICATION_USER=daemon cannot pick the target" M appuser exec id
SANDBOX_ENV=()

# Capabilities, seccomp, new privileges.
status_is 125 "setuid: --cap sys_admin refused" M appuser exec --cap sys_admin id
conf "allow_setuid = yes" "user = application" "allow_caps = net_bind_service" "uid_range = 1000-60000"
like "$(M appuser exec cat /proc/self/status 2>/dev/null)" "CapAmb:.0000000000000000" \
	"allow_caps: nothing kept unless asked"
like "$(M appuser exec --cap net_bind_service cat /proc/self/status 2>/dev/null)" "CapAmb:.0000000000000400" \
	"allow_caps: --cap within allow_caps works"
status_is 125 "allow_caps: --cap beyond it refused" M appuser exec --cap chown id
conf "allow_setuid = yes" "user = application" "caps = net_bind_service" "uid_range = 1000-60000"
status_is 125 "setuid: --cap with a listed and an unlisted cap refused" M appuser exec --cap net_bind_service,setuid id
status_is 125 "setuid: --seccomp none refused" M appuser exec --seccomp none id
printf 'x\n' > "$R/tmp/custom.policy"
status_is 125 "setuid: custom seccomp file refused" M appuser exec --seccomp /tmp/custom.policy id
status_is 125 "setuid: --allow-new-privs refused" M appuser exec --allow-new-privs id

# The exec'd child runs appuser again: NO_NEW_PRIVS makes the bit inert.
out=$(M appuser exec -- appuser exec -u root id -u 2>&1); rc=$?
is "$rc" 125 "nested: child re-running appuser cannot reach root"
out=$(M appuser exec --cap none -- appuser exec --cap none -u root id -u 2>&1)
like "$out" "no_new_privs is already set" "nested: the message says why (NoNewPrivs)"
out=$(M appuser exec --cap net_bind_service -- appuser exec -u root id -u 2>&1); rc=$?
is "$rc" 125 "nested, the child holding a kept cap: still setuid mode's rules, refused"
out=$(M appuser exec -- gosu root id -u 2>&1)
unlike "$out" "^0$" "nested: gosu form gains nothing"

# Config the caller controls, or none at all.
conf "allow_setuid = no" "user = application"
status_is 125 "allow_setuid = no: refused" M appuser exec id
rm "$R/etc/appuser.conf"
status_is 125 "no config: refused" M appuser exec id
conf "allow_setuid = yes" "user = application" "uid_range = 1000-60000"
chown 1001 "$R/etc/appuser.conf"
out=$(M appuser exec id 2>&1); rc=$?
is "$rc" 125 "config owned by the caller: refused"
like "$out" "not owned by root" "…and the message says so"
chown 0 "$R/etc/appuser.conf"; chmod 0666 "$R/etc/appuser.conf"
status_is 125 "config mode 0666: refused" M appuser exec id
chmod 0644 "$R/etc/appuser.conf"; chmod 0777 "$R/etc"
status_is 125 "config in a world-writable /etc: refused" M appuser exec id
chmod 0755 "$R/etc"
mv "$R/etc/appuser.conf" "$R/etc/appuser.conf.real"
ln -s appuser.conf.real "$R/etc/appuser.conf"
status_is 125 "config as a symlink: refused" M appuser exec id
rm "$R/etc/appuser.conf"; mv "$R/etc/appuser.conf.real" "$R/etc/appuser.conf"

# Environment tricks: the loader ignores them (AT_SECURE), we read none.
cat > "$R/tmp/evil.c" <<'C'
#include <fcntl.h>
#include <unistd.h>
__attribute__((constructor)) static void evil(void)
{ if (geteuid() == 0) close(open("/tmp/pwned", O_CREAT | O_WRONLY, 0644)); }
C
if cc -shared -fPIC -o "$R/tmp/evil.so" "$R/tmp/evil.c" 2>/dev/null; then
	chmod 755 "$R/tmp/evil.so"
	for var in LD_PRELOAD=/tmp/evil.so LD_LIBRARY_PATH=/tmp LD_AUDIT=/tmp/evil.so; do
		SANDBOX_ENV=("$var")
		M appuser exec true >/dev/null 2>&1
		SANDBOX_ENV=()
		if [ -e "$R/tmp/pwned" ] && [ "$(stat -c %u "$R/tmp/pwned")" = 0 ]; then
			tap_not_ok "setuid: $var does not run code as root"; rm -f "$R/tmp/pwned"
		else tap_ok "setuid: $var does not run code as root"; fi
	done
else
	tap_skip "setuid: LD_PRELOAD" "no C compiler"
fi
for var in GLIBC_TUNABLES=glibc.malloc.check=3:glibc.rtld.nns=99 TZ=/etc/shadow LANG=../../../tmp/x \
	   LC_ALL=../../../etc/shadow PATH=/tmp:/usr/bin:/bin MALLOC_CHECK_=3; do
	SANDBOX_ENV=("$var")
	is "$(M /opt/appuser/bin/appuser exec id -u 2>/dev/null)" "1000" "setuid: '${var%%=*}' tricks change nothing"
	SANDBOX_ENV=()
done
SANDBOX_ENV=('APPLICATION_USER=application
root')
status_is 125 "setuid: APPLICATION_USER with a newline refused" M appuser exec id -u
SANDBOX_ENV=()

# Descriptors: 0-2 closed at entry get /dev/null, the caller's others are closed.
out=$(chroot "$R" /usr/bin/setpriv --reuid=1001 --regid=1001 --clear-groups /bin/sh -c \
	'/opt/appuser/bin/appuser exec sh -c "ls -l /proc/\$\$/fd > /tmp/fds-closed 2>&1" <&- >&- 2>&-; cat /tmp/fds-closed')
like "$out" " 0 -> /dev/(null|full)" "fds 0-2 closed at entry: reopened, never reused for a file"
unlike "$out" " [3-9] -> " "no descriptor of appuser's own leaks to the child"
out=$(M sh -c 'exec 7</etc/passwd; appuser exec ls /proc/self/fd' | tr '\n' ' ')
unlike "$out" "(^| )7( |$)" "setuid: the caller's extra descriptors are closed"

# Huge argv / environment are refused, not processed.
big=(); arg=$(printf '%0250d' 0); for i in $(seq 1 4500); do big+=("$arg"); done
status_is 125 "setuid: over-long argv refused" M appuser exec true "${big[@]}"
out=$(chroot "$R" /usr/bin/setpriv --reuid=1001 --regid=1001 --clear-groups /usr/bin/env -i \
	PATH="$ROOT_PATH" $(for i in $(seq 1 5000); do printf 'V%d=x ' $i; done) appuser exec true 2>&1); rc=$?
is "$rc" 125 "setuid: over-large environment refused"

# Nothing changed.
is "$(etc_sum "$R")" "$sum0" "/etc account files unchanged by all attacks"
is "$(stat -c %u:%g "$R/home/application")" "1000:1000" "file owners unchanged"

done_testing
