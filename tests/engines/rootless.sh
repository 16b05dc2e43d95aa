#!/bin/bash
# tests/engines/rootless.sh — the image in rootless Podman, as a developer
# runs it, for a user this script makes up: run by tests/engines/run as
#   unshare --pid --fork --mount-proc --mount -- bash rootless.sh WORKSPACE IMAGE.tar IMAGE
# In that private mount namespace an overlay on /etc adds the user and its
# /etc/subuid and /etc/subgid ranges (the host's files are untouched;
# newuidmap and newgidmap read the overlay); everything the user's podman
# leaves running (its pause process, conmon, containers) dies with the pid
# namespace when this script ends.  TAP lines and scenario results on stdout,
# for tap_relay.
set -u
TESTS=$(cd "$(dirname "$0")/.." && pwd)
TOP=$(cd "$TESTS/.." && pwd)
E=$TESTS/engines
. "$TESTS/lib/tap.sh"
. "$E/lib.sh"
. "$E/checks.sh"
. "$E/scenario.sh"
ENG_W=$1 TAR=$2 IMAGE=$3
shift 3
SCEN_ARGS=("$@")
DEV_ENV=(-e APPLICATION_UID=auto -e APPLICATION_GID=auto)

RL_NAME=appuser-rl RL_UID=2501 RL_SUB=200000
RL=$ENG_W/rootless
HOME_RL=$RL/home

rootless_user() {
	mkdir -p "$RL/upper" "$RL/work" "$HOME_RL" "$RL/run" || return 1
	mount -t overlay appuser-rootless-etc -o "lowerdir=/etc,upperdir=$RL/upper,workdir=$RL/work" /etc || return 1
	# podman wants shared mounts for its own namespaces; these are ours.
	mount --make-rshared /
	echo "$RL_NAME:x:$RL_UID:$RL_UID:rootless developer:$HOME_RL:/bin/sh" >>/etc/passwd &&
		echo "$RL_NAME:x:$RL_UID:" >>/etc/group &&
		echo "$RL_NAME:$RL_SUB:65536" >/etc/subuid && echo "$RL_NAME:$RL_SUB:65536" >/etc/subgid || return 1
	chown "$RL_UID:$RL_UID" "$HOME_RL" "$RL/run" && chmod 0700 "$RL/run"
	mkdir -p "$HOME_RL/.config/containers"
	cat >"$HOME_RL/.config/containers/containers.conf" <<-EOF
	[containers]
	default_ulimits = ["nofile=$(ulimit -Hn):$(ulimit -Hn)", "nproc=4096:4096"]
	[engine]
	runtime = "runc"
	cgroup_manager = "cgroupfs"
	events_logger = "file"
	EOF
	printf '[storage]\ndriver = "overlay"\n' >"$HOME_RL/.config/containers/storage.conf"
	echo 'unqualified-search-registries = []' >"$HOME_RL/.config/containers/registries.conf"
	chown -R "$RL_UID:$RL_UID" "$HOME_RL/.config"
}

# podman as the rootless user, in a clean environment.
prl() {
	(cd / && setpriv --reuid="$RL_UID" --regid="$RL_UID" --clear-groups \
		env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$HOME_RL" USER=$RL_NAME LOGNAME=$RL_NAME \
		XDG_RUNTIME_DIR="$RL/run" XDG_CONFIG_HOME="$HOME_RL/.config" \
		CONTAINERS_REGISTRIES_CONF="$HOME_RL/.config/containers/registries.conf" \
		podman "$@")
}

# keep-id: the container runs as the developer's own uid, which podman adds
# to /etc/passwd with the developer's name and home; setup (setuid mode)
# gives the application user that uid.
s_keep_id() {
	local n=podman-rootless-keep-id app
	app=$(app_dir $n $RL_UID:$RL_UID)
	start_ct prl $n "$IMAGE" "$app" --no-healthcheck --userns=keep-id
	check_container $n prl $n $RL_UID $RL_UID "$app" || return
	is "$(prl exec $n id -un 2>&1)" application "$n: the developer's uid is 'application' in the container"
	check_restart $n prl $n
}

# Without keep-id the developer's files are root's in the container: auto
# cannot mean root, and the message says to use keep-id.
s_auto_root_owned() {
	local n=podman-rootless-auto app
	app=$(app_dir $n $RL_UID:$RL_UID)
	start_ct prl $n "$IMAGE" "$app" --no-healthcheck "${DEV_ENV[@]}"
	check_refused $n prl $n 'keep-id'
}

rootless_user || { tap_not_ok "a rootless user with private subuid/subgid ranges"; exit 1; }
if prl load -q -i "$TAR" >/dev/null 2>"$RL/load.log"; then
	tap_ok "rootless podman ($RL_NAME, uid $RL_UID, subuids $RL_SUB+65536 in a private /etc) loads the image"
	scenario podman-rootless-keep-id "" "§3 rootless podman --userns=keep-id, /app the developer's" s_keep_id
	scenario podman-rootless-auto "" "§7 rootless podman, auto on /app (root-owned inside): names --userns=keep-id" s_auto_root_owned
else
	tap_not_ok "rootless podman loads the image"
	tap_diag "$(cat "$RL/load.log")"
fi
prl rm -fa -t 0 >/dev/null 2>&1
echo "1..$TAP_N"
