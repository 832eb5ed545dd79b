#!/usr/bin/env bash
# Install what the desk program needs and start it on the embedded SQLite database.
# Extra arguments go to `frontdesk` (e.g. `bash scripts/start.sh demo`).
source "$(dirname "$0")/setup-env.sh"
# shellcheck disable=SC2086
apt_install $QT_RUNTIME_PKGS
ensure_venv
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ $# -eq 0 ]; then
  # A server without a screen: run on a virtual one so the program still starts.
  apt_install xvfb xauth
  echo "No display found: starting on the virtual display :99 (Xvfb)."
  (Xvfb :99 -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &)
  export DISPLAY=:99
  sleep 1
fi
exec "$VENV/bin/frontdesk" "$@"
