#!/usr/bin/env bash
# Several nodes on one PostgreSQL, proven: PostgreSQL, Mosquitto, three `langso serve` nodes and
# HAProxy in front (Debian packages), a demo database, then visits, heartbeats and announcements
# through HAProxy and device messages through Mosquitto while one node is killed with `kill -9`
# (and started again, as systemd would). Then, in SQL: no acknowledged write lost, each device
# message applied once, each webhook delivery and each offline alarm once, indicator counters
# equal to the households' values; a session made on one node is used on the others.
# Prints a summary; exits non-zero on any mismatch.
#
# Usage: .ci/multinode.sh   (settings from the environment, defaults below)
#   LANGSO_BINARY   the binary (target/debug/langso)
#   MN_VISITS       visits sent (3000)           MN_CLIENTS        HTTP clients at once (16)
#   MN_HOUSEHOLDS   households visited (200)     MN_HEARTBEATS     HTTP heartbeats (2000)
#   MN_MQTT_DEVICES devices over MQTT (40)       MN_MQTT_MESSAGES  messages per MQTT device (25)
#   MN_ANNOUNCEMENTS announcements (12)          MN_SILENT         devices made to fall silent (500)
#   MN_SETTLE       seconds to wait for queues (120)
#   MN_PG_PORT (5447), MN_PORT (18480: HAProxy; +1..+3 nodes, +10 Mosquitto, +11 webhook receiver)
#   MN_KEEP=1       keep the temporary directory (logs) afterwards
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

binary="$(realpath "${LANGSO_BINARY:-target/debug/langso}")"
visits="${MN_VISITS:-3000}"
clients="${MN_CLIENTS:-16}"
households="${MN_HOUSEHOLDS:-200}"
heartbeats="${MN_HEARTBEATS:-2000}"
mqtt_devices="${MN_MQTT_DEVICES:-40}"
mqtt_messages="${MN_MQTT_MESSAGES:-25}"
announcements="${MN_ANNOUNCEMENTS:-12}"
silent="${MN_SILENT:-500}"
settle="${MN_SETTLE:-120}"
pg_port="${MN_PG_PORT:-5447}"
port="${MN_PORT:-18480}"
mqtt_port=$((port + 10))
hook_port=$((port + 11))
[ -x "$binary" ] || { echo "multinode: no binary at $binary (set LANGSO_BINARY)" >&2; exit 2; }
for tool in haproxy psql python3; do
  command -v "$tool" >/dev/null || { echo "multinode: $tool is missing (apt-get install haproxy postgresql-client python3)" >&2; exit 2; }
done
[ -x /usr/sbin/mosquitto ] || { echo "multinode: mosquitto is missing (apt-get install mosquitto)" >&2; exit 2; }

work="$(mktemp -d /tmp/langso-multinode.XXXXXX)"
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/haproxy.pid" ] && kill "$(cat "$work/haproxy.pid")" 2>/dev/null || true
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  PGPORT="$pg_port" "$root/.ci/postgres.sh" stop >/dev/null 2>&1 || true
  if [ "${MN_KEEP:-}" = 1 ] || [ "${failed:-1}" != 0 ]; then
    echo "multinode: logs kept in $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
say() { printf '[%s] %s\n' "$(date +%T)" "$*"; }

say "PostgreSQL on port $pg_port"
server_url="$(PGPORT="$pg_port" "$root/.ci/postgres.sh" start)"
db_url="${server_url%/postgres}/langso_multinode"
psql -qX "$server_url" -c "DROP DATABASE IF EXISTS langso_multinode" -c "CREATE DATABASE langso_multinode" >/dev/null
sql() { psql -qAtX -v ON_ERROR_STOP=1 "$db_url" "$@"; }

say "demo database ($binary demo --no-serve)"
t0=$(date +%s)
"$binary" demo --no-serve --database-url "$db_url" >"$work/demo.log" 2>&1 || { cat "$work/demo.log" >&2; exit 1; }
say "demo built in $(( $(date +%s) - t0 )) s"

