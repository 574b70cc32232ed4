#!/usr/bin/env bash
# Entrypoint of the mysql stand-in (MariaDB). It follows the official mysql image: initialise
# only when the data directory has no `mysql` schema, apply MYSQL_* once, run
# /docker-entrypoint-initdb.d once, then exec the server so it is PID 1.
set -Eeo pipefail

note() { printf '%s [Note] [Entrypoint]: %s\n' "$(date -u '+%Y-%m-%dT%H:%M:%S%z')" "$*"; }
error() { printf '%s [ERROR] [Entrypoint]: %s\n' "$(date -u '+%Y-%m-%dT%H:%M:%S%z')" "$*" >&2; exit 1; }

# file_env VAR [DEFAULT]: VAR may come from VAR or from the file named by VAR_FILE.
file_env() {
	local var="$1" fileVar="${1}_FILE" def="${2:-}" val
	if [ "${!var:-}" ] && [ "${!fileVar:-}" ]; then error "Both $var and $fileVar are set (but are exclusive)"; fi
	val="$def"
	if [ "${!var:-}" ]; then val="${!var}"; elif [ "${!fileVar:-}" ]; then val="$(< "${!fileVar}")"; fi
	export "$var"="$val"
	unset "$fileVar"
}

# The server's own view of a setting, with the container's arguments (e.g. --datadir=…) applied.
server_setting() {
	"$@" --verbose --help 2>/dev/null | awk -v key="$SETTING" '$1 == key && /^[^ \t]/ { sub(/^[^ \t]+[ \t]+/, ""); print; exit }'
}

sql_escape() { sed -e "s/\\\\/\\\\\\\\/g" -e "s/'/\\\\'/g" <<<"$1"; }

temp_client() { mariadb --protocol=socket --socket="$SOCKET" -uroot ${ROOT_PW_SET:+-p"$MYSQL_ROOT_PASSWORD"} "$@"; }

