# tests/image/lib.sh — the image for `make check-image`: a Debian root built
# by mmdebstrap from the machine's own Debian mirror and cached outside the
# clone, then "docker build"-ed from contrib/docker/Dockerfile.debian's final
# stage: its package list stands for the mmdebstrap include list (checked to
# match), its COPY lines copy the very contrib/ files, its other RUN lines run
# in the root, and ENTRYPOINT is what the container starts.
#
#   tar=$(image_tarball)                   # build once, then reuse
#   image_install ROOT DOCKERFILE          # sets IMAGE_ENTRYPOINT, IMAGE_ENV
#
# Needs TOP (the checkout) and APPUSER_STATIC (build/appuser-static).

IMAGE_SUITE=bookworm
IMAGE_VARIANT=minbase
IMAGE_PACKAGES="supervisor nginx-light passwd procps"
IMAGE_CACHE=${APPUSER_IMAGE_CACHE:-/var/cache/appuser-test}

# The Debian mirror this machine's apt uses (one-line .list or deb822
# .sources files), so CI downloads from the mirror it can reach.  The first
# "deb" entry that serves $IMAGE_SUITE itself (not -security/-updates) wins.
image_mirror() {
	local f uri
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		case $f in
		*.sources) uri=$(awk -v suite="$IMAGE_SUITE" '
			function flush() { if (deb && enabled && ok && uris != "") { print uris; found = 1; exit } }
			/^[[:space:]]*$/ { flush(); deb = 0; enabled = 1; ok = 0; uris = ""; next }
			BEGIN { enabled = 1 }
			tolower($1) == "types:" { for (i = 2; i <= NF; i++) if ($i == "deb") deb = 1 }
			tolower($1) == "enabled:" { enabled = (tolower($2) != "no") }
			tolower($1) == "uris:" { uris = $2 }
			tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if ($i == suite) ok = 1 }
			END { if (!found) flush() }' "$f") ;;
		*) uri=$(awk -v suite="$IMAGE_SUITE" '
			$1 == "deb" { i = 2; if ($i ~ /^\[/) while ($i !~ /\]$/) i++; if ($i ~ /^\[/ || $i ~ /\]$/) i++
				      if ($(i + 1) == suite) { print $i; exit } }' "$f") ;;
		esac
		[ -n "$uri" ] && { echo "${uri%% *}"; return 0; }
	done
	echo http://deb.debian.org/debian
}

# The cached tarball's path; built with mmdebstrap when missing.  The name
# carries a hash of what goes in, so a changed package list builds anew.
# A lock serialises concurrent runs; a partial build is never renamed into
# place.
image_tarball() {
	local key hash tar tmp log mirror
	key="$IMAGE_SUITE $IMAGE_VARIANT $IMAGE_PACKAGES"
	hash=$(printf '%s' "$key" | sha256sum | cut -c1-12)
	tar=$IMAGE_CACHE/$IMAGE_SUITE-$hash.tar
	mkdir -p "$IMAGE_CACHE" || return 1
	exec 9>"$IMAGE_CACHE/.lock" && flock 9 || return 1
	if [ ! -s "$tar" ]; then
		tmp=$IMAGE_CACHE/.$IMAGE_SUITE-$hash.partial.tar log=$IMAGE_CACHE/$IMAGE_SUITE-$hash.log
		mirror=$(image_mirror)
		echo "# building $tar with mmdebstrap from $mirror" >&2
		rm -f "$tmp"
		if ! mmdebstrap --variant="$IMAGE_VARIANT" --format=tar \
			--include="$(echo $IMAGE_PACKAGES | tr ' ' ,)" \
			"$IMAGE_SUITE" "$tmp" "deb $mirror $IMAGE_SUITE main" >"$log" 2>&1; then
			echo "# mmdebstrap failed; the end of $log:" >&2
			tail -n 15 "$log" | sed 's/^/#   /' >&2
			rm -f "$tmp"; exec 9>&-
			return 1
		fi
		mv "$tmp" "$tar"
	fi
	exec 9>&-
	echo "$tar"
}

