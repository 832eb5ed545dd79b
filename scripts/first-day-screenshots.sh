#!/usr/bin/env bash
# The pictures of the user guides' first-day chapter (第一天 / The first day), from a NEW
# centre, never the demo: `frontdesk init` on a fresh database, pictures of the opening
# checklist and of the set-up forms while everything is still missing, then the centre is set
# up through the command line (the same jobs the chapter walks through in the GUI) and the
# filled forms, the ready checklist and the setup import's preview are taken.
#
#   bash scripts/first-day-screenshots.sh             # resources/guide/screenshots/{zh_CN,en}/first-*.png
#   bash scripts/first-day-screenshots.sh --review D  # every state and form at 1366x768 and
#                                                     # 1024x768 screens into D (for looking at, not shipped)
#
# scripts/guide-screenshots.sh runs the first form with the other pictures of the guides.
# FRONTDESK_PYTHON chooses the Python (default: the checkout's .venv through setup-env.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REVIEW=""
if [ "${1:-}" = "--review" ]; then
  REVIEW="${2:?--review needs a folder}"
fi
if [ -n "${FRONTDESK_PYTHON:-}" ]; then
  PYBIN="$FRONTDESK_PYTHON"
else
  # shellcheck source=scripts/setup-env.sh
  source "$ROOT/scripts/setup-env.sh"
  # shellcheck disable=SC2086
  apt_install $QT_RUNTIME_PKGS
  ensure_venv
  PYBIN="$VENV/bin/python"
fi

WORK="${TMPDIR:-/tmp}/frontdesk-first-day${REVIEW:+-review}"
rm -rf "$WORK"
mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT
export FRONTDESK_HOME="$WORK" FRONTDESK_PC_SETTINGS="$WORK/pc-settings.ini" QT_QPA_PLATFORM=offscreen
unset FRONTDESK_DB FRONTDESK_OPERATOR
cd "$ROOT"

EMPTY="$WORK/新中心 empty.sqlite3"   # stays as `frontdesk init` left it
HALF="$WORK/新中心 half.sqlite3"     # operators, check-in and canteen set up
FULL="$WORK/新中心 full.sqlite3"     # every job set up
SETUP_FILE="$WORK/JJGS01-中心设置.json"

# Qt's offscreen platform warns about every dialog it shows; keep the other messages.
fd() { "$PYBIN" -m frontdesk "$@" 2> >(grep -v "propagateSizeHints" >&2) >/dev/null; }
as_admin() { local db="$1"; shift; fd --db "$db" --operator admin "$@"; }

printf 'guide-admin-1\n' >"$WORK/admin.pw"
printf 'guide-desk-1\n' >"$WORK/desk.pw"
fd --db "$EMPTY" init --centre-name "桂山社区党建+邻里中心" --centre-code JJGS01 --town 梅岭街道 \
  --admin admin --password-file "$WORK/admin.pw"

# The first half of the chapter: accounts, check-in, the canteen.
set_up_half() {
  local db="$1"
  as_admin "$db" operators add lin --name 林晓燕 --role desk --password-file "$WORK/desk.pw"
  as_admin "$db" purposes default 助老服务
  as_admin "$db" canteen session add 午餐 --start 11:00 --end 13:00 --price 12 --capacity 60 \
    --menu 三菜一汤
  as_admin "$db" canteen funder add 政府补助
  as_admin "$db" canteen funder add 村级
  as_admin "$db" canteen rule add --name "高龄老人（80岁以上）" --share 政府补助=7 --share 村级=2 \
    --from 2026-01-01 --min-age 80
}
# The second half: rooms, volunteers, the points shop, the certificate.
set_up_rest() {
  local db="$1"
  as_admin "$db" rooms add-room 多功能厅 --capacity 60 --hours 1-5=08:30-21:00,6=09:00-17:00
  as_admin "$db" rooms add-org 桂山小学 --kind school --contact 陈老师 --phone 0595-85661234
  as_admin "$db" volunteers team add 桂山红马甲志愿服务队
  as_admin "$db" volunteers category add 助老服务 --points-per-hour 1
  as_admin "$db" volunteers activity add 陪伴长者用餐 --category 助老服务 --cap-hours 2
  as_admin "$db" volunteers certificate-details --head 王丽华 --contact 0595-85661234 \
    --seal 桂山社区居民委员会
  as_admin "$db" shop add 香皂 --price 10 --unit 块 --stock 20
}
cp "$EMPTY" "$HALF"
set_up_half "$HALF"
cp "$HALF" "$FULL"
set_up_rest "$FULL"
fd --db "$FULL" setup export "$SETUP_FILE"

shot() {  # shot DB TARGET OUT [options]
  local db="$1" target="$2" out="$3"; shift 3
  fd --db "$db" screenshot "$target" "$out" --setup-file "$SETUP_FILE" "$@"
}

