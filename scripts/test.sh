#!/usr/bin/env bash
# Install everything the tests need (Qt libraries, poppler, a throwaway PostgreSQL server,
# the project with its test extras) and run lint, types and the whole test suite.
source "$(dirname "$0")/setup-env.sh"
source "$(dirname "$0")/pg-test-server.sh"
# shellcheck disable=SC2086
apt_install $QT_RUNTIME_PKGS xvfb xauth poppler-utils cups cups-pdf binutils  # binutils: PyInstaller
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
# marked sqlite_only skip). Both runs always happen; the script fails if either failed.
status=0
run_suite() {
  local backend="$1" start=$SECONDS rc=0
  shift
  echo "== pytest, the whole suite on $backend =="
  FRONTDESK_TEST_BACKEND="$backend" "$VENV/bin/python" -m pytest "$@" || rc=$?
  echo "== $backend run: exit $rc, $((SECONDS - start)) s =="
  [ "$rc" = 0 ] || status=$rc
}
run_suite sqlite "$@"
run_suite postgresql "$@"
exit "$status"
