# tests/engines/lib.sh — real container engines as test components: a private
# dockerd, a private rootful podman, and the base image they build from.
# Sourced by tests/engines/run and tests/bench/ready.sh; reusable by any test
# that needs an engine (see the interface below).  Needs bash, root, and TOP
# (the checkout).  Everything lives under one workspace, ENG_W, and is
# stopped and removed by engines_cleanup: only what these functions started,
# found by PID or by the workspace path, never by a process name.
#
#   engines_workspace              ENG_W=/tmp/appuser-engines.XXXXXX (0711)
#   engines_cleanup                stop and remove everything; idempotent
#   dockerd_start                  private dockerd; sets ENG_DOCKER_SOCK, DOCKER_HOST
#   dk ARGS...                     Debian's /usr/bin/docker against it
#   dockerd_stop                   remove its containers, stop it, unmount its data root
#   base_tarball [ARCH]            path of the cached mmdebstrap minbase tarball
#   base_import [ARCH]             load it as debian:bookworm and debian:bookworm-slim
#                                  (for ARCH, a Debian architecture: default the host's)
#   kit_build TAG [ARGS...]        docker build of contrib/docker/Dockerfile.debian,
#                                  unchanged, from the checkout (ARGS: --build-arg, --platform)
#   podman_start                   private rootful podman storage and config
#   pm ARGS...                     podman against it
#   podman_stop                    remove its pods and containers, unmount its storage
#   engine_pid ENGINE NAME         host PID of a container's PID 1 (ENGINE: dk or pm)
#   ENG_BINFMT                     a binfmt_misc handler the run registered
#                                  (arm64.sh), removed by engines_cleanup
#
# Engines run with --network none (or host) only: no bridge, no iptables, no
# registry.  Builds use DOCKER_BUILDKIT=0 and --network host (apt-get in the
# build stage reaches the machine's own Debian mirror).

ENG_DOCKER=/usr/bin/docker	# Debian's client, not a stray /usr/local/bin one
ENG_W=${ENG_W:-}
ENG_DOCKERD_PID=
ENG_PODMAN=
ENG_BINFMT=	# a binfmt_misc handler registered for the run (arm64.sh)

engines_workspace() {
	[ -n "$ENG_W" ] && return 0
	ENG_W=$(mktemp -d /tmp/appuser-engines.XXXXXX) || return 1
	# Traversable (not listable) by the unprivileged users of the
	# rootless and --user scenarios, which own folders below it.
	chmod 0711 "$ENG_W"
}

# --- dockerd ---------------------------------------------------------------

dk() { "$ENG_DOCKER" -H "unix://$ENG_DOCKER_SOCK" "$@"; }

# The parent cgroup of every container of this daemon, one per workspace,
# removed (when empty) by dockerd_stop.
eng_cgroup() { echo "appuser-engines.${ENG_W##*.}"; }

dockerd_start() {
	local d=$ENG_W/docker i
	[ -n "$ENG_DOCKERD_PID" ] && return 0
	mkdir -p "$d" || return 1
	ENG_DOCKER_SOCK=$d/docker.sock
	# Its own socket, data root, exec root (containerd's sockets) and
	# cgroup parent: nothing shared with a system dockerd, if any.
	dockerd --iptables=false --ip-masq=false --bridge=none --host "unix://$ENG_DOCKER_SOCK" \
		--data-root "$d/data" --exec-root "$d/exec" --pidfile "$d/dockerd.pid" \
		--cgroup-parent "/$(eng_cgroup)" --userland-proxy=false \
		>"$d/dockerd.log" 2>&1 &
	ENG_DOCKERD_PID=$!
	export DOCKER_HOST=unix://$ENG_DOCKER_SOCK
	for ((i = 0; i < 300; i++)); do
		dk version >/dev/null 2>&1 && return 0
		kill -0 "$ENG_DOCKERD_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "# dockerd did not come up; the end of $d/dockerd.log:" >&2
	tail -n 15 "$d/dockerd.log" | sed 's/^/#   /' >&2
	return 1
}

# Processes whose command line names the workspace (containerd, its shims,
# conmon), which may outlive a killed daemon.  By workspace path only.
eng_stray_pids() {
	local p cl
	for p in /proc/[0-9]*; do
		[ "${p#/proc/}" = "$$" ] && continue
		cl=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
		[[ $cl == *"$ENG_W/"* ]] && echo "${p#/proc/}"
	done
}

