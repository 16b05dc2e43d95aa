# tests/engines/docker.sh — the kit's image under Docker's runtime contexts.
# Sourced by tests/engines/run (dk, IMAGE, scenario, the checks).  The
# scenarios run in the background, SCEN_JOBS at a time, with the other
# engines' (podman.sh, compose.sh, kube.sh); run waits for them all.

DEV_ENV=(-e APPLICATION_UID=auto -e APPLICATION_GID=auto)
HARDENED=(--cap-drop ALL --cap-add CHOWN --cap-add SETUID --cap-add SETGID --cap-add DAC_OVERRIDE --cap-add FOWNER)
RESTRICTED=(--cap-drop ALL --security-opt no-new-privileges)
OPENSHIFT_UID=1000680000

# The image's HEALTHCHECK command (the kit's is the shell form), run in the
# container as Docker runs it.
check_health() {
	local tag=$1 name=$2 kind
	kind=$(dk inspect -f '{{index .Config.Healthcheck.Test 0}}' "$name" 2>/dev/null)
	if [ "$kind" != CMD-SHELL ]; then
		tap_not_ok "$tag: the image has a HEALTHCHECK"; tap_diag "Test[0]: '$kind'"; return
	fi
	status_is 0 "$tag: the image's HEALTHCHECK passes" \
		dk exec "$name" /bin/sh -c "$(dk inspect -f '{{index .Config.Healthcheck.Test 1}}' "$name")"
}

# A service cannot get root back: a process started as supervisord starts
# one (`appuser exec` from PID 1's user) runs appuser, gosu, setup again.
check_nothing_gained() {
	local tag=$1 name=$2 out rc; shift 2
	out=$(dk exec "$@" "$name" appuser exec -- appuser exec -u root -- id -u 2>&1); rc=$?
	is "$rc" 125 "$tag: a service running 'appuser exec -u root' is refused (125)"
	unlike "$out" '(^|[^0-9])0$' "$tag: …and gets no root shell"
	# setup from a service (NO_NEW_PRIVS: the setuid bit is inert) can
	# change nothing, whatever it is asked for.
	local pid before
	pid=$(engine_pid dk "$name") before=$(etc_state "/proc/$pid/root")
	dk exec "$@" "$name" appuser exec -- env APPLICATION_UID=0 APPLICATION_GID=0 appuser setup >/dev/null 2>&1
	dk exec "$@" "$name" appuser exec -- env APPLICATION_UID=2000 APPLICATION_GID=2000 appuser setup >/dev/null 2>&1
	is "$(etc_state "/proc/$pid/root")" "$before" "$tag: a service re-running 'appuser setup' (uid 0, uid 2000) changes nothing in /etc"
}

s_root() {
	local n=docker-root app
	app=$(app_dir $n 501:20)
	start_ct dk $n "$IMAGE" "$app" "${DEV_ENV[@]}"
	check_container $n dk $n 501 20 "$app" || return
	is "$(dk exec $n sh -c 'id -u application; id -g application')" "$(printf '501\n20')" \
		"$n: setup made 'application' 501:20, the owner of /app"
	like "$(dk exec $n ps -o user:20=,comm= -C nginx | sort -u)" '^application +nginx$' \
		"$n: ps in the container names nginx's user 'application'"
	like "$(tr '\0' ' ' <"/proc/$(engine_pid dk $n)/cmdline")" 'supervisord -n' "$n: PID 1 is supervisord, as root"
	check_health $n $n
	check_nothing_gained $n $n
	check_restart $n dk $n
	dk stop -t 20 $n >/dev/null
	is "$(dk inspect -f '{{.State.Status}} {{.State.ExitCode}}' $n)" "exited 0" "$n: docker stop ends supervisord cleanly"
}

s_user() {
	local n=docker-user app out rc
	app=$(app_dir $n 501:20)
	start_ct dk $n "$IMAGE" "$app" --user 501:20
	check_container $n dk $n 501 20 "$app" || return
	is "$(status_field "$(engine_pid dk $n)" Uid) $(status_field "$(engine_pid dk $n)" CapEff)" \
		"501 501 501 501 0000000000000000" "$n: PID 1 runs as 501, without capabilities"
	is "$(dk exec $n sh -c 'id -u application; id -g application')" "$(printf '501\n20')" \
		"$n: setup (through the setuid bit) made 'application' 501:20"
	check_nothing_gained $n $n
	# The entrypoint's own context: not under NO_NEW_PRIVS, the bit works.
	out=$(dk exec $n appuser exec -u root -- id -u 2>&1); rc=$?
	is "$rc" 125 "$n: the --user caller running 'appuser exec -u root' is refused (125)"
	status_is 125 "$n: a second setup naming uid 0 is refused" dk exec -e APPLICATION_UID=0 $n appuser setup
	status_is 125 "$n: a second setup naming another uid is refused" \
		dk exec -e APPLICATION_UID=1000 -e APPLICATION_GID=1000 $n appuser setup
	check_restart $n dk $n
}

