# tests/engines/podman.sh — the same image in rootful Podman (podman load of
# docker save), with its own storage (lib.sh, podman_start).  Sourced by
# tests/engines/run.

s_podman_root() {
	local n=podman-root app
	app=$(app_dir $n 501:20)
	start_ct pm $n "$IMAGE" "$app" "${DEV_ENV[@]}"
	check_container $n pm $n 501 20 "$app" || return
	is "$(pm exec $n sh -c 'id -u application; id -g application')" "$(printf '501\n20')" \
		"$n: setup made 'application' 501:20, the owner of /app"
	check_restart $n pm $n
}

# Podman writes "501:*:501:20:container user:/:/bin/sh" into /etc/passwd for
# a --user uid the image does not know; the application user takes it over.
s_podman_user() {
	local n=podman-user app
	app=$(app_dir $n 501:20)
	start_ct pm $n "$IMAGE" "$app" --user 501:20
	check_container $n pm $n 501 20 "$app" || return
	is "$(pm exec $n sh -c 'id -un; id -u application; id -g application')" "$(printf 'application\n501\n20')" \
		"$n: uid 501 is 'application' (podman's placeholder line taken over)"
	is "$(pm exec $n grep -c '^[^:]*:[^:]*:501:' /etc/passwd)" 1 "$n: one passwd line for uid 501"
	check_restart $n pm $n
}

if podman_start && dk save "$IMAGE" -o "$ENG_W/image.tar" && chmod 0644 "$ENG_W/image.tar" &&
	pm load -q -i "$ENG_W/image.tar" >/dev/null; then
	tap_ok "podman $(pm version -f '{{.Client.Version}}' 2>/dev/null) (rootful, private storage) loads the image docker built"
	scenario_bg podman-root "" "rootful podman, root start, auto, /app 501:20" s_podman_root
	scenario_bg podman-user "" "§3 rootful podman --user 501:20 (placeholder passwd line)" s_podman_user
	# Rootless: its own pid and mount namespaces (rootless.sh), its TAP lines
	# re-numbered here.
	tap_relay < <(unshare --pid --fork --mount-proc --mount --propagation private -- \
		bash "$E/rootless.sh" "$ENG_W" "$ENG_W/image.tar" "$IMAGE" ${SCEN_ARGS[@]+"${SCEN_ARGS[@]}"} 2>&1)
else
	tap_not_ok "podman (rootful, private storage) loads the image docker built"
fi
