#!/bin/sh
# The entrypoint people write today (fixuid-less images, PUID/PGID scripts,
# countless READMEs): renumber the image's user to the owner of the mount,
# chown everything, then gosu.  `make bench` (ready.sh) times it against the
# kit's entrypoint.
set -e
uid=$(stat -c %u /app)
gid=$(stat -c %g /app)
groupmod -o -g "$gid" application
usermod -o -u "$uid" application
chown -R application:application /app
exec gosu application "$@"