say "Mosquitto on port $mqtt_port, webhook receiver on port $hook_port"
cat >"$work/mosquitto.conf" <<EOF
listener $mqtt_port 127.0.0.1
allow_anonymous true
persistence false
max_queued_messages 100000
max_inflight_messages 20
EOF
/usr/sbin/mosquitto -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
pids+=($!)
python3 "$root/.ci/multinode.py" receive "$hook_port" "$work/deliveries.log" >"$work/receiver.log" 2>&1 &
pids+=($!)

node_pid=()
start_node() {
  local n=$1
  "$binary" serve --database-url "$db_url" --db-pool-size 8 --listen "127.0.0.1:$((port + n))" \
    --node-id "multinode-$n" --mqtt-url "mqtt://127.0.0.1:$mqtt_port" --offline-check 1 \
    >>"$work/node$n.log" 2>&1 &
  node_pid[$n]=$!
  pids+=($!)
}
wait_ready() {
  local url=$1 i
  for i in $(seq 1 600); do
    curl -fsS -o /dev/null "$url/readyz" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "multinode: $url/readyz never answered" >&2
  return 1
}
say "three nodes on ports $((port + 1))-$((port + 3))"
for n in 1 2 3; do start_node "$n"; done
for n in 1 2 3; do wait_ready "http://127.0.0.1:$((port + n))"; done

say "HAProxy on port $port (round robin, health checks on /readyz)"
cat >"$work/haproxy.cfg" <<EOF
global
  maxconn 4096
  stats socket $work/haproxy.sock mode 600 level operator
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  retries 3
  option redispatch
frontend langso
  bind 127.0.0.1:$port
  default_backend nodes
backend nodes
  balance roundrobin
  option httpchk GET /readyz
  http-check expect status 200
  default-server inter 300ms fall 2 rise 2
  server node1 127.0.0.1:$((port + 1)) check
  server node2 127.0.0.1:$((port + 2)) check
  server node3 127.0.0.1:$((port + 3)) check
EOF
haproxy -c -q -f "$work/haproxy.cfg"
haproxy -D -p "$work/haproxy.pid" -f "$work/haproxy.cfg" >"$work/haproxy.log" 2>&1
wait_ready "http://127.0.0.1:$port"

commune="$(sql -c "SELECT id FROM units WHERE code = '09817' AND valid_to IS NULL")"
say "session: log in on node 1, use the cookie on nodes 2 and 3; tokens and a webhook made there"
export MN_WEBHOOK_URL="http://127.0.0.1:$hook_port/hook"
setup="$(python3 "$root/.ci/multinode.py" setup "http://127.0.0.1:$((port + 1))" \
  "http://127.0.0.1:$((port + 2))" "http://127.0.0.1:$((port + 3))" "$commune")"
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$setup" "$1"; }
webhook="$(field webhook)"

# What the load uses: households of the commune; gateway devices under it over HTTP; other
# devices over MQTT; every other reporting device made due to fall silent during the run, so
# three offline detectors race for each.
sql -c "SELECT json_agg(id) FROM (SELECT id FROM households WHERE commune_id = '$commune' AND NOT erased ORDER BY id LIMIT $households) h" >"$work/households.json"
sql -c "SELECT json_agg(code) FROM (SELECT DISTINCT a.code FROM assets a JOIN unit_closure c ON c.descendant_id = a.unit_id
        WHERE c.ancestor_id = '$commune' AND c.valid_to IS NULL AND a.heartbeat_seconds > 0 AND a.status <> 'retired' ORDER BY a.code LIMIT 30) d" >"$work/http_devices.json"
sql -c "SELECT json_agg(json_build_array(code, unit)) FROM (SELECT a.code, u.code AS unit FROM assets a JOIN units u ON u.id = a.unit_id
        WHERE a.heartbeat_seconds > 0 AND a.status <> 'retired'
          AND a.code NOT IN (SELECT json_array_elements_text('$(cat "$work/http_devices.json")'::json))
        ORDER BY a.code DESC LIMIT $mqtt_devices) d" >"$work/mqtt_devices.json"
