#!/bin/sh
# entrypoint.sh — a container entrypoint built on appuser; copy it into your
# image as /usr/local/bin/entrypoint.sh with ENTRYPOINT ["/usr/local/bin/entrypoint.sh"].
#
#  1. `appuser setup` makes the application user match the environment
#     (APPLICATION_UID/GID, `auto` = the owner of the bind-mounted /app,
#     PUID/PGID, /etc/appuser.conf) and moves file ownership along.  Started
#     as root it may change anything; started with --user UID:GID it works
#     through appuser's setuid bit (allow_setuid = yes) and may only map the
#     user to that UID:GID.  A restart with the same input changes nothing.
#  2. With no command: supervisord as PID 1, as whoever started the
#     container.  Each of its programs runs `appuser exec`, which drops to
#     the application user per service.  supervisord must not be started
#     through `appuser exec`: NO_NEW_PRIVS on it would make the setuid bit
#     inert for its programs in a --user container.
#  3. With a command (`docker run IMAGE php artisan migrate`): that command,
#     as the application user, through `appuser exec` (same PID, signals and
#     exit status; capabilities dropped, NO_NEW_PRIVS, seccomp).
#
# SUPERVISORD_CONF names another supervisord configuration.
set -e

appuser setup

if [ "$#" -eq 0 ]; then
	exec supervisord -n -c "${SUPERVISORD_CONF:-/etc/supervisor/supervisord.conf}"
fi
exec appuser exec -- "$@"
