# tests/engines/scenario.sh — named scenarios over tests/lib/tap.sh, for
# tests/engines/run and the scripts it runs in other namespaces (rootless.sh).
#
#   scenario NAME TODO WHAT FUNCTION [ARGS...]
#       runs FUNCTION as the scenario NAME (WHAT: its context, for the table).
#       TODO is empty, or the fix it waits for: its failures are then TAP
#       "# TODO" lines (known failures, counted apart from real ones).
#   scenario_table    the table of scenario | result | what, as TAP comments
#   tap_relay         re-number and count the TAP lines of a child script
#                     (stdin), and take over its scenario results

declare -a SCEN_ORDER=()
declare -A SCEN_RESULT SCEN_WHAT
SCEN_ARGS=()	# patterns: run only the scenarios whose name contains one

scenario() {
	local name=$1 todo=$2 what=$3 f=$TAP_FAILED tf=$TAP_TODO_FAILED t=$SECONDS p; shift 3
	if [ ${#SCEN_ARGS[@]} -gt 0 ]; then
		for p in "${SCEN_ARGS[@]}"; do [[ $name == *"$p"* ]] && break; p=; done
		[ -n "$p" ] || return 0
	fi
	echo "# --- $name${todo:+ (known failure until: $todo)}"
	TAP_TODO=$todo "$@"
	if [ "$TAP_FAILED" != "$f" ]; then p=FAIL
	elif [ "$TAP_TODO_FAILED" != "$tf" ]; then p="known failure ($todo)"
	elif [ -n "$todo" ]; then p="passes: remove the known-failure mark ($todo)"
	else p=pass; fi
	echo "# scenario: $name|$p|$what|$((SECONDS - t)) s"
	SCEN_ORDER+=("$name") SCEN_RESULT[$name]=$p SCEN_WHAT[$name]=$what
}

scenario_table() {
	local s
	echo "# scenario | result | what is checked"
	for s in ${SCEN_ORDER[@]+"${SCEN_ORDER[@]}"}; do echo "#   $s | ${SCEN_RESULT[$s]} | ${SCEN_WHAT[$s]}"; done
}

tap_relay() {
	local line rest name res what
	while IFS= read -r line; do
		case $line in
		"ok "*)
			rest=${line#ok }; rest=${rest#* - }; TAP_N=$((TAP_N + 1))
			[[ $rest == *" # TODO "* ]] && TAP_TODO_PASSED=$((TAP_TODO_PASSED + 1))
			echo "ok $TAP_N - $rest" ;;
		"not ok "*)
			rest=${line#not ok }; rest=${rest#* - }; TAP_N=$((TAP_N + 1))
			if [[ $rest == *" # TODO "* ]]; then TAP_TODO_FAILED=$((TAP_TODO_FAILED + 1))
			else TAP_FAILED=$((TAP_FAILED + 1)); fi
			echo "not ok $TAP_N - $rest" ;;
		"1.."*) ;;
		"# scenario: "*)
			IFS='|' read -r name res what _ <<<"${line#\# scenario: }"
			SCEN_ORDER+=("$name") SCEN_RESULT[$name]=$res SCEN_WHAT[$name]=$what
			echo "$line" ;;
		*) echo "$line" ;;
		esac
	done
}