sql <<EOF
CREATE SCHEMA mn;
CREATE TABLE mn.traffic (code TEXT PRIMARY KEY);
INSERT INTO mn.traffic SELECT json_array_elements_text('$(cat "$work/http_devices.json")'::json);
INSERT INTO mn.traffic SELECT e->>0 FROM json_array_elements('$(cat "$work/mqtt_devices.json")'::json) e;
CREATE TABLE mn.before AS SELECT a.code, s.heartbeats FROM device_state s JOIN assets a ON a.id = s.asset_id;
CREATE TABLE mn.start AS SELECT now() AS t0;
UPDATE device_state s SET offline_after = now() + interval '1 hour'
  FROM assets a WHERE a.id = s.asset_id AND NOT s.silent AND a.code NOT IN (SELECT code FROM mn.traffic);
UPDATE device_state SET offline_after = now() + (10 + random() * 40) * interval '1 second'
  WHERE asset_id IN (SELECT s.asset_id FROM device_state s JOIN assets a ON a.id = s.asset_id
    WHERE NOT s.silent AND a.code NOT IN (SELECT code FROM mn.traffic) ORDER BY a.code LIMIT $silent);
EOF
due="$(sql -c "SELECT count(*) FROM device_state WHERE NOT silent AND offline_after < now() + interval '1 minute'")"
count() { python3 -c "import json,sys; print(len(json.load(open(sys.argv[1])) or []))" "$1"; }
say "$(count "$work/households.json") households, $(count "$work/http_devices.json") HTTP devices, $(count "$work/mqtt_devices.json") MQTT devices, $due devices due to fall silent"

say "load: $visits visits ($clients clients), $heartbeats heartbeats, $mqtt_devices × $mqtt_messages MQTT messages, $announcements announcements"
export MN_PROXY="http://127.0.0.1:$port" MN_OUT="$work" MN_COMMUNE_ID="$commune" MN_MQTT_PORT="$mqtt_port"
export MN_OFFICER_TOKEN="$(field officer)" MN_DEVICE_TOKEN="$(field device)"
export MN_HOUSEHOLDS_FILE="$work/households.json" MN_HTTP_DEVICES_FILE="$work/http_devices.json"
export MN_MQTT_DEVICES_FILE="$work/mqtt_devices.json" MN_VISITS="$visits" MN_CLIENTS="$clients"
export MN_HEARTBEATS="$heartbeats" MN_MQTT_MESSAGES="$mqtt_messages" MN_ANNOUNCEMENTS="$announcements"
python3 "$root/.ci/multinode.py" drive &
driver=$!
# Node 2 dies with kill -9 when half the visits are acknowledged; 3 s later it starts again
# under the same node id (so the broker hands it its MQTT session back), as systemd would.
killed_at=""
while kill -0 "$driver" 2>/dev/null; do
  if [ -z "$killed_at" ] && [ "$(cat "$work/progress" 2>/dev/null)" -ge $((visits / 2)) ] 2>/dev/null; then
    kill -9 "${node_pid[2]}"
    killed_at="$(cat "$work/progress")"
    say "kill -9 node 2 (pid ${node_pid[2]}) after $killed_at acknowledged visits"
    sleep 3
    start_node 2
    say "node 2 started again"
  fi
  sleep 0.2
done
wait "$driver" || { echo "multinode: the load driver failed" >&2; exit 1; }
[ -n "$killed_at" ] || { echo "multinode: the load ended before the kill; raise MN_VISITS" >&2; exit 1; }
wait_ready "http://127.0.0.1:$((port + 2))"

sql <<EOF
CREATE TABLE mn.visits (id UUID PRIMARY KEY);
CREATE TABLE mn.mqtt (code TEXT PRIMARY KEY, acked BIGINT);
CREATE TABLE mn.http (code TEXT PRIMARY KEY, acked BIGINT, attempted BIGINT);
CREATE TABLE mn.announcements (id UUID);
\copy mn.visits FROM '$work/visits.csv' (FORMAT csv)
\copy mn.mqtt FROM '$work/mqtt.csv' (FORMAT csv)
\copy mn.http FROM '$work/http.csv' (FORMAT csv)
\copy mn.announcements FROM '$work/announcements.csv' (FORMAT csv)
CREATE VIEW mn.applied AS SELECT a.code, s.heartbeats - COALESCE(b.heartbeats, 0) AS applied
  FROM device_state s JOIN assets a ON a.id = s.asset_id LEFT JOIN mn.before b ON b.code = a.code;
