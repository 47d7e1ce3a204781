#!/usr/bin/env bash
# Workload W3 (DESIGN §10): one CSV inbox file of ORDERS orders (1-5 lines each, rows shuffled),
# applied by the built jar under -Xmx256m on a fresh H2 file store. Prints orders/s, the phases, and
# peak heap from the GC log, the hub's CPU seconds for the file (a figure the machine's other load
# does not inflate as much as wall time), plus the in-run baseline (the same file only read and
# grouped, no DB).
#
#   bench/w3-csv-inbox.sh [ORDERS=100000]
#
# Env: HEAP (default 256m), WORK (default target/w3-run), BUILD=0 to reuse the jar, JAR (default
# target/handoff.jar), HUB_OPTS (extra JVM options for the hub, e.g. a flight recording),
# WARMUP_ORDERS (default 300000): a first file of that many other orders (same SKUs) applied and waited
# for before the measured file, so the measured file meets a hub whose JIT has compiled the path, as a
# running hub's would be (the way bench/w1-webhooks.sh warms its hub by default); its own figures are
# printed too — a file of that size on a hub started just before it — with the JIT compiler threads'
# share of the hub's CPU while it was applied. WARMUP_ORDERS=0 measures the 100,000-order file on a hub
# started just before it (the JIT then takes about a third of the hub's CPU: BENCHMARKS.md, W3).
# H2_WRITES=1: also what the H2 file store wrote while the file was processed, by table and index
# (bench/H2Writes.java on a copy of the file taken at the report; a diagnosis, it adds ~30 s after the figures).
set -euo pipefail
cd "$(dirname "$0")/.."
ORDERS="${1:-100000}"
HEAP="${HEAP:-256m}"
WORK="${WORK:-target/w3-run}"
SKUS=2000
JAR="${JAR:-target/handoff.jar}"

if [[ "${BUILD:-1}" == 1 || ! -f "$JAR" ]]; then
  mvn -B -q package -DskipTests
fi
rm -rf "$WORK"; mkdir -p "$WORK/data/inbox/orders" "$WORK/gen"
java bench/W3OrdersFile.java "$WORK/gen" "$ORDERS" "$SKUS"
WARMUP_ORDERS="${WARMUP_ORDERS:-300000}"
if (( WARMUP_ORDERS > 0 )); then
  mkdir -p "$WORK/gen-warm"
  java bench/W3OrdersFile.java "$WORK/gen-warm" "$WARMUP_ORDERS" "$SKUS" 7 W3WARM- 20261122T020000Z
fi
FILE=$(ls "$WORK"/gen/orders_*.csv)
NAME=$(basename "$FILE")
java -cp "$JAR" bench/W3Seed.java "$WORK/data" "$SKUS"

echo "--- baseline (same file, read + grouped only, -Xmx$HEAP)"
java -Xmx"$HEAP" -cp "$JAR" bench/W3Baseline.java "$FILE" "$WORK/baseline-tmp"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("",0)); print(s.getsockname()[1])'; }
PORT=$(free_port); MPORT=$(free_port)
echo "--- hub (java -Xmx$HEAP -jar $JAR)"
HANDOFF_API_TOKEN=w3-bench java ${HUB_OPTS:-} -Xmx"$HEAP" -Xlog:gc:file="$WORK/gc.log" \
  -Dhandoff.data-dir="$WORK/data" -Dcamel.server.port="$PORT" -Dcamel.management.port="$MPORT" \
  -jar "$JAR" > "$WORK/hub.log" 2>&1 &
HUB=$!
trap 'kill $HUB 2>/dev/null || true' EXIT
until curl -sf "http://localhost:$MPORT/observe/health" > /dev/null; do
  kill -0 $HUB 2>/dev/null || { echo "hub died; see $WORK/hub.log"; exit 1; }
  sleep 0.5
done

