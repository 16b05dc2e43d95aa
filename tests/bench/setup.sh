#!/bin/bash
# appuser setup cost (issue 3's targets), in throwaway roots:
#   1. a no-op setup (the user already matches) vs `appuser exec -u nobody
#      /bin/true` — target <= 1.5x;
#   2. a setup that changes the uid and gid on a 1,000-line passwd, /etc on
#      a loop-mounted ext4 image, vs `usermod -u` + `groupmod -g` — target
#      <= 0.30x (issue 14).
# Random order per round, medians and p10s, ratios, load, and the number of
# durability barriers each takes.  Not part of `make check`.
set -u
. "$TESTS/bench/lib.sh"
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
#    each in its own identical root whose /etc is on ext4 — a folder on an
#    ext4 image this bench makes and loop-mounts (in its own mount
#    namespace), bound over the root's tmpfs /etc: fsync on a tmpfs costs
#    nothing and would hide the durability barriers, and the machine's own
#    disk may be anything — in a new random order each round, alternating
#    between two IDs.  The image lives in BENCH_DISK (default /var/tmp).
DISK=${BENCH_DISK:-/var/tmp}
bench_need mkfs.ext4 e2fsprogs
bench_need losetup mount
IMG=$(mktemp "$DISK/appuser-bench-ext4.XXXXXX") || { echo "BENCH FAILED: mktemp in $DISK"; exit 1; }
EXT4=$APPUSER_SANDBOX_DIR/ext4
DISKDIRS=()
trap 'for d in "${DISKDIRS[@]}"; do umount -l "$d" 2>/dev/null; done; umount -l "$EXT4" 2>/dev/null; rm -f "$IMG"' EXIT
{ truncate -s 256M "$IMG" && mkfs.ext4 -q -F "$IMG" && mkdir -p "$EXT4" && mount -o loop "$IMG" "$EXT4"; } ||
	{ echo "BENCH FAILED: cannot make and loop-mount an ext4 image in $DISK"; exit 1; }
mkroot_1000() {
	local r d; r=$(mkroot "$TESTS/fixtures/webdevops")
	add_users "$r" 980 3000
	mkdir -p "$r/home/application"; touch "$r/home/application/.profile"
	chown -R 1000:1000 "$r/home/application"
	d=$(mktemp -d "$EXT4/etc.XXXXXX") || return 1
	cp -a "$r/etc/." "$d/" && mount --bind "$d" "$r/etc" || return 1
	echo "$r"
}
RA=$(mkroot_1000) && RU=$(mkroot_1000) || { echo "BENCH FAILED: cannot make the roots"; exit 1; }
DISKDIRS=("$RA/etc" "$RU/etc")
bench_need usermod passwd
bench_need groupmod passwd
fstype=$(findmnt -n -o FSTYPE -T "$RA/etc")
[ "$fstype" = ext4 ] || { echo "BENCH FAILED: /etc of the roots is on $fstype, not ext4"; exit 1; }
echo "uid+gid change on a $(wc -l <"$RA/etc/passwd")-line passwd, /etc on $fstype (a loop-mounted image in $(findmnt -n -o FSTYPE -T "$DISK") $DISK), $CHANGE_ROUNDS rounds in a random order"
bench_load before
ta=(); tu=(); tr=()
for ((i = 0; i < CHANGE_ROUNDS + 5; i++)); do
	v=$((2000 + i % 2))
	# Both edit an image folder from outside, with no extra process:
	# setup --root DIR and shadow's own -R CHROOT_DIR.
	for who in $(printf 'a\nu\n' | shuf); do
		t0=$EPOCHREALTIME
		if [ "$who" = a ]; then
			APPLICATION_UID=$v APPLICATION_GID=$v "$APPUSER_BIN" setup --root "$RA" -q || exit 1
		else
			{ usermod -R "$RU" -u $v application && groupmod -R "$RU" -g $v application; } || exit 1
		fi
		t1=$EPOCHREALTIME
		eval "d_$who=\$(awk -v a=\"\$t0\" -v b=\"\$t1\" 'BEGIN { printf \"%.3f\", (b - a) * 1000 }')"
	done
	[ $i -ge 5 ] || continue	# warm-up
	ta+=("$d_a"); tu+=("$d_u")
	tr+=("$(awk -v a="$d_a" -v u="$d_u" 'BEGIN { printf "%.4f", a / u }')")
done
med() { printf '%s\n' "$@" | bench_median; }
p10() { printf '%s\n' "$@" | bench_p10; }
printf '  %-34s median %8.3f ms   p10 %8.3f ms\n' "usermod -u + groupmod -g" "$(med "${tu[@]}")" "$(p10 "${tu[@]}")"
printf '  %-34s median %8.3f ms   p10 %8.3f ms\n' "appuser setup (uid+gid change)" "$(med "${ta[@]}")" "$(p10 "${ta[@]}")"
awk -v am="$(med "${ta[@]}")" -v um="$(med "${tu[@]}")" -v ap="$(p10 "${ta[@]}")" -v up="$(p10 "${tu[@]}")" \
    -v r="$(med "${tr[@]}")" 'BEGIN {
	printf "  ratio setup/usermod+groupmod: %.2fx of the medians, %.2fx of the p10s, %.2fx per round (target <= 0.30x)\n", am / um, ap / up, r }'
bench_load after
# The durability barriers of one run each (strace -c).
barriers() { strace -f -qq -c -o /dev/stdout -e trace=fsync,fdatasync,syncfs,sync,rename,renameat,renameat2 "$@" 2>/dev/null |
	awk '$NF ~ /^(fsync|fdatasync|syncfs|sync)$/ { b += $4 } $NF ~ /^rename/ { r += $4 } END { printf "%d barriers (fsync/fdatasync), %d renames", b, r }'; }
if command -v strace >/dev/null; then
	echo "  appuser setup:      $(APPLICATION_UID=2002 APPLICATION_GID=2002 barriers "$APPUSER_BIN" setup --root "$RA" -q)"
	echo "  usermod + groupmod: $(barriers sh -c "usermod -R '$RU' -u 2002 application && groupmod -R '$RU' -g 2002 application")"
fi
is "$(grep '^application:' "$RA/etc/passwd" | cut -d: -f3)" "$(grep '^application:' "$RU/etc/passwd" | cut -d: -f3)" \
	"both roots end with the same uid" >/dev/null
