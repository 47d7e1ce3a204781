#!/usr/bin/env bash
# Workload W1 (DESIGN §10): signed Shopify orders/create deliveries against the built jar on a fresh
# embedded H2 store, then (same run, same hub, same requests) against a bare platform-http route that
# only reads the body and answers 200. The load generator is Java on Vert.x's HTTP client, on the same
# machine as the hub.
#
#   bench/w1-webhooks.sh [N=20000] [DUP=0.2] [CONNECTIONS=64]
#
# Env: WORK (default target/w1-run), BUILD=0 to reuse target/handoff.jar, HUB_OPTS (extra JVM options),
#      W1_PAYMENT=pending for orders that stay ACCEPTED (no pick ticket to the WMS outbox),
#      WARMUP (default auto): before each route's measured run, rounds of N deliveries (new orders each
#      round, each round printed; the first is the cold hub) until the hub's JIT compiler threads take
#      under 5% of its CPU in a round; or a count, e.g. WARMUP=3000, for one warm-up of that size.
#      W1_RATE=<requests/s>: an open-loop load at that rate instead of as fast as answered.
#      W1_TIMELINE=1: also the measured run's tail and its 100 ms slices with answers over 40 ms (to line up
#      with a GC log: HUB_OPTS="-Xlog:gc:file=gc.log:uptime,time").
#      H2_WRITES=1: also what the H2 file store wrote during the measured run, by table and index
#      (bench/H2Writes.java on a copy of the file taken right after it; a diagnosis).
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-20000}"; DUP="${2:-0.2}"; CONNS="${3:-64}"
WORK="${WORK:-target/w1-run}"
JAR="${JAR:-target/handoff.jar}"
SECRET="w1-bench-secret"

if [[ "${BUILD:-1}" == 1 || ! -f "$JAR" ]]; then
  mvn -B -q package -DskipTests
fi
rm -rf "$WORK"; mkdir -p "$WORK/data" "$WORK/routes"
cp routes/*.yaml bench/bare-route.camel.yaml "$WORK/routes/"
java -cp "$JAR" bench/W1Seed.java "$WORK/data"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("",0)); print(s.getsockname()[1])'; }
PORT=$(free_port); MPORT=$(free_port)
SHOPIFY_WEBHOOK_SECRET="$SECRET" HANDOFF_API_TOKEN=w1-bench java ${HUB_OPTS:-} \
  -Dhandoff.data-dir="$WORK/data" -Dhandoff.routes-dir="$WORK/routes" \
  -Dcamel.server.port="$PORT" -Dcamel.management.port="$MPORT" \
  -jar "$JAR" > "$WORK/hub.log" 2>&1 &
HUB=$!
trap 'kill $HUB 2>/dev/null || true' EXIT
until curl -sf "http://localhost:$MPORT/observe/health" > /dev/null; do
  kill -0 $HUB 2>/dev/null || { echo "hub died; see $WORK/hub.log"; exit 1; }
  sleep 0.5
done
echo "--- $(nproc) cores, hub and load generator on the same machine; $N deliveries, $DUP re-deliveries, $CONNS connections"
java ${W1_RATE:+-Dw1.rate=$W1_RATE} ${W1_TIMELINE:+-Dw1.timeline=true} -cp "$JAR" bench/W1Load.java "$PORT" "$SECRET" "$N" "$DUP" "$CONNS" "${WARMUP:-auto}" "$HUB" \
  | tee "$WORK/load.txt"
# H2_WRITES=1: the H2 file as it is right after the measured run, for bench/H2Writes.java (below)
[[ "${H2_WRITES:-0}" == 1 ]] && cp "$WORK/data/db/handoff.mv.db" "$WORK/h2-after-run.mv.db"
curl -sf "http://localhost:$MPORT/observe/metrics" | grep -E '^handoff_webhook_batch_(size|time_seconds)_(count|sum|max)' || true
for state in ACCEPTED READY_TO_PICK HELD; do
  orders=$(curl -sf -H "Authorization: Bearer w1-bench" "http://localhost:$PORT/api/orders?state=$state&limit=10000" \
    | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["orders"]))')
  echo "orders $state (at most 10000 listed): $orders"
done
kill $HUB; wait $HUB 2>/dev/null || true
if [[ "${H2_WRITES:-0}" == 1 ]]; then
  SECS=$(awk '$1 == "handoff" && $2 == "/webhooks/shopify" {print $6}' "$WORK/load.txt")
  ORDERS=$(python3 -c "print(round($N * (1 - $DUP)))")
  echo "--- what H2 wrote during the measured run (bench/H2Writes.java, the last $SECS s of chunks; per new order)"
  java -cp "$JAR" bench/H2Writes.java "$WORK/h2-after-run.mv.db" "$SECS" "$ORDERS"
fi
