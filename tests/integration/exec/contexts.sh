#!/bin/bash
# appuser exec under the security contexts container runtimes give PID 1
# (issue 12), reproduced with setpriv in a throwaway root: a hardened
# capability set without CAP_SETPCAP, runtime-given supplementary groups,
# a setuid start with no capabilities at all, and Kubernetes' "restricted"
# (NO_NEW_PRIVS, no capabilities).  Each also tries to abuse what it allows.
. "$(dirname "$0")/../../lib/tap.sh"
. "$(dirname "$0")/../../lib/sandbox.sh"
sandbox_enter "$@"

R=$(mkroot)
inroot "$R" sh -c '
	echo "application:x:1000:1000::/home/application:/bin/sh" >> /etc/passwd
	echo "application:x:1000:" >> /etc/group
	echo "volume:x:2000:" >> /etc/group
	mkdir -p /home/application; chown 1000:1000 /home/application'
field() { awk -v k="$1:" '$1 == k { print $2 }' <<<"$st"; }
# sp ARGS... — run in the root through setpriv (bounding set, IDs, groups, NNP).
sp() {
	local a=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do a+=("$1"); shift; done
	shift
	chroot "$R" /usr/bin/setpriv "${a[@]}" /usr/bin/env -i PATH="$ROOT_PATH" "$@"
}
conf() { printf '%s\n' "$@" > "$R/etc/appuser.conf"; chmod 0644 "$R/etc/appuser.conf"; }

# --- 1. --cap-drop ALL --cap-add CHOWN,SETUID,SETGID,DAC_OVERRIDE,FOWNER:
#        no CAP_SETPCAP, so the bounding set cannot be emptied.
HARD=(--bounding-set -all,+chown,+setuid,+setgid,+dac_override,+fowner)
st=$(sp "${HARD[@]}" -- appuser exec -u nobody cat /proc/self/status 2>&1); rc=$?
is "$rc" 0 "no CAP_SETPCAP: exec still starts the service"
for c in CapInh CapPrm CapEff CapAmb; do
	is "$(field $c)" "0000000000000000" "no CAP_SETPCAP: $c empty"
done
is "$(field CapBnd)" "00000000000000cb" "no CAP_SETPCAP: the bounding set stays as the runtime gave it"
is "$(field NoNewPrivs)" "1" "no CAP_SETPCAP: NoNewPrivs is the guarantee"
is "$(field Uid)" "65534" "no CAP_SETPCAP: IDs switched"
st=$(sp "${HARD[@]}" -- appuser exec -u root cat /proc/self/status 2>&1)
is "$(field CapPrm):$(field CapEff)" "0000000000000000:0000000000000000" \
	"no CAP_SETPCAP, root target: execve gives root nothing back from the bounding set"
st=$(sp "${HARD[@]}" -- appuser exec -u nobody --cap chown cat /proc/self/status 2>&1)
is "$(field CapAmb):$(field CapEff)" "0000000000000001:0000000000000001" \
	"no CAP_SETPCAP: a kept capability is still kept"
# Attack: the capabilities left in the bounding set through a setuid-root
# binary and a file-capability binary.
cp "$R/usr/bin/id" "$R/tmp/suid-id"; chmod 4755 "$R/tmp/suid-id"
is "$(sp "${HARD[@]}" -- appuser exec -u nobody /tmp/suid-id -u 2>&1)" "65534" \
	"no CAP_SETPCAP: a setuid-root binary gives the service nothing"
if command -v setcap >/dev/null && cp "$R/usr/bin/cat" "$R/tmp/fcap-cat" &&
   setcap cap_chown,cap_dac_override+eip "$R/tmp/fcap-cat" 2>/dev/null; then
	st=$(sp "${HARD[@]}" -- appuser exec -u nobody /tmp/fcap-cat /proc/self/status 2>&1)
	is "$(field CapPrm):$(field CapEff)" "0000000000000000:0000000000000000" \
		"no CAP_SETPCAP: a file-capability binary gives the service nothing"
