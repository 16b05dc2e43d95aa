#!/bin/bash
# The container kit (contrib/docker, contrib/kubernetes) as files: what can be
# checked without an engine, for every Dockerfile (only Dockerfile.debian can
# be built here, by `make check-engines`: there is no registry for
# ubuntu:24.04 or alpine:3.20).  Needs no root.
. "$(dirname "$0")/../lib/tap.sh"
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
K=$TOP/contrib/docker

for df in "$K"/Dockerfile.*; do
	d=$(basename "$df")
	missing=
	for src in $(awk 'toupper($1) == "COPY" && $2 !~ /^--/ && $2 != "." { print $2 }' "$df"); do
		[ -f "$TOP/$src" ] || missing+=" $src"
	done
	is "$missing" "" "$d: every COPY source exists in the checkout"
	like "$(grep -c 'chmod 4755 /usr/local/bin/appuser' "$df")" '^1$' "$d: installs appuser setuid root, mode last"
	like "$(grep -c 'chmod 0644 /etc/appuser.conf' "$df")" '^1$' "$d: appuser.conf is 0644 whatever the checkout's umask"
	like "$(grep -c '^RUN appuser setup$' "$df")" '^1$' "$d: the application user is made at build time (read-only roots)"
	like "$(grep -c '^HEALTHCHECK ' "$df")" '^1$' "$d: has a HEALTHCHECK"
	like "$(grep -c '^EXPOSE 8080$' "$df")" '^1$' "$d: exposes nginx's 8080"
	like "$(tail -n 1 "$df")" '^ENTRYPOINT \["/usr/local/bin/entrypoint.sh"\]$' "$d: the kit's entrypoint is the ENTRYPOINT"
done
for sh in entrypoint.sh supervisord-fatal.sh; do
	check "$sh is POSIX sh (dash -n)" sh -n "$K/$sh"
	if command -v busybox >/dev/null; then
		check "$sh parses in busybox sh (Alpine)" busybox sh -n "$K/$sh"
	fi
	check "$sh is executable in the checkout (COPY keeps the mode)" test -x "$K/$sh"
done
listens=$(grep -E '^[[:space:]]*listen ' "$K/nginx.conf")
like "$listens" 'listen' "nginx.conf has listen lines"
unlike "$(grep -Ev 'listen (\[::\]:)?8080 ' <<<"$listens")" 'listen' "nginx.conf listens on 8080 only (no capability needed)"
unlike "$(grep '^command=' "$K/supervisord.conf")" '--cap' "supervisord.conf: no service asks for a capability"

# The fatal listener speaks supervisord's protocol: READY, then for an event
# RESULT 2\nOK and a TERM to its parent (a stand-in that records it).
out=$(bash -c '
	trap "echo got-TERM; exit 0" TERM
	payload="processname:nginx groupname:nginx from_state:BACKOFF"
	{ printf "ver:3.0 server:supervisor serial:1 pool:fatal poolserial:1 eventname:PROCESS_STATE_FATAL len:%d\n%s" "${#payload}" "$payload"; sleep 5; } |
		'"$K"'/supervisord-fatal.sh 2>&1 &
	wait' 2>&1)
like "$out" "^READY" "supervisord-fatal.sh: READY first"
like "$out" "program 'nginx' could not be started" "supervisord-fatal.sh: names the FATAL program"
like "$out" $'RESULT 2\nOK' "supervisord-fatal.sh: acknowledges the event"
like "$out" "got-TERM" "supervisord-fatal.sh: stops supervisord (TERM to its parent)"

for y in "$TOP"/contrib/kubernetes/*.yaml; do
	if python3 -c 'import yaml' 2>/dev/null; then
		check "$(basename "$y"): parses as YAML" python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' "$y"
	else tap_skip "$(basename "$y"): parses as YAML" "no python3-yaml"; fi
done
done_testing