eng_kill_wait() {	# PID SECONDS
	local pid=$1 i
	kill -TERM "$pid" 2>/dev/null || return 0
	for ((i = 0; i < $2 * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	sleep 0.2
}

# Unmount everything below DIR, deepest first.
eng_umount_below() {
	local m
	for m in $(awk -v d="$1/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r); do
		umount -l "$m" 2>/dev/null
	done
}

eng_rmdir_cgroups() {
	local c=$(eng_cgroup) d
	for d in /sys/fs/cgroup/*/"$c" /sys/fs/cgroup/"$c"; do
		[ -d "$d" ] || continue
		find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
	done
}

dockerd_stop() {
	[ -n "$ENG_DOCKERD_PID" ] || return 0
	local ids
	ids=$(dk ps -aq 2>/dev/null)
	[ -n "$ids" ] && dk rm -f $ids >/dev/null 2>&1
	eng_kill_wait "$ENG_DOCKERD_PID" 20
	wait "$ENG_DOCKERD_PID" 2>/dev/null
	ENG_DOCKERD_PID=
	eng_umount_below "$ENG_W/docker"
}

# --- base image ------------------------------------------------------------

. "$TOP/tests/engines/base.sh"	# base_tarball

# docker load of a one-layer docker-archive made around the tarball, since
# Docker 20.10's `docker import` cannot say which architecture a foreign root
# is for; the config names it (as Go spells it), so `docker build --platform`
# finds it.
base_import() {
	local arch=${1:-$(dpkg --print-architecture)} tar d diff goarch
	case $arch in
	armhf) goarch='arm","variant":"v7' ;; i386) goarch=386 ;; ppc64el) goarch=ppc64le ;;
	*) goarch=$arch ;;
	esac
	tar=$(base_tarball "${1:-}") || return 1
	d=$ENG_W/base-$arch
	mkdir -p "$d" && { ln -f "$tar" "$d/layer.tar" 2>/dev/null || cp "$tar" "$d/layer.tar"; } || return 1
	diff=$(sha256sum <"$d/layer.tar") && diff=${diff%% *}
	printf '{"architecture":"%s","os":"linux","config":{"Cmd":["bash"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}\n' \
		"$goarch" "$diff" >"$d/config.json"
	printf '[{"Config":"config.json","RepoTags":["debian:bookworm","debian:bookworm-slim"],"Layers":["layer.tar"]}]\n' >"$d/manifest.json"
	tar -C "$d" -cf - manifest.json config.json layer.tar | dk load -q >/dev/null
	local rc=$?
	rm -rf "$d"
	return $rc
}

kit_build() {
	local tag=$1; shift
	DOCKER_BUILDKIT=0 dk build --network host -f "$TOP/contrib/docker/Dockerfile.debian" \
		-t "$tag" "$@" "$TOP"
}


engine_pid() { "$1" inspect -f '{{.State.Pid}}' "$2" 2>/dev/null; }

# --- rootful podman ----------------------------------------------------------

# Private storage, run root, temp dir (podman's default /run/libpod is
# shared), network config, events log, and no registries at all.  Hosts
# where root lacks CAP_SYS_RESOURCE cannot raise RLIMIT_NOFILE/NPROC to
# podman's defaults, so the limits are this shell's own.
podman_start() {
	local p=$ENG_W/podman
	[ -n "$ENG_PODMAN" ] && return 0
	mkdir -p "$p/tmp" "$p/cni" || return 1
	cat >"$p/containers.conf" <<-EOF
	[containers]
	cgroups = "no-conmon"
	default_ulimits = ["nofile=$(ulimit -Hn):$(ulimit -Hn)", "nproc=4096:4096"]
	[engine]
	runtime = "runc"
	cgroup_manager = "cgroupfs"
	events_logger = "file"
	tmp_dir = "$p/tmp"
	image_copy_tmp_dir = "$p/tmp"
	[network]
	network_config_dir = "$p/cni"
	EOF
	cat >"$p/storage.conf" <<-EOF
	[storage]
	driver = "overlay"
	graphroot = "$p/root"
	runroot = "$p/run"
	EOF
	echo 'unqualified-search-registries = []' >"$p/registries.conf"
	ENG_PODMAN=$p
}

# Containers go below the workspace's cgroup, as dockerd's do; pods that
# `kube play` makes cannot be told so and get podman's /libpod_parent/POD-ID,
# removed by podman_stop.  Podman runs an image's HEALTHCHECK from systemd
# timers only (there is no systemd here): the tests run it themselves.
pm() {
	case ${1:-} in run|create) set -- "$1" --cgroup-parent "/$(eng_cgroup)" --no-healthcheck "${@:2}" ;; esac
	CONTAINERS_CONF=$ENG_PODMAN/containers.conf CONTAINERS_STORAGE_CONF=$ENG_PODMAN/storage.conf \
		CONTAINERS_REGISTRIES_CONF=$ENG_PODMAN/registries.conf \
		podman --root "$ENG_PODMAN/root" --runroot "$ENG_PODMAN/run" "$@"
}

podman_stop() {
	[ -n "$ENG_PODMAN" ] || return 0
	local pods p d
	pods=$(pm pod ps -q --no-trunc 2>/dev/null)
	pm pod rm -fa -t 0 >/dev/null 2>&1
	pm rm -fa -t 0 >/dev/null 2>&1
	for p in $pods; do
		for d in /sys/fs/cgroup/*/libpod_parent/"$p" /sys/fs/cgroup/libpod_parent/"$p"; do
			[ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
		done
	done
	eng_umount_below "$ENG_PODMAN"
	ENG_PODMAN=
}

# --- everything --------------------------------------------------------------

engines_cleanup() {
	local p
	[ -n "$ENG_W" ] || return 0
	podman_stop
	dockerd_stop
	for p in $(eng_stray_pids); do eng_kill_wait "$p" 5; done
	eng_umount_below "$ENG_W"
	eng_rmdir_cgroups
	[ -z "$ENG_BINFMT" ] || echo -1 >"/proc/sys/fs/binfmt_misc/$ENG_BINFMT" 2>/dev/null
	ENG_BINFMT=
	rm -rf "$ENG_W"
	ENG_W=
}
