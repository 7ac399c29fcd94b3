#!/usr/bin/env bash
# Initial snapshot of one N-row table into Kafka, side by side:
#   A     = Kafka Connect 4.1.1 standalone + Debezium MariaDB connector 3.5.0.Final (plugin archive)
#   B     = bare Debezium engine + one KafkaProducer (the harness's EngineMain)
#   C     = this project's connector jar, default (blocking) snapshot
#   C-inc = the same jar with cdc.snapshot.mode=incremental
# on one MariaDB and one KRaft broker. It reuses the streaming harness next to the project (../shared/bench, or
# HARNESS=...): its Maven build, classpaths, broker and connector templates, EngineMain and Tool, and the pipeline start
# commands of its run.sh (start_pipeline and the helpers it needs are read from that file), so A, B and C start here
# exactly as in its streaming rounds. What is new: the table is loaded before the pipelines start, and each round is
# measured from the pipeline's start to the last snapshot row in Kafka (bench/SnapshotWatch.java).
#
# Usage, from the project root, after ./mvnw -B -q -o -pl cdc-connector -am package -DskipTests:
#   bench/snapshot-side-by-side.sh                      # N=1000000, ROUNDS=3, PIPELINES="A B C C-inc"
#   N=20000 ROUNDS=1 bench/snapshot-side-by-side.sh     # smoke test (14 minutes at load average 25, mostly start-up)
# State under WORK (default ${TMPDIR:-/tmp}/bench-snapshot, wiped at start); report in $WORK/results.md.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
HARNESS=${HARNESS:-$ROOT/../shared/bench}
N=${N:-1000000}                      # rows in the source table
ROUNDS=${ROUNDS:-3}                  # rounds per pipeline, interleaved A, B, C, C-inc, A, ...
PIPELINES=${PIPELINES:-"A B C C-inc"}
LOAD_CHUNK=${LOAD_CHUNK:-100000}     # rows per INSERT ... SELECT while loading the table
ROUND_TIMEOUT_S=${ROUND_TIMEOUT_S:-900}
# C's own Debezium settings (EngineProperties) given to A and B as well, so that the three engines hand over batches of
# the same size; set AB_DEBEZIUM_PROPS= (empty) for Debezium's defaults (2048, 8192, 500 ms)
AB_DEBEZIUM_PROPS=${AB_DEBEZIUM_PROPS-"max.batch.size=4096 max.queue.size=16384 poll.interval.ms=10"}
# ports differ from run.sh's defaults, so that both can run on one machine
DB_PORT=${DB_PORT:-3499}
STORE_PORT=${STORE_PORT:-3498}
KAFKA_PORT=${KAFKA_PORT:-19192}
CONTROLLER_PORT=${CONTROLLER_PORT:-19193}
CONNECT_REST_PORT=${CONNECT_REST_PORT:-18183}
C_HTTP_PORT=${C_HTTP_PORT:-18191}
WORK=${WORK:-${TMPDIR:-/tmp}/bench-snapshot}
CONNECTOR_JAR=${CONNECTOR_JAR:-$(ls "$ROOT"/cdc-connector/target/cdc-connector-*-all.jar 2>/dev/null | head -1)}
# the JVM options of run.sh: what bin/connect-standalone.sh and kafka-server-start.sh use by default
PIPE_JVM_OPTS=${PIPE_JVM_OPTS:-"-Xms256M -Xmx2G -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true"}
C_BASE_JVM_OPTS=${C_JVM_OPTS:-$PIPE_JVM_OPTS}
BROKER_JVM_OPTS=${BROKER_JVM_OPTS:-"-Xms1G -Xmx1G -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true"}

BOOT=127.0.0.1:$KAFKA_PORT
TOPIC=bench.bench.orders
RESULTS=$WORK/results.jsonl

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ -f $HARNESS/run.sh ]] || die "no harness at $HARNESS: put the shared bench folder there or set HARNESS=/path/to/bench"
[[ -f ${CONNECTOR_JAR:-/nonexistent} || " $PIPELINES " != *" C"* ]] \
  || die "no connector jar: run ./mvnw -B -q -o -pl cdc-connector -am package -DskipTests, or set CONNECTOR_JAR"
