#!/bin/bash
# The seccomp filters of every architecture appuser is released for
# (issue 13), proven without that hardware: policyc compiles each profile
# for amd64, i386, arm64, armhf, ppc64el, s390x and riscv64 (each filter
# covering every ABI of that kernel), and filtercheck evaluates the BPF in
# tests/filters/'s interpreter against the policy's table, appuser's
# promises and, for the x86 builds, this kernel's own verdicts.  The
# programs embedded in this build's binaries must be byte for byte what
# policyc made.  With APPUSER_DIST=DIR (make check-dist) the same runs on
# the release binaries' embedded programs, with the syscall numbers of
# each target's kernel headers (APPUSER_DIST_TABLES=DIR).
. "$(dirname "$0")/../../lib/tap.sh"

B=$(dirname "$APPUSER_BIN")
POLICYC=$B/policyc
CHECK=$B/tests/filtercheck
POLICIES=$TOP/policy/seccomp
for t in "$POLICYC" "$CHECK"; do
	[ -x "$t" ] || { tap_not_ok "$t is built (make $t)"; done_testing; exit; }
done
T=$(mktemp -d /tmp/appuser-filters.XXXXXX)
trap 'rm -rf "$T"' EXIT

# filtercheck's TAP, renumbered into ours (not in a pipeline: the count)
relay() {
	local line
	while IFS= read -r line; do
		case $line in
		"ok "*"# SKIP "*) line=${line#ok * - }; tap_skip "${line% # SKIP *}" "${line##* # SKIP }" ;;
		"ok "*) tap_ok "${line#ok * - }" ;;
		"not ok "*) tap_not_ok "${line#not ok * - }" ;;
		"#"*) echo "$line" ;;
		esac
	done
}

# The host's own kernel headers number the x86 ABIs (tests/filters/systable).
for abi in x86_64 x32 i386; do
	"$TOP/tests/filters/systable" "$abi" > "$T/$abi.tbl" 2>/dev/null || rm -f "$T/$abi.tbl"
done
[ -s "$T/x86_64.tbl" ] || tap_skip "x86 syscall numbers from the kernel headers" \
	"no asm/unistd_64.h here; libseccomp's tables only"

declare -A own=([amd64]=x86_64 [i386]=x86 [arm64]=aarch64 [armhf]=arm [ppc64el]=ppc64le
		[s390x]=s390x [riscv64]=riscv64)
for deb in amd64 i386 arm64 armhf ppc64el s390x riscv64; do
	if "$POLICYC" -a "${own[$deb]}" -x "$T/$deb.img" "$POLICIES"/*.policy 2>"$T/err"; then
		tap_ok "policyc compiles every profile for $deb"
		relay < <("$CHECK" -k -t "$T" "$POLICIES" "$T/$deb.img" | sed "s|$T/||")
	else
		tap_not_ok "policyc compiles every profile for $deb"
		tap_diag "$(cat "$T/err")"
	fi
done

# What this build embeds is what policyc made for it.
native=$("$CHECK" -l "$T/amd64.img" 2>/dev/null | sort)
for bin in "$APPUSER_BIN" "${APPUSER_STATIC:-}"; do
	[ -x "$bin" ] || continue
	if [ "$(uname -m)" = x86_64 ]; then
		is "$("$CHECK" -l "$bin" | sort)" "$native" \
			"$(basename "$bin") embeds policyc's amd64 programs, byte for byte"
	fi
	relay < <("$CHECK" -k -t "$T" "$POLICIES" "$bin" | sed "s|$(dirname "$bin")/||")
done

# Release binaries (make check-dist).
if [ -n "${APPUSER_DIST:-}" ]; then
	for bin in "$APPUSER_DIST"/appuser-*-linux-*; do
		deb=${bin##*-linux-}
		[ -n "${own[$deb]:-}" ] || continue
		is "$("$CHECK" -l "$bin" | sort)" "$("$CHECK" -l "$T/$deb.img" | sort)" \
			"$(basename "$bin") embeds policyc's $deb programs, byte for byte"
		relay < <("$CHECK" -k -t "${APPUSER_DIST_TABLES:-$T}" "$POLICIES" "$bin" |
			sed "s|$APPUSER_DIST/||")
	done
fi
done_testing
