#!/usr/bin/env bash
# Docker demo of the CDC service (docker-compose.yml, docs/docker-demo.md):
#   build the images, start MySQL 8.4, Kafka, the target database, two connector instances and the processor;
#   generate changes on the source and watch the target catch up; kill -9 the active connector while changes keep
#   coming; watch the standby take over (offsets show / offsets history); check that the target equals the source;
#   tear everything down (docker compose down -v), also when a step fails.
#
# Usage: scripts/docker-demo.sh            (from any directory; needs Docker with the compose v2 plugin)
#   DEMO_KEEP_RUNNING=1   leave the stack up at the end (tear down later with: docker compose down -v)
#   DEMO_SYNC_TIMEOUT=N   seconds to wait for the target to equal the source (default 300)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly SYNC_TIMEOUT=${DEMO_SYNC_TIMEOUT:-300}
readonly LEADER_TIMEOUT=${DEMO_LEADER_TIMEOUT:-180}
readonly FAILOVER_TIMEOUT=${DEMO_FAILOVER_TIMEOUT:-90}
readonly KEEP_RUNNING=${DEMO_KEEP_RUNNING:-0}
readonly TABLES=(customers products orders order_lines)

step_no=0
load_pid=""
declare -A table_columns=()

step() {
  step_no=$((step_no + 1))
  printf '\n== Step %d: %s\n' "$step_no" "$*"
}

info() {
  printf '   %s\n' "$*"
}

die() {
  printf 'ERROR: %s\n' "$*" >&2
  exit 1
}

cleanup() {
  local status=$?
  trap - EXIT
  if [[ -n "$load_pid" ]]; then
    kill "$load_pid" 2>/dev/null || true
  fi
  if ((status != 0)); then
    printf '\nThe demo failed (exit %d). Last log lines of the apps:\n' "$status" >&2
    docker compose logs --no-color --tail=30 connector-a connector-b processor >&2 || true
  fi
  if [[ "$KEEP_RUNNING" == 1 ]]; then
    printf '\nDEMO_KEEP_RUNNING=1: the stack stays up. Tear it down with: docker compose down -v\n'
  else
    step "Tear down: docker compose down -v"
    docker compose down -v --remove-orphans || true
  fi
  exit "$status"
}

# The database's own client as root inside its container (docker/db/sql-root.sh; the password stays in there).
sql_in() {
  local service=$1
  shift
  docker compose exec -T "$service" bash /usr/local/bin/sql-root "$@"
}

source_sql() {
  sql_in mysql -N -B "$@"
}

target_sql() {
  sql_in target-db -N -B "$@"
}

# The lease row of the connector as "owner epoch", empty while nobody holds it (or before the store exists).
lease() {
  target_sql -e "SELECT owner_id, epoch FROM cdc_store.cdc_lease WHERE connector_name = '${cdc_name}' AND expires_at > NOW(3)" \
    2>/dev/null | tr '\t' ' ' || true
}

# One line per table: "<table> <rows> <md5 of the rows' md5s>". Columns in source order; JSON compared without the
# blanks MySQL puts after ',' and ':' (the target keeps the text the processor wrote); TIMESTAMPs in UTC.
fingerprints() {
  local db=$1 sql="SET SESSION group_concat_max_len = 1073741824; SET time_zone = '+00:00';" table column expr
  for table in "${TABLES[@]}"; do
    expr=""
    for column in ${table_columns[$table]}; do
      if [[ "$column" == *:json ]]; then
        column=${column%:json}
        expr+="${expr:+, }IFNULL(REPLACE(REPLACE(CAST(\`$column\` AS CHAR), ', ', ','), ': ', ':'), '<null>')"
      else
        expr+="${expr:+, }IFNULL(CAST(\`$column\` AS CHAR), '<null>')"
      fi
    done
    sql+=" SELECT '$table', COUNT(*), IFNULL(MD5(GROUP_CONCAT(h ORDER BY h SEPARATOR '')), '-')"
    sql+=" FROM (SELECT MD5(CONCAT_WS('|', $expr)) AS h FROM \`$db\`.\`$table\`) t;"
  done
  if [[ "$db" == shop ]]; then
    source_sql --force -e "$sql" 2>/dev/null | tr '\t' ' ' || true
  else
    target_sql --force -e "$sql" 2>/dev/null | tr '\t' ' ' || true
  fi
}