for p in $PIPELINES; do [[ $p =~ ^(A|B|C|C-inc)$ ]] || die "unknown pipeline '$p' in PIPELINES: use A, B, C, C-inc"; done
for c in java javac mvn python3; do command -v $c >/dev/null || die "$c not found"; done
for port in $DB_PORT $STORE_PORT $KAFKA_PORT $CONTROLLER_PORT $CONNECT_REST_PORT $C_HTTP_PORT; do
  (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && die "port $port is in use: set DB_PORT, STORE_PORT, KAFKA_PORT, CONTROLLER_PORT, CONNECT_REST_PORT or C_HTTP_PORT"
done

# ------------------------------------------------------------------ MariaDB binaries
# mariadbd on PATH (Debian's mariadb-server, as run.sh uses), else MARIADB_HOME, else the server the project's
# local-stack unpacked into ~/.cache (any IT run leaves it there).
MDB_BASEDIR_ARG=() MDB_CLIENT=mariadb
if [[ -z ${MARIADB_HOME:-} ]] && command -v mariadbd >/dev/null && command -v mariadb-install-db >/dev/null; then
  MDB_SERVER=mariadbd MDB_INSTALL=mariadb-install-db
else
  MARIADB_HOME=${MARIADB_HOME:-$(ls -d "$HOME"/.cache/cdc-local-stack/mariadb-* 2>/dev/null | sort -V | tail -1)}
  [[ -x ${MARIADB_HOME:-/nonexistent}/bin/mariadbd ]] \
    || die "no MariaDB server: apt-get install -y mariadb-server, or set MARIADB_HOME to a folder with bin/mariadbd and scripts/mariadb-install-db"
  MDB_SERVER=$MARIADB_HOME/bin/mariadbd MDB_INSTALL=$MARIADB_HOME/scripts/mariadb-install-db MDB_CLIENT=$MARIADB_HOME/bin/mariadb
  MDB_BASEDIR_ARG=(--basedir="$MARIADB_HOME")
  [[ -d $MARIADB_HOME/libs ]] && export LD_LIBRARY_PATH=$MARIADB_HOME/libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi

# ------------------------------------------------------------------ the harness: copy, build, take its functions
rm -rf "$WORK"; mkdir -p "$WORK"/{a,b,c,kafka,mdb,store,logs,classes}
mkdir -p "$WORK/harness" && cp -r "$HARNESS/." "$WORK/harness/" && rm -rf "$WORK"/harness/*/target && HERE=$WORK/harness
LOG4J="-Dlog4j2.configurationFile=$HERE/config/log4j2.properties"

harness_fn() { # name [sed expression]: define the function of that name from the harness's run.sh
  local def
  def=$(awk -v n="$1" 'index($0, n "() {") == 1 {p = 1; print; if ($0 ~ /}$/) exit; next} p {print; if ($0 ~ /^}/) exit}' "$HERE/run.sh")
  [[ -n $def ]] || die "function $1 not found in $HERE/run.sh (the harness changed; update bench/snapshot-side-by-side.sh)"
  if [[ -n ${2:-} ]]; then def=$(sed -e "$2" <<<"$def"); fi
  eval "$def"
}
harness_fn stop_pid
harness_fn render
harness_fn tool
harness_fn vm_hwm_kb
harness_fn kill_stale_dumps
# C's HTTP port is fixed in run.sh; here it is C_HTTP_PORT
harness_fn start_pipeline 's/-Dmicronaut\.server\.port=[0-9]*/-Dmicronaut.server.port=$C_HTTP_PORT/'
grep -q 'C_HTTP_PORT' <<<"$(declare -f start_pipeline)" || die "could not set C's HTTP port in the harness's start_pipeline"

DB_PID="" STORE_PID="" BROKER_PID="" PIPE_PID="" LOADMON_PID=""
cleanup() {
  stop_pid "$PIPE_PID" pipeline 30
  stop_pid "$BROKER_PID" broker 30
  stop_pid "$DB_PID" mariadbd 30
  stop_pid "$STORE_PID" store-mariadbd 30
  stop_pid "$LOADMON_PID" load-monitor 5
}
trap cleanup EXIT
trap 'exit 130' INT TERM

(while :; do echo "$(date -u +%H:%M:%S) $(cut -d' ' -f1-3 /proc/loadavg)"; sleep 5; done) >"$WORK/loadavg.log" &
LOADMON_PID=$!

log "work dir $WORK; building the harness (mvn package) and its classpaths"
(cd "$HERE" && mvn -q -B package -DskipTests) >"$WORK/logs/mvn.log" 2>&1 || { tail -30 "$WORK/logs/mvn.log"; die "harness build failed (see $WORK/logs/mvn.log)"; }
for m in broker connect tools; do
  (cd "$HERE/$m" && mvn -q -B dependency:build-classpath -Dmdep.outputFile="$WORK/$m.cp") >>"$WORK/logs/mvn.log" 2>&1 \
    || die "classpath for $m failed (see $WORK/logs/mvn.log)"
done
BROKER_CP=$(cat "$WORK/broker.cp")
CONNECT_CP=$(cat "$WORK/connect.cp")
TOOLS_CP="$HERE/tools/target/tools-1.0.jar:$(cat "$WORK/tools.cp")"
PLUGIN_PATH=$HERE/connect/target/plugins
[[ -f $PLUGIN_PATH/debezium-connector-mariadb/debezium-connector-mariadb-3.5.0.Final.jar ]] || die "Debezium plugin not unpacked"
javac -d "$WORK/classes" -cp "$TOOLS_CP" "$ROOT/bench/SnapshotWatch.java" 2>"$WORK/logs/javac.log" \
  || { cat "$WORK/logs/javac.log"; die "SnapshotWatch.java does not compile"; }
WATCH_CP="$WORK/classes:$TOOLS_CP"

# ------------------------------------------------------------------ MariaDB (source; flags as in run.sh), store for C
start_mariadb() { # dir port extra-args... ; sets STARTED_PID
  local dir=$1 port=$2; shift 2
  mkdir -p "$dir/tmp"
  TMPDIR=$dir/tmp "$MDB_INSTALL" --no-defaults "${MDB_BASEDIR_ARG[@]}" --datadir="$dir/data" --user="$(id -un)" \
    --auth-root-authentication-method=normal --skip-test-db >"$WORK/logs/install-$(basename "$dir").log" 2>&1 \
    || die "mariadb-install-db failed (see $WORK/logs/install-$(basename "$dir").log)"
  TMPDIR=$dir/tmp "$MDB_SERVER" --no-defaults "${MDB_BASEDIR_ARG[@]}" --datadir="$dir/data" --user="$(id -un)" --port="$port" \
    --bind-address=127.0.0.1 --socket="$dir/mysqld.sock" --pid-file="$dir/mariadbd.pid" --tmpdir="$dir/tmp" \
    --log-error="$WORK/logs/$(basename "$dir").err" "$@" &
  STARTED_PID=$!
  for ((i = 0; i < 300; i++)); do
    "$MDB_CLIENT" --no-defaults --skip-ssl -uroot --socket="$dir/mysqld.sock" -e 'select 1' >/dev/null 2>&1 && return 0
    kill -0 $STARTED_PID 2>/dev/null || die "mariadbd exited (see $WORK/logs/$(basename "$dir").err)"
    sleep 0.1
  done
  die "mariadbd on port $port not ready after 30 s"
}
sql() { "$MDB_CLIENT" --no-defaults --skip-ssl -uroot --socket="$WORK/mdb/mysqld.sock" -N -B "$@"; }
ssql() { "$MDB_CLIENT" --no-defaults --skip-ssl -uroot --socket="$WORK/store/mysqld.sock" -N -B "$@"; }

log "starting the source MariaDB ($("$MDB_SERVER" --version | awk '{print $3}')) on 127.0.0.1:$DB_PORT"
start_mariadb "$WORK/mdb" "$DB_PORT" --log-bin=binlog --binlog-format=ROW --binlog-row-image=FULL --server-id=1 \
  --innodb-buffer-pool-size=256M --innodb-flush-log-at-trx-commit=1 --sync-binlog=1
DB_PID=$STARTED_PID
# the cdc user (grants as in run.sh) and the signal table of C-inc, from the project's own sql/source/cdc-user.sql
sed 's/\${CDC_PASSWORD}/cdc/g' "$ROOT/sql/source/cdc-user.sql" | sql
sql -e "CREATE DATABASE bench"
sql -e "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('version','log_bin','binlog_format','binlog_row_image','sync_binlog',
  'innodb_flush_log_at_trx_commit','innodb_buffer_pool_size','innodb_log_file_size','innodb_doublewrite',
  'innodb_flush_method','max_binlog_size','server_id')" >"$WORK/mariadb-settings.txt"

