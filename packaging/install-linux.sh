#!/usr/bin/env bash
# Install the built bundle for the current user: ~/.local/opt/frontdesk, a `frontdesk` command in
# ~/.local/bin, the menu entry and the icon. Installing again replaces the program only; the data
# (~/.local/share/frontdesk/) is never touched, and the next start migrates it after a backup.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUNDLE="${1:-$ROOT/dist/frontdesk}"
PREFIX="${PREFIX:-$HOME/.local}"
[ -x "$BUNDLE/frontdesk" ] || { echo "no bundle at $BUNDLE: run packaging/build.sh" >&2; exit 1; }
rm -rf "$PREFIX/opt/frontdesk.new"
mkdir -p "$PREFIX/opt" "$PREFIX/bin" "$PREFIX/share/applications" \
  "$PREFIX/share/icons/hicolor/256x256/apps" "$PREFIX/share/icons/hicolor/scalable/apps"
cp -a "$BUNDLE" "$PREFIX/opt/frontdesk.new"
rm -rf "$PREFIX/opt/frontdesk" && mv "$PREFIX/opt/frontdesk.new" "$PREFIX/opt/frontdesk"
ln -sf "$PREFIX/opt/frontdesk/frontdesk" "$PREFIX/bin/frontdesk"
cp "$ROOT/resources/icons/frontdesk.png" "$PREFIX/share/icons/hicolor/256x256/apps/frontdesk.png"
cp "$ROOT/resources/icons/frontdesk.svg" "$PREFIX/share/icons/hicolor/scalable/apps/frontdesk.svg"
sed "s|^Exec=frontdesk|Exec=$PREFIX/opt/frontdesk/frontdesk|" "$ROOT/packaging/frontdesk.desktop" \
  > "$PREFIX/share/applications/frontdesk.desktop"
echo "installed: $PREFIX/opt/frontdesk (data stays in ~/.local/share/frontdesk)"
