# shellcheck shell=bash
# Runs the sql/ files mounted under /cdc-init/ (NN-name.sql, in name order) as root during the first start of a
# mysql or mariadb container, after replacing each ${NAME} placeholder with the value of the environment variable
# NAME (e.g. ${CDC_PASSWORD} in sql/source/cdc-user.sql). The passwords come from the container's environment,
# which docker-compose.yml fills from .env; none is written into a file.
#
# Mounted as /docker-entrypoint-initdb.d/10-init-cdc.sh. The images' entrypoint sources a non-executable *.sh
# there (an executable one would be run as a separate process), so docker_process_sql (root, over the init
# server's socket; the server has no TCP port yet) is available; the body runs in a subshell so that its shell
# options do not leak into the entrypoint. A missing variable stops the container's init.
(
  set -euo pipefail
  shopt -u patsub_replacement 2>/dev/null || true   # bash 5.2+: '&' in a replacement stays literal

  if ! declare -F docker_process_sql >/dev/null; then
    echo "init-cdc: docker_process_sql is missing: this file must be sourced by the mysql/mariadb image's entrypoint" \
      "(keep it non-executable)" >&2
    exit 1
  fi

  shopt -s nullglob
  init_dir=${CDC_INIT_DIR:-/cdc-init}
  files=("$init_dir"/*.sql)
  if ((${#files[@]} == 0)); then
    echo "init-cdc: no *.sql in $init_dir; nothing to do" >&2
    exit 0
  fi
  for file in "${files[@]}"; do
    sql=$(<"$file")
    mapfile -t names < <(grep -oE '\$\{[A-Za-z_][A-Za-z0-9_]*\}' "$file" | sed -e 's/^\${//' -e 's/}$//' | sort -u)
    for name in "${names[@]}"; do
      if [[ -z "${!name:-}" ]]; then
        echo "init-cdc: $file needs the environment variable $name (set it in .env / docker-compose.yml)" >&2
        exit 1
      fi
      value=${!name}
      value=${value//\\/\\\\}      # a backslash is an escape character in a MySQL string literal
      value=${value//\'/\'\'}      # the placeholders stand inside '...'
      placeholder="\${$name}"
      sql=${sql//"$placeholder"/"$value"}
    done
    echo "init-cdc: running $file"
    docker_process_sql <<<"$sql"
  done
)
