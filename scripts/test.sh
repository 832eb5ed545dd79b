#!/usr/bin/env bash
# Install everything the tests need (Qt libraries, poppler, CUPS with a PDF printer,
# the project with its test extras) and run lint, types and the whole test suite.
source "$(dirname "$0")/setup-env.sh"
# shellcheck disable=SC2086
apt_install $QT_RUNTIME_PKGS xvfb xauth poppler-utils cups cups-pdf
ensure_cups_pdf_printer || echo "CUPS could not be set up: the printing tests will be skipped" >&2
ensure_venv test
cd "$ROOT"
export QT_QPA_PLATFORM=offscreen
"$VENV/bin/ruff" check frontdesk tests
"$VENV/bin/mypy" --no-error-summary frontdesk
exec "$VENV/bin/python" -m pytest "$@"
