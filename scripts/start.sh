#!/usr/bin/env bash
# Install what the desk program needs and start it on the embedded SQLite database.
# Extra arguments go to `frontdesk`. `bash scripts/start.sh demo` is different: it makes (or
# tops up) a demo centre in a data folder of its own and starts the program on it, so the
# demo's invented residents and meals never come near the centre's real database.
source "$(dirname "$0")/setup-env.sh"
# shellcheck disable=SC2086
apt_install $QT_RUNTIME_PKGS
ensure_venv
demo=0
if [ "${1:-}" = demo ]; then
  demo=1
  shift
  export FRONTDESK_HOME="${FRONTDESK_DEMO_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/frontdesk-demo}"
  unset FRONTDESK_DB FRONTDESK_CENTRE
  echo "Demo centre in its own data folder: $FRONTDESK_HOME"
  "$VENV/bin/frontdesk" demo
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && { [ $# -eq 0 ] || [ "$demo" = 1 ]; }; then
  # A server without a screen: run on a virtual one so the program still starts.
  apt_install xvfb xauth
  echo "No display found: starting on the virtual display :99 (Xvfb)."
  (Xvfb :99 -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &)
  export DISPLAY=:99
  sleep 1
fi
exec "$VENV/bin/frontdesk" "$@"
