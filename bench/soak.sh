#!/usr/bin/env bash
# Soak test: steady load for DURATION seconds with a PostgreSQL restart in the middle,
# printed as one table.
#
#   bench/soak.sh            # DURATION=600 by default
#   DURATION=120 bench/soak.sh
#
# Builds the release binary, starts a throwaway PostgreSQL cluster (initdb as user
# postgres, free port, temporary directory), loads `demo-data --scale SCALE` (default 0.2)
# into it and serves it. wrk then keeps a bounded load on loopback (CLIENTS connections,
# each waiting DELAY_MS between requests) over the page and a few dashboard filter sets,
# in three phases: before, during (WINDOW seconds; `pg_ctl restart -m fast` RESTART_AFTER
# seconds into it) and after. RSS is sampled every 10 s.
#
# A refresh probe (POST /api/v1/refresh, which always uses the database) runs every 0.5 s
# through the window.
#
# "Failures after the first retry": for each wrk thread, and for the refresh probe, the
# non-2xx responses that came after its first failed request. A dashboard that recovers by
# itself has 0 here: at most one failed request per client, then every request succeeds.
#
# Needs root (runuser), PostgreSQL 15 binaries, wrk and curl. Everything it starts is
# stopped and removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

duration="${DURATION:-600}"
window="${WINDOW:-60}"
restart_after="${RESTART_AFTER:-10}"
scale="${SCALE:-0.2}"
clients="${CLIENTS:-8}"
delay_ms="${DELAY_MS:-20}"
pg_bin="${PG_BIN:-/usr/lib/postgresql/15/bin}"
bin=target/release/polibase-bi

for tool in wrk curl bc python3 runuser "$pg_bin/initdb" "$pg_bin/pg_ctl" "$pg_bin/psql"; do
  command -v "$tool" >/dev/null || { echo "soak needs $tool" >&2; exit 1; }
done
if [ "$duration" -lt $((window + 20)) ]; then
  echo "DURATION must be at least WINDOW + 20 s ($((window + 20)))" >&2
  exit 2
fi

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

work=$(mktemp -d /tmp/polibase-bi-soak.XXXXXX)
chown postgres:postgres "$work"
pg_port=$(free_port)
http_port=$(free_port)
server=""
sampler=""

pg_ctl() {
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/data" -l "$work/postgres.log" -w \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$work" "$@" \
    >/dev/null
}

cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  [ -f "$work/data/postmaster.pid" ] && pg_ctl -m immediate stop 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "building the release binary" >&2
cargo build --release --quiet

echo "starting PostgreSQL on port $pg_port and loading demo data (scale $scale)" >&2
runuser -u postgres -- "$pg_bin/initdb" -D "$work/data" -A trust -U postgres -E UTF8 \
  --no-sync >/dev/null
pg_ctl start
url="postgresql://postgres@127.0.0.1:$pg_port/polibase"
"$pg_bin/psql" "postgresql://postgres@127.0.0.1:$pg_port/postgres" -qc "CREATE DATABASE polibase"
DATABASE_URL="$url" "$bin" demo-data --scale "$scale" >/dev/null

DATABASE_URL="$url" PORT="$http_port" BIND_ADDRESS=127.0.0.1 BI_CACHE_TTL_SECS=10 \
  RUST_LOG=info "$bin" serve >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$http_port/healthz" >/dev/null && break
  sleep 0.1
done
curl -sf "http://127.0.0.1:$http_port/readyz" >/dev/null \
  || { echo "the server did not become ready" >&2; cat "$work/server.log" >&2; exit 1; }

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$server/status"; }
idle_rss=$(rss_kib)
# The first sample is taken 10 s into the load, so warm-up is not counted as drift.
(
  while sleep 10 && kill -0 "$server" 2>/dev/null; do
    rss_kib >>"$work/rss"
  done
) &
sampler=$!