# The row count of a table in a fingerprints listing, "-" when the table is not there (yet).
rows_of() {
  awk -v table="$1" '$1 == table { rows = $2 } END { print (rows == "" ? "-" : rows) }' <<<"$2"
}

# Waits until every table has the same row count and checksum on both sides; prints progress when it changes.
wait_in_sync() {
  local what=$1 deadline=$((SECONDS + SYNC_TIMEOUT)) source_fp target_fp shown="" progress table rows sum
  while :; do
    source_fp=$(fingerprints shop)
    target_fp=$(fingerprints cdc_target)
    if [[ -n "$source_fp" && "$source_fp" == "$target_fp" ]]; then
      info "target equals source ($what):"
      while read -r table rows sum; do
        printf '     %-12s %6s rows  checksum %s\n' "$table" "$rows" "$sum"
      done <<<"$source_fp"
      return 0
    fi
    progress=""
    for table in "${TABLES[@]}"; do
      progress+=" $table $(rows_of "$table" "$source_fp")/$(rows_of "$table" "$target_fp")"
    done
    if [[ "$progress" != "$shown" ]]; then
      info "catching up (source/target rows):$progress"
      shown=$progress
    fi
    if ((SECONDS >= deadline)); then
      printf 'source:\n%s\ntarget:\n%s\n' "$source_fp" "${target_fp:-<no tables yet>}" >&2
      die "the target did not equal the source within ${SYNC_TIMEOUT}s ($what)"
    fi
    sleep 2
  done
}

# One round of changes on the source, run by the mysql client inside the mysql container: inserts, updates and
# deletes on all four tables, single-row and multi-row, autocommit and one explicit transaction.
changes_sql() {
  local round=$1 size=$2
  cat <<SQL
INSERT INTO shop.customers (email, name, balance, created_at)
  WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${size})
  SELECT CONCAT('r${round}-', i, '@example.com'), CONCAT('Customer ${round}-', i, IF(i % 2 = 0, ' ✓', '')), i * 3.25, NOW(6) FROM n;
UPDATE shop.customers SET balance = balance + 1.25, name = CONCAT(name, '+') WHERE id % 3 = ${round} % 3 ORDER BY id LIMIT 5;
INSERT INTO shop.orders (customer_id, status, total, placed_at)
  SELECT id, 'new', balance, NOW(3) FROM shop.customers WHERE email LIKE 'r${round}-%' ORDER BY id LIMIT 3;
START TRANSACTION;
INSERT INTO shop.order_lines (order_id, line_no, sku, quantity)
  SELECT o.id, 1, 'MS-02', 1 + o.id % 4 FROM shop.orders o LEFT JOIN shop.order_lines l ON l.order_id = o.id WHERE l.order_id IS NULL;
UPDATE shop.products SET stock = stock - 1 WHERE sku = 'MS-02' AND stock > 0;
COMMIT;
UPDATE shop.orders SET status = 'paid' WHERE status = 'new' ORDER BY id LIMIT 2;
DELETE FROM shop.customers WHERE email LIKE 'r${round}-%' ORDER BY id DESC LIMIT 2;
SQL
}

generate_changes() {
  local first=$1 last=$2 size=$3 pause=$4 round
  for ((round = first; round <= last; round++)); do
    changes_sql "$round" "$size" | source_sql
    sleep "$pause"
  done
}

trap cleanup EXIT
trap 'exit 130' INT TERM

step "Check the prerequisites"
command -v docker >/dev/null 2>&1 || die "docker is not installed"
docker compose version >/dev/null 2>&1 || die "the docker compose v2 plugin is required ('docker compose version' failed)"
docker info >/dev/null 2>&1 || die "no Docker engine answers ('docker info' failed): start Docker first"
[[ -f .env ]] || die ".env is missing (it holds the demo credentials)"
cdc_name=$(sed -n 's/^CDC_NAME=//p' .env | tail -n 1)
[[ -n "$cdc_name" ]] || die ".env sets no CDC_NAME"
info "$(docker compose version); connector name '$cdc_name'"

step "Build the images (Maven build inside docker/Dockerfile: cdc-connector with the offsets CLI, cdc-processor)"
docker compose build

step "Start MySQL 8.4, Kafka (KRaft), the target database, connector-a, connector-b and the processor"
info "docker compose up waits until every healthcheck passes (the first start initialises the databases)"
docker compose up -d --wait
docker compose ps

