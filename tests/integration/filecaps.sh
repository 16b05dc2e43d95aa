#!/bin/bash
# Privilege without uid 0 is setuid mode (issue 11 §6).  Installed with file
# capabilities (`setcap cap_chown,cap_fowner+ep`) instead of 4755, appuser
# used to run as "unprivileged" — no rules — while holding CAP_CHOWN, so
# any caller could `fix` another user's (or root's) files over to itself.
# Ambient capabilities are the caller's own: with them appuser gains the
# caller nothing, and a file with capabilities clears them.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
sandbox_enter "$@"

command -v setcap >/dev/null || { tap_not_ok "setcap is installed (libcap2-bin)"; done_testing; exit; }
R=$(mkroot "$TESTS/fixtures/webdevops")
echo "mallory:x:1001:1001::/home/mallory:/bin/sh" >>"$R/etc/passwd"
echo "mallory:x:1001:" >>"$R/etc/group"
mkdir -p "$R/home/application" "$R/srv/root" "$R/app"
echo secret >"$R/home/application/secret"; chmod 0600 "$R/home/application/secret"
chown -R 1000:1000 "$R/home/application" "$R/app"; echo x >"$R/srv/root/file"
if ! setcap cap_chown,cap_fowner+ep "$R/opt/appuser/bin/appuser" 2>/dev/null; then
	tap_skip "file capabilities" "this filesystem takes no security.capability xattr"
	done_testing; exit
fi
conf() { printf '%s\n' "$@" >"$R/etc/appuser.conf"; chmod 0644 "$R/etc/appuser.conf"; }
conf "user = application" "paths = /app" "uid_range = 1000-60000"
M() { asuser "$R" 1001 1001 "$@"; }	# mallory
owners() { (cd "$R" && stat -c '%u:%g %n' home/application home/application/secret srv/root srv/root/file app); }
before=$(owners)
sum0=$(etc_sum "$R")

like "$(M appuser status)" "setuid mode \(real uid 1001, file capabilities chown,fowner without uid 0\)" \
	"file capabilities: status reports setuid mode, and why"
status_is 125 "file capabilities: fix of another user's home refused" \
	M appuser fix --from 1000:1000 --to 1001:1001 /home/application
status_is 125 "file capabilities: fix of root's folder refused" \
	M appuser fix --from 0:0 --to 1001:1001 /srv/root
status_is 125 "file capabilities: fix of /app refused" M appuser fix --to 1001:1001 /app
status_is 125 "file capabilities, no allow_setuid: exec refused" M appuser exec id
SANDBOX_ENV=(APPLICATION_UID=1001 APPLICATION_GID=1001)
status_is 125 "file capabilities: setup refused" M appuser setup
SANDBOX_ENV=()
is "$(owners)" "$before" "file capabilities: no owner changed"
is "$(etc_sum "$R")" "$sum0" "file capabilities: the account files are unchanged"

# With allow_setuid the setuid rules apply; what stays is the caller itself,
# without the binary's capabilities.
conf "allow_setuid = yes" "user = application" "paths = /app" "uid_range = 1000-60000"
status_is 125 "file capabilities, allow_setuid: fix still refused" \
	M appuser fix --from 1000:1000 --to 1001:1001 /home/application
st=$(M appuser exec -u mallory cat /proc/self/status 2>&1)
like "$st" "Uid:.1001.1001.1001.1001" "file capabilities: exec as yourself works"
like "$st" "CapPrm:.0000000000000000" "…and drops the binary's capabilities"
like "$st" "NoNewPrivs:.1" "…with NoNewPrivs"
status_is 125 "file capabilities: --cap chown (not in the config) refused" \
	M appuser exec -u mallory --cap chown id
is "$(owners)" "$before" "file capabilities, allow_setuid: no owner changed"

# Ambient capabilities from the caller (podman --user N --cap-add, systemd
# AmbientCapabilities=) are its own: the file's capabilities replace them,
# and without file capabilities appuser adds nothing to them.
amb() { chroot "$R" /usr/bin/setpriv --reuid=1001 --regid=1001 --clear-groups --inh-caps=+sys_nice \
	--ambient-caps=+sys_nice /usr/bin/env -i PATH="$ROOT_PATH" "$@"; }
like "$(amb appuser status)" "setuid mode \(real uid 1001, file capabilities chown,fowner without" \
	"file capabilities and an ambient CAP_SYS_NICE: still setuid mode"
status_is 125 "…fix refused" amb appuser fix --from 1000:1000 --to 1001:1001 /home/application
setcap -r "$R/opt/appuser/bin/appuser"
like "$(amb appuser status)" "unprivileged mode \(real uid 1001\)" \
	"only the caller's own ambient CAP_SYS_NICE: unprivileged mode"
is "$(owners)" "$before" "no owner changed"

done_testing