# --user 501 alone: Docker gives gid 0 for a uid the image does not know.
# That is OpenShift's rule (uid in uid_range, gid 0): the application user
# becomes 501 in root's group, and one line says how to keep one's own group.
s_user_nogid() {
	local n=docker-user-uid-only app lines
	app=$(app_dir $n 501:20)
	start_ct dk $n "$IMAGE" "$app" --user 501
	check_container $n dk $n 501 0 "$app" || return
	lines=$(dk logs $n 2>&1 | grep '^appuser: setup: your real gid is 0')
	echo "# $n: $lines"
	is "$(grep -c . <<<"$lines")" 1 "$n: one line says the user joins root's group because the real gid is 0"
	like "$lines" '--user \$\(id -u\):\$\(id -g\)' "$n: …and names the way out: --user \$(id -u):\$(id -g)"
	check_restart $n dk $n
}

s_hardened() {	# [--user U:G]
	local n=docker-hardened${1:+-user} app
	app=$(app_dir $n 501:20)
	start_ct dk $n "$IMAGE" "$app" "${HARDENED[@]}" "${DEV_ENV[@]}" "$@"
	check_container $n dk $n 501 20 "$app" || return
	like "$(dk exec "$n" appuser status 2>&1)" '[Bb]ounding' "$n: appuser status explains the bounding set it could not empty"
	check_restart $n dk $n
}

s_group_add() {	# [--user U:G]
	local n=docker-group-add${1:+-user} app data
	app=$(app_dir $n 501:20)
	data=$ENG_W/app/$n-data
	mkdir -p "$data" && chown 0:4242 "$data" && chmod 2770 "$data"
	start_ct dk $n "$IMAGE" "$app" --group-add 4242 -v "$data:/data" "${DEV_ENV[@]}" "$@"
	check_container $n dk $n 501 20 "$app" 4242 || return
	status_is 0 "$n: a service writes the volume the runtime's group may write" \
		dk exec "$n" appuser exec -- touch /data/written
	check_restart $n dk $n
}

