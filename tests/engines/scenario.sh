# tests/engines/scenario.sh — named scenarios over tests/lib/tap.sh, for
# tests/engines/run and the scripts it runs in other namespaces (rootless.sh).
#
#   scenario NAME TODO WHAT FUNCTION [ARGS...]
#       runs FUNCTION as the scenario NAME (WHAT: its context, for the table).
#       TODO is empty, or the fix it waits for: its failures are then TAP
#       "# TODO" lines (known failures, counted apart from real ones).
#   scenario_bg ARGS...  the same, in the background, SCEN_JOBS at a time
#                     (containers mostly wait; 3 at once fit 2 cores); its
#                     TAP lines are reported in order by scenarios_wait
#   scenarios_wait    wait for them all
#   scenario_table    the table of scenario | result | what, as TAP comments
#   tap_relay         re-number and count the TAP lines of a child script
#                     (stdin), and take over its scenario results

declare -a SCEN_ORDER=()
declare -A SCEN_RESULT SCEN_WHAT
SCEN_ARGS=()	# patterns: run only the scenarios whose name contains one

# scen_wanted NAME — NAME matches one of SCEN_ARGS (or there are none).
scen_wanted() {
	local p
	[ ${#SCEN_ARGS[@]} -eq 0 ] && return 0
	for p in "${SCEN_ARGS[@]}"; do [[ $1 == *"$p"* ]] && return 0; done
	return 1
}

scenario() {
	local name=$1 todo=$2 what=$3 f=$TAP_FAILED tf=$TAP_TODO_FAILED t=$SECONDS p; shift 3
	scen_wanted "$name" || return 0
	echo "# --- $name${todo:+ (known failure until: $todo)}"
	TAP_TODO=$todo "$@"
	if [ "$TAP_FAILED" != "$f" ]; then p=FAIL
	elif [ "$TAP_TODO_FAILED" != "$tf" ]; then p="known failure ($todo)"
	elif [ -n "$todo" ]; then p="passes: remove the known-failure mark ($todo)"
	else p=pass; fi
	echo "# scenario: $name|$p|$what|$((SECONDS - t)) s"
	SCEN_ORDER+=("$name") SCEN_RESULT[$name]=$p SCEN_WHAT[$name]=$what
}

SCEN_JOBS=${SCEN_JOBS:-3}
SCEN_BG_PIDS=() SCEN_BG_OUT=()
scenario_bg() {
	local out n=${#SCEN_BG_OUT[@]} run
	scen_wanted "$1" || return 0
	out=$ENG_W/scenario.$n.tap
	while run=$(scen_running) && [ "$(wc -w <<<"$run")" -ge "$SCEN_JOBS" ]; do
		wait -n $run 2>/dev/null
		scen_flush
	done
	(TAP_N=0 TAP_FAILED=0 TAP_TODO_FAILED=0 TAP_TODO_PASSED=0 TAP_SKIPPED=0; scenario "$@") >"$out" 2>&1 &
	SCEN_BG_PIDS+=($!) SCEN_BG_OUT+=("$out")
}
scen_running() {
	local p
	for p in ${SCEN_BG_PIDS[@]+"${SCEN_BG_PIDS[@]}"}; do kill -0 "$p" 2>/dev/null && echo "$p"; done
}
# Report the finished scenarios that no running one precedes.
SCEN_BG_DONE=0
scen_flush() {
	while [ "$SCEN_BG_DONE" -lt "${#SCEN_BG_PIDS[@]}" ] && ! kill -0 "${SCEN_BG_PIDS[$SCEN_BG_DONE]}" 2>/dev/null; do
		wait "${SCEN_BG_PIDS[$SCEN_BG_DONE]}" 2>/dev/null
		tap_relay <"${SCEN_BG_OUT[$SCEN_BG_DONE]}"
		SCEN_BG_DONE=$((SCEN_BG_DONE + 1))
	done
}
scenarios_wait() {
	while [ "$SCEN_BG_DONE" -lt "${#SCEN_BG_PIDS[@]}" ]; do
		wait "${SCEN_BG_PIDS[$SCEN_BG_DONE]}" 2>/dev/null
		scen_flush
	done
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
			[[ $rest == *" # SKIP "* ]] && TAP_SKIPPED=$((TAP_SKIPPED + 1))
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