else
	tap_skip "no CAP_SETPCAP: file capabilities" "no setcap or no xattrs on tmpfs"
fi
out=$(sp "${HARD[@]}" -- appuser exec -u nobody --allow-new-privs id 2>&1); rc=$?
is "$rc" 125 "no CAP_SETPCAP + --allow-new-privs: refused (nothing would stand in for the bounding set)"
like "$out" "^appuser: exec: .*CAP_SETPCAP.*--allow-new-privs" "… in one line naming the cause and the way out"
unlike "$out" $'\n' "… one line"
st=$(sp --bounding-set -all,+setuid,+setgid -- appuser exec -u nobody cat /proc/self/status 2>&1)
is "$(field CapBnd)" "00000000000000c0" "only SETUID/SETGID given: exec works, bounding set left"
out=$(sp "${HARD[@]}" -- appuser status 2>&1)
like "$out" "bounding set: chown,dac_override,fowner,setgid,setuid stay" \
	"status: names what stays in the bounding set"
like "$out" "no CAP_SETPCAP.*NoNewPrivs" "status: … and why that is safe"
like "$(inroot "$R" appuser status 2>&1)" "bounding set: emptied" "status: with CAP_SETPCAP it is emptied"
is "$(sp "${HARD[@]}" -- appuser status --json | jq -r .exec.bounding_set_left)" \
	"chown,dac_override,fowner,setgid,setuid" "status --json: exec.bounding_set_left"

# Setuid mode in the same hardened set.
install_appuser "$R" 4755
conf "allow_setuid = yes" "user = application" "uid_range = 1000-60000"
st=$(sp "${HARD[@]}" --reuid 1000 --regid 1000 --clear-groups -- appuser exec cat /proc/self/status 2>&1)
is "$(field Uid):$(field CapEff):$(field NoNewPrivs)" "1000:0000000000000000:1" \
	"setuid mode without CAP_SETPCAP: exec works, no capability, NoNewPrivs"
install_appuser "$R" 0755
rm "$R/etc/appuser.conf"

# --- 2. Runtime-given supplementary groups (Kubernetes fsGroup and
#        supplementalGroups, docker --group-add) are kept for the service.
gids() { sp "$@" | tr ' ' '\n' | sort -n | tr '\n' ' '; }
is "$(gids --groups 2000,1234 -- appuser exec -u nobody id -G)" "1234 2000 65534 " \
	"root: the runtime's groups are kept"
is "$(gids --groups 2000 -- gosu nobody id -G)" "2000 65534 " "root, gosu form: kept"
is "$(gids --groups 2000 -- appuser exec -u nobody:nogroup id -G)" "2000 65534 " \
	"root, user:group: the group, plus the runtime's"
is "$(gids --groups 0,2000 -- appuser exec -u nobody id -G)" "2000 65534 " \
	"root: gid 0 is root's own, never handed to the service"
inroot "$R" sed -i 's/^disk:x:6:$/disk:x:6:root/' /etc/group
is "$(gids --groups 6,2000 -- appuser exec -u nobody id -G)" "2000 65534 " \
	"root: root's own group-file memberships (disk) are not the runtime's"
inroot "$R" sed -i 's/^disk:x:6:root$/disk:x:6:/' /etc/group
is "$(gids --clear-groups -- appuser exec -u nobody id -G)" "65534 " "root: no runtime groups, none added"
install_appuser "$R" 4755
conf "allow_setuid = yes" "user = application" "uid_range = 1000-60000"
is "$(gids --reuid 1000 --regid 1000 --groups 2000 -- appuser exec id -G)" "1000 2000 " \
	"setuid: the caller's groups are kept (holding them is no gain)"
is "$(gids --reuid 1001 --regid 1001 --groups 2000 -- appuser exec id -G)" "1000 2000 " \
	"setuid, another in-range caller: its groups are kept"
is "$(gids --reuid 1001 --regid 1001 --clear-groups -- appuser exec id -G)" "1000 " \
	"setuid: a caller without the group does not get it"