EOF

say "waiting for queues to settle (at most $settle s): MQTT messages, webhook deliveries, offline detection"
pending() {
  sql -c "SELECT
    (SELECT count(*) FROM mn.mqtt m JOIN mn.applied p USING (code) WHERE p.applied < m.acked)
  + (SELECT count(*) FROM comm_outbox WHERE webhook_id = '$webhook' AND status <> 'delivered')
  + (SELECT count(*) FROM device_state WHERE NOT silent AND offline_after < now() - interval '3 seconds')"
}
for i in $(seq 1 "$settle"); do
  [ "$(pending)" = 0 ] && break
  sleep 1
done
sleep 3  # a late duplicate would show now

# --- checks --------------------------------------------------------------------------------
failed=0
check() {  # name, found, expected
  if [ "$2" = "$3" ]; then
    printf '  ok    %-58s %s\n' "$1" "$2"
  else
    printf '  FAIL  %-58s %s (expected %s)\n' "$1" "$2" "$3"
    failed=1
  fi
}
info() { printf '        %-58s %s\n' "$1" "$2"; }
q() { sql -c "$1"; }

echo
echo "== multinode summary (3 nodes, node 2 killed with kill -9 after $killed_at visits)"
python3 - "$work/result.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"        load ran {r['seconds']} s: {len(r['visits_acked'])} visits acknowledged "
      f"({r['visit_retries']} retries, refused {r['visits_refused'] or 'none'}), "
      f"{sum(r['heartbeats_acked'].values())} of {sum(r['heartbeats_attempted'].values())} HTTP heartbeats acknowledged, "
      f"{sum(r['mqtt_acked'].values())} MQTT messages acknowledged by the broker, "
      f"{len(r['announcements_acked'])} announcements")
for e in r["errors"][:3]:
    print(f"        note: {e}")
EOF
check "session from node 1 valid on nodes 2 and 3" "$(field sessions)" "{'B': 200, 'C': 200}"
check "acknowledged visits missing from the ledger" "$(q "SELECT count(*) FROM mn.visits v WHERE NOT EXISTS (SELECT 1 FROM visits WHERE id = v.id)")" 0
info "acknowledged visits / visits written during the run" \
  "$(q "SELECT count(*) FROM mn.visits") / $(q "SELECT count(*) FROM visits, mn.start WHERE created_at >= start.t0")"
check "(village, indicator) counters ≠ sum of household values" "$(q "
  WITH v AS (SELECT h.unit_id, 'ind:' || i.indicator AS key, SUM(i.value) AS value
             FROM household_indicators i JOIN households h ON h.id = i.household_id GROUP BY 1, 2),
       c AS (SELECT unit_id, key, value FROM unit_counters WHERE key LIKE 'ind:%')
  SELECT count(*) FROM v FULL JOIN c USING (unit_id, key) WHERE COALESCE(v.value, 0) <> COALESCE(c.value, 0)")" 0
check "village visit counters ≠ visits in the ledger" "$(q "
  WITH v AS (SELECT unit_id, count(*) AS value FROM visits GROUP BY 1),
       c AS (SELECT unit_id, value FROM unit_counters WHERE key = 'visits')
  SELECT count(*) FROM v FULL JOIN c USING (unit_id) WHERE COALESCE(v.value, 0) <> COALESCE(c.value, 0)")" 0
