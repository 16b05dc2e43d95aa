# tests/engines/base.sh — the base image the engines build from: Debian
# bookworm minbase from mmdebstrap, made from the machine's own Debian mirror
# (there is no registry) and cached outside the clone.  Sourced by lib.sh.
#
#   tar=$(base_tarball [ARCH])      build once (per ARCH), then reuse
#
# ARCH is a Debian architecture (arm64, ...), empty for the host's; a
# foreign one needs a binfmt_misc handler with the F flag (arm64.sh):
# mmdebstrap's own check needs arch-test, and it copies qemu into the root
# unless the handler has the Debian name, so the check is skipped and the
# copy removed.

BASE_SUITE=bookworm
BASE_VARIANT=minbase
BASE_CACHE=${APPUSER_IMAGE_CACHE:-/var/cache/appuser-test}

# The Debian mirror this machine's apt uses (one-line .list or deb822
# .sources files), so CI downloads from the mirror it can reach.  The first
# "deb" entry that serves $BASE_SUITE itself (not -security/-updates) wins.
base_mirror() {
	local f uri
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		case $f in
		*.sources) uri=$(awk -v suite="$BASE_SUITE" '
			function flush() { if (deb && enabled && ok && uris != "") { print uris; found = 1; exit } }
			/^[[:space:]]*$/ { flush(); deb = 0; enabled = 1; ok = 0; uris = ""; next }
			BEGIN { enabled = 1 }
			tolower($1) == "types:" { for (i = 2; i <= NF; i++) if ($i == "deb") deb = 1 }
			tolower($1) == "enabled:" { enabled = (tolower($2) != "no") }
			tolower($1) == "uris:" { uris = $2 }
			tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if ($i == suite) ok = 1 }
			END { if (!found) flush() }' "$f") ;;
		*) uri=$(awk -v suite="$BASE_SUITE" '
			$1 == "deb" { i = 2; if ($i ~ /^\[/) while ($i !~ /\]$/) i++; if ($i ~ /^\[/ || $i ~ /\]$/) i++
				      if ($(i + 1) == suite) { print $i; exit } }' "$f") ;;
		esac
		[ -n "$uri" ] && { echo "${uri%% *}"; return 0; }
	done
	echo http://deb.debian.org/debian
}

# The cached tarball's path; built with mmdebstrap when missing.  The name
# carries a hash of what goes in.  A lock serialises concurrent runs; a
# partial build is never renamed into place.
base_tarball() {
	local arch=${1:-} key hash tar tmp log mirror rc=0
	key="$BASE_SUITE $BASE_VARIANT${arch:+ $arch}"
	hash=$(printf '%s' "$key" | sha256sum | cut -c1-12)
	tar=$BASE_CACHE/$BASE_SUITE-$hash.tar
	mkdir -p "$BASE_CACHE" || return 1
	# One lock per tarball: an arm64 build (minutes, emulated) does not
	# hold up a run that only needs the host's.
	exec 9>"$BASE_CACHE/.lock-$hash" && flock 9 || return 1
	if [ ! -s "$tar" ]; then
		tmp=$BASE_CACHE/.$BASE_SUITE-$hash.partial.tar log=$BASE_CACHE/$BASE_SUITE-$hash.log
		mirror=$(base_mirror)
		echo "# building $tar ($key) with mmdebstrap from $mirror" >&2
		rm -f "$tmp"
		local foreign=()
		[ -n "$arch" ] && [ "$arch" != "$(dpkg --print-architecture)" ] &&
			foreign=(--skip=check/qemu --customize-hook='rm -f "$1"/usr/bin/qemu-*-static')
		if mmdebstrap --variant="$BASE_VARIANT" --format=tar ${arch:+--architectures="$arch"} \
			${foreign[@]+"${foreign[@]}"} "$BASE_SUITE" "$tmp" "deb $mirror $BASE_SUITE main" >"$log" 2>&1; then
			mv "$tmp" "$tar"
		else
			echo "# mmdebstrap failed; the end of $log:" >&2
			tail -n 15 "$log" | sed 's/^/#   /' >&2
			rm -f "$tmp"; rc=1
		fi
	fi
	exec 9>&-
	[ "$rc" = 0 ] && echo "$tar"
}
