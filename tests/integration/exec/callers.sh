#!/bin/bash
# Who may become the application user through a setuid exec (issue 11 §2).
# In a container started as root with the kit's setuid binary, any other
# uid — www-data under supervisord's user=, nobody from cron — used to run
# `appuser exec -- sh` and get the application user's uid and its 0600
# files: uid_range was checked against the target, never the caller.  Now
# the caller must be the application user's own uid, in uid_range (not the
# kernel's overflow uid 65534, "nobody"), or listed in allow_callers.
. "$(dirname "$0")/../../lib/tap.sh"
. "$(dirname "$0")/../../lib/sandbox.sh"
sandbox_enter "$@"

R=$(mkroot "$TESTS/fixtures/webdevops")
install_appuser "$R" 4755
echo "mallory:x:1001:1001::/home/mallory:/bin/sh" >>"$R/etc/passwd"
echo "mallory:x:1001:" >>"$R/etc/group"
mkdir -p "$R/home/application"; echo secret >"$R/home/application/secret"
chmod 0600 "$R/home/application/secret"; chown -R 1000:1000 "$R/home/application"
conf() { printf '%s\n' "$@" >"$R/etc/appuser.conf"; chmod 0644 "$R/etc/appuser.conf"; }
KIT=("allow_setuid = yes" "user = application" "paths = /app" "uid_range = 500-2147483647")
as() { asuser "$R" "$1" "$1" "${@:2}"; }
steal() { as "$1" appuser exec -- cat /home/application/secret 2>/dev/null; }

conf "${KIT[@]}"
for who in 33:www-data 65534:nobody 1:daemon 499:below-range; do
	uid=${who%%:*}
	out=$(steal "$uid"); rc=$?
	is "$rc" 125 "kit config: uid $uid (${who#*:}) cannot become the application user"
	unlike "$out" "secret" "kit config: uid $uid cannot read the application user's 0600 file"
	[ "$uid" = 33 ] && like "$(as 33 appuser exec -- true 2>&1)" \
		"uid 33 .*application user's own uid .*uid_range 500-2147483647.*allow_callers" \
		"kit config: the refusal names the rules"
	is "$(as "$uid" appuser exec -u "$uid" id -u 2>&1)" "$uid" "kit config: uid $uid may still stay itself"
	is "$(as "$uid" gosu application id -u 2>&1 | tail -1 | grep -c '^1000$')" 0 \
		"kit config: …nor through the gosu form"
done
is "$(steal 1000)" "secret" "the application user's own uid may (after setup, the --user flow)"
is "$(steal 1001)" "secret" "a uid in uid_range may (a --user container before its setup)"

# allow_callers: names, uids and ranges, for anything else.
conf "${KIT[@]}" "allow_callers = www-data 7 40-45"
is "$(steal 33)" "secret" "allow_callers = www-data: uid 33 may"
is "$(steal 7)" "secret" "allow_callers = 7: uid 7 may"
is "$(steal 42)" "secret" "allow_callers = 40-45: uid 42 may"
status_is 125 "allow_callers: uid 46 still may not" steal 46
status_is 125 "allow_callers: nobody still may not" steal 65534
conf "${KIT[@]}" "allow_callers = nobody"
is "$(steal 65534)" "secret" "allow_callers = nobody: nobody may, on purpose"

# Without uid_range only the application user's uid and allow_callers.
conf "allow_setuid = yes" "user = application"
status_is 125 "no uid_range: uid 1001 may not" steal 1001
is "$(steal 1000)" "secret" "no uid_range: the application user's uid may"

# A bad entry is an error naming the line.
conf "${KIT[@]}" "allow_callers = www-data 0x10"
out=$(as 1000 appuser exec -- true 2>&1); rc=$?
is "$rc" 125 "allow_callers with a bad entry: refused"
like "$out" "line 5: allow_callers" "…naming the line"
conf "${KIT[@]}" "allow_callers = 0"
status_is 125 "allow_callers = 0 (root) is an error" steal 1000

done_testing
