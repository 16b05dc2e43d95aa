#!/bin/bash
# Releases (issue 13): the version comes from one place, and the static
# binaries of `make dist` work on their architecture.  Foreign ones run
# under qemu-user, called directly (qemu-aarch64-static BINARY ...): the
# host's binfmt_misc is never touched.  In throwaway roots each binary
# runs --version, the account parser (exec -u NAME:GROUP, status), setup,
# status, fix and exec --seccomp none; an exec with a filter must fail
# closed under qemu-user (it has no seccomp(2)) and say why.  The amd64
# and i386 binaries run natively, so there the filter is loaded for real,
# by the i386 one for an x86_64 program too (one filter per kernel).
# APPUSER_DIST=DIR holds the binaries: make check builds arm64 and armhf
# into $B/dist, make check-dist all seven into dist/ and, with
# APPUSER_CROSS_UNIT=1, the unit tests for armhf and s390x.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
sandbox_enter "$@"

# --- the version: src/version.h, and everything that names it ---------------
ver=$(sed -n 's/^#define APPUSER_VERSION "\(.*\)"$/\1/p' "$TOP/src/version.h")
like "$ver" '^[0-9]+\.[0-9]+\.[0-9]+$' "src/version.h holds the version ($ver)"
is "$(make -s -C "$TOP" --no-print-directory -f Makefile -f - print-version <<<'print-version: ; @echo $(VERSION)' 2>/dev/null)" \
	"$ver" "the Makefile's VERSION is src/version.h's"
like "$(sed -n 1,20p "$TOP/README.md")" "Version $ver " "README names it"
like "$(grep '^## ' "$TOP/CHANGELOG.md" | head -1)" "^## $ver " "CHANGELOG.md's newest entry is it"
like "$(head -1 "$TOP/LICENSE")" "^ISC License" "LICENSE: ISC"
R=$(mkroot)
is "$(inroot "$R" appuser --version)" "appuser $ver" "appuser --version says it"

# --- the release binaries --------------------------------------------------------
if [ -z "${APPUSER_DIST:-}" ] || ! ls "$APPUSER_DIST"/appuser-*-linux-* >/dev/null 2>&1; then
	tap_skip "release binaries" "none built (APPUSER_DIST unset or empty: make check or make check-dist)"
fi
declare -A QEMU=([arm64]=qemu-aarch64-static [armhf]=qemu-arm-static [i386]=qemu-i386-static
		 [ppc64el]=qemu-ppc64le-static [s390x]=qemu-s390x-static [riscv64]=qemu-riscv64-static)
declare -A MACHINE=([amd64]='Advanced Micro Devices X86-64' [arm64]=AArch64 [armhf]=ARM
		    [i386]='Intel 80386' [ppc64el]='PowerPC64' [s390x]='IBM S/390' [riscv64]='RISC-V')
declare -A OWN=([amd64]=x86_64 [i386]=x86 [arm64]=aarch64 [armhf]=arm [ppc64el]=ppc64le
		[s390x]=s390x [riscv64]=riscv64)	# libseccomp's names
T=$(sandbox_tmpdir)

# run_with BINARY... : how this machine runs one ("" natively).
runner() {
	local arch=$1 bin=$2 q=${QEMU[$1]:-}
	if [ "$arch" = amd64 ] || { [ "$arch" = i386 ] && "$bin" --version >/dev/null 2>&1; }; then
		echo native
	elif [ -n "$q" ] && [ -x "/usr/bin/$q" ]; then
		echo "/usr/bin/$q"
	fi
}

