#!/usr/bin/env bash
# Checks that polibase-bi is up and can serve: service state, resource use, HTTP answers and
# database readiness. Exit 0 when healthy, 1 on any trouble, 2 on a usage error.
#
# Works with the compose stack (docker/docker-compose.yml) and, where there is no Docker
# engine, with a polibase-bi process started directly (`just run`, systemd, ...).
#
#   scripts/monitoring.sh                      # full report
#   scripts/monitoring.sh --quiet              # cron: prints only problems
#   */5 * * * * cd /srv/polibase-bi && scripts/monitoring.sh --quiet
#
# Options (environment variable in brackets):
#   --url URL            dashboard base URL [BI_URL] (http://localhost:8050)
#   --compose-file FILE  compose file [BI_COMPOSE_FILE] (docker/docker-compose.yml)
#   --env-file FILE      env file for compose [BI_ENV_FILE] (.env, when it exists)
#   --service NAME       compose service [BI_SERVICE] (bi-dashboard)
#   --timeout SECONDS    per HTTP request [BI_MONITOR_TIMEOUT] (10)
#   --cpu-max PERCENT    CPU use above this is a problem [BI_MONITOR_CPU_MAX] (80)
#   --mem-max PERCENT    memory use above this is a problem [BI_MONITOR_MEM_MAX] (80)
#   --quiet              print only problems
# With HTTP basic auth enabled (BI_AUTH_USERS_FILE), set BI_MONITOR_AUTH=user:password; it is
# handed to curl on stdin, never on the command line.

set -u

url="${BI_URL:-http://localhost:8050}"
compose_file="${BI_COMPOSE_FILE:-docker/docker-compose.yml}"
env_file="${BI_ENV_FILE:-}"
service="${BI_SERVICE:-bi-dashboard}"
http_timeout="${BI_MONITOR_TIMEOUT:-10}"
cpu_max="${BI_MONITOR_CPU_MAX:-80}"
mem_max="${BI_MONITOR_MEM_MAX:-80}"
auth="${BI_MONITOR_AUTH:-}"
quiet=false
process_name="polibase-bi"

problems=0
mode=""          # "docker" or "process", decided in section 1
container_id=""
pids=""

usage() {
    sed -n '2,/^$/s/^# \{0,1\}//p' "$0"
}

while [ $# -gt 0 ]; do
    case "$1" in
        --url) url="${2:?--url needs a value}"; shift 2 ;;
        --compose-file) compose_file="${2:?--compose-file needs a value}"; shift 2 ;;
        --env-file) env_file="${2:?--env-file needs a value}"; shift 2 ;;
        --service) service="${2:?--service needs a value}"; shift 2 ;;
        --timeout) http_timeout="${2:?--timeout needs a value}"; shift 2 ;;
        --cpu-max) cpu_max="${2:?--cpu-max needs a value}"; shift 2 ;;
        --mem-max) mem_max="${2:?--mem-max needs a value}"; shift 2 ;;
        -q|--quiet) quiet=true; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "monitoring.sh: unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
done
url="${url%/}"
if [ -z "$env_file" ] && [ -f .env ]; then
    env_file=".env"
fi

# --- output -----------------------------------------------------------------------------

say() {
    if [ "$quiet" = false ]; then
        printf '%s\n' "$*"
    fi
}

ok() { say "  [OK] $*"; }
info() { say "  [--] $*"; }

problem() {
    problems=$((problems + 1))
    if [ "$quiet" = true ]; then
        printf '%s polibase-bi monitor: [NG] %s\n' "$(date '+%Y-%m-%d %H:%M:%S')" "$*"
    else
        printf '  [NG] %s\n' "$*"
    fi
}

# Indents command output in the full report; discards it in quiet mode.
show() {
    if [ "$quiet" = false ]; then
        sed 's/^/       /'
    else
        cat > /dev/null
    fi
}

# Runs a command with a time limit when coreutils' timeout exists.
limited() {
    local seconds="$1"
    shift
    if command -v timeout > /dev/null 2>&1; then
        timeout "$seconds" "$@"
    else
        "$@"
    fi
}

# Whether $1 (a percentage such as "12.5" or "12.5%") is above the limit $2.
above() {
    awk -v value="${1%\%}" -v limit="$2" 'BEGIN { exit !(value + 0 > limit + 0) }'
}

