#!/usr/bin/env bash
# The dispatch service beside PostgreSQL's own ceiling, in one run on one machine.
#
#   Benchmarks/dispatch.sh [SECONDS]        (default 20 s per measurement)
#
# 1. builds districtctl in release mode and starts a fresh embedded stack (`districtctl up`)
#    in a temporary home;
# 2. prepares the load district and measures pgbench running the statements of one report,
#    one report per transaction, at 16 clients: the physical limit here. The script comes
#    from `districtctl bench report-pgbench`, built from the service's own SQL;
# 3. measures the service: `report` saturated (closed loop), `report` at half that rate
#    (open loop), `lifecycle` and `mixed` saturated, and `subscribe` with 200 subscribers;
# 4. prints the table and the ratio service / pgbench; JSON reports stay in the home.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-20}"
home="$(mktemp -d /tmp/district-bench.XXXXXX)"
chmod 755 "$home"   # the embedded PostgreSQL runs as the postgres user when this runs as root
pgport=25499
baseport=27401
pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
db="postgres://district@127.0.0.1:${pgport}/district?sslmode=disable"
cd "$root"

echo "== release build"
swift build -c release --product districtctl 2>&1 | tail -1
bin="$root/.build/release/districtctl"

echo "== fresh stack in $home"
"$bin" up --home "$home" --postgres-port "$pgport" --base-port "$baseport" --log-level warning > "$home/up.log" 2>&1 &
up=$!
trap 'kill -INT $up 2>/dev/null; wait $up 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do grep -q "stop: Ctrl-C" "$home/up.log" && break; sleep 1; done
grep -q "stop: Ctrl-C" "$home/up.log" || { cat "$home/up.log"; exit 1; }
dispatch=$((baseport + 1))
load() { "$bin" load --home "$home" --port "$dispatch" --database-url "$db" "$@"; }
# Before each measurement: vacuum, analyze and checkpoint what the previous one wrote, so
# autovacuum and checkpoints triggered by one run do not land in the next (pgbench does the
# same before its runs unless told -n).
settle() { "$pgbin/psql" -q "$db" -c "VACUUM (ANALYZE)" -c "CHECKPOINT" > /dev/null; }
field() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }

echo "== prepare the load district"
load --scenario report --in-flight 1 --duration 1 --warmup 0 > /dev/null
"$pgbin/psql" -q "$db" -c "CREATE SEQUENCE IF NOT EXISTS dispatch.case_number_pgbench"
"$bin" bench report-pgbench > "$home/report.pgbench"

settle
echo "== pgbench: a report's statements, one report per transaction, 16 clients, ${seconds} s"
"$pgbin/pgbench" -n -M prepared -c 16 -j 2 -T "$seconds" -f "$home/report.pgbench" "$db" | tee "$home/pgbench.txt"
pg_tps="$(awk '/^tps/ {print int($3); exit}' "$home/pgbench.txt")"

settle
echo "== service: report, saturated (closed loop, 16 connections × 16 in flight)"
load --scenario report --connections 16 --in-flight 256 --duration "$seconds" --json "$home/report-saturated.json"
sat="$(field "$home/report-saturated.json" "int(r['throughput'])")"

half=$((sat / 2))
settle
echo "== service: report, open loop at half the saturated rate (${half}/s)"
load --scenario report --connections 16 --rate "$half" --duration "$seconds" --json "$home/report-half.json"
settle
echo "== service: report, open loop at the rate pgbench reached (${pg_tps}/s)"
load --scenario report --connections 16 --rate "$pg_tps" --duration "$seconds" --json "$home/report-pgrate.json"

settle
echo "== service: lifecycle, saturated"
load --scenario lifecycle --connections 16 --in-flight 64 --duration "$seconds" --json "$home/lifecycle.json"
settle
echo "== service: mixed, saturated"
load --scenario mixed --connections 16 --in-flight 128 --duration "$seconds" --json "$home/mixed.json"
settle
echo "== service: subscribe, 200 subscribers, report + accept at 50/s and 100/s"
load --scenario subscribe --subscribers 200 --rate 50 --duration "$seconds" --json "$home/subscribe-50.json"
settle
load --scenario subscribe --subscribers 200 --rate 100 --duration "$seconds" --json "$home/subscribe-100.json"

echo
echo "| measurement | figure |"
echo "|---|---:|"
echo "| pgbench, report statements, 16 clients | ${pg_tps} tx/s |"
echo "| service, report saturated | ${sat} reports/s |"
echo "| ratio service / pgbench | $(python3 -c "print(round(${sat} / max(1, ${pg_tps}), 2))") |"
for run in half pgrate; do
  echo "| service, report open loop ($run): rate, p50 / p99 / p99.9 ms, late starts | $(field "$home/report-$run.json" "'%s, %.2f / %.2f / %.2f, %d' % (r['mode'], r['latencies']['all']['p50'], r['latencies']['all']['p99'], r['latencies']['all']['p999'], r['late'])") |"
done
echo "| lifecycle saturated | $(field "$home/lifecycle.json" "'%.0f cases/s' % r['throughput']") |"
echo "| mixed saturated | $(field "$home/mixed.json" "'%.0f operations/s' % r['throughput']") |"
for rate in 50 100; do
  echo "| subscribe at ${rate}/s: delivery p50 / p99 ms, repeats | $(field "$home/subscribe-${rate}.json" "'%.2f / %.2f, %d delivered, %d repeated' % (r['latencies'].get('delivery', {}).get('p50', float('nan')), r['latencies'].get('delivery', {}).get('p99', float('nan')), r['deliveredEvents'], r['repeatedEvents'])") |"
done
echo "JSON reports in $home"