if [[ " $PIPELINES " == *" C"* ]]; then
  log "starting the shared-store MariaDB of C on 127.0.0.1:$STORE_PORT"
  start_mariadb "$WORK/store" "$STORE_PORT" --innodb-buffer-pool-size=64M
  STORE_PID=$STARTED_PID
  ssql <<'SQL'
CREATE USER 'cdc_store'@'%' IDENTIFIED BY 'store';
CREATE USER 'cdc_store'@'localhost' IDENTIFIED BY 'store';
GRANT ALL PRIVILEGES ON cdc_store.* TO 'cdc_store'@'%';
GRANT ALL PRIVILEGES ON cdc_store.* TO 'cdc_store'@'localhost';
SQL
fi

# ------------------------------------------------------------------ the table: 10 columns, N rows, loaded once
log "loading bench.orders: $N rows from the sequence engine, $LOAD_CHUNK per INSERT ... SELECT"
load_start=$(date +%s%3N)
sql <<'EOF'
CREATE TABLE bench.orders (
  id BIGINT PRIMARY KEY,
  customer VARCHAR(64) NOT NULL,
  amount DECIMAL(12,2) NOT NULL,
  status VARCHAR(16) NOT NULL,
  note VARCHAR(255),
  created DATETIME(6) NOT NULL,
  quantity INT NOT NULL,
  weight DOUBLE,
  priority TINYINT NOT NULL,
  code CHAR(12) NOT NULL
) ENGINE=InnoDB;
EOF
for ((lo = 1; lo <= N; lo += LOAD_CHUNK)); do
  hi=$((lo + LOAD_CHUNK - 1 < N ? lo + LOAD_CHUNK - 1 : N))
  sql -e "INSERT INTO bench.orders SELECT seq, CONCAT('customer-', seq MOD 10000), (seq MOD 100000) / 100 + 0.01,
    ELT(1 + seq MOD 4, 'NEW', 'PAID', 'SHIPPED', 'CANCELLED'),
    CONCAT('benchmark row: the quick brown fox jumps over the lazy dog, 0123456789 abcdefghijklmnopqrstuvwxyz ', seq),
    TIMESTAMP'2026-01-01 00:00:00' + INTERVAL seq SECOND + INTERVAL (seq MOD 1000000) MICROSECOND,
    seq MOD 1000, seq / 7, seq MOD 5, LPAD(HEX(seq), 12, '0')
    FROM bench.seq_1_to_$N WHERE seq BETWEEN $lo AND $hi"
