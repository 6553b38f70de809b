#!/usr/bin/env bash
# Creates the virtual environment; on a fresh Debian, installs python3-venv first when it is missing.
set -euo pipefail
venv="${1:-.venv}"
[ -x "$venv/bin/python" ] && exit 0
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "python3-venv is missing: sudo apt-get install -y python3-venv" >&2
    exit 1
  fi
  echo "installing Debian package python3-venv"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
fi
python3 -m venv "$venv"
