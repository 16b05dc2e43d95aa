#!/bin/bash
# appuser setup cost (issue 3's targets), in throwaway roots:
#   1. a no-op setup (the user already matches) vs `appuser exec -u nobody
#      /bin/true` — target <= 1.5x;
#   2. a setup that changes the uid and gid on a 1,000-line passwd vs
#      `usermod -u` + `groupmod -g` — target <= 0.3x.
# Interleaved rounds, medians, ratios.  Not part of `make check`.
set -u
. "$TESTS/lib/tap.sh"
. "$TESTS/lib/sandbox.sh"
. "$TESTS/lib/setup.sh"
sandbox_enter "$@"
B=${TOP:?}/build
ROUNDS=${ROUNDS:-1000}
CHANGE_ROUNDS=${CHANGE_ROUNDS:-200}
[ -x "$B/spawn" ] || cc -O2 -o "$B/spawn" "$TESTS/bench/spawn.c" || exit 1

# 1. No-op setup vs exec: both fork+exec from outside the root, no chroot.
R=$(mkroot "$TESTS/fixtures/webdevops")
mkdir -p "$R/home/application" "$R/app"; chown 1000:1000 "$R/home/application" "$R/app"
"$APPUSER_BIN" setup --root "$R" -q || exit 1
echo "setup no-op (--root, webdevops-like root) vs exec, $ROUNDS interleaved rounds"
"$B/spawn" "$ROUNDS" \
	"appuser exec -u nobody /bin/true|$APPUSER_BIN exec -u nobody /bin/true" \
	"appuser setup (no-op)|$APPUSER_BIN setup --root $R -q"

# 2. Changing uid+gid on a 1,000-line passwd: appuser setup vs usermod+groupmod,
#    each in its own identical root, alternating between two IDs.
mkroot_1000() {
	local r; r=$(mkroot "$TESTS/fixtures/webdevops")
	add_users "$r" 980 3000
	mkdir -p "$r/home/application"; touch "$r/home/application/.profile"
	chown -R 1000:1000 "$r/home/application"
	echo "$r"
}
RA=$(mkroot_1000); RU=$(mkroot_1000)
echo "uid+gid change on a $(wc -l <"$RA/etc/passwd")-line passwd, $CHANGE_ROUNDS interleaved rounds"
ta=(); tu=()
for ((i = 0; i < CHANGE_ROUNDS + 5; i++)); do
	v=$((2000 + i % 2))
	# Both edit an image folder from outside, with no extra process:
	# setup --root DIR and shadow's own -R CHROOT_DIR.
	t0=$EPOCHREALTIME
	APPLICATION_UID=$v APPLICATION_GID=$v "$APPUSER_BIN" setup --root "$RA" -q
	t1=$EPOCHREALTIME
	usermod -R "$RU" -u $v application && groupmod -R "$RU" -g $v application
	t2=$EPOCHREALTIME
	[ $i -ge 5 ] || continue	# warm-up
	ta+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) * 1000 }')")
	tu+=("$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.3f", (b - a) * 1000 }')")
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ma=$(median "${ta[@]}"); mu=$(median "${tu[@]}")
printf '  %-34s %8.3f ms\n' "usermod -u + groupmod -g" "$mu" "appuser setup (uid+gid change)" "$ma"
ratio=$(awk -v a="$ma" -v b="$mu" 'BEGIN { printf "%.2f", a / b }')
echo "  ratio setup/usermod+groupmod: ${ratio}x (target <= 0.3x)"
is "$(grep '^application:' "$RA/etc/passwd" | cut -d: -f3)" "$(grep '^application:' "$RU/etc/passwd" | cut -d: -f3)" \
	"both roots end with the same uid" >/dev/null
