# tests/engines/kube.sh — contrib/kubernetes/pod-*.yaml, unchanged, with
# `podman kube play --network none`: Pod Security Standards baseline and
# restricted.  The pods run "your image": the kit's image plus a site in
# /app (a layer built FROM it, tagged as the manifests' image in podman's
# storage only).  Sourced by tests/engines/run after podman.sh.

kube_image() {
	local d=$ENG_W/site
	mkdir -p "$d" &&
		printf '<!doctype html>\n<p>served by appuser engines test kube</p>\n' >"$d/index.html" &&
		printf 'FROM %s\nCOPY index.html /app/\nRUN mkdir /app/var && chown application:application /app/var\n' "$IMAGE" >"$d/Dockerfile" &&
		DOCKER_BUILDKIT=0 dk build -q --network none -t appuser-demo:site "$d" >/dev/null &&
		dk save appuser-demo:site | pm load -q >/dev/null &&
		pm tag localhost/appuser-demo:site localhost/appuser-demo:latest
}

s_kube() {	# LEVEL UID GID
	local level=$1 n=kube-$1 y=$TOP/contrib/kubernetes/pod-$1.yaml ct=appuser-demo-$1-app
	if ! pm kube play --network none "$y" >"$ENG_W/$n.log" 2>&1; then
		tap_not_ok "$n: podman kube play $(basename "$y")"; tap_diag "$(cat "$ENG_W/$n.log")"; return
	fi
	tap_ok "$n: podman kube play contrib/kubernetes/$(basename "$y")"
	check_container $n pm $ct "$2" "$3" @ && check_restart $n pm $ct
	pm kube down "$y" >/dev/null 2>&1
	is "$(pm pod ps -q --filter name=appuser-demo-$level)" "" "$n: podman kube down removes the pod"
}

if [ -n "$ENG_PODMAN" ] && kube_image; then
	tap_ok "the manifests' image (the kit's + a site in /app) is in podman's storage"
	scenario_bg kube-baseline "" "§5 kube play pod-baseline.yaml: root, caps CHOWN,DAC_OVERRIDE,FOWNER,SETUID,SETGID" s_kube baseline 1000 1000
	scenario_bg kube-restricted "" "§5 kube play pod-restricted.yaml: runAsUser 1000, drop ALL, no privilege escalation" s_kube restricted 1000 1000
else
	tap_not_ok "the manifests' image is in podman's storage"
fi
