#!/bin/bash
# Messages of a setuid appuser carry nothing a terminal or a log viewer
# would act on (issue 11 §6): every value the caller chooses — argv, the
# environment, a command name — reaches stderr and syslog escaped as \xNN,
# as setup quotes the environment.  Before the fix exec printed
# APPLICATION_USER raw, so `APPLICATION_USER=$'\e]0;...\a'` sent escape
# sequences to whoever reads the container's log.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/sandbox.sh"
sandbox_enter "$@"

R=$(mkroot "$TESTS/fixtures/webdevops")
install_appuser "$R" 4755
printf 'allow_setuid = yes\nuser = application\nuid_range = 1000-60000\n' >"$R/etc/appuser.conf"
chmod 0644 "$R/etc/appuser.conf"
M() { asuser "$R" 1000 1000 "$@"; }

# OSC (set the window title), CSI (clear the screen), a bell, a carriage
# return (overwrite the line), a raw C1 CSI byte and a UTF-8 encoded one.
E=$'\e]0;pwned\a\e[2J\rX'$'\x9b'"31m"$'\xc2\x9b'"m"
# raw OUT — the control characters in OUT other than line ends, as \xNN.
raw() { LC_ALL=C grep -o $'[\x01-\x09\x0b-\x1f\x7f\x80-\x9f]\|\xc2[\x80-\x9f]' <<<"$1" | od -An -tx1 | tr -d ' \n'; }

check_msg() {	# DESC CMD...
	local d=$1 out; shift
	out=$("$@" 2>&1 >/dev/null)
	is "$(raw "$out")" "" "$d: no control characters reach stderr"
	like "$out" '\\x1b\]0;pwned' "$d: the value is shown, escaped"
}
SANDBOX_ENV=("APPLICATION_USER=$E")
check_msg "exec, APPLICATION_USER" M appuser exec id
check_msg "setup, APPLICATION_USER" M appuser setup --dry-run
SANDBOX_ENV=()
check_msg "exec -u" M appuser exec -u "$E" id
check_msg "exec --cap" M appuser exec --cap "$E" id
check_msg "exec, an unknown option" M appuser exec "--x$E" id
check_msg "exec, the command name" M appuser exec -- "/nonexistent/$E"
check_msg "fix --from" M appuser fix --from "$E" /tmp
check_msg "status --root" M appuser status --root "/$E"
check_msg "an unknown command" M appuser "$E"

# Invisible format characters (review round 2): U+2028 LINE SEPARATOR is a
# line break to some log viewers, U+202E RIGHT-TO-LEFT OVERRIDE shows the
# rest of the line reversed (CVE-2021-42574), U+2066 an isolate, U+200B a
# zero-width space.  They reached stderr raw before the fix.
F=$'a\xe2\x80\xa8appuser forged\xe2\x80\xaeexe.txt\xe2\x81\xa6x\xe2\x80\x8bz'
fmt() { LC_ALL=C grep -o $'\xe2\x80[\xa8-\xae]\|\xe2\x81[\xa0-\xa9]\|\xe2\x80[\x8b-\x8f]' <<<"$1" | od -An -tx1 | tr -d ' \n'; }
out=$(M appuser exec -u "$F" id 2>&1 >/dev/null)
is "$(fmt "$out")" "" "exec -u: no line separator, bidi control or zero-width character reaches stderr"
like "$out" '\\xe2\\x80\\xa8appuser forged\\xe2\\x80\\xae' "… they are shown escaped"

# UTF-8 that is not a control stays readable.
out=$(M appuser exec -u "café" id 2>&1)
like "$out" "café" "printable UTF-8 is shown as it is"

done_testing
