# bash completion for appuser(8).  Install as
# /usr/share/bash-completion/completions/appuser (and gosu, su-exec as links
# to it when appuser is installed under those names), or source it.
# Users and groups come from /etc/passwd and /etc/group, the files appuser
# itself reads.  After `exec`'s options, the command and its arguments are
# completed as bash-completion completes them (plain command and file names
# without bash-completion).

_appuser_caps='audit_control audit_read audit_write block_suspend bpf checkpoint_restore
chown dac_override dac_read_search fowner fsetid ipc_lock ipc_owner kill lease
linux_immutable mac_admin mac_override mknod net_admin net_bind_service net_broadcast
net_raw perfmon setfcap setgid setpcap setuid sys_admin sys_boot sys_chroot sys_module
sys_nice sys_pacct sys_ptrace sys_rawio sys_resource sys_time sys_tty_config syslog
wake_alarm'

_appuser_names() { cut -d: -f1 "$1" 2>/dev/null; }

# Seccomp profile names: what the installed appuser embeds, else the usual ones.
_appuser_profiles() {
	local p
	p=$(command appuser policy list 2>/dev/null | awk '{ print $1 }')
	echo "${p:-default strict none}"
}

# USER[:GROUP]: a user, or after the colon a group.
_appuser_userspec() {
	local cur=$1
	if [[ $cur == *:* ]]; then
		COMPREPLY=($(compgen -P "${cur%%:*}:" -W "$(_appuser_names /etc/group)" -- "${cur#*:}"))
	else
		COMPREPLY=($(compgen -W "$(_appuser_names /etc/passwd)" -- "$cur"))
	fi
}

# CAP[,CAP...]: the capability after the last comma.
_appuser_caplist() {
	local cur=$1 pre=
	[[ $cur == *,* ]] && pre=${cur%,*},
	COMPREPLY=($(compgen -P "$pre" -W "$_appuser_caps" -- "${cur##*,}"))
}

# The command from word $1 on: bash-completion's _command_offset when it is
# loaded, else command names, then file names.
_appuser_command_at() {
	local i=$1
	if declare -F _command_offset >/dev/null; then
		_command_offset "$i"
	elif [ "$COMP_CWORD" -eq "$i" ]; then
		COMPREPLY=($(compgen -c -- "${COMP_WORDS[COMP_CWORD]}"))
	else
		COMPREPLY=($(compgen -f -- "${COMP_WORDS[COMP_CWORD]}"))
	fi
}

_appuser_exec() {	# $1: index of the word after "exec"
	local i=$1 cur=${COMP_WORDS[COMP_CWORD]} w
	# Skip options and their arguments to find where COMMAND starts.
	while [ "$i" -lt "$COMP_CWORD" ]; do
		w=${COMP_WORDS[i]}
		case $w in
		--) _appuser_command_at $((i + 1)); return ;;
		-u|--user|--cap|--seccomp|--selinux-context) i=$((i + 2)) ;;
		-*) i=$((i + 1)) ;;
		*) _appuser_command_at "$i"; return ;;
		esac
	done
	[ "$i" -gt "$COMP_CWORD" ] && i=$COMP_CWORD	# completing an option's argument
	case ${COMP_WORDS[COMP_CWORD - 1]} in
	-u|--user) [ "$i" -eq "$COMP_CWORD" ] && { _appuser_userspec "$cur"; return; } ;;
	--cap) _appuser_caplist "$cur"; return ;;
	--seccomp) COMPREPLY=($(compgen -W "$(_appuser_profiles)" -- "$cur") $(compgen -f -- "$cur")); return ;;
	--selinux-context) COMPREPLY=(); return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '-u --user --cap --seccomp --selinux-context --allow-new-privs --' -- "$cur"))
	else
		_appuser_command_at "$COMP_CWORD"
	fi
}

_appuser() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()
	# Invoked as gosu or su-exec: USER-SPEC, then the command.
	case ${COMP_WORDS[0]##*/} in
	gosu|su-exec)
		if [ "$COMP_CWORD" -eq 1 ]; then _appuser_userspec "$cur"; else _appuser_command_at 2; fi
		return ;;
	esac
	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W 'setup exec fix status policy --help --version' -- "$cur"))
		return
	fi
	case ${COMP_WORDS[1]} in
	exec) _appuser_exec 2 ;;
	setup)
		case $prev in
		--root) COMPREPLY=($(compgen -d -- "$cur")) ;;
		*) COMPREPLY=($(compgen -W '--dry-run --root --no-fix -q -v' -- "$cur")) ;;
		esac ;;
	fix)
		case $prev in
		--from|--to) COMPREPLY=() ;;
		*) if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W '--from --to --dry-run --cross-mounts -q -v' -- "$cur"))
		   else
			COMPREPLY=($(compgen -d -- "$cur"))
		   fi ;;
		esac ;;
	status) COMPREPLY=($(compgen -W '--json' -- "$cur")) ;;
	policy)
		if [ "$COMP_CWORD" -eq 2 ]; then
			COMPREPLY=($(compgen -W 'list show dump check' -- "$cur"))
		else
			case ${COMP_WORDS[2]} in
			show) [ "$COMP_CWORD" -eq 3 ] && COMPREPLY=($(compgen -W "$(_appuser_profiles)" -- "$cur")) ;;
			dump) [ "$COMP_CWORD" -eq 3 ] &&
				COMPREPLY=($(compgen -W "$(_appuser_profiles)" -- "$cur") $(compgen -f -- "$cur")) ;;
			check) COMPREPLY=($(compgen -f -- "$cur")) ;;
			esac
		fi ;;
	esac
}
complete -F _appuser appuser gosu su-exec
