#!/usr/bin/env bash
# The benchmarks, start to finish (`make bench`): about 12 minutes on 2 cores, loopback only.
# Generates the datasets (SQLite files under benchmarks/work/, PostgreSQL schemas bench_100 and
# bench_20000 in the database of BENCH_PG_URL, dropped at the end), then measures and writes
# benchmarks/RESULTS.md. BENCH_SECONDS sets the length of each page's wrk run (default 10).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export BENCH_PG_URL="${BENCH_PG_URL:-postgresql://postgres@127.0.0.1:5432/test}"

if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = "0" ]; then
        echo "Installing Debian's wrk ..."
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq wrk >/dev/null \
            || { apt-get -o DPkg::Lock::Timeout=300 update -qq \
                 && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq wrk >/dev/null; }
    else
        echo "wrk is missing: sudo apt-get install wrk"; exit 1
    fi
fi

mkdir -p benchmarks/work
rm -f benchmarks/work/results.json benchmarks/work/*.log benchmarks/work/wrk-*.lua
drop_schemas() {
    for size in 100 20000; do
        $BIN/python -m benchmarks.generate --database postgresql --profiles "$size" --drop || true
    done
}
trap drop_schemas EXIT

started=$(date +%s)
step() { echo; echo "== $1 ($(( $(date +%s) - started )) s)"; }
step "datasets: 100 profiles"
$BIN/python -m benchmarks.generate --database sqlite --database postgresql --profiles 100 | tail -n +1 | grep -v '^INFO'
step "datasets: 20,000 profiles"
$BIN/python -m benchmarks.generate --database sqlite --database postgresql --profiles 20000 | grep -v '^INFO'
step "SQL queries per page"
$BIN/python -m benchmarks.queries
step "throughput and latency (wrk)"
$BIN/python -m benchmarks.load
step "submission latency, instant and slow SMTP"
$BIN/python -m benchmarks.smtp_latency
step "worker memory during a 10 MB upload"
$BIN/python -m benchmarks.memory
step "RESULTS.md"
$BIN/python -m benchmarks.report >/dev/null
echo "Wrote benchmarks/RESULTS.md in $(( $(date +%s) - started )) s"