cat >"$work/load.lua" <<'LUA'
local paths = {
  "/api/v1/dashboard",
  "/api/v1/dashboard?period=7d",
  "/api/v1/dashboard?period=90d&type=%E5%B8%82%E7%94%BA%E6%9D%91",
  "/api/v1/dashboard?prefecture=13",
  "/",
}
local threads = {}
local delay_ms = tonumber(os.getenv("DELAY_MS") or "20")

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  i = 0
  failed = 0
  failed_after_first = 0
  wrk.headers["Accept-Encoding"] = "gzip"
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

function delay()
  return delay_ms
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    if failed > 0 then
      failed_after_first = failed_after_first + 1
    end
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local after = 0
  for _, thread in ipairs(threads) do
    after = after + thread:get("failed_after_first")
  end
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d\n", summary.requests, e.status,
    e.connect + e.read + e.write + e.timeout, after))
end
LUA

# One phase of load: prints "requests non2xx socket_errors failed_after_first".
load() {
  DELAY_MS="$delay_ms" wrk -t2 -c"$clients" -d"${1}s" --timeout 30s -s "$work/load.lua" \
    "http://127.0.0.1:$http_port" | awk '/^RESULT/ {print $2, $3, $4, $5}'
}

before_s=$(((duration - window) / 2))
after_s=$((duration - window - before_s))
echo "load: before ${before_s} s, restart window ${window} s, after ${after_s} s" >&2
before=$(load "$before_s")
(
  sleep "$restart_after"
  started=$(date +%s.%N)
  pg_ctl -m fast restart
  echo "$(date +%s.%N) - $started" | bc >"$work/restart_s"
) &
restarter=$!
# Refreshes always use the database: one every 0.5 s through the window shows what a
# user pressing the refresh button would get around the restart.
(
  end=$(($(date +%s) + window))
  while [ "$(date +%s)" -lt "$end" ]; do
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 30 -X POST \
      "http://127.0.0.1:$http_port/api/v1/refresh?period=7d" >>"$work/refresh" || true
    sleep 0.5
  done
) &
prober=$!
during=$(load "$window")
wait "$restarter" "$prober"
after=$(load "$after_s")
probe=$(awk '$1 !~ /^2/ { if (failed) after++; failed++ } END { print NR, failed + 0, after + 0 }' \
  "$work/refresh")

mapfile -t rss <"$work/rss"
first=${rss[0]}
last=${rss[-1]}
max=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
drift=$(echo "scale=1; ($last - $first) * 100 / $first" | bc)
mib() { echo "scale=1; $1 / 1024" | bc; }
warns=$(grep -c ' WARN ' "$work/server.log" || true)

row() {
  read -r requests non2xx socket after_first <<<"$2"
  printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$3" "$requests" "$non2xx" "$socket" \
    "$after_first"
}
printf '\n| phase | seconds | requests | non-2xx | socket errors | failures after the first retry |\n'
printf '| --- | --- | --- | --- | --- | --- |\n'
row before "$before" "$before_s"
row "during (restart at +${restart_after} s, took $(cat "$work/restart_s") s)" "$during" "$window"
row after "$after" "$after_s"
read -r probe_n probe_failed probe_after <<<"$probe"
printf '| refresh probe during the window (POST every 0.5 s) | %s | %s | %s | - | %s |\n' \
  "$window" "$probe_n" "$probe_failed" "$probe_after"
printf '\n| memory (RSS, %s samples every 10 s under load) | value |\n| --- | --- |\n' \
  "${#rss[@]}"
printf '| idle before the load | %s MiB |\n' "$(mib "$idle_rss")"
printf '| first / last / max | %s / %s / %s MiB |\n' "$(mib "$first")" "$(mib "$last")" \
  "$(mib "$max")"
printf '| drift first to last | %s %% |\n' "$drift"
printf '| WARN lines in the server log | %s |\n' "$warns"
grep ' WARN ' "$work/server.log" | cut -c1-200 >&2 || true
