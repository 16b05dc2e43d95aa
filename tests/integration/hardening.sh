#!/bin/bash
# The build's hardening survives a packager's flags (issue 11 §6): `make
# CFLAGS=-O0 LDFLAGS=...` on the command line must still compile with the
# language standard, the warnings, the stack protector and PIE, and link
# with -pie, full RELRO (BIND_NOW) and a non-executable stack.  The built
# binaries are read back with readelf and nm, as hardening-check does.
# Builds into a temporary folder; the tree is not touched.
. "$(dirname "$0")/../lib/tap.sh"

for t in make readelf nm cc; do
	command -v $t >/dev/null || { echo "1..0 # SKIP needs $t"; exit 0; }
done
# Not the flags of a `make WERROR=1 check` this may run under.
unset MAKEFLAGS MFLAGS MAKELEVEL WERROR SANITIZE STATIC CPPFLAGS LDFLAGS CFLAGS
TMP=$(mktemp -d /tmp/appuser-harden.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# What make would run: every compile and link line keeps its flags.
lines=$(make -s -n -B -C "$TOP" B="$TMP/n" CFLAGS=-O0 CPPFLAGS=-DX LDFLAGS=-Wl,-O1 WERROR=1 \
	"$TMP/n/appuser" 2>&1)
cc_lines=$(grep -E -- ' -c -o ' <<<"$lines")
link_line=$(grep -E -- "-o $TMP/n/appuser " <<<"$lines")
bad=""
for f in -O0 -std=gnu11 -Wall -Wextra -Wformat=2 -Wformat-nonliteral -Werror \
	 -fstack-protector-strong -fPIE -D_FORTIFY_SOURCE=3 -DX; do
	n=$(grep -c -- " $f " <<<"$cc_lines" || true)
	[ "$n" = "$(wc -l <<<"$cc_lines")" ] || bad+="$f "
done
is "$bad" "" "make CFLAGS=-O0 CPPFLAGS=-DX WERROR=1: every compile keeps the standard, warnings, -Werror, stack protector, PIE, FORTIFY"
like "$link_line" " -Wl,-O1 .*-pie -Wl,-z,relro,-z,now,-z,noexecstack" \
	"make LDFLAGS=-Wl,-O1: the link keeps -pie, relro, now and noexecstack"

# hardened ELF: PIE, BIND_NOW, GNU_RELRO, GNU_STACK not executable, and
# stack-protector calls (in OBJDIR's objects: a static binary holds libc's
# own __stack_chk_fail either way).
hardened() {	# DESC BINARY [OBJDIR]
	local d=$1 b=$2 o=${3:-} dyn
	dyn=$(readelf -d "$b" 2>&1)
	like "$(readelf -h "$b")" "Type: +DYN" "$d: position-independent (ET_DYN)"
	like "$dyn" "FLAGS_1.*PIE" "$d: DF_1_PIE"
	like "$dyn" "BIND_NOW|FLAGS_1.*NOW" "$d: BIND_NOW (full RELRO)"
	like "$(readelf -lW "$b")" "GNU_RELRO" "$d: a RELRO segment"
	like "$(readelf -lW "$b" | grep GNU_STACK)" "GNU_STACK .* RW +0x" "$d: stack not executable"
	if [ -n "$o" ]; then
		like "$(find "$o" -name '*.o' -exec nm {} + 2>/dev/null | grep -c ' U __stack_chk_fail')" \
			"^[1-9]" "$d: stack protector"
	else
		like "$(nm -D "$b" 2>/dev/null)" " U __stack_chk_fail" "$d: stack protector"
	fi
}

if make -s -C "$TOP" B="$TMP/o0" CFLAGS=-O0 LDFLAGS= "$TMP/o0/appuser" >"$TMP/o0.log" 2>&1; then
	hardened "make CFLAGS=-O0 LDFLAGS=" "$TMP/o0/appuser"
else
	tap_not_ok "make CFLAGS=-O0 LDFLAGS= builds"; tap_diag "$(tail -5 "$TMP/o0.log")"
fi
if make -s -C "$TOP" B="$TMP/st" CFLAGS=-O0 LDFLAGS= "$TMP/st/appuser-static" >"$TMP/st.log" 2>&1; then
	hardened "make static CFLAGS=-O0" "$TMP/st/appuser-static" "$TMP/st/static/obj"
	is "$(readelf -d "$TMP/st/appuser-static" | grep -c NEEDED)" 0 "make static CFLAGS=-O0: no shared library"
else
	tap_not_ok "make static CFLAGS=-O0 LDFLAGS= builds"; tap_diag "$(tail -5 "$TMP/st.log")"
fi

# The binary under test (default flags): the same, and FORTIFY's checked
# functions (they need optimisation, so -O0 builds cannot have them).
if nm -D "$APPUSER_BIN" 2>/dev/null | grep -q __asan_init; then
	tap_skip "the binary under test: FORTIFY" "an ASan build"
else
	hardened "the binary under test" "$APPUSER_BIN"
	like "$(nm -D "$APPUSER_BIN")" "__[a-z]+_chk" "the binary under test: FORTIFY's checked functions"
fi

done_testing
