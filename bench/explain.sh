#!/usr/bin/env bash
# The plan of every query one full recomputation runs, with EXPLAIN (ANALYZE, BUFFERS) figures.
#
#   bench/explain.sh [--scale S]
#
# Starts the release binary on the bench database bi_bench_<scale> (create it with
# bench/run.sh) with auto_explain loaded into its sessions through the connection options, so
# the plans are those of the real statements with their real parameters. Asks for one
# recomputation and prints, slowest first, each statement's duration and plan from the
# server's log (PG_LOG, default the Debian cluster log). Timing every plan node slows the
# queries down; use bench/run.sh for the durations themselves.
set -euo pipefail
cd "$(dirname "$0")/.."

scale=1
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale="$2"; shift 2 ;;
    *) echo "usage: bench/explain.sh [--scale S]" >&2; exit 2 ;;
  esac
done
pg="${BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
db="bi_bench_$(tr -c '0-9a-z\n' '_' <<<"$scale")"
log="${PG_LOG:-/var/log/postgresql/postgresql-15-main.log}"
[ -r "$log" ] || { echo "cannot read the server log $log; set PG_LOG" >&2; exit 1; }
port="${BENCH_PORT:-18059}"
bin=target/release/polibase-bi
cargo build --release --quiet

options="-c session_preload_libraries=auto_explain -c auto_explain.log_min_duration=0"
options="$options -c auto_explain.log_analyze=on -c auto_explain.log_buffers=on"
encoded=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$options")
start=$(($(wc -l <"$log") + 1))

DATABASE_URL="$pg/$db?options=$encoded" PORT="$port" BIND_ADDRESS=127.0.0.1 RUST_LOG=warn \
  "$bin" serve &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
sleep 2
curl -sf -o /dev/null -X POST "http://127.0.0.1:$port/api/v1/refresh"
sleep 1

# Each plan starts with "LOG:  duration: N ms  plan:" and runs until the next log line.
tail -n +"$start" "$log" | awk '
  /LOG:  duration: [0-9.]+ ms  plan:/ {
    if (plan != "") print plan "\0"
    plan = "duration " $0; sub(/.*duration: /, "", plan); plan = "-- " plan; next }
  /^[0-9]{4}-[0-9]{2}-[0-9]{2} / { if (plan != "") { print plan "\0"; plan = "" } next }
  plan != "" { plan = plan "\n" $0 }
  END { if (plan != "") print plan "\0" }' |
  python3 -c '
import sys
plans = [p.strip("\n") for p in sys.stdin.read().split("\0") if p.strip()]
plans.sort(key=lambda p: -float(p.split()[1]))
print("\n\n".join(plans))'
