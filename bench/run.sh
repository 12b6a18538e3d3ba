#!/usr/bin/env bash
# Benchmark of the dashboard against a PostgreSQL demo database, printed as one table.
#
#   bench/run.sh [--scale S] [--reuse]
#
# Creates database bi_bench_<scale> on BENCH_PG (default postgres://postgres@127.0.0.1:5432)
# with `demo-data` unless --reuse is given and it exists, starts the release binary on a
# loopback port, and measures: full recomputation (median of 5 refreshes), warm throughput
# and latency at 8 and 32 clients (wrk, 10 s each, loopback only), resident memory idle and
# after load, the most database connections seen during the load, and the page's time from
# navigation to its first drawn chart on a first visit in headless Chromium (with the bytes
# transferred), when chromedriver is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

scale=1
reuse=0
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale="$2"; shift 2 ;;
    --reuse) reuse=1; shift ;;
    *) echo "usage: bench/run.sh [--scale S] [--reuse]" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "bench needs wrk: apt-get install wrk" >&2; exit 1; }

pg="${BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
db="bi_bench_$(tr -c '0-9a-z\n' '_' <<<"$scale")"
port="${BENCH_PORT:-18050}"
bin=target/release/polibase-bi
cargo build --release --quiet

exists=$(psql "$pg/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")
if [ "$reuse" = 0 ] || [ -z "$exists" ]; then
  psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  start=$(date +%s.%N)
  DATABASE_URL="$pg/$db" "$bin" demo-data --scale "$scale" >/dev/null
  load_s=$(echo "$(date +%s.%N) - $start" | bc)
  psql "$pg/$db" -qc "VACUUM ANALYZE"
else
  load_s="(reused)"
fi

DATABASE_URL="$pg/$db" PORT="$port" BIND_ADDRESS=127.0.0.1 RUST_LOG=warn "$bin" serve &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done

rss() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$server/status"; }
connections() {
  psql "$pg/postgres" -tAc \
    "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'polibase-bi' AND datname = '$db'"
}

refreshes=()
for _ in 1 2 3 4 5; do
  ms=$(curl -s -o /dev/null -D - -X POST "http://127.0.0.1:$port/api/v1/refresh" \
    | awk -F': ' 'tolower($1) == "x-computed-in-ms" {print $2 + 0}')
  refreshes+=("$ms")
done
median=$(printf '%s\n' "${refreshes[@]}" | sort -n | sed -n 3p)
idle=$(rss)

peak=0
watch_connections() {
  while kill -0 "$server" 2>/dev/null; do
    n=$(connections); [ "$n" -gt "$peak" ] && peak=$n && echo "$peak" >/tmp/bi_bench_peak
    sleep 0.2
  done
}
echo 0 >/tmp/bi_bench_peak
watch_connections & watcher=$!

url="http://127.0.0.1:$port/api/v1/dashboard"
declare -A result
for clients in 8 32; do
  out=$(wrk -t2 -c"$clients" -d10s --latency -H 'Accept-Encoding: gzip' "$url")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out")
  result[$clients]="$rps req/s, p50 $p50, p99 $p99${errors:+, $errors}"
done
kill "$watcher" 2>/dev/null || true
after=$(rss)

page="(chromedriver not installed)"
if command -v chromedriver >/dev/null; then
  page=$(python3 bench/page_timing.py "http://127.0.0.1:$port/" --runs 5 --summary)
fi

rows=$(psql "$pg/$db" -tAc "SELECT COUNT(*) FROM conversations")
printf '\n| figure | value |\n| --- | --- |\n'
printf '| scale / conversations | %s / %s |\n' "$scale" "$rows"
printf '| demo-data load | %s s |\n' "$load_s"
printf '| full recomputation, median of 5 | %s ms (runs: %s) |\n' "$median" "${refreshes[*]}"
printf '| warm, 8 clients | %s |\n' "${result[8]}"
printf '| warm, 32 clients | %s |\n' "${result[32]}"
printf '| RSS idle / after load | %s MiB / %s MiB |\n' "$idle" "$after"
printf '| peak database connections | %s |\n' "$(cat /tmp/bi_bench_peak)"
printf '| page: first chart after navigation, first visit | %s |\n' "$page"
