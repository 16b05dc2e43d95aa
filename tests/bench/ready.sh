#!/bin/bash
# Time to ready: from `docker run -d` to the first HTTP 200 from nginx, for a
# developer's bind mount of 100,000 files owned by 501:20 while the image's
# user is 1000:1000 (the kit's build-time user).  Three images with the same
# nginx, differing only in the entrypoint (ready/Dockerfile):
#   appuser     the kit's entrypoint.sh: appuser setup, exec appuser exec nginx
#   status quo  usermod -o -u, groupmod -o -g, chown -R, exec gosu (ready/statusquo.sh)
#   floor       nothing renumbered: exec gosu 501:20 nginx
# First start (a new container) and restart (`docker start` of the stopped
# one), the three in a new random order every round; medians, p10, ratios
# to the floor.  A private dockerd as in check-engines (tests/engines/lib.sh).
# Not part of `make check`.
set -u
. "$TESTS/bench/lib.sh"
. "$TESTS/lib/tap.sh"
[ "$(id -u)" = 0 ] || { echo "BENCH FAILED: ready.sh needs root (dockerd)" >&2; exit 1; }
if [ -z "${APPUSER_ENGINES_NS:-}" ]; then
	APPUSER_ENGINES_NS=1 exec unshare --mount --propagation private -- bash "$0" "$@"
fi
. "$TESTS/engines/lib.sh"
bench_need gosu gosu
bench_need dockerd docker.io
ROUNDS=${ROUNDS:-11}
FILES=${FILES:-100000}
trap engines_cleanup EXIT
trap 'exit 130' INT TERM HUP

engines_workspace && dockerd_start && base_import || exit 1
t=$SECONDS
kit_build appuser-demo:latest >"$ENG_W/build.log" 2>&1 || { tail -n 15 "$ENG_W/build.log"; exit 1; }
ctx=$ENG_W/ready
mkdir -p "$ctx" && cp "$TESTS/bench/ready/Dockerfile" "$TESTS/bench/ready/statusquo.sh" "$(command -v gosu)" "$ctx/" &&
	sed 's|^\([[:space:]]*access_log\) /dev/stdout;|\1 off;|' "$TOP/contrib/docker/nginx.conf" >"$ctx/nginx.conf" || exit 1
for v in appuser statusquo floor; do
	DOCKER_BUILDKIT=0 dk build -q --network none --target $v -t ready-$v "$ctx" >/dev/null || exit 1
done
echo "# images built in $((SECONDS - t)) s"

# The bind mount: FILES empty files in folders of 1,000, and the site.
APP=$ENG_W/app
mkdir -p "$APP" && (
	cd "$APP" || exit 1
	for ((d = 0; d < FILES / 1000; d++)); do
		mkdir "d$d" && (cd "d$d" && seq -f 'f%g' 1 1000 | xargs touch)
	done
	echo '<p>ready</p>' >index.html
) && chown -R 501:20 "$APP" || exit 1
echo "# /app: $(find "$APP" | wc -l) entries, owned 501:20; the images' user is 1000:1000"

# ready PID — wait, from inside the container's network namespace, until GET /
# answers 200; one poller process, a try every 5 ms.
ready() {
	nsenter -t "$1" -n bash -c '
		for ((i = 0; i < 12000; i++)); do
			if exec 3<>/dev/tcp/127.0.0.1/8080; then
				printf "GET / HTTP/1.0\r\n\r\n" >&3
				read -r _ code _ <&3
				exec 3<&-
				[ "$code" = 200 ] && exit 0
			fi 2>/dev/null
			sleep 0.005
		done
		exit 1'
}
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", (b - a) * 1000 }'; }

# start VARIANT NAME — docker run -d to 200, in ms on stdout.
start() {
	local t0 pid
	t0=$EPOCHREALTIME
	dk run -d --name "$2" --network none -v "$APP:/app" "ready-$1" >/dev/null || return 1
	pid=$(engine_pid dk "$2") && ready "$pid" || return 1
	ms "$t0" "$EPOCHREALTIME"
}
# restart NAME — the stopped container started again (its /etc as the first
# start left it), docker start to 200.
restart() {
	local t0 pid
	dk stop -t 10 "$1" >/dev/null || return 1
	t0=$EPOCHREALTIME
	dk start "$1" >/dev/null || return 1
	pid=$(engine_pid dk "$1") && ready "$pid" || return 1
	ms "$t0" "$EPOCHREALTIME"
}

VARIANTS=(appuser statusquo floor)
declare -A FIRST RESTART
echo "# $ROUNDS rounds (+1 warm-up), the three in a new random order each round"
for ((r = 0; r <= ROUNDS; r++)); do
	for i in $(bench_shuffle ${#VARIANTS[@]}); do
		v=${VARIANTS[$i]} n=ready-$v-$r
		f=$(start "$v" "$n") || { echo "BENCH FAILED: $v did not serve"; dk logs "$n" 2>&1 | tail -n 5; exit 1; }
		s=$(restart "$n") || { echo "BENCH FAILED: $v did not serve after a restart"; dk logs "$n" 2>&1 | tail -n 5; exit 1; }
		dk rm -f "$n" >/dev/null
		[ $r = 0 ] && continue	# warm-up
		FIRST[$v]+="$f " RESTART[$v]+="$s "
	done
done
# Every start left the mount as it was: still 501:20 throughout.
is "$(find "$APP" \( ! -user 501 -o ! -group 20 \) | wc -l)" 0 "the bind mount is still owned 501:20" >/dev/null ||
	echo "BENCH FAILED: the mount's owners changed"

med() { printf '%s\n' $1 | bench_median; }
p10() { printf '%s\n' $1 | bench_p10; }
fm=$(med "${FIRST[floor]}") rm_=$(med "${RESTART[floor]}")
printf '  %-44s %9s %9s %7s   %9s %9s %7s\n' "median (p10), ms" first p10 "/floor" restart p10 "/floor"
for v in appuser statusquo floor; do
	case $v in
	appuser) label="appuser (kit entrypoint: setup + exec)" ;;
	statusquo) label="status quo (usermod, groupmod, chown -R, gosu)" ;;
	floor) label="floor (gosu 501:20, nothing renumbered)" ;;
	esac
	a=$(med "${FIRST[$v]}") b=$(med "${RESTART[$v]}")
	printf '  %-44s %9s %9s %6.2fx   %9s %9s %6.2fx\n' "$label" "$a" "$(p10 "${FIRST[$v]}")" \
		"$(awk -v a="$a" -v b="$fm" 'BEGIN { print a / b }')" "$b" "$(p10 "${RESTART[$v]}")" \
		"$(awk -v a="$b" -v b="$rm_" 'BEGIN { print a / b }')"
done
echo "  target: appuser's first start <= 1.3x the floor"