threads_cpu() { for t in /proc/$HUB/task/*; do echo "${t##*/} $(sed 's/.*) //' "$t/stat" | awk '{print $12+$13}')"; done; }
# the JIT compiler threads' CPU, in clock ticks (how warm the hub is: their share falls as the path gets compiled)
jit_ticks() {
  for t in /proc/$HUB/task/*; do
    if grep -q CompilerThre "$t/comm" 2>/dev/null; then sed 's/.*) //' "$t/stat" 2>/dev/null | awk '{print $12+$13}' || true; fi
  done | awk '{s+=$1} END {print s+0}'
}

if (( WARMUP_ORDERS > 0 )); then
  WCPU0=$(awk '{print $14+$15}' /proc/$HUB/stat); WJIT0=$(jit_ticks)
  WARM=$(ls "$WORK"/gen-warm/orders_*.csv); WNAME=$(basename "$WARM")
  cp "$WARM" "$WORK/data/inbox/$WNAME.part"; mv "$WORK/data/inbox/$WNAME.part" "$WORK/data/inbox/orders/$WNAME"
  until [[ -f "$WORK/data/inbox/orders/.done/$WNAME.report.json" ]]; do
    kill -0 $HUB 2>/dev/null || { echo "hub died; see $WORK/hub.log"; exit 1; }
    sleep 0.2
  done
  WCPU1=$(awk '{print $14+$15}' /proc/$HUB/stat); WJIT1=$(jit_ticks)
  python3 - "$WORK/data/inbox/orders/.done/$WNAME.report.json" "$WCPU1" "$WCPU0" "$WJIT1" "$WJIT0" "$(getconf CLK_TCK)" <<'PY'
import json, sys
o = json.load(open(sys.argv[1]))["orders"]
ms = o["readAndStagedMs"] + o["groupedAndAppliedMs"]
clk = int(sys.argv[6])
cpu, jit = (int(sys.argv[2]) - int(sys.argv[3])) / clk, (int(sys.argv[4]) - int(sys.argv[5])) / clk
print(f"--- warm-up file: {o['read']} orders in {ms} ms = {o['read'] * 1000 // max(1, ms)} orders/s, hub CPU {cpu:.1f} s,"
      f" of which the JIT compiler threads {jit:.1f} s ({100 * jit / max(0.001, cpu):.0f}%)")
PY
  echo "--- warm-up file of $WARMUP_ORDERS orders applied; waiting for its pick tickets and ATS pushes to settle"
  sleep 5
fi

# written beside the inbox, then moved in whole (the inbox takes a file once its size is stable)
cp "$FILE" "$WORK/data/inbox/$NAME.part"
T0=$(date +%s%3N)
CPU0=$(awk '{print $14+$15}' /proc/$HUB/stat)   # the hub's CPU time so far, in clock ticks
threads_cpu > "$WORK/threads0.txt"
mv "$WORK/data/inbox/$NAME.part" "$WORK/data/inbox/orders/$NAME"
# live heap every 10 s while the file is applied (jmap -histo:live forces a full GC: the live set, not garbage)
( while kill -0 $HUB 2>/dev/null; do sleep 10; jmap -histo:live $HUB 2>/dev/null | awk '/^Total/ {print $3}' >> "$WORK/live.txt"; done ) &
SAMPLER=$!
REPORT="$WORK/data/inbox/orders/.done/$NAME.report.json"
until [[ -f "$REPORT" || -f "$WORK/data/inbox/orders/.failed/$NAME.report.json" ]]; do
  kill -0 $HUB 2>/dev/null || { echo "hub died; see $WORK/hub.log"; exit 1; }
  sleep 0.1
done
T1=$(date +%s%3N)
CPU1=$(awk '{print $14+$15}' /proc/$HUB/stat)
threads_cpu > "$WORK/threads1.txt"
# H2_WRITES=1: the H2 file as it is at the report, for bench/H2Writes.java (what the file's commits wrote, by table)
[[ "${H2_WRITES:-0}" == 1 ]] && cp "$WORK/data/db/handoff.mv.db" "$WORK/h2-at-report.mv.db"
jstack $HUB > "$WORK/jstack.txt" 2>/dev/null || true
[[ -f "$REPORT" ]] || { echo "file rejected:"; cat "$WORK/data/inbox/orders/.failed/$NAME.report.json"; exit 1; }
kill $SAMPLER 2>/dev/null || true
kill $HUB; wait $HUB 2>/dev/null || true
trap - EXIT

touch "$WORK/live.txt"
python3 - "$REPORT" "$WORK/gc.log" "$T0" "$T1" "$HEAP" "$CPU0" "$CPU1" "$(getconf CLK_TCK)" "$WORK/live.txt" "$WORK" <<'PY'
import json, re, sys, os
report = json.load(open(sys.argv[1]))
o = report["orders"]
t0, t1 = int(sys.argv[3]), int(sys.argv[4])
before, after = [], []
for line in open(sys.argv[2]):
    m = re.search(r"(\d+)M->(\d+)M\((\d+)M\)", line)
    if m:
        before.append(int(m.group(1))); after.append(int(m.group(2)))
total_ms = o["readAndStagedMs"] + o["groupedAndAppliedMs"]
print(f"rows read {report['rowsRead']}, applied {report['rowsApplied']}, held {report['rowsHeld']}")
print(f"orders read {o['read']}, accepted {o['accepted']}, held {o['held']}, duplicate {o['duplicate']}")
print(f"inbox processing: {total_ms} ms (read+staged {o['readAndStagedMs']} ms, grouped+applied {o['groupedAndAppliedMs']} ms)"
      f" = {o['read'] * 1000 // max(1, total_ms)} orders/s")
print(f"drop to report (incl. the stable-size wait and poll): {t1 - t0} ms = {o['read'] * 1000 // max(1, t1 - t0)} orders/s")
cpu_s = (int(sys.argv[7]) - int(sys.argv[6])) / int(sys.argv[8])
print(f"hub CPU time for the file (all threads: intake, pipeline, H2, ATS and WMS side effects, GC, JIT): {cpu_s:.1f} s"
      f" = {o['read'] / max(0.001, cpu_s):.0f} orders per CPU-second")
if before:
    print(f"heap (-Xmx{sys.argv[5]}): peak occupancy {max(before)} MiB (G1 fills what it is given before it collects),"
          f" {len(before)} GCs")
# the hub's CPU for the file by thread group (per-thread /proc figures, names from jstack)
work = sys.argv[10]
def ticks(name):
    return {int(a): int(b) for a, b in (l.split() for l in open(os.path.join(work, name)) if len(l.split()) == 2)}
t0, t1 = ticks("threads0.txt"), ticks("threads1.txt")
names = {}
for l in open(os.path.join(work, "jstack.txt")) if os.path.exists(os.path.join(work, "jstack.txt")) else []:
    m = re.match(r'^"([^"]*)".* nid=(0x[0-9a-f]+|\d+)', l)
    if m:
        names[int(m.group(2), 0)] = m.group(1)
groups = {}
for tid, t in t1.items():
    n = names.get(tid, "?")
    g = ("file thread (inbox)" if "inbox/orders" in n else "ATS recompute" if "ats-recompute" in n
         else "WMS outbox" if "wms-outbox" in n else "GC" if re.match(r"(GC Thread|G1 )", n)
         else "JIT" if "CompilerThread" in n else "other")
    groups[g] = groups.get(g, 0) + t - t0.get(tid, 0)
clk = int(sys.argv[8])
print("hub CPU by thread group: " + ", ".join(f"{g} {v / clk:.1f} s" for g, v in sorted(groups.items(), key=lambda x: -x[1])))
live = [int(x) for x in open(sys.argv[9]).read().split()]
if live:
    print(f"live heap while applying (jmap -histo:live every 10 s, {len(live)} samples): max {max(live) // 1048576} MiB")
PY

if [[ "${H2_WRITES:-0}" == 1 ]]; then
  SECS=$(python3 -c 'import json,sys; o=json.load(open(sys.argv[1]))["orders"]; print((o["readAndStagedMs"]+o["groupedAndAppliedMs"])/1000)' "$REPORT")
  echo "--- what H2 wrote while the file was processed (bench/H2Writes.java, the last $SECS s of chunks)"
  java -cp "$JAR" bench/H2Writes.java "$WORK/h2-at-report.mv.db" "$SECS" "$ORDERS"
fi
