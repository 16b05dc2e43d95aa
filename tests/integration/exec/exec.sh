#!/bin/bash
# appuser exec and the gosu/su-exec forms, against Debian's gosu as oracle,
# in a throwaway root (issue 2).
. "$(dirname "$0")/../../lib/tap.sh"
. "$(dirname "$0")/../../lib/sandbox.sh"
sandbox_enter "$@"

R=$(mkroot)
probe='echo "$(id -u) $(id -g) $(id -G) HOME=$HOME"'

# --- USER-SPEC resolution: appuser exec -u, the gosu-named binary and the
#     real gosu must agree on uid, gid, groups and HOME.
have_gosu=1; [ -x /usr/sbin/gosu ] || have_gosu=0
for spec in 0 root 0: 1000 1000:daemon games games:daemon '' :0 nobody \
	    nobody:games 65534:60 daemon: 4294967294 2147483648:5 www-data:50; do
	a=$(inroot "$R" appuser exec -u "$spec" sh -c "$probe" 2>&1)
	g=$(inroot "$R" gosu "$spec" sh -c "$probe" 2>&1)
	s=$(inroot "$R" su-exec "$spec" sh -c "$probe" 2>&1)
	is "$g" "$a" "gosu-named form matches exec -u for '$spec'"
	is "$s" "$a" "su-exec-named form matches exec -u for '$spec'"
	if [ $have_gosu = 1 ] && [[ $spec != 4294967294 && $spec != 2147483648:5 ]]; then
		o=$(inroot "$R" /usr/sbin/gosu "$spec" sh -c "$probe" 2>&1)
		is "$a" "$o" "exec -u '$spec' matches gosu 1.14"
	fi
done
is "$(inroot "$R" appuser exec -u 4294967294 sh -c "$probe")" "4294967294 0 0 HOME=/" \
	"uid above gosu's 2^31-1 limit still works (4294967294)"

# The issue's measured gosu behaviour, spelled out.
is "$(inroot "$R" appuser exec -u 0 sh -c "$probe")" "0 0 0 HOME=/root" "'0' is root with root's groups"
is "$(inroot "$R" appuser exec -u 1000 sh -c "$probe")" "1000 0 0 HOME=/" "unknown uid keeps the caller's gid, HOME=/"
is "$(inroot "$R" appuser exec -u 1000:daemon sh -c "$probe")" "1000 1 1 HOME=/" "'1000:daemon' has only group 1"
is "$(inroot "$R" appuser exec -u games sh -c "$probe")" "5 60 60 100 HOME=/usr/games" "bare user gets the group file's memberships"
is "$(inroot "$R" appuser exec -u games:daemon sh -c "$probe")" "5 1 1 HOME=/usr/games" "user:group gets only that group"
is "$(inroot "$R" appuser exec -u :0 sh -c "$probe")" "0 0 0 HOME=/root" "':0' is the caller with gid 0"

for spec in bogus 0day 0:bogus 0:0day; do
	status_is 125 "'$spec' is an error (125)" inroot "$R" appuser exec -u "$spec" true
	[ $have_gosu = 1 ] && check_fail "gosu also refuses '$spec'" inroot "$R" /usr/sbin/gosu "$spec" true
done
for spec in -1 4294967295 4294967296 99999999999999999999 +1000 ' 1000' '1000 ' 10a 0x10 \
	    '1000:-1' '1000:4294967295' ':+0' 'a:b:c' "$(printf 'x\ny')"; do
	status_is 125 "out-of-range or malformed spec '$spec' refused, never wrapped" \
		inroot "$R" appuser exec -u "$spec" true
done
msg=$(inroot "$R" appuser exec -u bogus true 2>&1)
is "$msg" "appuser: exec: user 'bogus' not found in /etc/passwd" "one-line message naming user and file"

