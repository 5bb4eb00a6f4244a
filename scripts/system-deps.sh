#!/usr/bin/env bash
# Install the Debian packages the tests need, if they are missing. Needs root (or sudo).
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans" || need+=(fonts-noto-core)
fc-list 2>/dev/null | grep -qi "DejaVu Sans" || need+=(fonts-dejavu-core)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
# Test files as an office suite writes them (tests/office.py): LibreOffice headless and its Python API.
command -v soffice >/dev/null || need+=(libreoffice-calc-nogui libreoffice-writer-nogui)
/usr/bin/python3 -c "import uno" 2>/dev/null || need+=(python3-uno)
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "Installing Debian packages: ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