done
[[ $(sql -e "SELECT COUNT(*) FROM bench.orders") == "$N" ]] || die "bench.orders does not hold $N rows after the load"
load_ms=$(( $(date +%s%3N) - load_start ))
table_mib=$(sql -e "SELECT ROUND((data_length + index_length) / 1048576) FROM information_schema.TABLES WHERE table_schema='bench' AND table_name='orders'")
log "loaded in $load_ms ms ($table_mib MiB); one full scan so that every round finds the same cache state"
sql -e "SELECT SUM(LENGTH(note)) FROM bench.orders" >/dev/null

# ------------------------------------------------------------------ Kafka broker (as in run.sh)
log "starting Kafka 4.1.1 KRaft broker on $BOOT"
render "$HERE/config/broker.properties.tmpl" >"$WORK/kafka/server.properties"
java $LOG4J -cp "$BROKER_CP" kafka.tools.StorageTool format --standalone -t "$(java -cp "$BROKER_CP" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)" \
  -c "$WORK/kafka/server.properties" >"$WORK/logs/kafka-format.log" 2>&1 || { cat "$WORK/logs/kafka-format.log"; die "kafka format failed"; }
java $BROKER_JVM_OPTS $LOG4J -cp "$BROKER_CP" kafka.Kafka "$WORK/kafka/server.properties" >"$WORK/logs/broker.log" 2>&1 &
BROKER_PID=$!
for ((i = 0; i < 600; i++)); do grep -q 'Kafka Server started' "$WORK/logs/broker.log" 2>/dev/null && break; kill -0 $BROKER_PID 2>/dev/null || die "broker exited (see $WORK/logs/broker.log)"; sleep 0.1; done
grep -q 'Kafka Server started' "$WORK/logs/broker.log" || die "broker not started"