info "(village, indicator) counters compared" "$(q "SELECT count(*) FROM unit_counters WHERE key LIKE 'ind:%'")"
check "MQTT messages acknowledged by the broker, applied" "$(q "SELECT COALESCE(sum(p.applied), 0) FROM mn.mqtt m JOIN mn.applied p USING (code)")" "$(q "SELECT COALESCE(sum(acked), 0) FROM mn.mqtt")"
check "MQTT devices with a message lost or applied twice" "$(q "SELECT count(*) FROM mn.mqtt m JOIN mn.applied p USING (code) WHERE p.applied <> m.acked")" 0
check "HTTP devices with an acknowledged heartbeat lost" "$(q "SELECT count(*) FROM mn.http h JOIN mn.applied p USING (code) WHERE p.applied < h.acked")" 0
check "HTTP devices with more heartbeats applied than sent" "$(q "SELECT count(*) FROM mn.http h JOIN mn.applied p USING (code) WHERE p.applied > h.attempted")" 0
info "HTTP heartbeats acknowledged / applied / sent" "$(q "SELECT sum(h.acked) || ' / ' || sum(p.applied) || ' / ' || sum(h.attempted) FROM mn.http h JOIN mn.applied p USING (code)")"
check "announcements acknowledged but missing" "$(q "SELECT count(*) FROM mn.announcements a WHERE NOT EXISTS (SELECT 1 FROM announcements WHERE id = a.id)")" 0
outbox="$(q "SELECT count(*) FROM comm_outbox WHERE webhook_id = '$webhook'")"
check "webhook messages in the outbox not delivered" "$(q "SELECT count(*) FROM comm_outbox WHERE webhook_id = '$webhook' AND status <> 'delivered'")" 0
sql -c "CREATE TABLE mn.deliveries (key TEXT)"
sql -c "\\copy mn.deliveries FROM '$work/deliveries.log' (FORMAT text)"
check "webhook deliveries received (one per outbox message)" "$(q "SELECT count(*) FROM mn.deliveries")" "$outbox"
check "outbox messages received other than once" "$(q "
  SELECT count(*) FROM comm_outbox o WHERE o.webhook_id = '$webhook'
    AND (SELECT count(*) FROM mn.deliveries d WHERE d.key = o.idempotency_key) <> 1")" 0
check "devices gone silent during the run without one offline alarm" "$(q "
  SELECT count(*) FROM device_status_changes c, mn.start WHERE c.at >= start.t0 AND c.new_status = 'silent'
    AND (SELECT count(*) FROM alarms a WHERE a.asset_id = c.asset_id AND a.kind = 'offline' AND a.raised_at >= start.t0) <> 1")" 0
# One statement, so one snapshot: the detector keeps declaring the load's own devices silent
# once their heartbeats stop, and two separate counts would see different moments.
read -r offline transitions <<<"$(q "SELECT
  (SELECT count(*) FROM alarms, mn.start WHERE kind = 'offline' AND raised_at >= start.t0) || ' ' ||
  (SELECT count(*) FROM device_status_changes, mn.start WHERE at >= start.t0 AND new_status = 'silent')")"
check "offline alarms raised / silent transitions in the ledger" "$offline" "$transitions"
check "devices still due to fall silent (detector stalled)" "$(q "SELECT count(*) FROM device_state WHERE NOT silent AND offline_after < now() - interval '3 seconds'")" 0
[ "$offline" -gt 0 ] || { echo "  FAIL  no device fell silent during the run: the offline check proved nothing"; failed=1; }
python3 - "$work/haproxy.sock" <<'EOF'
import csv, io, socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b"show stat\n")
data = b""
while chunk := s.recv(65536):
    data += chunk
for r in csv.DictReader(io.StringIO(data.decode().lstrip("# "))):
    if r["pxname"] == "nodes" and r["svname"].startswith("node"):
        print(f"        HAProxy {r['svname']}: {r['stot']} requests, {r['hrsp_2xx']} 2xx, "
              f"{r['hrsp_5xx']} 5xx, {r['eresp']} failed answers, {r['econ']} failed connections, "
              f"{r['wredis']} redispatched, marked down {r['chkdown']} times")
EOF
for n in 1 2 3; do info "node $n log: errors" "$(grep -c ' ERROR ' "$work/node$n.log" || true)"; done
echo
if [ "$failed" = 0 ]; then
  echo "multinode: every acknowledged write and message accounted for exactly once"
else
  echo "multinode: MISMATCH (see above)" >&2
  exit 1
fi