# --- 1. service state -------------------------------------------------------------------

compose() {
    local args=(-f "$compose_file")
    if [ -n "$env_file" ]; then
        args+=(--env-file "$env_file")
    fi
    limited 20 docker compose "${args[@]}" "$@"
}

# Sets docker_reason and returns 1 when the compose stack cannot be inspected here.
docker_usable() {
    if ! command -v docker > /dev/null 2>&1; then
        docker_reason="docker コマンドがありません (docker: not installed)"
        return 1
    fi
    if ! limited 10 docker info > /dev/null 2>&1; then
        docker_reason="Docker エンジンに接続できません (docker: engine unreachable)"
        return 1
    fi
    if ! docker compose version > /dev/null 2>&1; then
        docker_reason="docker compose プラグインがありません (docker compose: missing)"
        return 1
    fi
    if [ ! -f "$compose_file" ]; then
        docker_reason="compose ファイルがありません: $compose_file"
        return 1
    fi
    return 0
}

check_container() {
    local state health
    compose ps "$service" 2>&1 | show
    state=$(docker inspect -f '{{.State.Status}}' "$container_id" 2>/dev/null)
    health=$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' \
        "$container_id" 2>/dev/null)
    case "$state/$health" in
        running/healthy) ok "コンテナ稼働中 (running, healthy)" ;;
        running/starting|running/) ok "コンテナ稼働中 (running${health:+, $health})" ;;
        running/unhealthy) problem "コンテナは稼働中だがヘルスチェック失敗 (unhealthy)" ;;
        *) problem "コンテナが停止しています (state: ${state:-unknown})" ;;
    esac
}

url_is_local() {
    case "$url" in
        http://localhost[:/]*|http://localhost|http://127.*|http://\[::1\]*) return 0 ;;
        https://localhost[:/]*|https://localhost|https://127.*|https://\[::1\]*) return 0 ;;
        *) return 1 ;;
    esac
}

url_port() {
    local rest="${url#*://}"
    rest="${rest%%/*}"
    case "$rest" in
        *\]:*|[!\[]*:*) printf '%s\n' "${rest##*:}" ;;
        *) case "$url" in https://*) echo 443 ;; *) echo 80 ;; esac ;;
    esac
}

check_process() {
    local pid
    pids=""
    # Zombies (state Z) are exited processes whose parent has not reaped them yet.
    for pid in $(pgrep -x "$process_name" 2>/dev/null); do
        case "$(ps -o stat= -p "$pid" 2>/dev/null)" in
            Z*|"") ;;
            *) pids="${pids:+$pids }$pid" ;;
        esac
    done
    if [ -n "$pids" ]; then
        mode="process"
        ok "プロセス稼働中 ($process_name, PID $pids)"
    elif url_is_local; then
        problem "$process_name のプロセスが見つかりません (process not running)"
    else
        info "リモートの URL のためプロセス確認は省略 ($url)"
    fi
    if command -v ss > /dev/null 2>&1 && url_is_local; then
        local port listeners
        port=$(url_port)
        listeners=$(ss -Hltn "sport = :$port" 2>/dev/null)
        if [ -n "$listeners" ]; then
            ok "ポート $port で待ち受け中 (listening)"
        else
            problem "ポート $port で待ち受けていません (nothing listening on $port)"
        fi
    fi
}

section_service() {
    say "1. サービスの状態 (service state)"
    docker_reason=""
    if docker_usable; then
        container_id=$(compose ps -q "$service" 2>/dev/null | head -n 1)
        if [ -n "$container_id" ]; then
            mode="docker"
            check_container
            return
        fi
        info "compose サービス $service のコンテナはありません; プロセスを確認します"
    else
        info "$docker_reason; プロセスを確認します"
    fi
    check_process
}

# --- 2. resource use --------------------------------------------------------------------

section_resources() {
    say ""
    say "2. リソース使用状況 (resource use)"
    case "$mode" in
        docker) resources_of_container ;;
        process) resources_of_processes ;;
        *) info "対象がないため省略 (no container or process)" ;;
    esac
}

