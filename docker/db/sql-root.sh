#!/usr/bin/env bash
# The database's own client as root over TCP inside a mysql or mariadb container, for the healthchecks and the demo
# script:  docker compose exec -T mysql bash /usr/local/bin/sql-root -N -e 'SELECT 1'
# The password comes from the container's environment (MYSQL_ROOT_PASSWORD or MARIADB_ROOT_PASSWORD) through an
# option file on a pipe, so it is neither on a command line nor in a file. Before the init scripts have finished,
# the server listens on no TCP port, so a healthcheck with this command only passes once the database is ready.
set -euo pipefail

password=${MARIADB_ROOT_PASSWORD:-${MYSQL_ROOT_PASSWORD:-}}
if [[ -z "$password" ]]; then
  echo "sql-root: neither MARIADB_ROOT_PASSWORD nor MYSQL_ROOT_PASSWORD is set in this container" >&2
  exit 1
fi
client=mysql
if command -v mariadb >/dev/null 2>&1; then
  client=mariadb
fi
"$client" --defaults-extra-file=<(printf '[client]\nuser=root\npassword="%s"\nhost=127.0.0.1\nport=3306\n' "$password") \
  --default-character-set=utf8mb4 "$@"