# ------------------------------------------------------------------ one snapshot round
snapshot_round() { # pipeline(A|B|C|C-inc) round#
  local p=$1 r=$2 hp=${1%-inc} tag="snapshot-${1/-/}-$2"
  log "round $tag: fresh topics, offsets, schema history (and C's store)"
  if [[ -n $STORE_PID ]]; then ssql -e "DROP DATABASE IF EXISTS cdc_store; CREATE DATABASE cdc_store"; fi
  sql -e "DELETE FROM cdc_signal.debezium_signal"
  tool topics-reset "$BOOT" false bench "$TOPIC" __cdc_notifications_bench >/dev/null
  kill_stale_dumps
  C_JVM_OPTS=$C_BASE_JVM_OPTS
  [[ $p == C-inc ]] && C_JVM_OPTS="$C_BASE_JVM_OPTS -Dcdc.snapshot.mode=incremental"
  EXTRA_CONNECTOR_PROPS=$AB_DEBEZIUM_PROPS
  local load0 load1 t0 res hwm
  load0=$(cut -d' ' -f1 /proc/loadavg)
  t0=$(date +%s%3N)
  start_pipeline "$hp" "$tag"
  log "round $tag: pipeline $p started (pid $PIPE_PID); watching $TOPIC"
  res=$(java -cp "$WATCH_CP" bench.snapshot.SnapshotWatch "$BOOT" "$TOPIC" "$N" "$PIPE_PID" "$t0" "$ROUND_TIMEOUT_S" "$(getconf CLK_TCK)" \
        2>>"$WORK/logs/watch.log" | sed -n 's/^RESULT //p')
  hwm=$(vm_hwm_kb "$PIPE_PID" 2>/dev/null || echo 0)
  load1=$(cut -d' ' -f1 /proc/loadavg)
  stop_pid "$PIPE_PID" "pipeline $p" 60; PIPE_PID=""
  python3 - "${res:-}" "$p" "$r" "$hwm" "$load0" "$load1" >>"$RESULTS" <<'PY'
import json, sys
res = json.loads(sys.argv[1]) if sys.argv[1] else {"error": "no result from SnapshotWatch (see logs/watch.log)"}
res.update(pipeline=sys.argv[2], round=int(sys.argv[3]), vm_hwm_mib=round(int(sys.argv[4] or 0) / 1024, 1),
           loadavg_start=float(sys.argv[5]), loadavg_end=float(sys.argv[6]))
print(json.dumps(res))
PY
  log "round $tag: $(tail -1 "$RESULTS")"
}

# ------------------------------------------------------------------ the run
write_run_json() { # ended: the run's description for snapshot_summary.py (also usable while rounds still run)
  cat >"$WORK/run.json" <<EOF
{"rows": $N, "rounds": $ROUNDS, "pipelines": "$PIPELINES", "load_ms": $load_ms, "table_mib": ${table_mib:-0},
 "ab_debezium_props": "$AB_DEBEZIUM_PROPS", "started_utc": "$run_start", "ended_utc": "$1",
 "mariadb": "$("$MDB_SERVER" --version | awk '{print $3}')", "connector_jar": "$(basename "${CONNECTOR_JAR:-none}")"}
EOF
}
: >"$RESULTS"
run_start=$(date -u +'%Y-%m-%d %H:%M')
write_run_json "(running)"
for ((r = 1; r <= ROUNDS; r++)); do
  for p in $PIPELINES; do snapshot_round "$p" "$r"; done
done
write_run_json "$(date -u +'%Y-%m-%d %H:%M')"
python3 "$ROOT/bench/snapshot_summary.py" "$RESULTS" "$WORK" >"$WORK/results.md"
cat "$WORK/results.md"
log "done; results in $WORK/results.md and $RESULTS, logs in $WORK/logs"
