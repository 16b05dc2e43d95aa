# tests/engines/arm64.sh — the real arm64 build (issue 13): a classic
# `docker build --platform linux/arm64` of contrib/docker/Dockerfile.debian,
# unchanged, on an arm64 mmdebstrap base, every arm64 program run by
# qemu-user through binfmt_misc; then `appuser --version` and
# `setup --dry-run` in the image.  Sourced by tests/engines/run, last (the
# arm64 base takes the debian:bookworm tags over).
#
# Opt-in (ENGINES_ARM64=1): everything the build stage does (apt-get of
# build-essential, the compiler, make static) runs emulated, about ten
# times the amd64 build.  The aarch64 handler is the machine's own when it
# has one with the F flag; otherwise one is registered for the run only,
# named after the workspace (lib.sh, arm64_binfmt), and removed by
# engines_cleanup, failure included.

ARM64_IMAGE=appuser-demo:arm64
ARM64_MAGIC='\x7f\x45\x4c\x46\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00'
ARM64_MASK='\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'

# An enabled aarch64 handler whose interpreter the kernel opened at
# registration (F): it works inside containers and chroots too.
arm64_handler() {
	local f
	for f in /proc/sys/fs/binfmt_misc/*; do
		case ${f##*/} in register|status) continue ;; esac
		grep -qx enabled "$f" 2>/dev/null && grep -q '^magic 7f454c460201010000000000000000000200b700' "$f" &&
			grep -q '^flags: [A-Z]*F' "$f" && { echo "${f##*/}"; return 0; }
	done
	return 1
}

# Set up arm64 emulation; says on stdout why it cannot (a skip reason).
arm64_binfmt() {
	local qemu=/usr/bin/qemu-aarch64-static name
	[ -x "$qemu" ] || { echo "no $qemu (apt-get install qemu-user-static)"; return 1; }
	if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
		# This run's own mount namespace (run): the mount goes with it.
		mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null ||
			{ echo "binfmt_misc cannot be mounted here"; return 1; }
	fi
	name=$(arm64_handler) && { echo "# arm64: the machine's binfmt handler $name" >&2; return 0; }
	name=appuser-engines-${ENG_W##*.}-aarch64
	# Debian's qemu-user-static flags (OPF), the kernel's fixed binary.
	printf ':%s:M::%s:%s:%s:OPF' "$name" "$ARM64_MAGIC" "$ARM64_MASK" "$qemu" \
		>/proc/sys/fs/binfmt_misc/register 2>/dev/null ||
		{ echo "cannot register a binfmt_misc handler for aarch64"; return 1; }
	ENG_BINFMT=$name
	echo "# arm64: registered the binfmt handler $name for this run" >&2
}

# e_machine of the ELF file $1: 183 is EM_AARCH64.
elf_machine() { od -An -tu2 -j18 -N2 "$1" | tr -d ' '; }

s_arm64() {
	local n=docker-arm64 why t out ct
	if ! why=$(arm64_binfmt); then tap_skip "$n: the kit built for linux/arm64" "$why"; return; fi
	t=$SECONDS
	if ! base_import arm64; then tap_not_ok "$n: the arm64 mmdebstrap base is imported"; return; fi
	tap_ok "$n: the arm64 mmdebstrap bookworm minbase (built under qemu-user) is imported"
	is "$(dk image inspect -f '{{.Os}}/{{.Architecture}}' debian:bookworm-slim)" linux/arm64 "$n: …as linux/arm64"
	echo "# arm64 base: $((SECONDS - t)) s"
	t=$SECONDS
	if ! kit_build $ARM64_IMAGE --platform linux/arm64 >"$ENG_W/build-arm64.log" 2>&1; then
		tap_not_ok "$n: docker build --platform linux/arm64 of Dockerfile.debian, unchanged"
		tap_diag "$(tail -n 15 "$ENG_W/build-arm64.log")"
		return
	fi
	tap_ok "$n: docker build --platform linux/arm64 of Dockerfile.debian, unchanged"
	echo "# arm64 build: $((SECONDS - t)) s"
	is "$(dk image inspect -f '{{.Os}}/{{.Architecture}}' $ARM64_IMAGE)" linux/arm64 "$n: the image is linux/arm64"
	ct=$(dk create --network none $ARM64_IMAGE) && dk cp "$ct:/usr/local/bin/appuser" "$ENG_W/appuser-arm64" >/dev/null
	dk rm -f "$ct" >/dev/null 2>&1
	is "$(elf_machine "$ENG_W/appuser-arm64" 2>&1)" 183 "$n: /usr/local/bin/appuser in it is an aarch64 ELF binary"
	# --platform: the image's own, so Docker does not warn on stderr.
	out=$(dk run --rm --platform linux/arm64 --network none --entrypoint appuser $ARM64_IMAGE --version 2>&1)
	like "$out" '^appuser [0-9]+\.[0-9]+' "$n: 'appuser --version' runs in it (emulated)"
	is "$(dk run --rm --platform linux/arm64 --network none --entrypoint uname $ARM64_IMAGE -m 2>&1)" aarch64 "$n: …on aarch64 (uname -m)"
	out=$(dk run --rm --platform linux/arm64 --network none -e APPLICATION_UID=501 -e APPLICATION_GID=20 --entrypoint appuser \
		$ARM64_IMAGE setup --dry-run 2>&1)
	like "$out" 'application.*1000.*501' "$n: 'appuser setup --dry-run' there plans the user's move to 501:20"
	unlike "$out" 'Function not implemented|cannot' "$n: …and nothing in it fails under emulation"
	out=$(dk run --rm --platform linux/arm64 --network none --entrypoint appuser $ARM64_IMAGE setup --dry-run 2>&1)
	is "$out" "nothing to do" "$n: …and with the build-time IDs, nothing to do"
}

if [ "${ENGINES_ARM64:-}" = 1 ]; then
	scenario docker-arm64 "" "docker build --platform linux/arm64 under qemu binfmt; --version, setup --dry-run" s_arm64
elif scen_wanted docker-arm64; then
	tap_skip "docker-arm64: the kit built for linux/arm64" "opt-in: ENGINES_ARM64=1 (all emulated: 25 min here)"
fi
