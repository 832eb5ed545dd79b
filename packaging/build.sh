#!/usr/bin/env bash
# Build the one-folder Linux bundle dist/frontdesk/ with PyInstaller, then smoke-run it:
# --version, a demo database, the check-in page in Chinese and English, the test receipts,
# the town office's merge of the demo's day packages, the desk's start; and with a PostgreSQL
# server (FRONTDESK_TEST_PG_URL, as scripts/test.sh sets it) `town init` and `town add-centre`
# on a scratch database. All offscreen, in a folder whose path has Chinese and a space.
#
#   bash packaging/build.sh            # uses .venv/ (or $VENV) with the `packaging` extra
#   SMOKE=0 bash packaging/build.sh    # build only
#   KEEP_SMOKE=1 bash packaging/build.sh   # keep the smoke run's database, screenshot, PDFs
#
# Everything it writes stays in build/ and dist/ (both gitignored).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"
cd "$ROOT"
export PYINSTALLER_CONFIG_DIR="$ROOT/build/pyinstaller-cache"  # its cache stays in build/

if ! "$PY" -c "import PyInstaller" 2>/dev/null; then
  "$VENV/bin/pip" install -q -e ".[packaging]"
fi
# PyInstaller reads shared-library dependencies with objdump (binutils on Debian).
command -v objdump >/dev/null || { echo "build.sh: install binutils (objdump)" >&2; exit 1; }

"$PY" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller" packaging/frontdesk.spec

BUNDLE="$ROOT/dist/frontdesk"
echo "bundle: $BUNDLE ($(du -sh "$BUNDLE" | cut -f1))"
[ "${SMOKE:-1}" = "0" ] && exit 0

# The smoke run: a throwaway data folder, no display, the built program only.
SMOKE_HOME="$(mktemp -d "$ROOT/build/smoke 冒烟.XXXXXX")"
export FRONTDESK_HOME="$SMOKE_HOME" QT_QPA_PLATFORM=offscreen
PG_SERVER="${FRONTDESK_TEST_PG_URL:-}"
unset FRONTDESK_DB FRONTDESK_OPERATOR FRONTDESK_CENTRE FRONTDESK_TEST_PG_URL
cd "$SMOKE_HOME"  # not the repository: the bundle must not find the source tree
CLI="$BUNDLE/frontdesk-cli"
step() { echo "smoke: $*"; "$@" >"$SMOKE_HOME/last-step.log" 2>&1 \
  || { cat "$SMOKE_HOME/last-step.log" >&2; echo "smoke run failed: $*" >&2; exit 1; }; }
"$CLI" --version
step "$CLI" demo
step "$CLI" screenshot checkin "$SMOKE_HOME/签到.png"
step "$CLI" screenshot checkin "$SMOKE_HOME/checkin-en.png" --lang en
cmp -s "$SMOKE_HOME/签到.png" "$SMOKE_HOME/checkin-en.png" \
  && { echo "smoke run failed: the English page is the Chinese one" >&2; exit 1; }
step "$CLI" print-test --pdf-dir "$SMOKE_HOME/打印 测试"
ls "$SMOKE_HOME/打印 测试"/*.pdf >/dev/null
step "$CLI" town merge "$SMOKE_HOME/exports" --out "$SMOKE_HOME/镇 汇总.xlsx" \
  --pdf "$SMOKE_HOME/镇 汇总.pdf"
test -s "$SMOKE_HOME/镇 汇总.pdf"
FRONTDESK_STARTUP_PROBE=1 step "$BUNDLE/frontdesk"  # the desk, up to its first page
if [ -n "$PG_SERVER" ]; then
  # A scratch database on the server for the town commands, dropped afterwards.
  TOWN_DB="$("$PY" "$ROOT/packaging/scratch_pg.py" create "$PG_SERVER")"
  trap '"$PY" "$ROOT/packaging/scratch_pg.py" drop "$PG_SERVER" "$TOWN_DB"' EXIT
  echo "town-secret-1" >"$SMOKE_HOME/town-pw.txt"
  step "$CLI" --db "$TOWN_DB" town init --town 梅岭街道 --admin zhang \
    --password-file "$SMOKE_HOME/town-pw.txt"
  step "$CLI" --db "$TOWN_DB" town add-centre --code GS01 --name 桂山社区邻里中心 \
    --admin guishan --password-file "$SMOKE_HOME/town-pw.txt" --operator zhang
else
  echo "smoke: town init / add-centre skipped (no PostgreSQL: set FRONTDESK_TEST_PG_URL)"
fi
echo "smoke run passed"
[ "${KEEP_SMOKE:-0}" = "1" ] && echo "its files: $SMOKE_HOME" || rm -rf "$SMOKE_HOME"