# The final stage of a Dockerfile, one instruction per line: comments
# dropped, continuation lines joined.
dockerfile_final_stage() {
	awk '
		/^[[:space:]]*#/ { next }
		{ line = line $0 }
		/\\[[:space:]]*$/ { sub(/\\[[:space:]]*$/, " ", line); next }
		{ if (line ~ /[^[:space:]]/) print line; line = "" }
	' "$1" | awk 'toupper($1) == "FROM" { n = NR } { l[NR] = $0 } END { for (i = n; i <= NR; i++) print l[i] }'
}

# A JSON array of plain strings (ENTRYPOINT ["a", "b"]) into the array named $1.
json_words() {
	local -n _out=$1
	local s=$2 re='^[[:space:]]*"([^"\\]*)"[[:space:]]*,?(.*)$'
	_out=()
	s=${s#*[}; s=${s%]*}
	while [[ $s =~ $re ]]; do _out+=("${BASH_REMATCH[1]}"); s=${BASH_REMATCH[2]}; done
	[[ $s =~ ^[[:space:]]*$ ]]
}

# Packages a RUN line installs with apt-get or apk, one per line.
run_packages() {
	local w on=0
	for w in $1; do
		case $w in
		install|add) on=1 ;;
		'&&'|';') on=0 ;;
		-*) ;;
		*) [ $on = 1 ] && echo "$w" ;;
		esac
	done
}

# image_install ROOT DOCKERFILE — apply the final stage to an unpacked root.
# Sets IMAGE_ENTRYPOINT, IMAGE_CMD (arrays) and IMAGE_ENV (NAME=VALUE list).
image_install() {
	local root=$1 df=$2 ins rest src dst p mode
	IMAGE_ENTRYPOINT=() IMAGE_CMD=() IMAGE_ENV=()
	while IFS= read -r line; do
		read -r ins rest <<<"$line"
		case ${ins^^} in
		FROM|EXPOSE|LABEL) ;;
		RUN)
			if [[ $rest == *"apt-get"*install* || $rest == *"apk add"* ]]; then
				# mmdebstrap already installed the packages: check that it
				# installed every one this line asks for.
				for p in $(run_packages "$rest"); do
					[[ " $IMAGE_PACKAGES " == *" $p "* ]] ||
						{ echo "image_install: $df installs '$p', the e2e image does not" >&2; return 1; }
				done
			else
				chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
					/bin/sh -c "$rest" || { echo "image_install: RUN failed: $rest" >&2; return 1; }
			fi ;;
		COPY)
			set -- $rest
			src=$1 dst=$2
			case $src in
			--from=build) src=$2 dst=$3
				# The build stage's WORKDIR /src is this checkout.
				case $src in
				/src/build/appuser-static) src=$APPUSER_STATIC ;;
				*) echo "image_install: unknown build-stage file '$src'" >&2; return 1 ;;
				esac ;;
			--*) echo "image_install: unsupported COPY option in: $line" >&2; return 1 ;;
			*) src=$TOP/$src ;;
			esac
			[ -f "$src" ] || { echo "image_install: COPY source '$src' missing" >&2; return 1; }
			# COPY keeps the file's mode and makes root its owner.
			mode=$(stat -c %a "$src")
			install -D -o 0 -g 0 -m "$mode" "$src" "$root$dst" || return 1 ;;
		ENV)
			[[ $rest == *=* ]] || { echo "image_install: only ENV NAME=VALUE is supported" >&2; return 1; }
			IMAGE_ENV+=("$rest") ;;
		WORKDIR) mkdir -p "$root$rest" ;;
		ENTRYPOINT) json_words IMAGE_ENTRYPOINT "$rest" || { echo "image_install: ENTRYPOINT must be a JSON array" >&2; return 1; } ;;
		CMD) json_words IMAGE_CMD "$rest" || { echo "image_install: CMD must be a JSON array" >&2; return 1; } ;;
		*) echo "image_install: unsupported instruction '$ins'" >&2; return 1 ;;
		esac
	done < <(dockerfile_final_stage "$df")
	[ ${#IMAGE_ENTRYPOINT[@]} -gt 0 ] || { echo "image_install: no ENTRYPOINT in $df" >&2; return 1; }
}