initialise() {
	file_env MYSQL_ROOT_PASSWORD
	file_env MYSQL_DATABASE
	file_env MYSQL_USER
	file_env MYSQL_PASSWORD
	file_env MYSQL_ROOT_HOST '%'
	if [ -z "$MYSQL_ROOT_PASSWORD" ] && [ -z "${MYSQL_ALLOW_EMPTY_PASSWORD:-}" ] && [ -z "${MYSQL_RANDOM_ROOT_PASSWORD:-}" ]; then
		error $'Database is uninitialized and password option is not specified\n    You need to specify one of the following as an environment variable:\n    - MYSQL_ROOT_PASSWORD\n    - MYSQL_ALLOW_EMPTY_PASSWORD\n    - MYSQL_RANDOM_ROOT_PASSWORD'
	fi
	if [ -n "$MYSQL_USER" ] && [ -z "$MYSQL_PASSWORD" ]; then error 'MYSQL_USER is set but MYSQL_PASSWORD is not'; fi
	if [ "$MYSQL_USER" = root ]; then error 'MYSQL_USER="root", MYSQL_USER and MYSQL_PASSWORD are for configuring a regular user and cannot be used for the root user'; fi
	if [ -n "${MYSQL_RANDOM_ROOT_PASSWORD:-}" ]; then
		MYSQL_ROOT_PASSWORD="$(head -c 24 /dev/urandom | base64 | tr -d '/+=' | head -c 32)"
		note "GENERATED ROOT PASSWORD: $MYSQL_ROOT_PASSWORD"
	fi

	note "Initializing database files"
	mariadb-install-db --datadir="$DATADIR" --user=mysql --auth-root-authentication-method=normal \
		--skip-test-db --skip-name-resolve --skip-log-bin --default-time-zone=SYSTEM >/dev/null
	note "Database files initialized"

	# A temporary server without networking: nobody can connect over TCP before setup is done.
	note "Starting temporary server"
	"$@" --skip-networking --socket="$SOCKET" &
	local pid=$! i
	for i in $(seq 60); do
		if mariadb-admin --protocol=socket --socket="$SOCKET" -uroot ping >/dev/null 2>&1; then break; fi
		kill -0 "$pid" 2>/dev/null || error 'Unable to start server.'
		sleep 0.2
	done
	note "Temporary server started."

	if [ -z "${MYSQL_INITDB_SKIP_TZINFO:-}" ]; then
		mariadb-tzinfo-to-sql /usr/share/zoneinfo 2>/dev/null | temp_client mysql
	fi

	local rootpw host_clause
	rootpw="$(sql_escape "$MYSQL_ROOT_PASSWORD")"
	host_clause="$(sql_escape "$MYSQL_ROOT_HOST")"
	temp_client <<-EOSQL
		SET @@SESSION.SQL_LOG_BIN=0;
		DROP USER IF EXISTS ''@'localhost', root@'127.0.0.1', root@'::1';
		EXECUTE IMMEDIATE CONCAT('DROP USER IF EXISTS \'\'@\'', @@hostname, '\'');
		EXECUTE IMMEDIATE CONCAT('DROP USER IF EXISTS root@\'', @@hostname, '\'');
		ALTER USER 'root'@'localhost' IDENTIFIED BY '${rootpw}';
		CREATE USER IF NOT EXISTS 'root'@'${host_clause}' IDENTIFIED BY '${rootpw}';
		GRANT ALL ON *.* TO 'root'@'${host_clause}' WITH GRANT OPTION;
		DROP DATABASE IF EXISTS test;
		FLUSH PRIVILEGES;
	EOSQL
	ROOT_PW_SET=${MYSQL_ROOT_PASSWORD:+1}

	if [ -n "$MYSQL_DATABASE" ]; then
		note "Creating database ${MYSQL_DATABASE}"
		temp_client -e "CREATE DATABASE IF NOT EXISTS \`$MYSQL_DATABASE\`;"
	fi
	if [ -n "$MYSQL_USER" ]; then
		note "Creating user ${MYSQL_USER}"
		temp_client -e "CREATE USER '$(sql_escape "$MYSQL_USER")'@'%' IDENTIFIED BY '$(sql_escape "$MYSQL_PASSWORD")';"
		if [ -n "$MYSQL_DATABASE" ]; then
			note "Giving user ${MYSQL_USER} access to schema ${MYSQL_DATABASE}"
			temp_client -e "GRANT ALL ON \`$MYSQL_DATABASE\`.* TO '$(sql_escape "$MYSQL_USER")'@'%';"
		fi
	fi

	local f
	for f in /docker-entrypoint-initdb.d/*; do
		case "$f" in
			*.sh)     if [ -x "$f" ]; then note "$0: running $f"; "$f"; else note "$0: sourcing $f"; . "$f"; fi ;;
			*.sql)    note "$0: running $f"; temp_client ${MYSQL_DATABASE:+"$MYSQL_DATABASE"} < "$f" ;;
			*.sql.gz) note "$0: running $f"; gunzip -c "$f" | temp_client ${MYSQL_DATABASE:+"$MYSQL_DATABASE"} ;;
			*/\*)     ;;
			*)        note "$0: ignoring $f" ;;
		esac
	done

	note "Stopping temporary server"
	kill "$pid"
	wait "$pid" || true
	note "Temporary server stopped"
	echo
	note "MySQL init process done. Ready for start up."
	echo
}

if [ "${1:0:1}" = '-' ]; then
	set -- mysqld "$@"
fi

if [ "$1" = mysqld ] || [ "$1" = mariadbd ]; then
	SETTING=datadir DATADIR="$(server_setting "$@")"
	DATADIR="${DATADIR%/}"
	SOCKET=/run/mysqld/mysqld.sock
	if [ "$(id -u)" = 0 ]; then
		mkdir -p "$DATADIR" /run/mysqld
		find "$DATADIR" /run/mysqld \! -user mysql -exec chown mysql:mysql '{}' +
		exec setpriv --reuid=mysql --regid=mysql --init-groups "${BASH_SOURCE[0]}" "$@"
	fi
	if [ -d "$DATADIR/mysql" ]; then
		note "Database files found in $DATADIR; skipping initialisation"
	else
		initialise "$@"
	fi
fi

exec "$@"
