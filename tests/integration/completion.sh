#!/bin/bash
# Shell completion (contrib/completion): the bash function answers as a user
# pressing TAB would see it, driven through COMP_WORDS/COMP_CWORD as bash
# does; the zsh file at least parses.  Needs no root.
. "$(dirname "$0")/../lib/tap.sh"
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BASH_FILE=$TOP/contrib/completion/appuser.bash
ZSH_FILE=$TOP/contrib/completion/_appuser

# shellcheck source=../../contrib/completion/appuser.bash
. "$BASH_FILE"

# comp WORD... — the completions of the last word, sorted, space-separated.
comp() {
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_appuser "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\n' ${COMPREPLY[@]+"${COMPREPLY[@]}"} | sort -u | tr '\n' ' ' | sed 's/ $//'
}
# has LIST WORD — WORD is one of the space-separated LIST.
has() { [[ " $1 " == *" $2 "* ]]; }
has_ok() { if has "$1" "$2"; then tap_ok "$3"; else tap_not_ok "$3"; tap_diag "got: '$1'" "want among them: '$2'"; fi; }

is "$(comp appuser '')" "--help --version exec fix policy setup status" "appuser <TAB>: the commands"
is "$(comp appuser ex)" "exec" "appuser ex<TAB>: exec"
is "$(comp appuser s)" "setup status" "appuser s<TAB>: setup, status"
is "$(comp appuser --v)" "--version" "appuser --v<TAB>: --version"

is "$(comp appuser exec --a)" "--allow-new-privs" "exec --a<TAB>: --allow-new-privs"
has_ok "$(comp appuser exec -)" "--cap" "exec -<TAB> lists --cap"
has_ok "$(comp appuser exec -u ro)" "root" "exec -u ro<TAB>: users from /etc/passwd"
has_ok "$(comp appuser exec --user ro)" "root" "exec --user ro<TAB>: the long form too"
has_ok "$(comp appuser exec -u root:ro)" "root:root" "exec -u root:ro<TAB>: groups after the colon"
is "$(comp appuser exec --cap net_bi)" "net_bind_service" "exec --cap net_bi<TAB>: capability names"
is "$(comp appuser exec --cap chown,net_bi)" "chown,net_bind_service" "exec --cap chown,net_bi<TAB>: the last of a list"
is "$(comp appuser exec --seccomp no)" "none" "exec --seccomp no<TAB>: profile names"
has_ok "$(comp appuser exec ba)" "bash" "exec ba<TAB>: command names"
has_ok "$(comp appuser exec -u root --cap chown ba)" "bash" "exec -u root --cap chown ba<TAB>: the command after options"
has_ok "$(comp appuser exec -- ba)" "bash" "exec -- ba<TAB>: the command after --"
unlike "$(comp appuser exec -u root bash --c)" "--cap" "options after COMMAND belong to COMMAND"
has_ok "$(cd "$TOP" && comp appuser exec -u root ls contr)" "contrib" "exec ... ls contr<TAB>: the command's arguments are files"

is "$(comp appuser setup --d)" "--dry-run" "setup --d<TAB>: --dry-run"
has_ok "$(cd "$TOP" && comp appuser setup --root cont)" "contrib" "setup --root cont<TAB>: folders"
has_ok "$(comp appuser fix --)" "--cross-mounts" "fix --<TAB> lists --cross-mounts"
is "$(cd "$TOP" && comp appuser fix Make)" "" "fix Make<TAB>: folders only, not files"
is "$(comp appuser status --)" "--json" "status --<TAB>: --json"
is "$(comp appuser policy '')" "check dump list show" "policy <TAB>: its actions"
# The profile names come from the appuser on PATH (the build under test).
PATH=$(dirname "${APPUSER_BIN:-$TOP/build/appuser}"):$PATH
if command -v appuser >/dev/null; then
	has_ok "$(comp appuser policy show '')" "strict" "policy show <TAB>: the embedded profiles (appuser policy list)"
	has_ok "$(comp appuser exec --seccomp '')" "default" "exec --seccomp <TAB>: profile names"
fi

has_ok "$(comp gosu ro)" "root" "gosu ro<TAB>: users (the gosu-named binary)"
has_ok "$(comp su-exec root ba)" "bash" "su-exec root ba<TAB>: the command"

is "$(complete -p appuser 2>&1)" "complete -F _appuser appuser" "registered for appuser"

if command -v zsh >/dev/null; then
	check "zsh completion parses (zsh -n)" zsh -n "$ZSH_FILE"
else
	tap_skip "zsh completion parses" "zsh is not installed"
fi
check "bash completion parses without bash-completion loaded (bash -n)" bash -n "$BASH_FILE"

done_testing