if [ -z "$REVIEW" ]; then
  # NAME=DATABASE:TARGET, in the chapter's order
  PICTURES=(
    "first-opening-empty=EMPTY:opening"
    "first-operator=EMPTY:settings:operators!addOperator"
    "first-purposes=HALF:checkin/purposes"
    "first-canteen-missing=EMPTY:canteen"
    "first-session=EMPTY:canteen/admin!addSession"
    "first-canteen-admin=HALF:canteen/admin"
    "first-rooms=FULL:rooms/rooms"
    "first-volunteers-setup=FULL:volunteers/teams"
    "first-shop=FULL:volunteers/stock"
    "first-opening-ready=FULL:opening"
    "first-setup-import=EMPTY:setup-import"
  )
  for lang in zh_CN en; do
    out="$ROOT/resources/guide/screenshots/$lang"
    mkdir -p "$out"
    for picture in "${PICTURES[@]}"; do
      name="${picture%%=*}" spec="${picture#*=}"
      db_name="${spec%%:*}" target="${spec#*:}"
      shot "${!db_name}" "$target" "$out/$name.png" --lang "$lang"
    done
    echo "$out: ${#PICTURES[@]} first-day pictures"
  done
  exit 0
fi

# For review: every state of the checklist, every set-up form and every "what is missing"
# page, in both languages on both screens.
REVIEW_SHOTS=(
  "opening-empty=EMPTY:opening" "opening-half=HALF:opening" "opening-ready=FULL:opening"
  "settings-general=EMPTY:settings:general" "settings-operators=EMPTY:settings:operators"
  "operator-add=EMPTY:settings:operators!addOperator"
  "checkin-page=EMPTY:checkin" "checkin-purposes=EMPTY:checkin/purposes"
  "checkin-groups=EMPTY:checkin/groups"
  "canteen-missing=EMPTY:canteen" "canteen-admin-empty=EMPTY:canteen/admin"
  "canteen-session-add=EMPTY:canteen/admin!addSession"
  "canteen-funders=EMPTY:canteen/admin!funders" "canteen-rule-add=HALF:canteen/admin!addRule"
  "canteen-admin-filled=HALF:canteen/admin" "canteen-day-menu=HALF:canteen/admin!dayMenu"
  "canteen-ready=HALF:canteen"
  "rooms-missing=EMPTY:rooms" "rooms-setup-empty=EMPTY:rooms/rooms"
  "rooms-closures=EMPTY:rooms/closures" "rooms-orgs-empty=EMPTY:rooms/orgs"
  "rooms-setup-filled=FULL:rooms/rooms" "rooms-orgs-filled=FULL:rooms/orgs" "rooms-ready=FULL:rooms"
  "volunteers-missing=EMPTY:volunteers" "volunteers-setup-empty=EMPTY:volunteers/teams"
  "volunteers-team-refused=EMPTY:volunteers/teams!addTeamButton"
  "volunteers-certificate=EMPTY:volunteers/teams!editCertificateButton"
  "volunteers-setup-filled=FULL:volunteers/teams"
  "shop-empty=EMPTY:volunteers/stock" "shop-add-refused=EMPTY:volunteers/stock!addGoodsButton"
  "shop-filled=FULL:volunteers/stock"
  "setup-import-preview=EMPTY:setup-import" "setup-import-nothing-new=FULL:setup-import"
)
mkdir -p "$REVIEW"
# One program per language and screen (a picture each would take ten times as long).
for lang in zh_CN en; do
  for screen in 1366x768 1024x768; do
    list="$WORK/pictures-$lang-$screen.tsv"
    for picture in "${REVIEW_SHOTS[@]}"; do
      name="${picture%%=*}" spec="${picture#*=}"
      db_name="${spec%%:*}" target="${spec#*:}"
      printf '%s\t%s\t%s\n' "${!db_name}" "$target" "$REVIEW/$name-$lang-$screen.png"
    done >"$list"
    "$PYBIN" - "$lang" "$screen" "$SETUP_FILE" "$list" 2> >(grep -v "propagateSizeHints" >&2) <<'PY'
import sys
from pathlib import Path
from frontdesk.core.db import Database, resolve_url
from frontdesk.ui.screenshot import take_screenshot
lang, screen, setup_file = sys.argv[1], tuple(int(x) for x in sys.argv[2].split("x")), sys.argv[3]
for line in Path(sys.argv[4]).read_text(encoding="utf-8").splitlines():
    db_path, target, out = line.split("\t")
    db = Database(resolve_url(db_path))
    try:
        take_screenshot(db, target, Path(out), lang=lang, screen=screen,  # type: ignore[arg-type]
                        setup_file=Path(setup_file))
    except Exception as exc:  # noqa: BLE001 - report it and go on with the others
        print(f"FAILED: {target} {lang} {sys.argv[2]}: {exc}", file=sys.stderr)
    finally:
        db.dispose()
PY
  done
done
echo "$REVIEW: $(ls "$REVIEW" | wc -l) pictures"
