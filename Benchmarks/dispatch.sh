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
# 3. measures the service: `report` saturated (closed loop), `report` at half that rate, at
#    pgbench's rate and at 1/4 to 1/32 of the saturated rate (open loop, each with how busy
#    the machine was), `lifecycle` and `mixed` saturated, and `subscribe` with 200 subscribers;
#    and, right after the half-rate run, PostgreSQL alone at that rate: pgbench running the
#    same statement over groups of 5 reports, rate-limited (`pgbench -R`), latency from each
#    transaction's scheduled start: the database's part of the half rate, with nothing else
#    in the way;
# 4. prints the table, the ratio service / pgbench and the highest rate of the ladder with a
#    p99 under 10 ms; JSON reports stay in the home.
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
# How busy the machine's CPUs were (/proc/stat: the service, PostgreSQL and the load tool
# or pgbench together) from 4 s into the run of PID to 4 s before its end, into NAME.busy.
busy_while() {
  local name=$1 pid=$2 before after
  sleep 4; before="$(head -1 /proc/stat)"; sleep $((seconds > 6 ? seconds - 4 : 2)); after="$(head -1 /proc/stat)"
  wait "$pid"
  python3 -c "
import sys
a, b = [list(map(int, l.split()[1:9])) for l in sys.argv[1:3]]
d = [y - x for x, y in zip(a, b)]
print(round(100 * (1 - (d[3] + d[4]) / sum(d))))" "$before" "$after" > "$home/$name.busy"
}
# An open-loop `report` run at RATE, with how busy the machine was (NAME.busy).
report_at() {
  local name=$1 rate=$2
  load --scenario report --connections 16 --rate "$rate" --duration "$seconds" --json "$home/$name.json" &
  busy_while "$name" $!
}
# PostgreSQL alone at RATE reports/s: pgbench runs the service's statement over groups of
# GROUP reports (`bench report-pgbench --group`) at RATE/GROUP transactions a second (an open
# loop: `pgbench -R`) over CLIENTS connections, with no service, TLS or load tool in the way.
# Latency counts from each transaction's scheduled start, as the load tool's from each
# report's intended start; the first 2 s are a warm-up, as the load tool's. Into NAME.txt:
# "p50 / p99 / p99.9 ms" and the seconds with a p99 under 10 ms; NAME.busy as above.
pgbench_at() {
  local name=$1 rate=$2 group=$3 clients=$4
  "$bin" bench report-pgbench --group "$group" > "$home/$name.pgbench"
  # pgbench's earlier cases would make many of these reports duplicates, which write nothing.
  "$pgbin/psql" -q "$db" -c "UPDATE dispatch.cases SET state = 'closed' WHERE category = 'lt_pgbench' AND state <> 'closed'"
  settle
  mkdir -p "$home/$name"
  (cd "$home/$name" && exec "$pgbin/pgbench" -n -M prepared -c "$clients" -j 1 -R "$((rate / group))" -T $((seconds + 2)) \
    --log --log-prefix=tx -f "$home/$name.pgbench" "$db" > summary.txt) &
  busy_while "$name" $!
  python3 -c "
import glob, sys
# pgbench's log: client, transaction, latency from the scheduled start (us), script, end (s, us), lag.
rows = [l.split() for f in glob.glob(sys.argv[1] + '/tx*') for l in open(f)]
ends = [int(r[4]) + int(r[5]) / 1e6 for r in rows]
first = min(e - int(r[2]) / 1e6 for e, r in zip(ends, rows))
measured = [(int(e - int(r[2]) / 1e6 - first - 2), int(r[2]) / 1000) for e, r in zip(ends, rows) if e - int(r[2]) / 1e6 >= first + 2]
q = lambda v, p: v[min(len(v) - 1, int(p * len(v)))]
lat = sorted(l for _, l in measured)
# Second by second, as the load tool's timeline: each transaction in the second of its scheduled start.
seconds = {}
for second, l in measured: seconds.setdefault(second, []).append(l)
p99s = sorted(q(sorted(v), 0.99) for v in seconds.values())
print('%.2f / %.2f / %.2f; %d of %d seconds with p99 under 10 ms, median second %.2f ms' % (
    q(lat, 0.5), q(lat, 0.99), q(lat, 0.999), sum(1 for p in p99s if p < 10), len(p99s), p99s[len(p99s) // 2]))" "$home/$name" > "$home/$name.txt"
}

echo "== prepare the load district"
load --scenario report --in-flight 1 --duration 1 --warmup 0 > /dev/null
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
report_at report-half "$half"
echo "== PostgreSQL alone at half the saturated rate: pgbench, groups of 5 reports, $((half / 5)) tx/s, 4 clients"
pgbench_at pgbench-half "$half" 5 4
cat "$home/pgbench-half.txt"
settle
echo "== service: report, open loop at the rate pgbench reached (${pg_tps}/s)"
report_at report-pgrate "$pg_tps"
# For sizing: where the 10 ms p99 holds on this machine, at 1/4, 1/8, 1/16 and 1/32 of the
# saturated rate.
ladder=()
for share in 4 8 16 32; do
  rate=$((sat / share)); [ "$rate" -ge 1 ] || rate=1
  ladder+=("$rate")
  settle
  echo "== service: report, open loop at 1/${share} of the saturated rate (${rate}/s)"
  report_at "report-rate-$rate" "$rate"
done

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
echo "| PostgreSQL alone at half the saturated rate (pgbench -R, groups of 5, 4 clients): p50 / p99 / p99.9 ms, second by second, machine busy | $(cat "$home/pgbench-half.txt"); $(cat "$home/pgbench-half.busy") % busy |"
for run in half pgrate $(printf 'rate-%s ' "${ladder[@]}"); do
  echo "| service, report open loop ($run): rate, p50 / p99 / p99.9 ms, late starts, machine busy | $(field "$home/report-$run.json" "'%s, %.2f / %.2f / %.2f, %d' % (r['mode'], r['latencies']['all']['p50'], r['latencies']['all']['p99'], r['latencies']['all']['p999'], r['late'])"), $(cat "$home/report-$run.busy") % |"
done
# Second by second (the load tool's timeline): is a run's p99 every second's, or a few slow seconds'?
for run in half pgrate $(printf 'rate-%s ' "${ladder[@]}"); do
  echo "| the same ($run), second by second: seconds with p99 under 10 ms, median second's p99, worst second's p99 | $(field "$home/report-$run.json" "(lambda t: '%d of %d, %.2f ms, %.2f ms' % (sum(1 for s in t if s['p99'] < 10), len(t), sorted(s['p99'] for s in t)[len(t) // 2], max(s['p99'] for s in t)))([s for s in r['timeline'] if s['succeeded'] > 0])") |"
done
best=none
for rate in "${ladder[@]}"; do
  if [ "$(field "$home/report-rate-$rate.json" "r['latencies']['all']['p99'] < 10")" = True ]; then best="$rate/s"; break; fi
done
echo "| highest rate of the ladder (1/4 to 1/32 of saturated) with p99 under 10 ms | ${best} |"
echo "| lifecycle saturated | $(field "$home/lifecycle.json" "'%.0f cases/s' % r['throughput']") |"
echo "| mixed saturated | $(field "$home/mixed.json" "'%.0f operations/s' % r['throughput']") |"
for rate in 50 100; do
  echo "| subscribe at ${rate}/s: delivery p50 / p99 ms, repeats | $(field "$home/subscribe-${rate}.json" "'%.2f / %.2f, %d delivered, %d repeated' % (r['latencies'].get('delivery', {}).get('p50', float('nan')), r['latencies'].get('delivery', {}).get('p99', float('nan')), r['deliveredEvents'], r['repeatedEvents'])") |"
done
echo "JSON reports in $home"
