#!/usr/bin/env bash
# Installs the Debian packages the tests need, only when they are missing.
# Chromium comes from Debian, never from `playwright install` (no browser downloads here).
# PostgreSQL: the partner store tests start a throw-away server of their own (scripts/pg_cluster.py);
# Debian's package is enough, its own cluster is not used.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v zbarimg >/dev/null 2>&1 || need+=(zbar-tools)
dpkg -s libzbar0 >/dev/null 2>&1 || need+=(libzbar0)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null 2>&1 || need+=(postgresql)
# The certificate rotation runbook of docs/operations.md is shell with curl and jq (tests/ops/test_runbook.py).
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v jq >/dev/null 2>&1 || need+=(jq)
# The text of a View in Samsung Wallet button is the page's font: without a CJK font Chromium paints
# the ja/ko/zh labels as boxes in the screenshots the docs show (1.6 MB, Chinese, kana and Hangul).
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || need+=(fonts-wqy-microhei)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing Debian packages: ${need[*]} (run as root, or: sudo apt-get install -y ${need[*]})" >&2
    exit 1
  fi
  echo "installing Debian packages: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" fonts-dejavu-core >/dev/null
fi
