#!/usr/bin/env bash
# Entrypoint of the wordpress stand-in. Like the official image's: copy WordPress into
# /var/www/html only when it is not there, and write wp-config.php only when it is absent.
set -Eeuo pipefail

if [[ "$1" == apache2* ]]; then
	if [ ! -e index.php ] && [ ! -e wp-includes/version.php ]; then
		echo >&2 "WordPress not found in $PWD - copying now..."
		if [ -n "$(find . -mindepth 1 -maxdepth 1 -not -name wp-content)" ]; then
			echo >&2 "WARNING: $PWD is not empty! (copying anyhow)"
		fi
		# Keep what is already in wp-content (a volume for it may be mounted there).
		tar -C /usr/src/wordpress -cf - --one-file-system . | tar -xf - --skip-old-files
		chown -R www-data:www-data .
		echo >&2 "Complete! WordPress has been successfully copied to $PWD"
	fi

	wp_envs=("${!WORDPRESS_@}")
	if [ ! -s wp-config.php ] && [ "${#wp_envs[@]}" -gt 0 ]; then
		for candidate in wp-config-docker.php /usr/src/wordpress/wp-config-docker.php; do
			if [ -s "$candidate" ]; then
				echo >&2 "No 'wp-config.php' found in $PWD, but 'WORDPRESS_...' variables supplied; copying '$candidate' (${wp_envs[*]})"
				# Unique keys and salts for this site, as the official image generates them.
				awk '
					/put your unique phrase here/ {
						cmd = "head -c1m /dev/urandom | sha1sum | cut -d\\  -f1"
						cmd | getline str
						close(cmd)
						gsub("put your unique phrase here", str)
					}
					{ print }
				' "$candidate" > wp-config.php
				chown www-data:www-data wp-config.php
				break
			fi
		done
	fi
fi

exec "$@"
