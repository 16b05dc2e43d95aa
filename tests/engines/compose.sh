# tests/engines/compose.sh — contrib/docker/compose.yaml with docker-compose
# (Debian's 1.29), as a developer runs it: UID/GID from the shell, the
# checkout at /app.  An override file only names the image built above
# (compose would build the same Dockerfile again) and sets network_mode:
# none (no bridge here; compose then ignores the port mapping).
# Sourced by tests/engines/run.

# One project (and override file) per scenario: they run side by side.
compose() {
	env UID="$CP_UID" GID="$CP_GID" APP_DIR="$CP_APP" \
		docker-compose -p "appuser-engines-$CP_NAME" -f "$TOP/contrib/docker/compose.yaml" \
		-f "$ENG_W/$CP_NAME.override.yaml" "$@"
}

s_compose() {	# [user]
	local n=compose${1:+-user} app ct=appuser-engines-compose${1:+-user}_app_1
	app=$(app_dir $n 501:20)
	CP_UID=501 CP_GID=20 CP_APP=$app CP_NAME=$n
	{
		printf 'services:\n  app:\n    image: %s\n    network_mode: none\n' "$IMAGE"
		# compose.yaml's commented-out alternative, switched on.
		[ -z "${1:-}" ] || echo '    user: "${UID}:${GID}"'
	} >"$ENG_W/$n.override.yaml"
	if ! compose up -d --no-build >"$ENG_W/$n.log" 2>&1; then
		tap_not_ok "$n: docker-compose up"; tap_diag "$(cat "$ENG_W/$n.log")"; return
	fi
	tap_ok "$n: docker-compose up (contrib/docker/compose.yaml)"
	check_container $n dk $ct 501 20 "$app" && check_restart $n dk $ct
	compose down -t 20 >/dev/null 2>&1
	is "$(dk ps -aq --filter name=$ct)" "" "$n: docker-compose down removes it"
}

if command -v docker-compose >/dev/null; then
	scenario_bg compose "" "docker-compose up, UID=501 GID=20, /app 501:20" s_compose
	scenario_bg compose-user "" "the same with compose.yaml's user: \"\${UID}:\${GID}\"" s_compose user
else
	tap_not_ok "docker-compose is installed (tests/deps engines)"
fi
