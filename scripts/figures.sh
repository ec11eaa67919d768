#!/usr/bin/env bash
# Every figure of shared/reliability.md part 5 (F1-F28) at its own counts, with a table of what was measured.
#
#   bash scripts/figures.sh                 (about 10 minutes on 2 cores; writes test-artifacts/figures/)
#
# 1. The tests marked `figure(...)` (tests/reliability/figures.py lists them) with FIGURES_FULL=1, which raises
#    the CI counts to the figures' own: F9 100 submissions, F11 100 races, F12 50 drafts, F13 the 5 s busy
#    timeout with 1 s and 6 s locks, F4 1,000 forgeries in both passes. Once on SQLite, once on PostgreSQL
#    (TEST_DATABASE_URL, default the local test database). Each pass writes <pass>.md and <pass>.json.
# 2. scripts/static_checks.sh (F22).
# 3. F10 is the slow-SMTP benchmark of `make bench` (benchmarks/smtp_latency.py, needs its 20,000-profile
#    datasets): FIGURES_BENCH=1 runs it here; otherwise its last results in benchmarks/RESULTS.md are shown.
# F14 (locust) and F17 (rate limits across gunicorn workers) are measured by their own tests and scripts.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
OUT="${FIGURES_OUT:-test-artifacts/figures}"
PG_URL="${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test}"
mkdir -p "$OUT"
export FIGURES_FULL=1
status=0

echo "== figure tests on SQLite (full counts)"
(unset TEST_DATABASE_URL; FIGURES_REPORT="$OUT/sqlite" $BIN/python -m pytest -m figure -n 2 -p no:cacheprovider -q) \
    || status=1
echo "== figure tests on PostgreSQL (full counts, $PG_URL)"
TEST_DATABASE_URL="$PG_URL" FIGURES_REPORT="$OUT/postgresql" $BIN/python -m pytest -m figure -n 2 -p no:cacheprovider -q \
    || status=1

echo "== static checks (F22)"
bash scripts/static_checks.sh | tee "$OUT/static_checks.txt" || status=1

echo "== F10: submission latency with a slow SMTP server"
if [ "${FIGURES_BENCH:-0}" = "1" ]; then
    $BIN/python -m benchmarks.smtp_latency | tee "$OUT/smtp_latency.txt" || status=1
else
    echo "(FIGURES_BENCH=1 runs benchmarks/smtp_latency.py; last results from benchmarks/RESULTS.md:)"
    sed -n '/^## Submission latency with a slow SMTP server/,/^## /p' benchmarks/RESULTS.md | grep '^|'
fi

echo "== tables: $OUT/sqlite.md, $OUT/postgresql.md"
grep -h '^| F' "$OUT/sqlite.md" "$OUT/postgresql.md" 2>/dev/null | cut -d'|' -f2-6
exit $status