step "The source: MySQL with a row-based binlog and GTIDs"
sql_in mysql -t -e "SELECT VERSION() AS version, @@server_id AS server_id, @@log_bin AS log_bin, @@binlog_format AS binlog_format,
  @@binlog_row_image AS binlog_row_image, @@gtid_mode AS gtid_mode"
for table in "${TABLES[@]}"; do
  table_columns[$table]=$(source_sql -e "SELECT GROUP_CONCAT(CONCAT(column_name, IF(data_type = 'json', ':json', ''))
    ORDER BY ordinal_position SEPARATOR ' ') FROM information_schema.columns WHERE table_schema = 'shop' AND table_name = '$table'")
  [[ -n "${table_columns[$table]}" && "${table_columns[$table]}" != NULL ]] || die "no table shop.$table on the source"
done

step "Wait for one connector to take the lease (it snapshots the source, then streams the binlog)"
deadline=$((SECONDS + LEADER_TIMEOUT))
until [[ -n "$(lease)" ]]; do
  ((SECONDS < deadline)) || die "no connector took the lease within ${LEADER_TIMEOUT}s"
  sleep 1
done
read -r active epoch <<<"$(lease)"
info "lease of '$cdc_name': owner $active, epoch $epoch"
case "$active" in
  connector-a) standby=connector-b ;;
  connector-b) standby=connector-a; info "(connector-b won the race this time; the demo kills it instead)" ;;
  *) die "unexpected lease owner '$active'" ;;
esac
docker compose logs --no-color connector-a connector-b | grep -E "source is|started as STANDBY|is now ACTIVE" || true

step "The snapshot reaches the target"
wait_in_sync "initial snapshot"

step "Generate changes on the source (mysql client in the mysql container)"
generate_changes 1 5 20 0.2
info "5 rounds: inserts, updates, deletes on customers, orders, order_lines and products"

step "The target catches up"
wait_in_sync "after the changes"
info "roles: $(docker compose exec -T connector-a curl -s localhost:8081/health | grep -o '"role":"[a-z]*"' || echo '?') (connector-a)," \
  "$(docker compose exec -T connector-b curl -s localhost:8081/health | grep -o '"role":"[a-z]*"' || echo '?') (connector-b)"

step "Keep changes coming and kill the active connector ($active) with SIGKILL"
generate_changes 6 25 10 0.3 &
load_pid=$!
sleep 3
killed_at=$SECONDS
docker compose kill -s SIGKILL "$active"
info "$active killed (no shutdown hook, the lease is not released: the standby waits for it to expire)"

step "The standby ($standby) takes over"
deadline=$((SECONDS + FAILOVER_TIMEOUT))
while :; do
  read -r owner new_epoch <<<"$(lease)" || true
  if [[ "${owner:-}" == "$standby" ]]; then
    break
  fi
  ((SECONDS < deadline)) || die "$standby did not take the lease within ${FAILOVER_TIMEOUT}s"
  sleep 1
done
info "$standby leads with epoch $new_epoch (was $epoch), about $((SECONDS - killed_at)) s after the kill"
docker compose logs --no-color "$standby" | grep -E "is now ACTIVE" || true

step "The offset command in the surviving container: offsets show"
docker compose exec -T "$standby" offsets show

step "offsets history: the commits of both epochs, newest first"
docker compose exec -T "$standby" offsets history --limit 15

step "Wait for the remaining changes, then check that the target equals the source"
wait "$load_pid"
load_pid=""
wait_in_sync "after the failover"
# Cumulative counters from the processor's Prometheus endpoint: events applied, and redelivered ones skipped.
prometheus=$(docker compose exec -T processor curl -s localhost:8082/prometheus || true)
counter() {
  awk -v name="$1" '$1 ~ "^" name "(_total)?({|$)" { sum += $NF } END { printf "%d", sum }' <<<"$prometheus"
}
info "processor: $(counter cdc_processor_applied) events applied, $(counter cdc_processor_duplicates_skipped) duplicates" \
  "skipped by the watermark (events re-sent after the failover), $(counter cdc_processor_dead_lettered) dead-lettered"

printf '\nDemo complete: snapshot and changes propagated, %s was killed, %s took over, the target equals the source.\n' \
  "$active" "$standby"
