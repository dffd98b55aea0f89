#!/usr/bin/env bash
# Installs what the plugin's tests and `make run` need from Debian's packages:
# QGIS (desktop, Python bindings, providers), GDAL's Python bindings, Xvfb, and
# Qt's lrelease (qttools5-dev-tools) that compiles the translations.
# Idempotent: does nothing, quickly, when everything is there.
set -euo pipefail

PACKAGES=(qgis python3-qgis qgis-providers python3-gdal python3-requests python3-venv xvfb xauth qttools5-dev-tools)

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "Installing from Debian: ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "Run as root, or install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
