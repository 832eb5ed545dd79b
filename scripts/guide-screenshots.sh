#!/usr/bin/env bash
# Make every picture of the user guides from a fresh demo database, offscreen:
#   resources/guide/screenshots/zh_CN/*.png  Chinese screens, for resources/guide/用户手册.md
#   resources/guide/screenshots/en/*.png     English screens, for resources/guide/user-guide.md
#   docs/screenshots/checkin.png  the README's picture (Chinese check-in page)
#   first-*.png  the first-day chapter, from a new centre (scripts/first-day-screenshots.sh)
# The first-run dialog is taken on a new, empty database (as a new centre sees it); the
# other pictures on the demo centre (`frontdesk demo`), logged in as its administrator.
#
#   bash scripts/guide-screenshots.sh
#   FRONTDESK_PYTHON=/path/to/venv/bin/python bash scripts/guide-screenshots.sh
#
# Look at the pictures afterwards (Chinese must render, nothing clipped) before committing.
#
# Every command runs with the machine's clock moved (faketime, scripts/moved-clock.sh) to one
# working morning, GUIDE_MOMENT in centre time: the demo's months of data end there and the
# pages show that busy day, whenever the pictures are made (after midnight the check-in page
# of the real day would be empty).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GUIDE_MOMENT="${GUIDE_MOMENT:-2026-11-24 10:30:00}"  # a Tuesday, mid-morning
# shellcheck source=scripts/setup-env.sh
source "$ROOT/scripts/setup-env.sh"
# shellcheck source=scripts/moved-clock.sh
source "$ROOT/scripts/moved-clock.sh"
ensure_moved_clock
if [ -n "${FRONTDESK_PYTHON:-}" ]; then
  PYBIN="$FRONTDESK_PYTHON"
else
  # shellcheck disable=SC2086
  apt_install $QT_RUNTIME_PKGS
  ensure_venv
  PYBIN="$VENV/bin/python"
fi

# A fixed folder: the status bar shows the database's path, and the same path each time
# keeps the pictures comparable between runs.
WORK="${TMPDIR:-/tmp}/frontdesk-guide"
rm -rf "$WORK"
trap 'rm -rf "$WORK"' EXIT
# FRONTDESK_PC_SETTINGS: this PC's printers and window (本机设置) from a file of its own, never
# the QSettings of the machine taking the pictures.
export FRONTDESK_HOME="$WORK" FRONTDESK_PC_SETTINGS="$WORK/pc-settings.ini" QT_QPA_PLATFORM=offscreen
unset FRONTDESK_DB FRONTDESK_OPERATOR
cd "$ROOT"  # `python -m frontdesk` then runs this checkout's code

# Qt's offscreen platform warns about every dialog it shows; keep the other messages.
fd() {
  with_moved_clock "$GUIDE_MOMENT" "$PYBIN" -m frontdesk "$@" \
    2> >(grep -v "propagateSizeHints" >&2) >/dev/null
}

set_language() {  # the demo centre's 界面语言 setting, as an administrator would save it
  with_moved_clock "$GUIDE_MOMENT" "$PYBIN" - "$1" <<'PY'
import sys
from frontdesk.core import settings
from frontdesk.core.migrate import open_database
from frontdesk.core.operators import actor_for, first_active_admin
db = open_database(None)
with db.session() as session:
    settings.set_value(session, actor_for(first_active_admin(session)), "ui.language", sys.argv[1])
db.dispose()
PY
}

fd demo
fd backup  # one backup on the list, as every start of the program makes one
# dialogs first, then the main window's pages in the guides' order; PAGE:TAB is a tab of a
# page, saved as PAGE-TAB.png
PICTURES="login lock checkin canteen rooms volunteers dayclose documents settings settings:pc settings:backup"
for lang in zh_CN en; do
  out="$ROOT/resources/guide/screenshots/$lang"
  mkdir -p "$out"
  set_language "$lang"  # the settings page then shows the language the pictures are in
  fd --db "$WORK/new-$lang.sqlite3" screenshot firstrun "$out/firstrun.png" --lang "$lang"
  for picture in $PICTURES; do
    fd screenshot "$picture" "$out/${picture/:/-}.png" --lang "$lang"
  done
  echo "$out: $(ls "$out" | wc -l) pictures"
done
cp "$ROOT/resources/guide/screenshots/zh_CN/checkin.png" "$ROOT/docs/screenshots/checkin.png"

# The first-day chapter's pictures: from a new centre set up through the command line, never
# the demo (scripts/first-day-screenshots.sh; its own scratch folder).
FRONTDESK_PYTHON="$PYBIN" bash "$ROOT/scripts/first-day-screenshots.sh"
