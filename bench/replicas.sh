#!/usr/bin/env bash
# Two stateless dashboard replicas behind nginx on loopback, against one PostgreSQL database.
#
#   bench/replicas.sh [--scale S] [--seconds N]
#
# Uses the database bi_bench_<scale> that bench/run.sh creates (run that first). Starts two
# release binaries on loopback ports, nginx (round robin, keep-alive upstream) in front of
# them, warms both, then drives 32 clients through nginx with wrk and prints one table:
# throughput and latency through the balancer, requests served by each replica, and the
# most database connections the two replicas held at once (each pool's maximum is 5).
set -euo pipefail
cd "$(dirname "$0")/.."

scale=1
seconds=10
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    *) echo "usage: bench/replicas.sh [--scale S] [--seconds N]" >&2; exit 2 ;;
  esac
done
for tool in wrk nginx psql curl; do
  command -v "$tool" >/dev/null || { echo "bench/replicas.sh needs $tool" >&2; exit 1; }
done

pg="${BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
db="bi_bench_$(tr -c '0-9a-z\n' '_' <<<"$scale")"
if [ -z "$(psql "$pg/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
  echo "database $db does not exist; run bench/run.sh --scale $scale first" >&2
  exit 1
fi
bin=target/release/polibase-bi
cargo build --release --quiet

work=$(mktemp -d)
pids=()
cleanup() {
  if [ -f "$work/nginx.pid" ]; then kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; fi
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

ports=(18061 18062)
for port in "${ports[@]}"; do
  DATABASE_URL="$pg/$db" PORT="$port" BIND_ADDRESS=127.0.0.1 BI_METRICS_ENABLED=true \
    RUST_LOG=warn "$bin" serve &
  pids+=($!)
done
balancer=18060
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work;
  proxy_temp_path $work;
  upstream dashboard {
    server 127.0.0.1:${ports[0]} max_fails=1 fail_timeout=5s;
    server 127.0.0.1:${ports[1]} max_fails=1 fail_timeout=5s;
    keepalive 32;
  }
  server {
    listen 127.0.0.1:$balancer;
    location / {
      proxy_pass http://dashboard;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_next_upstream error timeout http_502 http_503;
    }
  }
}
CONF
nginx -p "$work" -c "$work/nginx.conf"

for port in "${ports[@]}" "$balancer"; do
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
done
for port in "${ports[@]}"; do
  curl -sf -o /dev/null "http://127.0.0.1:$port/api/v1/dashboard"
done

served() {
  curl -s "http://127.0.0.1:$1/metrics" | awk '/^http_requests_total/ && /dashboard/ {
    sub(/.* /, ""); sum += $0 } END { printf "%d", sum }'
}
before=("$(served "${ports[0]}")" "$(served "${ports[1]}")")

peak_file="$work/peak"
echo 0 >"$peak_file"
(
  peak=0
  while true; do
    n=$(psql "$pg/postgres" -tAc \
      "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'polibase-bi' AND datname = '$db'")
    [ "$n" -gt "$peak" ] && peak=$n && echo "$peak" >"$peak_file"
    sleep 0.2
  done
) &
pids+=($!)

out=$(wrk -t2 -c32 -d"${seconds}s" --latency -H 'Accept-Encoding: gzip' \
  "http://127.0.0.1:$balancer/api/v1/dashboard")
after=("$(served "${ports[0]}")" "$(served "${ports[1]}")")

rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out")
printf '\n| figure | value |\n| --- | --- |\n'
printf '| through nginx, 32 clients, %s s | %s req/s, p50 %s, p99 %s%s |\n' \
  "$seconds" "$rps" "$p50" "$p99" "${errors:+, $errors}"
printf '| served by replica 1 / replica 2 | %s / %s |\n' \
  "$((after[0] - before[0]))" "$((after[1] - before[1]))"
printf '| peak database connections, both replicas | %s |\n' "$(cat "$peak_file")"
