#!/usr/bin/env bash
# Build the one-folder Linux bundle dist/frontdesk/ with PyInstaller, then smoke-run it:
# --version, a demo database, a page screenshot and the test receipts, all offscreen.
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
SMOKE_HOME="$(mktemp -d "$ROOT/build/smoke.XXXXXX")"
export FRONTDESK_HOME="$SMOKE_HOME" QT_QPA_PLATFORM=offscreen
unset FRONTDESK_DB FRONTDESK_OPERATOR
cd "$SMOKE_HOME"  # not the repository: the bundle must not find the source tree
"$BUNDLE/frontdesk" --version
"$BUNDLE/frontdesk" demo >/dev/null
"$BUNDLE/frontdesk" screenshot checkin "$SMOKE_HOME/checkin.png" >/dev/null
"$BUNDLE/frontdesk" print-test --pdf-dir "$SMOKE_HOME/print" >/dev/null
test -s "$SMOKE_HOME/checkin.png"
ls "$SMOKE_HOME/print"/*.pdf >/dev/null
echo "smoke run passed"
[ "${KEEP_SMOKE:-0}" = "1" ] && echo "its files: $SMOKE_HOME" || rm -rf "$SMOKE_HOME"
