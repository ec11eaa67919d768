#!/usr/bin/env bash
# The whole test suite: static checks, then pytest on SQLite, then on PostgreSQL.
# With CI=true a missing part (Chromium, nginx, the Nu HTML checker, PostgreSQL) fails the run instead of being skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
CI="${CI:-false}"

# Installs a Debian package when its program is missing (as root); with CI=true a part that cannot be had fails the run.
need_debian() {
    local program=$1 package=$2 purpose=$3
    [ -x "$program" ] && return 0
    if [ "$(id -u)" = "0" ]; then
        echo "Installing Debian's $package for $purpose ..."
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null) \
            || { echo "could not install $package"; [ "$CI" = "true" ] && exit 1; }
    elif [ "$CI" = "true" ]; then
        echo "$package is missing and this user cannot install it"; exit 1
    fi
    return 0
}

# Browser journeys drive Debian's Chromium; Playwright cannot download browsers here.
need_debian /usr/bin/chromium chromium "the browser journeys"
# The slow-client figure (F26) serves the app behind Debian's nginx, as the production section of README does.
need_debian /usr/sbin/nginx nginx "the slow-client tests"

# The Nu HTML checker (tests/test_nu_html.py) is vnu.jar from npm, run with Java: Debian's packages when missing.
VNU_JAR=scripts/node/vnu/node_modules/vnu-jar/build/dist/vnu.jar
if [ ! -f "$VNU_JAR" ]; then
    if { ! command -v java >/dev/null || ! command -v npm >/dev/null; } && [ "$(id -u)" = "0" ]; then
        echo "Installing Java and npm for the Nu HTML checker ..."
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless npm >/dev/null) \
            || echo "could not install Java or npm"
    fi
    if command -v npm >/dev/null; then
        npm ci --prefix scripts/node/vnu --no-audit --no-fund --loglevel=error \
            || { echo "could not install the Nu HTML checker"; [ "$CI" = "true" ] && exit 1; }
    fi
fi

echo "== ruff"
$BIN/ruff check .
echo "== bandit (high severity fails the run)"
$BIN/bandit -q -r wizard -lll

PG_URL="${TEST_DATABASE_URL:-}"
if [ -z "$PG_URL" ] && [ "$CI" = "true" ]; then
    PG_URL="postgresql://postgres@127.0.0.1:5432/test"
fi

echo "== pytest on SQLite"
unset TEST_DATABASE_URL
$BIN/python -m pytest -n 2 -p no:cacheprovider -q "$@"

if [ -n "$PG_URL" ]; then
    echo "== pytest on PostgreSQL ($PG_URL)"
    TEST_DATABASE_URL="$PG_URL" $BIN/python -m pytest -n 2 -p no:cacheprovider -q "$@"
else
    echo "(PostgreSQL pass not run: set TEST_DATABASE_URL or CI=true)"
fi
