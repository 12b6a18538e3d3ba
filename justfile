# Operations recipes for polibase-bi. Run `just` for the list; docs/operations.ja.md explains
# each one. Docker recipes use the compose file below; local recipes need only cargo and npm.

compose_file := "docker/docker-compose.yml"
env_file := ".env"
backup_dir := "backups"

# Compose looks for .env next to the compose file, so the root .env is passed explicitly.
compose := "docker compose -f " + compose_file + if path_exists(env_file) == "true" { " --env-file " + env_file } else { "" }

# List the recipes.
default:
    @just --list --unsorted

# --- Docker: services -------------------------------------------------------------------

# Start every service (PostgreSQL and the dashboard) in the background.
up:
    {{ compose }} up -d
    @echo "polibase-bi: http://localhost:8050 (or the PORT set in .env)"

# Stop and remove every service (the database volume is kept).
down:
    {{ compose }} down

# Build the dashboard image.
bi-dashboard-build:
    {{ compose }} build bi-dashboard

# Run the dashboard in the foreground with its logs (Ctrl+C stops it).
bi-dashboard:
    {{ compose }} up bi-dashboard

# Start the dashboard in the background (PostgreSQL is started first if needed).
bi-dashboard-up:
    {{ compose }} up -d bi-dashboard

# Stop and remove the dashboard container only.
bi-dashboard-down:
    {{ compose }} rm --stop --force bi-dashboard

# Follow the dashboard's logs.
bi-dashboard-logs:
    {{ compose }} logs -f --tail=100 bi-dashboard

# Check the database and configuration from inside the compose network.
bi-dashboard-check:
    {{ compose }} run --rm bi-dashboard check

# --- Docker: database -------------------------------------------------------------------

# Create the Polibase tables in an empty compose database.
db-migrate:
    {{ compose }} run --rm bi-dashboard migrate

# Load demo data into the compose database (e.g. `just demo --scale 0.1 --seed 7`).
demo *ARGS: db-migrate
    {{ compose }} run --rm bi-dashboard demo-data {{ ARGS }}

# Dump the compose database to backups/backup_YYYYMMDD_HHMMSS.sql.
db-backup:
    #!/usr/bin/env bash
    set -euo pipefail
    mkdir -p "{{ backup_dir }}"
    file="{{ backup_dir }}/backup_$(date +%Y%m%d_%H%M%S).sql"
    # Written under a temporary name so a failed dump never looks like a good backup.
    if {{ compose }} exec -T postgres \
        pg_dump -U sagebase_user -d sagebase_db --clean --if-exists > "$file.partial"; then
        mv "$file.partial" "$file"
        echo "backup written: $file ($(du -h "$file" | cut -f1))"
    else
        rm -f "$file.partial"
        echo "backup FAILED: pg_dump did not finish" >&2
        exit 1
    fi

# Restore the compose database from a backup made by db-backup (.sql or .sql.gz).
[positional-arguments]
db-restore FILE:
    #!/usr/bin/env bash
    set -euo pipefail
    file="$1"
    case "$file" in
        /*) ;;
        *) file="{{ invocation_directory() }}/$file" ;;
    esac
    if [ ! -f "$file" ]; then
        echo "no such backup file: $file" >&2
        exit 1
    fi
    case "$file" in
        *.gz) reader=(gunzip -c "$file") ;;
        *) reader=(cat "$file") ;;
    esac
    # One transaction: a restore that fails part-way leaves the database as it was.
    "${reader[@]}" | {{ compose }} exec -T postgres \
        psql -U sagebase_user -d sagebase_db -v ON_ERROR_STOP=1 --single-transaction -q
    echo "restored from $file"

# --- Docker: monitoring -----------------------------------------------------------------

# Check service state, resources, HTTP and database readiness (exit 1 on trouble).
monitor *ARGS:
    scripts/monitoring.sh --compose-file {{ compose_file }} {{ ARGS }}

# --- Local (no Docker) ------------------------------------------------------------------

# Serve the dashboard from source (demo database unless DATABASE_URL is set).
run *ARGS:
    cargo run --release -- {{ ARGS }}

# Run every test.
test:
    cargo test --all-targets

# Check the database and configuration the local build would use.
check:
    cargo run --release -- check

# Formatting and lints as CI runs them.
lint:
    cargo fmt --check
    cargo clippy --all-targets -- -D warnings
