# Sourced by start.sh and test.sh: system libraries Qt needs, and the project's virtualenv.
# Works as root on a fresh Debian 12 with Python 3.11; skips what is already there.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="${PYTHON:-python3}"

QT_RUNTIME_PKGS="libegl1 libgl1 libx11-6 libxkbcommon0 libfontconfig1 libfreetype6 libglib2.0-0
  libdbus-1-3 libcups2 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0"

apt_install() {
  # Install the named Debian packages that are missing (needs root and apt-get).
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "Please install these system packages first: ${missing[*]}" >&2
    return 1
  fi
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_venv() {
  # Create .venv (Debian keeps venv in python3-venv) and install the project into it.
  local extras="${1:-}"
  if [ ! -x "$VENV/bin/python" ]; then
    if ! "$PY" -m venv "$VENV" 2>/dev/null; then
      rm -rf "$VENV"
      local ver
      ver="$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
      apt_install "python${ver}-venv"
      "$PY" -m venv "$VENV"
    fi
  fi
  local stamp="$VENV/.frontdesk-installed${extras:+-$extras}"
  # setup.py maps resources/ into the package (frontdesk._resources): a change to either
  # file needs the editable install redone.
  if [ ! -f "$stamp" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ] || [ "$ROOT/setup.py" -nt "$stamp" ]; then
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e "$ROOT${extras:+[$extras]}"
    touch "$stamp"
  fi
}

ensure_cups_pdf_printer() {
  # Start cupsd (no systemd here) and add the cups-pdf virtual printer "PDF" as the default.
  # Idempotent: does nothing that is already done. The printing tests find its jobs as PDFs.
  command -v cupsd >/dev/null || return 1
  if ! lpstat -r 2>/dev/null | grep -q "is running"; then
    cupsd
    for _ in $(seq 50); do lpstat -r 2>/dev/null | grep -q "is running" && break; sleep 0.1; done
  fi
  if ! lpstat -p PDF >/dev/null 2>&1; then
    local ppd
    ppd="$(lpinfo -m 2>/dev/null | awk '/CUPS-PDF_opt.ppd/ {print $1; exit}')"
    lpadmin -p PDF -v cups-pdf:/ -m "${ppd:-lsb/usr/cups-pdf/CUPS-PDF_opt.ppd}" -E
  fi
  lpstat -d 2>/dev/null | grep -q "destination: PDF" || lpadmin -d PDF
}
