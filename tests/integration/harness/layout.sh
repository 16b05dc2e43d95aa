#!/bin/bash
# Tests mirror src/ (tests/README.md): tests/unit/FOLDER/test_MODULE.c
# tests src/FOLDER/MODULE.c, and integration folders are src/ folders.
# A unit test file named for no module fails here; modules without a unit
# test are listed (side effects are tested by the integration tests).
. "$(dirname "$0")/../../lib/tap.sh"
TESTS=${TESTS:-$(cd "$(dirname "$0")/../.." && pwd)}
TOP=${TOP:-$(cd "$TESTS/.." && pwd)}

# Unit test files that test something other than one module, and why.
declare -A EXCEPT=(
	[seccomp/test_filters.c]="the compiled built-in profiles (build/gen), against tests/filters/"
)

bad=""
while IFS= read -r t; do
	rel=${t#"$TESTS"/unit/}
	[ -n "${EXCEPT[$rel]:-}" ] && continue
	dir=$(dirname "$rel") base=$(basename "$rel" .c)
	src=$TOP/src/${dir#.}/${base#test_}.c
	[ -e "${src/\/\//\/}" ] || bad+=" $rel"
done < <(find "$TESTS/unit" -name 'test_*.c' | sort)
is "$bad" "" "every tests/unit/FOLDER/test_MODULE.c has its src/FOLDER/MODULE.c"

bad=""
for d in "$TESTS"/integration/*/; do
	d=$(basename "$d")
	[ "$d" = harness ] || [ -d "$TOP/src/$d" ] || bad+=" $d"
done
is "$bad" "" "every tests/integration/FOLDER is a src/ folder (or harness/)"

untested=""
while IFS= read -r s; do
	rel=${s#"$TOP"/src/}
	dir=$(dirname "$rel") base=$(basename "$rel" .c)
	[ "$dir" = . ] && t=$TESTS/unit/test_$base.c || t=$TESTS/unit/$dir/test_$base.c
	[ -e "$t" ] || untested+=" $rel"
done < <(find "$TOP/src" -name '*.c' | sort)
mapfile -t lines < <(fold -s -w 88 <<<"${untested# }")
tap_diag "modules without a unit test (integration tests only):" "${lines[@]}"

done_testing
