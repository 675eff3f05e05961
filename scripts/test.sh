#!/usr/bin/env bash
# The whole test suite: lint, every test with Qt offscreen on SQLite, then the core
# tests marked both_databases again on a throwaway PostgreSQL server (installed in CI with apt-get).
#
#   scripts/test.sh [PYTHON] [PYTEST ARGS...]
#
# PostgreSQL: MENTORAPP_TEST_PG_URL, when set, is used as it is. Otherwise, when
# CI=true or a PostgreSQL server is installed, a cluster is created in a temporary
# folder on 127.0.0.1 (as the postgres user when running as root) and removed at
# the end. MENTORAPP_TEST_PG=0 skips the PostgreSQL pass. If no server can be had,
# a loud warning says the core was NOT tested on PostgreSQL; under CI (CI=true) the
# run fails instead, so that CI is never green without PostgreSQL.
#
# Under CI, a last step builds the one-folder bundle (make bundle: PyInstaller, a few
# minutes) and tries it with an empty environment (make bundle-check: every command,
# a picture of every page). MENTORAPP_TEST_BUNDLE=0 skips it; =1 runs it outside CI.
set -euo pipefail
PY=${1:-.venv/bin/python}
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
"$PY" -m ruff check .
"$PY" -m pytest -q "${@:2}"

# Only the full run (no pytest arguments) also runs on PostgreSQL, and under CI tries the bundle.
if [ $# -gt 1 ]; then
    exit 0
fi
IN_CI=false
if [ "${CI:-}" = "true" ]; then IN_CI=true; fi

warn() {
    echo "" >&2
    echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" >&2
    echo "!!! WARNING: $* " >&2
    echo "!!! The core tests did NOT run against PostgreSQL in this run." >&2
    echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" >&2
}

PGBIN=""
find_pg_bin() {
    local d
    for d in /usr/lib/postgresql/*/bin /usr/local/pgsql/bin; do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then PGBIN=$d; fi
    done
    if [ -z "$PGBIN" ] && command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        PGBIN=$(dirname "$(command -v initdb)")
    fi
    [ -n "$PGBIN" ]
}

PGTMP=""
AS_PG=()
stop_pg() {
    if [ -n "$PGTMP" ] && [ -d "$PGTMP/data" ]; then
        "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [ -n "$PGTMP" ]; then rm -rf "$PGTMP"; fi
}

start_throwaway_pg() {
    if ! find_pg_bin; then
        if [ "${CI:-}" = "true" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
            echo "Installing PostgreSQL for the database tests (apt-get install postgresql) ..."
            export DEBIAN_FRONTEND=noninteractive
            { apt-get update -qq && apt-get install -y -qq postgresql; } >/tmp/mentorapp-apt-postgresql.log 2>&1 \
                || echo "apt-get failed; see /tmp/mentorapp-apt-postgresql.log" >&2
        fi
        find_pg_bin || return 1
    fi
    PGTMP=$(mktemp -d "${TMPDIR:-/tmp}/mentorapp-pg.XXXXXX")
    trap stop_pg EXIT
    if [ "$(id -u)" = "0" ]; then
        # PostgreSQL refuses to run as root.
        id postgres >/dev/null 2>&1 || return 1
        chown postgres "$PGTMP"
        if command -v runuser >/dev/null 2>&1; then AS_PG=(runuser -u postgres --); else AS_PG=(sudo -u postgres); fi
    else
        AS_PG=(env)
    fi
    "${AS_PG[@]}" "$PGBIN/initdb" -D "$PGTMP/data" -U postgres --auth=trust -E UTF8 --no-locale \
        >"$PGTMP/initdb.log" 2>&1 || { cat "$PGTMP/initdb.log" >&2; return 1; }
    local port
    port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $PGTMP -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null || { cat "$PGTMP/server.log" >&2; return 1; }
    export MENTORAPP_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
    echo "Throwaway PostgreSQL server on 127.0.0.1:$port ($PGBIN)."
}

pg_pass() {
    if [ -z "${MENTORAPP_TEST_PG_URL:-}" ]; then
        if ! start_throwaway_pg; then
            if $IN_CI; then
                echo "FAILED: under CI the core must be tested on PostgreSQL, and no server could be installed or started (needs the Debian package 'postgresql')." >&2
                exit 1
            fi
            warn "no PostgreSQL server could be installed or started (needs the Debian package 'postgresql')."
            return 0
        fi
    fi
    echo "Tests marked both_databases, on PostgreSQL:"
    "$PY" -m pytest -q --pg -m both_databases
}

bundle_pass() {
    echo "The one-folder bundle: build (PyInstaller), measure, try with env -i:"
    "$PY" -m pip install --quiet -e ".[test,bundle]"
    rm -rf dist/mentorapp dist/bare-window build/bundle-tour
    "$PY" -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller packaging/mentorapp.spec
    "$PY" packaging/measure_bundle.py dist --record build/bundle.json
    "$PY" scripts/try_installed.py --bare-env --work build/bundle-tour \
        --cli dist/mentorapp/mentorapp-cli --gui dist/mentorapp/mentorapp
}

if [ "${MENTORAPP_TEST_PG:-1}" != "0" ]; then
    pg_pass
fi
if [ "${MENTORAPP_TEST_BUNDLE:-$IN_CI}" = "true" ] || [ "${MENTORAPP_TEST_BUNDLE:-}" = "1" ]; then
    bundle_pass
fi
