#!/usr/bin/env bash
# Set up everything tabledesk needs on a Debian/Ubuntu machine with Python 3.11+.
# Idempotent and quick on a re-run: Debian packages are only installed when missing, and the
# virtual environment is only reinstalled when pyproject.toml (or this script) changed.
set -euo pipefail
cd "$(dirname "$0")/.."

# Qt offscreen needs EGL/GL, xkbcommon, fontconfig, dbus and glib; a real window also the xcb
# libraries; Chinese text needs a CJK font; the window test under Xvfb needs xvfb and xauth;
# the Excel export's page-count test converts the workbook to PDF with LibreOffice headless.
# The generated reports embed TrueType fonts from Debian (tests/fixtures/fonts.py): a Hei for
# the tests, and a Song, a Kai and a Ming (with Noto Serif) for the OCR benchmark's font matrix.
debs=(libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0
      libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
      libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1
      libxrender1 libxi6 fonts-noto-cjk xvfb xauth
      libreoffice-calc-nogui
      fonts-wqy-microhei fonts-arphic-gbsn00lp fonts-arphic-gkai00mp fonts-arphic-uming)
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${debs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

py=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$py" -m venv .venv
fi
stamp=.venv/.setup-stamp
# this script too: it pins the packages installed without their declared dependencies
want=$(cat pyproject.toml scripts/setup.sh packaging/constraints.txt | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing Python packages into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  # the same tested versions the Windows and Linux bundles carry (packaging/constraints.txt)
  .venv/bin/python -m pip install -q -c packaging/constraints.txt -e ".[dev,ocr]"
  # OCR models: installed without its declared dependencies (they would pull opencv-python,
  # whose Qt clashes with PySide6); the `ocr` extra above lists what it really imports.
  .venv/bin/python -m pip install -q -c packaging/constraints.txt --no-deps rapidocr-onnxruntime
  echo "$want" > "$stamp"
fi