resources_of_container() {
    local line name cpu mem_usage mem_perc
    line=$(limited 20 docker stats --no-stream \
        --format '{{.Name}}|{{.CPUPerc}}|{{.MemUsage}}|{{.MemPerc}}' "$container_id" 2>/dev/null)
    if [ -z "$line" ]; then
        problem "docker stats が値を返しません (docker stats failed)"
        return
    fi
    IFS='|' read -r name cpu mem_usage mem_perc <<< "$line"
    info "$name: CPU $cpu, メモリ $mem_usage ($mem_perc)"
    judge_usage "$cpu" "$mem_perc"
}

resources_of_processes() {
    local pid rss cpu mem
    for pid in $pids; do
        read -r rss cpu mem <<< "$(ps -o rss=,%cpu=,%mem= -p "$pid" 2>/dev/null)"
        if [ -z "${rss:-}" ]; then
            problem "PID $pid の情報を読めません (process vanished?)"
            continue
        fi
        info "PID $pid: RSS $((rss / 1024)) MiB, CPU ${cpu}%, メモリ ${mem}%"
        judge_usage "$cpu" "$mem"
    done
}

judge_usage() {
    if above "$1" "$cpu_max"; then
        problem "CPU 使用率 $1 が上限 ${cpu_max}% を超えています"
    fi
    if above "$2" "$mem_max"; then
        problem "メモリ使用率 $2 が上限 ${mem_max}% を超えています"
    fi
}

# --- 3. HTTP and 4. readiness -----------------------------------------------------------

# Prints "<status> <seconds>" for a GET of $1 and leaves the body in $body_file.
http_get() {
    local config="connect-timeout = 3
max-time = $http_timeout"
    if [ -n "$auth" ]; then
        # curl's config syntax: backslash and double quote are escaped inside quotes.
        local quoted="${auth//\\/\\\\}"
        quoted="${quoted//\"/\\\"}"
        config="$config
user = \"$quoted\""
    fi
    printf '%s\n' "$config" | curl -sS -K - -o "$body_file" -w '%{http_code} %{time_total}' \
        "$1" 2> "$body_file.err"
}

check_http() {
    local path="$1" label="$2" answer status seconds reason
    answer=$(http_get "$url$path")
    status="${answer%% *}"
    seconds="${answer##* }"
    if [ "$status" = "200" ]; then
        ok "$label: $url$path → 200 (${seconds}s)"
        return 0
    fi
    if [ "$status" = "000" ] || [ -z "$status" ]; then
        reason=$(head -c 200 "$body_file.err" | tr '\n' ' ')
        problem "$label: $url$path に接続できません (${reason:-no answer})"
    elif [ "$status" = "401" ]; then
        problem "$label: $url$path → HTTP 401 (認証が必要: BI_MONITOR_AUTH=user:password を設定)"
    else
        reason=$(head -c 300 "$body_file" | tr '\n' ' ')
        problem "$label: $url$path → HTTP $status ${reason:+— $reason}"
    fi
    return 1
}

section_http() {
    say ""
    say "3. 接続テスト (HTTP)"
    check_http "/" "ダッシュボード"
    check_http "/healthz" "ヘルス"
    say ""
    say "4. データベース接続 (readiness)"
    check_http "/readyz" "レディネス"
}

# --- main -------------------------------------------------------------------------------

main() {
    if ! command -v curl > /dev/null 2>&1; then
        echo "monitoring.sh: curl is required" >&2
        exit 2
    fi
    body_file=$(mktemp "${TMPDIR:-/tmp}/polibase-bi-monitor.XXXXXX")
    trap 'rm -f "$body_file" "$body_file.err"' EXIT

    say "=== polibase-bi モニタリング ==="
    say "日時: $(date '+%Y-%m-%d %H:%M:%S %Z')"
    say "URL: $url"
    say ""
    section_service
    section_resources
    section_http

    say ""
    if [ "$problems" -eq 0 ]; then
        say "=== 結果: 正常 (healthy) ==="
        exit 0
    fi
    if [ "$quiet" = true ]; then
        printf '%s polibase-bi monitor: %d 件の問題 (unhealthy)\n' \
            "$(date '+%Y-%m-%d %H:%M:%S')" "$problems"
    else
        say "=== 結果: 異常 ${problems} 件 (unhealthy) ==="
    fi
    exit 1
}

main
