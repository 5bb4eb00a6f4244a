#!/usr/bin/env bash
# Install the Debian packages the tests and the reports need, if they are missing. Needs root (or sudo).
set -euo pipefail
# (grep without -q below: with pipefail, grep -q stopping early would fail the pipe on SIGPIPE)
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -i "Noto Sans" >/dev/null || need+=(fonts-noto-core)
fc-list 2>/dev/null | grep -i "DejaVu Sans" >/dev/null || need+=(fonts-dejavu-core)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
# Reports: LibreOffice turns the Word report into PDF; Times New Roman's metric-compatible twins
# (Liberation Serif, Tinos) cover Vietnamese where Times New Roman itself is not installed.
# Tests: files as an office suite writes them (tests/office.py), LibreOffice headless and its Python API.
command -v soffice >/dev/null || need+=(libreoffice-calc-nogui libreoffice-writer-nogui)
dpkg -s libreoffice-calc-nogui >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
/usr/bin/python3 -c "import uno" 2>/dev/null || need+=(python3-uno)
fc-list 2>/dev/null | grep -i "Liberation Serif" >/dev/null || need+=(fonts-liberation)
fc-list 2>/dev/null | grep -i "Tinos" >/dev/null || need+=(fonts-croscore)
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "Installing Debian packages: ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
