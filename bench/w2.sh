#!/usr/bin/env bash
# Workload W2 (DESIGN §10): a 1,000,000-row inventory snapshot and a 2%-changed one through the real jar
# under -Xmx256m, against a plain JDBC batch load of the same rows into the same database, in the same run.
#
#   bench/w2.sh                          H2 file store
#   bench/w2.sh --db=postgres            PostgreSQL (admin URL --pg-url, default jdbc:postgresql://localhost:5432/postgres,
#                                        --pg-user/--pg-password, default handoff/handoff; a fresh database is used)
#   bench/w2.sh --skus=10000             smaller run (rows = skus x --locations, default 10)
#   bench/w2.sh --repeat=4               diagnosis: 4 more daily snapshots on the same hub after the measured ones (not in the table)
#   bench/w2.sh --plain=0                iterating: no plain JDBC baseline (no ratio against it)
#   bench/w2.sh --jfr-second=FILE        a JFR recording (profile) of the 2% snapshot alone
#   bench/w2.sh --warmup-skus=100000     before the measured snapshots, a first and a changed snapshot of another
#                                        warehouse with that many other SKUs (a hub whose JIT has compiled the
#                                        path); default 0: a hub started right before the first file
#
# Prints a Markdown table (also written to <work>/result.md; work folder /tmp/handoff-w2-<db>).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/handoff.jar ] && [ "${W2_REBUILD:-1}" = "0" ] || mvn -B -q package -DskipTests
exec java -cp target/handoff.jar bench/W2Bench.java "$@"
