#!/bin/sh
# supervisord-fatal.sh — a supervisord event listener ([eventlistener:fatal]
# in supervisord.conf): when a program enters FATAL, say which on stderr and
# stop supervisord (our parent), so that the container exits rather than
# looking healthy while a service is gone.  Protocol: supervisord's
# "Event Listener Notification Protocol" (READY, a header line with len:N,
# N bytes of payload, then RESULT).
set -u
printf 'READY\n'
while read -r header; do
	len=${header##*len:}
	len=${len%% *}
	payload=$(head -c "$len")
	name=${payload#*processname:}
	name=${name%% *}
	echo "supervisord-fatal: program '$name' could not be started (FATAL); stopping the container" >&2
	printf 'RESULT 2\nOK'
	kill -TERM "$PPID"
	printf 'READY\n'
done
