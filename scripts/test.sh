#!/usr/bin/env bash
# Runs the whole test suite against a real PostgreSQL server.
#
# Tests create (and drop) their own databases on the server named by
# TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres.
# Extra arguments go to `cargo test` (for example a test name filter).
set -euo pipefail
cd "$(dirname "$0")/.."

url="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if command -v pg_isready >/dev/null 2>&1; then
  host=$(sed -E 's#^[a-z]+://([^@/]*@)?([^:/]+).*#\2#' <<<"$url")
  port=$(sed -nE 's#^[a-z]+://([^@/]*@)?[^:/]+:([0-9]+).*#\2#p' <<<"$url")
  if ! pg_isready -q -h "$host" -p "${port:-5432}"; then
    echo "error: no PostgreSQL answers at $host:${port:-5432}." >&2
    echo "Start one (see README, 'How the tests get PostgreSQL') or set TEST_DATABASE_URL." >&2
    exit 1
  fi
fi

export DATABASE_URL="$url"
exec cargo test --all-targets "$@"
