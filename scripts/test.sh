#!/usr/bin/env bash
# Install everything the tests need (Qt libraries, poppler, a throwaway PostgreSQL server,
# the project with its test extras) and run lint, types and the whole test suite.
source "$(dirname "$0")/setup-env.sh"
source "$(dirname "$0")/pg-test-server.sh"
source "$(dirname "$0")/moved-clock.sh"
# shellcheck disable=SC2086
apt_install $QT_RUNTIME_PKGS xvfb xauth poppler-utils cups cups-pdf binutils  # binutils: PyInstaller
ensure_moved_clock  # faketime, for the third run
ensure_cups_pdf_printer
export FRONTDESK_REQUIRE_PRINTER=1  # the printing tests must run, not skip
ensure_venv test
cd "$ROOT"
export QT_QPA_PLATFORM=offscreen
"$VENV/bin/ruff" check frontdesk tests
"$VENV/bin/mypy" --no-error-summary frontdesk
start_pg_test_server
trap stop_pg_test_server EXIT
# The whole suite twice: on SQLite files (the tests marked `postgres` also use the server),
# then on PostgreSQL (every `db` fixture a copy of one migrated template database; the tests
# marked sqlite_only skip). Then a third time on SQLite with the machine's clock moved years
# ahead to 23:30 centre time (an hour later it is a new day, month and half-year; official
# holidays are unknown that far ahead), so a test that depends on today's date fails here
# first; only the bundle build (`packaging`) is left out of it. Every run always happens;
# the script fails if any failed.
MOVED_TO="2029-06-30 23:30:00"
status=0
run_suite() {
  local label="$1" backend="$2" start=$SECONDS rc=0
  shift 2
  echo "== pytest, the whole suite on $label =="
  FRONTDESK_TEST_BACKEND="$backend" "$@" || rc=$?
  echo "== $label run: exit $rc, $((SECONDS - start)) s =="
  [ "$rc" = 0 ] || status=$rc
}
run_suite sqlite sqlite "$VENV/bin/python" -m pytest "$@"
run_suite postgresql postgresql "$VENV/bin/python" -m pytest "$@"
run_suite "sqlite, the clock moved to $MOVED_TO centre time" sqlite \
  with_moved_clock "$MOVED_TO" "$VENV/bin/python" -m pytest -m "not packaging" "$@"
exit "$status"