# --- The child's credentials, read from /proc/self/status.
st=$(inroot "$R" appuser exec -u nobody cat /proc/self/status)
field() { awk -v k="$1:" '$1 == k { $1 = ""; sub(/^ /, ""); print }' <<<"$st" | tr -s ' \t' ' '; }
is "$(field Uid)" "65534 65534 65534 65534" "Uid: real/effective/saved/fs all switched"
is "$(field Gid)" "65534 65534 65534 65534" "Gid: real/effective/saved/fs all switched"
is "$(field Groups)" "65534" "Groups: only nobody's"
for c in CapInh CapPrm CapEff CapBnd CapAmb; do
	is "$(field $c)" "0000000000000000" "$c empty"
done
is "$(field NoNewPrivs)" "1" "NoNewPrivs set"

st=$(inroot "$R" appuser exec -u root cat /proc/self/status)
is "$(field CapBnd)" "0000000000000000" "root target: empty bounding set"
is "$(field CapEff)" "0000000000000000" "root target: no effective caps"

st=$(inroot "$R" appuser exec -u nobody --cap net_bind_service cat /proc/self/status)
for c in CapInh CapPrm CapEff CapBnd CapAmb; do
	is "$(field $c)" "0000000000000400" "--cap net_bind_service: $c keeps only bit 10"
done
st=$(inroot "$R" appuser exec -u nobody --cap CAP_CHOWN,Net_Bind_Service cat /proc/self/status)
is "$(field CapAmb)" "0000000000000401" "--cap names are case-insensitive, cap_ prefix optional"
status_is 125 "unknown capability refused" inroot "$R" appuser exec -u nobody --cap bogus true
status_is 125 "empty capability name refused" inroot "$R" appuser exec -u nobody --cap chown, true

st=$(inroot "$R" appuser exec --allow-new-privs -u nobody cat /proc/self/status)
is "$(field NoNewPrivs)" "0" "--allow-new-privs leaves NoNewPrivs off (root caller)"

# --- gosu semantics: exec, no fork; environment kept but HOME.
pids=$(inroot "$R" sh -c 'echo $$; exec appuser exec -u nobody sh -c "echo \$\$"' | tr '\n' ' ')
set -- $pids
is "$2" "$1" "no fork: the command keeps appuser's PID"
SANDBOX_ENV=(FOO=bar HOME=/somewhere)
is "$(inroot "$R" appuser exec -u nobody sh -c 'echo $FOO $HOME')" "bar /nonexistent" \
	"environment kept, HOME becomes the target's"
SANDBOX_ENV=()
is "$(inroot "$R" appuser exec -u nobody -- sh -c 'echo "$@"' x -u --cap)" "-u --cap" \
	"options after COMMAND belong to COMMAND"
is "$(inroot "$R" appuser exec -u nobody id -u)" "65534" "no -- needed before COMMAND"

# --- stdio: a root-owned pipe is handed to the target so /dev/stdout can be
#     reopened (nginx, php-fpm under a root supervisord); files are not.
is "$(inroot "$R" sh -c 'appuser exec -u nobody sh -c "echo via-dev-stdout > /dev/stdout" | cat')" \
	"via-dev-stdout" "a service can reopen /dev/stdout when it is root's pipe"
inroot "$R" sh -c 'appuser exec -u nobody true > /tmp/rootfile; mkfifo /tmp/fifo'
is "$(stat -c %U "$R/tmp/rootfile")" "root" "a file on stdout is not chowned"
inroot "$R" sh -c '(cat /tmp/fifo > /dev/null &) ; appuser exec -u nobody true > /tmp/fifo'
is "$(stat -c %U "$R/tmp/fifo")" "root" "a named FIFO on stdout is not chowned"
is "$(asuser "$R" 65534 65534 sh -c 'appuser exec -u nobody sh -c "echo ok > /dev/stdout" | cat')" "ok" \
	"unprivileged: nothing to hand over, still works"
is "$(inroot "$R" appuser exec -u nobody --cap none cat /proc/self/status | awk '$1=="CapAmb:"{print $2}')" \
	"0000000000000000" "--cap none keeps nothing"

