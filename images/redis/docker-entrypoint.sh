#!/bin/sh
# Entrypoint of the redis stand-in, following the official image's: arguments that are options
# or a .conf file go to redis-server; as root, the working directory is handed to the redis user
# and the server is exec'd so that it is PID 1 and hears the stop signal itself.
set -e

if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
	set -- redis-server "$@"
fi

if [ "$1" = 'redis-server' ] && [ "$(id -u)" = '0' ]; then
	find . \! -user redis -exec chown redis '{}' +
	exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
fi

if [ "$1" = 'redis-server' ]; then
	# The official image builds Redis with protected mode off ("unnecessary in the context of
	# Docker": the port is only reachable as published). Debian's build has it on, which refuses
	# every client that is not on loopback: switch it off the same way, as the first setting, so
	# a later argument can still switch it on.
	shift
	if [ "${1%.conf}" != "${1:-}" ] && [ -n "${1:-}" ]; then
		conf="$1"
		shift
		set -- redis-server "$conf" --protected-mode no "$@"
	else
		set -- redis-server --protected-mode no "$@"
	fi
fi

um="$(umask)"
if [ "$um" = '0022' ]; then
	umask 0077
fi

exec "$@"