is "$(gids --reuid 1001 --regid 2000 --clear-groups -- appuser exec id -G)" "1000 " \
	"setuid: the caller's primary gid is not added"
status_is 125 "setuid: asking for the group by spec is still refused" \
	sp --reuid 1001 --regid 1001 --clear-groups -- appuser exec -u application:volume id
is "$(gids --nnp --reuid 1000 --regid 1000 --groups 2000 -- appuser exec id -G)" "1000 2000 " \
	"NoNewPrivs (no privilege): the groups stay as they are"
install_appuser "$R" 0755
rm "$R/etc/appuser.conf"
like "$(sp --groups 2000 -- appuser status)" "extra groups: 2000 \\(given by the runtime" "status: shows the runtime groups exec keeps"

# --- 5. Kubernetes "restricted" / OpenShift restricted-v2: --user N:G,
#        no capabilities, NO_NEW_PRIVS.  Nothing can switch users; exec runs
#        the service as the runtime's user with everything an unprivileged
#        process can apply to itself.
RESTRICTED=(--nnp --bounding-set -all --reuid 501 --regid 20 --clear-groups)
st=$(sp "${RESTRICTED[@]}" -- appuser exec cat /proc/self/status 2>&1); rc=$?
is "$rc" 0 "restricted: exec without -u runs the service"
is "$(field Uid):$(field Gid)" "501:20" "restricted: as the runtime's user"
is "$(field NoNewPrivs):$(field Seccomp)" "1:2" "restricted: NoNewPrivs and the seccomp filter"
is "$(field CapEff):$(field CapAmb)" "0000000000000000:0000000000000000" "restricted: no capability"
out=$(sp "${RESTRICTED[@]}" -- appuser exec --cap net_bind_service id -u 2>&1); rc=$?
is "$rc" 0 "restricted: --cap the runtime withheld: the service still starts"
like "$out" "^appuser: exec: .*net_bind_service.*without it" "… after one line saying it runs without it"
is "$(tail -n1 <<<"$out")" "501" "… as the runtime's user"
out=$(sp "${RESTRICTED[@]}" -- appuser exec -u application id 2>&1); rc=$?
is "$rc" 125 "restricted: an explicit other user is refused"
like "$out" "no_new_privs is already set" "… naming the cause"
# A runtime that gives a non-root process ambient capabilities (podman
# --user 501 --cap-add): exec lowers them to what is kept.
AMB=(--reuid 501 --regid 20 --clear-groups --inh-caps +net_bind_service,+chown --ambient-caps +net_bind_service,+chown)
st=$(sp "${AMB[@]}" -- appuser exec cat /proc/self/status 2>&1)
is "$(field CapPrm):$(field CapAmb)" "0000000000000000:0000000000000000" "ambient caps of a non-root caller: dropped"
st=$(sp "${AMB[@]}" -- appuser exec --cap net_bind_service cat /proc/self/status 2>&1)
is "$(field CapPrm):$(field CapAmb)" "0000000000000400:0000000000000400" "… but a --cap it holds is kept"

# --- 7. The setuid bit with no capabilities at all (--user 501:20
#        --cap-drop ALL): root's uid but no power.  Said in one line, and
#        exec carries on as the caller as under "restricted".
install_appuser "$R" 4755
conf "allow_setuid = yes" "user = application" "uid_range = 500-60000"
NOCAPS=(--bounding-set -all --reuid 501 --regid 20 --clear-groups)
is "$(sp "${NOCAPS[@]}" -- appuser exec id -u 2>&1)" "501" "setuid, no caps: exec runs as the caller"
out=$(sp "${NOCAPS[@]}" -- appuser exec -u application id 2>&1); rc=$?
is "$rc" 125 "setuid, no caps: switching is refused"
like "$out" "^appuser: exec: .*bounding set.*CAP_SETUID.*--cap-add" "… naming the cause and the way out"
unlike "$out" "Operation not permitted" "… not a bare EPERM"
install_appuser "$R" 0755
rm "$R/etc/appuser.conf"

done_testing