for bin in "${APPUSER_DIST:-/nonexistent}"/appuser-*-linux-*; do
	[ -e "$bin" ] || continue
	name=${bin##*/} arch=${bin##*-linux-}
	is "$name" "appuser-$ver-linux-$arch" "$name: named for this version"
	hdr=$(readelf -h -l -d "$bin" 2>&1)
	like "$hdr" "Machine: +${MACHINE[$arch]:-?}" "$name: an ELF for $arch"
	unlike "$hdr" "INTERP|NEEDED" "$name: static (no interpreter, no shared library)"
	like "$(readelf -S "$bin")" '\.appuser_seccomp' "$name: carries its filters (.appuser_seccomp)"

	how=$(runner "$arch" "$bin")
	if [ -z "$how" ]; then
		tap_skip "$name: runs" "no ${QEMU[$arch]:-emulator} (apt-get install qemu-user-static)"
		continue
	fi
	# webdevops: 'application' at 1000:1000, as the image made it
	R=$(mkroot "$TESTS/fixtures/webdevops")
	mkdir -p "$R/app/data"; echo hi > "$R/app/data/f"; chown -R 1000:1000 "$R/app"
	APPUSER_BIN=$bin install_appuser "$R"
	Q=(); [ "$how" = native ] || Q=("$how")
	au() { inroot "$R" "${Q[@]}" /opt/appuser/bin/appuser "$@"; }
	au_env() { local e=(); while [ "$1" != -- ]; do e+=("$1"); shift; done; shift
		inroot "$R" /usr/bin/env "${e[@]}" "${Q[@]}" /opt/appuser/bin/appuser "$@"; }
	tag="$name (${how##*/})"

	is "$(au --version)" "appuser $ver" "$tag: --version"
	is "$(au exec -u daemon:mail --seccomp none sh -c 'id -u; id -g' 2>&1 | paste -sd:)" "1:8" \
		"$tag: the account parser: exec -u daemon:mail finds 1 and 8 in the root's files"
	out=$(au exec -u no-such-user --seccomp none true 2>&1); rc=$?
	is "$rc:$(grep -c 'no-such-user' <<<"$out")" "125:1" "$tag: an unknown user is refused by name"

	out=$(au_env APPLICATION_UID=1500 APPLICATION_GID=1500 APPLICATION_PATH=/app -- setup 2>&1); rc=$?
	is "$rc" 0 "$tag: setup moves the application user from 1000:1000 to 1500:1500"
	[ "$rc" = 0 ] || tap_diag "$out"
	like "$(grep '^application:' "$R/etc/passwd")" '^application:x:1500:1500:' "$tag: … in the root's passwd"
	is "$(stat -c %u:%g "$R/app/data/f")" "1500:1500" "$tag: … and /app followed it"
	out=$(au_env APPLICATION_UID=1500 APPLICATION_GID=1500 APPLICATION_PATH=/app -- status 2>&1); rc=$?
	is "$rc" 0 "$tag: status: consistent after setup (exit 0)"
	like "$out" "appuser $ver" "$tag: status names the version"
	out=$(au_env APPLICATION_UID=1500 APPLICATION_GID=1500 APPLICATION_PATH=/app -- status --json 2>&1)
	is "$(jq -r .version <<<"$out" 2>&1)" "$ver" "$tag: status --json is JSON with the version"

	mkdir -p "$R/srv/x/y"; echo a > "$R/srv/x/y/f"; chown -R 2000:2000 "$R/srv/x"
	out=$(au fix --from 2000:2000 --to 1500:1500 /srv/x 2>&1); rc=$?
	is "$rc:$(find "$R/srv/x" -printf '%u:%g\n' | sort -u | paste -sd,)" "0:1500:1500" \
		"$tag: fix moves a tree from 2000 to 1500"

	is "$(au exec -u application --seccomp none sh -c 'id -u; id -g; grep ^CapEff /proc/self/status' 2>&1 | paste -sd' ')" \
		"1500 1500 CapEff:	0000000000000000" "$tag: exec --seccomp none: the application user, no capability"

	# policyc as a build on this architecture runs it (docker build
	# --platform: under qemu-user, where libseccomp's kernel probes fail
	# without seccomp_api_set()).
	pc=${APPUSER_DIST_BUILD:-/nonexistent}/$arch/policyc-target
	if [ -x "$pc" ]; then
		out=$("${Q[@]}" "$pc" -a "${OWN[$arch]}" -x "$T/$arch.img" "$TOP"/policy/seccomp/*.policy 2>&1); rc=$?
		is "$rc:$out" "0:" "$tag: policyc for $arch compiles every profile there"
		"$(dirname "$APPUSER_BIN")/policyc" -a "${OWN[$arch]}" -x "$T/$arch.host.img" "$TOP"/policy/seccomp/*.policy
		if cmp -s "$T/$arch.img" "$T/$arch.host.img"; then
			tap_ok "$tag: … the same programs as the build host's policyc, byte for byte"
		else	# another libseccomp (riscv64's is trixie's): judged on its own
			out=$("$(dirname "$APPUSER_BIN")/tests/filtercheck" -t "${APPUSER_DIST_TABLES:-$T}" \
				"$TOP/policy/seccomp" "$T/$arch.img" 2>&1); rc=$?
			is "$rc:$(grep -c '^ok' <<<"$out"):$(grep -c '^not ok' <<<"$out")" "0:$(grep -c . <<<"$out"):0" \
				"$tag: … other bytes than the host's (its own libseccomp), and filtercheck passes them"
		fi
	else
		tap_skip "$tag: policyc runs there" "no $pc (make dist builds it)"
	fi

	rm -f "$R/tmp/ran"
	out=$(au exec -u application touch /tmp/ran 2>&1); rc=$?
	if [ "$how" = native ]; then
		is "$rc:$(test -e "$R/tmp/ran" && echo ran)" "0:ran" "$tag: exec with the default filter (native kernel)"
		like "$(au exec -u application grep Seccomp: /proc/self/status 2>&1)" 'Seccomp:[[:space:]]+2' \
			"$tag: … the filter is in force (Seccomp: 2) in $(file -b /usr/bin/grep | cut -d, -f1-2)"
	else
		is "$rc:$(test -e "$R/tmp/ran" && echo ran)" "125:" \
			"$tag: exec with a filter fails closed under qemu-user: nothing runs"
		like "$out" "cannot be loaded under emulation \(qemu-user\)" "$tag: … and says why"
		tap_diag "$out"
	fi
	rmroot "$R"
done

# --- the unit tests, cross-built (make check-dist: a 32-bit and a big-endian
#     target), each run under qemu-user through the target's dynamic loader
#     (not -L: qemu would then show the tests its prefix as "/") ---------------------
declare -A TRIPLET=([arm64]=aarch64-linux-gnu [armhf]=arm-linux-gnueabihf [i386]=i686-linux-gnu
		    [ppc64el]=powerpc64le-linux-gnu [s390x]=s390x-linux-gnu [riscv64]=riscv64-linux-gnu)
# Unit tests that cannot work under qemu-user, and why (they pass natively).
declare -A NOT_UNDER_QEMU=(
	[test_no_fchmodat2]="installs a seccomp filter to hide fchmodat2: qemu-user has no seccomp(2)"
)
[ -n "${APPUSER_CROSS_UNIT:-}" ] || tap_skip "unit tests cross-built" "make check-dist runs them"
for d in "${APPUSER_DIST_BUILD:-/nonexistent}"/*/unit/tests/unit; do
	[ -n "${APPUSER_CROSS_UNIT:-}" ] && [ -d "$d" ] || continue
	arch=${d%/unit/tests/unit} arch=${arch##*/} q=/usr/bin/${QEMU[$arch]:-none}
	ld=$(ls /usr/"${TRIPLET[$arch]:-none}"/lib/ld*.so* 2>/dev/null | head -1)
	if [ ! -x "$q" ] || [ -z "$ld" ]; then
		tap_skip "unit tests for $arch" "no $q or no ${TRIPLET[$arch]:-$arch} C library"; continue
	fi
	while IFS= read -r t; do
		name=unit/${t#"$d"/}
		# the sysroot's libraries: the test's own RUNPATH (make cross-unit-one)
		libs=/usr/${TRIPLET[$arch]}/lib:$(readelf -d "$t" | sed -n 's/.*runpath: \[\(.*\)\]/\1/p')
		out=$(cd "$T" && CMOCKA_MESSAGE_OUTPUT=TAP timeout 600 "$q" "$ld" --library-path "$libs" "$t" 2>&1); rc=$?
		nok=0 bad=() known=0
		while IFS= read -r line; do
			case $line in
			"ok "*"# SKIP"*|"not ok "*"# SKIP"*)
				tap_skip "$name for $arch: ${line#*# SKIP }" "not under qemu-user" ;;
			"ok "*) nok=$((nok + 1)) ;;
			"not ok "*) n=${line#not ok * - }
				if [ -n "${NOT_UNDER_QEMU[$n]:-}" ]; then
					tap_skip "$name for $arch: $n" "${NOT_UNDER_QEMU[$n]}"; known=$((known + 1))
				else
					bad+=("$n")
				fi ;;
			esac
		done <<<"$out"
		# cmocka exits with the number of failed tests
		if [ "$rc" = "$known" ] && [ ${#bad[@]} = 0 ] && [ "$nok" -gt 0 ]; then
			tap_ok "$name for $arch under ${q##*/}: $nok passed"
		else
			tap_not_ok "$name for $arch under ${q##*/}: exit $rc, $nok passed, failed: ${bad[*]:-none}"
			tap_diag "$(grep -v '^ok' <<<"$out")"
		fi
	done < <(find "$d" -type f -name 'test_*' -perm -u+x | sort)
done
done_testing