# --- gosu's own options: -v/--version (version number first), -h/-?/--help.
ver=$(sed -n 's/.*APPUSER_VERSION "\(.*\)".*/\1/p' "$TOP/src/version.h")
for o in --version -v; do
	out=$(inroot "$R" gosu $o); rc=$?
	is "$rc:${out%% *}" "0:$ver" "gosu $o: exit 0, the version number first"
done
[ $have_gosu = 1 ] && like "$(/usr/sbin/gosu --version)" '^[0-9]+\.[0-9]+ ' "… as gosu 1.14 does"
for o in --help -h '-?'; do
	out=$(inroot "$R" gosu "$o"); rc=$?
	is "$rc" 0 "gosu $o: exit 0"
	like "$out" "^usage: gosu USER-SPEC COMMAND" "gosu $o: usage on stdout"
done
is "$(inroot "$R" su-exec -v | cut -d' ' -f1)" "$ver" "su-exec -v: the same"

# --- Exit status: the command's own, 125/126/127 for ours.
status_is 7 "command's exit status passes through" inroot "$R" appuser exec -u nobody sh -c 'exit 7'
status_is 127 "command not found: 127" inroot "$R" appuser exec -u nobody no-such-command
status_is 127 "missing path: 127" inroot "$R" appuser exec -u nobody /no/such/file
inroot "$R" sh -c 'printf "#!/bin/sh\necho hi\n" > /tmp/noexec; chmod 644 /tmp/noexec'
status_is 126 "not executable: 126" inroot "$R" appuser exec -u nobody /tmp/noexec
inroot "$R" sh -c 'printf "#!/bin/sh\necho hi\n" > /root/secret.sh; chmod 700 /root/secret.sh'
status_is 126 "root-only script is not runnable by the target (PATH lookup after the switch)" \
	inroot "$R" appuser exec -u nobody /root/secret.sh
status_is 125 "no command: 125" inroot "$R" appuser exec -u nobody
status_is 125 "unknown option: 125" inroot "$R" appuser exec --bogus true
status_is 125 "gosu form without command: 125" inroot "$R" gosu nobody

# --- Without -u: the application user.
inroot "$R" sh -c 'echo "application:x:1000:1000::/home/application:/bin/sh" >> /etc/passwd; echo "application:x:1000:" >> /etc/group'
is "$(inroot "$R" appuser exec id -un)" "application" "no -u: the application user"
inroot "$R" sh -c 'echo "web:x:1001:1001::/srv:/bin/sh" >> /etc/passwd'
SANDBOX_ENV=(APPLICATION_USER=web)
is "$(inroot "$R" appuser exec id -u)" "1001" "no -u: APPLICATION_USER names it"
SANDBOX_ENV=(APPLICATION_USER=ghost)
status_is 125 "no -u, application user missing: 125" inroot "$R" appuser exec id -u
SANDBOX_ENV=()

# --- Without privilege: staying yourself works, switching explains why not.
is "$(asuser "$R" 65534 65534 appuser exec -u nobody id -u)" "65534" "unprivileged: exec as yourself works"
out=$(asuser "$R" 65534 65534 appuser exec -u root id -u 2>&1); rc=$?
is "$rc" 125 "unprivileged: switching to root refused (125)"
like "$out" "not installed setuid root" "unprivileged: the message says why"
is "$(asuser "$R" 65534 65534 appuser exec -u nobody cat /proc/self/status | awk '$1=="NoNewPrivs:"{print $2}')" 1 \
	"unprivileged: NoNewPrivs still set"

# --- Setuid without the config's consent is refused.
install_appuser "$R" 4755
out=$(asuser "$R" 65534 65534 appuser exec -u root id -u 2>&1); rc=$?
is "$rc" 125 "setuid without allow_setuid refused"
like "$out" "allow_setuid" "message names allow_setuid"

done_testing
