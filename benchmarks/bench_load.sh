#!/usr/bin/env bash
# Load test of `vnindustry serve --workers $WORKERS` with wrk: one cached series' observations (the URL
# bench_api.py times) and the home page, 2 threads, 16 and 64 connections, 30 s each, wrk on the same machine
# as the server.
#
#   bash benchmarks/bench_load.sh
#
# Settings (environment): WORKERS (2: uvicorn worker processes, `serve --workers`), DURATION (30s), THREADS (2),
# CONNECTIONS ("16 64"), PORT (8765), STORE (benchmarks/out/demo), SERIES_PATH (the series' URL, below). Installs
# wrk with apt-get when it is missing; builds the store once: the demo city (`vnindustry demo --out $STORE`, which
# stores it in $STORE/vnindustry.db) plus GSO's February 2025 workbook (tests/data, the workbook bench_api.py
# stores, so the series gso/exports/TOTAL is the same). Starts the server with the rate limit off
# (VNINDUSTRY_API_RATE_LIMIT=0: every wrk connection comes from 127.0.0.1, one client for the token bucket) and its
# access log on (the default, standard error: benchmarks/out/load/server.log), waits for /api/v1/healthz, warms the
# response cache (of every worker: 8 new connections per target), runs wrk with --latency and
# benchmarks/wrk_report.lua, and prints a summary: the server's CPU time per request (the parent's and every
# worker's, read from /proc), each worker's share of it, and the 1-minute load average after each run — on a shared
# machine, other processes' load skews every figure, so rerun when it is well above the ~2 of wrk + server alone.
# wrk output goes to benchmarks/out/load/. The server (its parent, which stops its workers) is stopped on exit. The
# goal (issues 5, 16): >= 500 req/s with p99 < 50 ms for the cached series (at 64 connections with 2 workers); the
# home page < 100 ms.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
WORKERS=${WORKERS:-2}
DURATION=${DURATION:-30s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16 64}
PORT=${PORT:-8765}
STORE=${STORE:-benchmarks/out/demo}
RESULTS=benchmarks/out/load
VENV_BIN=$ROOT/.venv/bin
BASE=http://127.0.0.1:$PORT
# The demo now carries GSO's 2014-2025 history: the whole series is 490 observations, 107,891 bytes; from 2025-01
# it is 10 observations, 2,788 bytes, close to the 1,343 bytes the runs of 2026-11-22 measured.
SERIES_PATH=${SERIES_PATH:-/api/v1/series/gso/exports/TOTAL/observations?format=json&from=2025-01}
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
  --workers "$WORKERS" >"$RESULTS/server.log" 2>&1 &
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
  for _ in 1 2 3 4 5 6 7 8; do  # each curl is a new connection: the kernel spreads them over the workers
    curl -fsS -o /dev/null -w "warm-up $path: %{http_code}, %{size_download} bytes, %{time_total} s\n" "$BASE$path"
  done
done

read -r LOAD1 _ </proc/loadavg
echo "load average before the runs: $LOAD1 (wrk + server alone bring it to ~2 on 2 cores)"

server_pids() {  # the server process and its children (uvicorn's workers, multiprocessing's tracker)
  echo "$SERVER_PID"
  ps -o pid= --ppid "$SERVER_PID" 2>/dev/null || true
}
cpu_ticks() {  # utime + stime of the server's processes, in clock ticks: "pid ticks" lines and a "total" line
  local pid total=0 t
  for pid in $(server_pids); do
    t=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)
    echo "$pid $t"
    total=$((total + t))
  done
  echo "total $total"
}
ticks_of() { awk -v k="$1" '$1 == k {print $2}' <<<"$2"; }
worker_shares() {  # each child's share of the children's CPU between two cpu_ticks snapshots, e.g. "52/48"
  local pid out="" sum=0 d
  declare -A delta=()
  for pid in $(ps -o pid= --ppid "$SERVER_PID"); do
    d=$(( $(ticks_of "$pid" "$2") - $(ticks_of "$pid" "$1") ))
    if (( d > 0 )); then delta[$pid]=$d; sum=$((sum + d)); fi
  done
  for pid in "${!delta[@]}"; do
    out+="${out:+/}$(( 100 * delta[$pid] / (sum > 0 ? sum : 1) ))"
  done
  echo "${out:--}"
}
TICKS_PER_S=$(getconf CLK_TCK)

SUMMARY=()
for name in series home; do
  if [[ $name == series ]]; then path=$SERIES_PATH; else path=$HOME_PATH; fi
  for c in $CONNECTIONS; do
    out=$RESULTS/wrk-$name-c$c-w$WORKERS.txt
    echo
    echo "== $name ($path): wrk -t$THREADS -c$c -d$DURATION --latency"
    before=$(cpu_ticks)
    wrk -t"$THREADS" -c"$c" -d"$DURATION" --latency -s "$LUA" "$BASE$path" | tee "$out"
    after=$(cpu_ticks)
    spent=$(( $(ticks_of total "$after") - $(ticks_of total "$before") ))
    shares=$(worker_shares "$before" "$after")
    read -r load1 _ </proc/loadavg
    line=$(grep '^WRK_REPORT ' "$out")
    declare -A f=()
    for kv in ${line#WRK_REPORT }; do f[${kv%%=*}]=${kv#*=}; done
    cpu_ms=$(awk -v t="$spent" -v hz="$TICKS_PER_S" -v n="${f[requests]}" \
      'BEGIN { if (n > 0) printf "%.2f", 1000 * t / hz / n; else print "-" }')
    cpu_share=$(awk -v t="$spent" -v hz="$TICKS_PER_S" -v d="${f[duration_s]}" \
      'BEGIN { printf "%.0f%%", 100 * t / hz / d }')
    SUMMARY+=("$(printf '| %-6s | %3s | %8s | %8s | %8s | %8s | %8s | %5s | %5s | %7s | %5s | %7s | %5s |' \
      "$name" "$c" "${f[rps]}" "${f[p50_ms]}" "${f[p90_ms]}" "${f[p99_ms]}" "${f[max_ms]}" \
      "${f[non2xx]}" "${f[socket_errors]}" "$cpu_ms" "$cpu_share" "$shares" "$load1")")
    unset f
  done
done

echo
echo "$WRK_VERSION, $THREADS threads, $DURATION per run, vnindustry serve --workers $WORKERS," \
  "wrk and the server on the same machine, $(date +%F):"
echo "$(nproc) cores, $(uname -m), $(lscpu | sed -n 's/^Model name: *//p' | head -n 1)," \
  "$("$VENV_BIN/python" -c 'import platform, uvicorn, fastapi; print(f"Python {platform.python_version()}, uvicorn {uvicorn.__version__}, FastAPI {fastapi.__version__}")')"
echo "series = $SERIES_PATH, home = $HOME_PATH; latencies in ms; server CPU = the server processes'" \
  "user+system time per request and as a share of one core; workers = each worker's share of that CPU" \
  "(how evenly the kernel spread the connections); load = 1-minute load average after the run"
echo "| target | conns | req/s | p50 | p90 | p99 | max | non-2xx | socket errors | server CPU ms/req | server CPU |" \
  "workers | load |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${SUMMARY[@]}"
