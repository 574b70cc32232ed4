#!/usr/bin/env bash
# Entrypoint of the postgres stand-in. It follows the official image's entrypoint:
# initialise only when $PGDATA holds no cluster, run /docker-entrypoint-initdb.d once,
# then exec the server so that it is PID 1 and receives the stop signal itself.
set -Eeo pipefail

# file_env VAR [DEFAULT]: VAR may come from VAR or from the file named by VAR_FILE.
file_env() {
	local var="$1" fileVar="${1}_FILE" def="${2:-}" val
	if [ "${!var:-}" ] && [ "${!fileVar:-}" ]; then
		echo >&2 "error: both $var and $fileVar are set (but are exclusive)"
		exit 1
	fi
	val="$def"
	if [ "${!var:-}" ]; then
		val="${!var}"
	elif [ "${!fileVar:-}" ]; then
		val="$(< "${!fileVar}")"
	fi
	export "$var"="$val"
	unset "$fileVar"
}

psql_init() {
	PGPASSWORD="${POSTGRES_PASSWORD:-}" psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --no-password "$@"
}

run_init_scripts() {
	local f
	for f in /docker-entrypoint-initdb.d/*; do
		case "$f" in
			*.sh)
				if [ -x "$f" ]; then echo "$0: running $f"; "$f"; else echo "$0: sourcing $f"; . "$f"; fi ;;
			*.sql)    echo "$0: running $f"; psql_init --dbname "$POSTGRES_DB" -f "$f" ;;
			*.sql.gz) echo "$0: running $f"; gunzip -c "$f" | psql_init --dbname "$POSTGRES_DB" ;;
			*/\*)     ;;
			*)        echo "$0: ignoring $f" ;;
		esac
	done
}

initialise_cluster() {
	file_env POSTGRES_PASSWORD
	file_env POSTGRES_USER postgres
	file_env POSTGRES_DB "$POSTGRES_USER"
	file_env POSTGRES_INITDB_ARGS
	local auth="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"
	if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$auth" != trust ]; then
		cat >&2 <<-'EOM'
			Error: Database is uninitialized and superuser password is not specified.
			       You must specify POSTGRES_PASSWORD to a non-empty value for the
			       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".
			       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all
			       connections without a password. This is *not* recommended.
		EOM
		exit 1
	fi

	# A private file rather than <(...): /dev/fd is not present in every container runtime.
	local pwfile=() pwpath
	if [ -n "${POSTGRES_PASSWORD:-}" ]; then
		pwpath="$(mktemp)"
		printf '%s\n' "$POSTGRES_PASSWORD" > "$pwpath"
		pwfile=(--pwfile="$pwpath")
	fi
	# shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of words by contract
	initdb --username="$POSTGRES_USER" "${pwfile[@]}" $POSTGRES_INITDB_ARGS
	if [ -n "${pwpath:-}" ]; then rm -f "$pwpath"; fi
	printf '\nhost all all all %s\n' "$auth" >> "$PGDATA/pg_hba.conf"

	# A temporary server on the socket only: nobody can connect over TCP before setup is done.
	pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start
	if [ "$POSTGRES_DB" != postgres ]; then
		psql_init --dbname postgres --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db" ;'
	fi
	run_init_scripts
	pg_ctl -D "$PGDATA" -m fast -w stop
	echo
	echo 'PostgreSQL init process complete; ready for start up.'
	echo
}

# The data layout of postgres 18 and later (PGDATA=/var/lib/postgresql/MAJOR/docker, VOLUME
# /var/lib/postgresql): the official entrypoint refuses to initialise a fresh cluster while old
# data, or any mount, sits at the old path, because that data would be silently left unused.
# Same checks and message as the official image (docker_setup_env, docker_error_old_databases);
# keyed on the layout rather than the major version, so the variant built with PostgreSQL 17
# behaves as 18 does.
refuse_old_data_path() {
	[ "$PGDATA" = "/var/lib/postgresql/$PG_MAJOR/docker" ] || return 0
	local old=() d
	for d in /var/lib/postgresql /var/lib/postgresql/data /var/lib/postgresql/*/docker; do
		if [ -s "$d/PG_VERSION" ]; then old+=( "$d" ); fi
	done
	if [ "${#old[@]}" -eq 0 ] && {
		mountpoint -q /var/lib/postgresql/data \
		|| awk '$5 == "/var/lib/postgresql/data" { found = 1 } END { exit !found }' /proc/self/mountinfo
	}; then
		old+=( '/var/lib/postgresql/data (unused mount/volume)' )
	fi
	[ "${#old[@]}" -eq 0 ] && return 0
	cat >&2 <<-EOE
		Error: in 18+, these Docker images are configured to store database data in a
		       format which is compatible with "pg_ctlcluster" (specifically, using
		       major-version-specific directory names).  This better reflects how
		       PostgreSQL itself works, and how upgrades are to be performed.

		       See also https://github.com/docker-library/postgres/pull/1259

		       Counter to that, there appears to be PostgreSQL data in:
		         ${old[*]}

		       This is usually the result of upgrading the Docker image without
		       upgrading the underlying database using "pg_upgrade" (which requires both
		       versions).

		       The suggested container configuration for 18+ is to place a single mount
		       at /var/lib/postgresql which will then place PostgreSQL data in a
		       subdirectory, allowing usage of "pg_upgrade --link" without mount point
		       boundary issues.

		       See https://github.com/docker-library/postgres/issues/37 for a (long)
		       discussion around this process, and suggestions for how to do so.
	EOE
	exit 1
}

if [ "${1:0:1}" = '-' ]; then
	set -- postgres "$@"
fi

if [ "$1" = postgres ] && [ "$(id -u)" = 0 ]; then
	mkdir -p "$PGDATA"
	find "$PGDATA" \! -user postgres -exec chown postgres '{}' +
	chmod 00700 "$PGDATA"
	mkdir -p /var/run/postgresql
	chown postgres /var/run/postgresql
	chmod 3777 /var/run/postgresql
	exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
fi

if [ "$1" = postgres ]; then
	if [ -s "$PGDATA/PG_VERSION" ]; then
		echo
		echo 'PostgreSQL Database directory appears to contain a database; Skipping initialization'
		echo
	else
		refuse_old_data_path
		initialise_cluster
	fi
fi

exec "$@"
