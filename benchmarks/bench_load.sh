#!/usr/bin/env bash
# Load test of `vnindustry serve` with wrk: one cached series' observations (the URL bench_api.py times)
# and the home page, 2 threads, 16 and 64 connections, 30 s each, wrk on the same machine as the server.
#
#   bash benchmarks/bench_load.sh
#
# Settings (environment): DURATION (30s), THREADS (2), CONNECTIONS ("16 64"), PORT (8765),
# STORE (benchmarks/out/demo). Installs wrk with apt-get when it is missing; builds the store once: the demo
# city (`vnindustry demo --out $STORE`, which stores it in $STORE/vnindustry.db) plus GSO's February 2025
# workbook (tests/data, the workbook bench_api.py stores, so the series gso/exports/TOTAL is the same).
# Starts the server with the rate limit off (VNINDUSTRY_API_RATE_LIMIT=0: every wrk connection comes from
# 127.0.0.1, one client for the token bucket), waits for /api/v1/healthz, warms the response cache, runs
# wrk with --latency and benchmarks/wrk_report.lua, and prints a summary (with the server's CPU time per
# request, read from /proc, and the 1-minute load average after each run: on a shared machine, other
# processes' load skews every figure, so rerun when it is well above the ~2 of wrk + server alone).
# wrk output goes to benchmarks/out/load/. The server is stopped on exit.
# The goal (issue 5): >= 500 req/s with p99 < 50 ms for the cached series; the home page < 100 ms.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
DURATION=${DURATION:-30s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16 64}
PORT=${PORT:-8765}
STORE=${STORE:-benchmarks/out/demo}
RESULTS=benchmarks/out/load
VENV_BIN=$ROOT/.venv/bin
BASE=http://127.0.0.1:$PORT
SERIES_PATH=/api/v1/series/gso/exports/TOTAL/observations?format=json
HOME_PATH=/
LUA=$ROOT/benchmarks/wrk_report.lua

if [[ ! -x $VENV_BIN/vnindustry ]]; then
  echo "no $VENV_BIN/vnindustry: python3 -m venv .venv && .venv/bin/pip install -e . first" >&2
  exit 1
fi

# wrk 4.1.0 from Debian.
if ! command -v wrk >/dev/null 2>&1; then
  SUDO=()
  if [[ $(id -u) -ne 0 ]]; then SUDO=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" apt-get install -y -qq wrk
fi
WRK_VERSION=$(wrk -v 2>&1 | head -n 1 | awk '{print $1, $2}' || true)  # "wrk debian/4.1.0-3+b2" on Debian

# The store: demo city + GSO's February 2025 workbook (importing it again changes nothing).
mkdir -p "$STORE" "$RESULTS"
DB=sqlite:///$(cd "$STORE" && pwd)/vnindustry.db
if [[ ! -f $STORE/vnindustry.db ]]; then
  "$VENV_BIN/vnindustry" demo --out "$STORE"
fi
"$VENV_BIN/vnindustry" import-workbook tests/data/gso/xlsx/2025-02.xlsx --db "$DB"

if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "port $PORT is already in use; set PORT=" >&2
  exit 1
fi

SERVER_PID=
stop_server() {
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
}
trap stop_server EXIT INT TERM

VNINDUSTRY_API_RATE_LIMIT=0 "$VENV_BIN/vnindustry" serve --db "$DB" --port "$PORT" \
  >"$RESULTS/server.log" 2>&1 &
SERVER_PID=$!

for _ in $(seq 1 300); do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "the server exited:" >&2
    cat "$RESULTS/server.log" >&2
    exit 1
  fi
  if curl -fsS -o /dev/null "$BASE/api/v1/healthz" 2>/dev/null; then break; fi
  sleep 0.1
done
curl -fsS -o /dev/null "$BASE/api/v1/healthz"

# Warm the response cache (and imports, templates) with a few requests of each target.
for path in "$SERIES_PATH" "$HOME_PATH"; do
  for _ in 1 2 3; do
    curl -fsS -o /dev/null -w "warm-up $path: %{http_code}, %{size_download} bytes, %{time_total} s\n" "$BASE$path"
  done
done

read -r LOAD1 _ </proc/loadavg
echo "load average before the runs: $LOAD1 (wrk + server alone bring it to ~2 on 2 cores)"

cpu_ticks() {  # utime + stime of the server process, in clock ticks
  awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"
}
TICKS_PER_S=$(getconf CLK_TCK)

SUMMARY=()
for name in series home; do
  if [[ $name == series ]]; then path=$SERIES_PATH; else path=$HOME_PATH; fi
  for c in $CONNECTIONS; do
    out=$RESULTS/wrk-$name-c$c.txt
    echo
    echo "== $name ($path): wrk -t$THREADS -c$c -d$DURATION --latency"
    before=$(cpu_ticks)
    wrk -t"$THREADS" -c"$c" -d"$DURATION" --latency -s "$LUA" "$BASE$path" | tee "$out"
    after=$(cpu_ticks)
    read -r load1 _ </proc/loadavg
    line=$(grep '^WRK_REPORT ' "$out")
    declare -A f=()
    for kv in ${line#WRK_REPORT }; do f[${kv%%=*}]=${kv#*=}; done
    cpu_ms=$(awk -v t=$((after - before)) -v hz="$TICKS_PER_S" -v n="${f[requests]}" \
      'BEGIN { if (n > 0) printf "%.2f", 1000 * t / hz / n; else print "-" }')
    cpu_share=$(awk -v t=$((after - before)) -v hz="$TICKS_PER_S" -v d="${f[duration_s]}" \
      'BEGIN { printf "%.0f%%", 100 * t / hz / d }')
    SUMMARY+=("$(printf '| %-6s | %3s | %8s | %8s | %8s | %8s | %8s | %5s | %5s | %7s | %5s | %5s |' \
      "$name" "$c" "${f[rps]}" "${f[p50_ms]}" "${f[p90_ms]}" "${f[p99_ms]}" "${f[max_ms]}" \
      "${f[non2xx]}" "${f[socket_errors]}" "$cpu_ms" "$cpu_share" "$load1")")
    unset f
  done
done

echo
echo "$WRK_VERSION, $THREADS threads, $DURATION per run, wrk and the server on the same machine:"
echo "$(nproc) cores, $(uname -m), $(lscpu | sed -n 's/^Model name: *//p' | head -n 1)," \
  "$("$VENV_BIN/python" -c 'import platform, uvicorn, fastapi; print(f"Python {platform.python_version()}, uvicorn {uvicorn.__version__}, FastAPI {fastapi.__version__}")')"
echo "series = $SERIES_PATH, home = $HOME_PATH; latencies in ms; server CPU = the server process's" \
  "user+system time per request and as a share of one core; load = 1-minute load average after the run"
echo "| target | conns | req/s | p50 | p90 | p99 | max | non-2xx | socket errors | server CPU ms/req | server CPU | load |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${SUMMARY[@]}"