s_openshift() {	# NAME [extra run options]
	local n=$1 app; shift
	app=$(app_dir $n $OPENSHIFT_UID:0)
	chmod -R g=u "$app"
	start_ct dk $n "$IMAGE" "$app" --user $OPENSHIFT_UID:0 "$@"
	check_container $n dk $n $OPENSHIFT_UID 0 "$app" || return
	if [ $# = 0 ]; then
		is "$(dk exec $n whoami 2>&1)" application "$n: whoami names the user (git, ssh need a passwd entry)"
	else	# restricted-v2: nothing can change /etc, the uid stays nameless
		check_one_note $n dk $n 'no_new_privs|no-new-privileges|NoNewPrivs'
	fi
	check_restart $n dk $n
}

s_restricted() {	# NAME [extra run options]
	local n=$1 app; shift
	app=$(app_dir $n 501:20)
	start_ct dk $n "$IMAGE" "$app" --user 501:20 "${RESTRICTED[@]}" "$@"
	check_container $n dk $n 501 20 "$app" || return
	check_one_note $n dk $n 'no_new_privs|no-new-privileges|NoNewPrivs'
	check_restart $n dk $n
}

# --user N alone: Docker takes the primary gid from the image's passwd, so
# 1000 is the build-time user's 1000:1000 and nothing needs changing.
s_restricted_uid() {
	local n=docker-restricted-uid-only app
	app=$(app_dir $n 1000:1000)
	start_ct dk $n "$IMAGE" "$app" --user 1000 "${RESTRICTED[@]}"
	check_container $n dk $n 1000 1000 "$app" || return
	is "$(dk logs $n 2>&1 | grep -c '^appuser: setup:')" 0 "$n: setup is silent: the accounts already fit"
	check_restart $n dk $n
}

s_readonly() {
	local n=docker-read-only app
	app=$(app_dir $n 1000:1000)
	start_ct dk $n "$IMAGE" "$app" --read-only --tmpfs /run --tmpfs /tmp "${DEV_ENV[@]}"
	check_container $n dk $n 1000 1000 "$app" || return
	check_restart $n dk $n
	n=docker-read-only-user
	app=$(app_dir $n 1000:1000)
	start_ct dk $n "$IMAGE" "$app" --read-only --tmpfs /run --tmpfs /tmp --user 1000:1000
	check_container $n dk $n 1000 1000 "$app" || return
	check_restart $n dk $n
}

s_readonly_mismatch() {
	local n=docker-read-only-mismatch app
	app=$(app_dir $n 501:20)
	start_ct dk $n "$IMAGE" "$app" --read-only --tmpfs /run --tmpfs /tmp "${DEV_ENV[@]}"
	check_refused $n dk $n 'read-only.*(build|--read-only)'
}

# Setuid mode whose bit gives nothing (no CAP_SETUID/SETGID in the bounding
# set): as in the restricted contexts, setup says once why and the kit
# carries on as the runtime's user.
s_no_caps_user() {
	local n=docker-user-no-caps app
	app=$(app_dir $n 501:20)
	start_ct dk $n "$IMAGE" "$app" --user 501:20 --cap-drop ALL
	check_container $n dk $n 501 20 "$app" || return
	check_one_note $n dk $n '(CAP_)?SETUID|setuid'
	check_restart $n dk $n
}

# check_one_note TAG ENGINE NAME REGEX — setup's one line in a context where
# it cannot change the accounts: it says so, why (REGEX), and carries on.
check_one_note() {
	local lines
	lines=$("$2" logs "$3" 2>&1 | grep '^appuser: setup:')
	echo "# $1: $lines"
	is "$(grep -c . <<<"$lines")" 1 "$1: setup says in one line that it cannot change the accounts"
	like "$lines" "cannot change the accounts.*($4)" "$1: …and why: /$4/"
	like "$lines" "carrying on" "$1: …and that the container carries on"
}

s_root_no_chown() {
	local n=docker-root-no-chown app
	app=$(app_dir $n 501:20)
	start_ct dk $n "$IMAGE" "$app" --cap-drop ALL --cap-add SETUID --cap-add SETGID "${DEV_ENV[@]}"
	check_refused $n dk $n '(CHOWN|chown).*(DAC_OVERRIDE|dac_override)|(DAC_OVERRIDE|dac_override).*(CHOWN|chown)'
}

s_noise() {
	local n=docker-user-log app logs
	app=$(app_dir $n 501:20)
	start_ct dk $n "$IMAGE" "$app" --user 501:20
	wait_serving dk $n 30
	sleep 1	# the worker's exec comes a moment after nginx's
	logs=$(dk logs $n 2>&1 | grep '^appuser: ')
	is "$(grep -c 'application uid 1000 -> 501' <<<"$logs")" 1 "$n: each change is printed once"
	is "$(grep -c 'audit' <<<"$logs")" 1 "$n: one audit line on stderr (no syslog in the container)"
	unlike "$logs" 'exec: uid' "$n: services' exec adds nothing to their stderr"
}

s_fatal() {
	local n=docker-service-fails app
	app=$(app_dir $n 501:20)
	printf '[program:broken]\ncommand=appuser exec -- /nonexistent\nstartsecs=1\nstartretries=1\n' >"$ENG_W/broken.conf"
	start_ct dk $n "$IMAGE" "$app" -v "$ENG_W/broken.conf:/etc/supervisor/conf.d/broken.conf:ro" "${DEV_ENV[@]}"
	local i st
	for ((i = 0; i < 300; i++)); do
		st=$(dk inspect -f '{{.State.Status}}' $n)
		[ "$st" = exited ] && break
		sleep 0.1
	done
	is "$st" exited "$n: a program that cannot start makes the container exit (not healthy forever)"
	like "$(dk logs $n 2>&1)" "program 'broken' could not be started" "$n: …and the log says which"
}

s_gosu() {
	local n=docker-gosu out
	out=$(dk run --rm --network none --entrypoint sh "$IMAGE" -c \
		'ln -s /usr/local/bin/appuser /tmp/gosu && /tmp/gosu -v; echo "rc=$?"; /tmp/gosu -? >/dev/null; echo "rc=$?"' 2>&1)
	like "$out" '^[0-9]+\.[0-9]+' "$n: 'gosu -v' prints a version number first, as gosu does"
	like "$out" 'rc=0.*rc=0' "$n: 'gosu -v' and 'gosu -?' exit 0"
	like "$(dk run --rm --network none --entrypoint sh "$IMAGE" -c 'ln -s /usr/local/bin/appuser /tmp/gosu && /tmp/gosu --version' 2>&1)" \
		'^[0-9]+\.[0-9]+' "$n: 'gosu --version' prints a version number first"
}

# An image with another user at the uid the host wants: a layer on the
# kit's image adds 'dev' at 1001:1001 (a Linux desktop's second user), as an
# image built FROM it may.
COLLIDE_IMAGE=appuser-demo:collide
collide_image() {
	dk image inspect $COLLIDE_IMAGE >/dev/null 2>&1 && return 0
	printf 'FROM %s\nRUN groupadd -g 1001 dev && useradd -u 1001 -g 1001 -m -s /bin/bash dev\n' "$IMAGE" |
		DOCKER_BUILDKIT=0 dk build -q --network none -t $COLLIDE_IMAGE - >/dev/null
}

s_collision() {
	local n=docker-collision app u g
	collide_image || { tap_not_ok "$n: the image with 'dev' at 501 builds"; return; }
	app=$(app_dir $n 1001:1001)
	start_ct dk $n $COLLIDE_IMAGE "$app" "${DEV_ENV[@]}"
	check_container $n dk $n 1001 1001 "$app" || return
	u=$(dk exec $n id -u dev) g=$(dk exec $n sh -c 'getent group dev | cut -d: -f3')
	if [ "$u" != 1001 ] && [ "$u" -ge 1000 ] 2>/dev/null; then tap_ok "$n (move): 'dev' moved to a free uid ($u)"
	else tap_not_ok "$n (move): 'dev' moved to a free uid"; tap_diag "uid '$u'"; fi
	is "$(dk exec $n stat -c %u:%g /home/dev /home/dev/.bashrc | sort -u)" "$u:$g" "$n (move): dev's files followed it"
	check_restart $n dk $n

	n=docker-collision-fail
	app=$(app_dir $n 1001:1001)
	start_ct dk $n $COLLIDE_IMAGE "$app" "${DEV_ENV[@]}" -e APPLICATION_UID_CONFLICT=fail
	check_refused $n dk $n "belongs to user 'dev'"
}

# The kit on a base that already has a user at 1000, as node:*-bookworm and
# ubuntu:24.04 do (node's own Dockerfile lines): Dockerfile.debian,
# unchanged, built on it in place of debian:bookworm-slim.  Its build-time
# setup meets the collision (APPLICATION_UID_CONFLICT's default, move).
NODE_IMAGE=appuser-demo:node-base
node_image() {
	exec 8>"$ENG_W/node-image.lock" && flock 8	# one build, waited for by all
	dk image inspect $NODE_IMAGE >/dev/null 2>&1 && { exec 8>&-; return 0; }
	printf 'FROM debian:bookworm\nRUN groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node\n' |
		DOCKER_BUILDKIT=0 dk build -q --network none -t appuser-test/node-like-base - >/dev/null &&
		dk tag appuser-test/node-like-base debian:bookworm-slim &&
		kit_build $NODE_IMAGE >"$ENG_W/build-node.log" 2>&1
	local rc=$?
	dk tag debian:bookworm debian:bookworm-slim
	exec 8>&-
	return $rc
}

s_base_1000() {
	local n=docker-base-user-1000 app u g
	node_image || { tap_not_ok "$n: the kit builds on a base with 'node' at 1000"; tap_diag "$(tail -n 8 "$ENG_W/build-node.log")"; return; }
	tap_ok "$n: Dockerfile.debian, unchanged, builds on a base with 'node' at 1000:1000"
	like "$(cat "$ENG_W/build-node.log")" "appuser: setup: .*node" "$n: the build-time setup says what it did with 'node'"
	app=$(app_dir $n 1000:1000)
	start_ct dk $n $NODE_IMAGE "$app" "${DEV_ENV[@]}"
	check_container $n dk $n 1000 1000 "$app" || return
	u=$(dk exec $n id -u node) g=$(dk exec $n id -g node)
	if [ "$u" != 1000 ] && [ "$u" -ge 1000 ] 2>/dev/null; then tap_ok "$n: 'node' moved to a free uid ($u) at build time"
	else tap_not_ok "$n: 'node' moved to a free uid at build time"; tap_diag "uid '$u'"; fi
	is "$(dk exec $n stat -c %u:%g /home/node /home/node/.bashrc | sort -u)" "$u:$g" "$n: node's files followed it"
	check_restart $n dk $n
}

# APPLICATION_USER=node: the application user is the image's own 'node',
# and its group stays 'node' (the kit's config names group 'application'
# for its own user only).
s_node() {
	local n=docker-node app
	node_image || { tap_not_ok "$n: the image with 'node' builds"; return; }
	app=$(app_dir $n 1005:1005)
	start_ct dk $n $NODE_IMAGE "$app" -e APPLICATION_USER=node "${DEV_ENV[@]}"
	check_container $n dk $n 1005 1005 "$app" || return
	is "$(dk exec $n sh -c 'id -un 1005; id -gn node; getent group node | cut -d: -f3')" "$(printf 'node\nnode\n1005')" \
		"$n: uid 1005 is 'node', its group is still 'node', at gid 1005"
	unlike "$(dk exec $n getent group application)" ':1005:' "$n: no group was renamed 'application' to become node's"
	like "$(dk exec $n ps -o user:20=,comm= -C nginx | sort -u)" '^node +nginx$' "$n: nginx runs as 'node'"
	check_restart $n dk $n
}

# The images some scenarios need: the node-like one builds in the
# background meanwhile (its scenarios wait for it).
collide_image
NODE_BUILD=
if scen_wanted docker-node || scen_wanted docker-base-user-1000; then
	node_image >/dev/null 2>&1 &
	NODE_BUILD=$!
fi

scenario_bg docker-root "" "root start, APPLICATION_UID/GID=auto, /app 501:20" s_root
scenario_bg docker-user "" "--user 501:20 (setuid mode)" s_user
scenario_bg docker-user-uid-only "" "§7 --user 501 (gid 0): serves as 501:0, one line names --user \$(id -u):\$(id -g)" s_user_nogid
scenario_bg docker-hardened "" "§1 root, --cap-drop ALL --cap-add CHOWN,SETUID,SETGID,DAC_OVERRIDE,FOWNER" s_hardened
scenario_bg docker-hardened-user "" "§1 the same with --user 501:20" s_hardened --user 501:20
scenario_bg docker-group-add "" "§2 root, --group-add 4242, a 2770 root:4242 volume" s_group_add
scenario_bg docker-group-add-user "" "§2 the same with --user 501:20" s_group_add --user 501:20
scenario_bg docker-openshift "" "§4 --user $OPENSHIFT_UID:0, volume chgrp 0 g=u" s_openshift docker-openshift
scenario_bg docker-openshift-restricted "" "§5 --user $OPENSHIFT_UID:0 --cap-drop ALL --security-opt no-new-privileges (restricted-v2)" s_openshift docker-openshift-restricted "${RESTRICTED[@]}"
scenario_bg docker-openshift-restricted-nbs "" "§5 the same + --cap-add NET_BIND_SERVICE" s_openshift docker-openshift-restricted-nbs "${RESTRICTED[@]}" --cap-add NET_BIND_SERVICE
scenario_bg docker-restricted "" "§5 --user 501:20 --cap-drop ALL --security-opt no-new-privileges: one line, serves as 501:20" s_restricted docker-restricted
scenario_bg docker-restricted-nbs "" "§5 the same + --cap-add NET_BIND_SERVICE" s_restricted docker-restricted-nbs --cap-add NET_BIND_SERVICE
scenario_bg docker-restricted-uid-only "" "§5 --user 1000 (the build-time user) --cap-drop ALL --security-opt no-new-privileges: silent" s_restricted_uid
scenario_bg docker-read-only "" "§6 --read-only --tmpfs /run --tmpfs /tmp, IDs baked at build (1000), root and --user" s_readonly
scenario_bg docker-read-only-mismatch "" "§6 --read-only, /app 501:20 (a change needed): refused, names the way out" s_readonly_mismatch
scenario_bg docker-user-no-caps "" "§7 --user 501:20 --cap-drop ALL: one line naming CAP_SETUID, carries on as 501:20" s_no_caps_user
scenario_bg docker-root-no-chown "" "§7 root, only SETUID,SETGID: refused before touching anything" s_root_no_chown
scenario_bg docker-user-log "" "§8 --user 501:20: each change once, one audit line" s_noise
scenario_bg docker-service-fails "" "§7 a program that cannot start: the container exits" s_fatal
scenario_bg docker-gosu "" "§10 gosu -v, gosu -?" s_gosu
scenario_bg docker-base-user-1000 "" "Dockerfile.debian on a base with 'node' at 1000 (node, ubuntu:24.04 images)" s_base_1000
scenario_bg docker-node "" "§9 APPLICATION_USER=node on that image, /app 1005:1005" s_node
scenario_bg docker-collision "" "another user at the wanted uid: moved (default), or refused (fail)" s_collision
# (run waits for these after the other engines' scenarios have joined them.)
