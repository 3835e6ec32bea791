#!/usr/bin/env bash
# Installs what the browser test needs: Debian's Chromium (apt) and playwright-core (npm, the
# version pinned in e2e/package-lock.json; it drives /usr/bin/chromium, no browser download).
# Prints "unavailable: ..." and exits 3 when it cannot (no root, no apt, no registry).
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "unavailable: /usr/bin/chromium is missing and this user cannot apt-get install it"; exit 3
  fi
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/tmp/scratchnet-apt.log 2>&1; then
    apt-get update -q >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/tmp/scratchnet-apt.log 2>&1 \
      || { echo "unavailable: apt-get install chromium failed (see /tmp/scratchnet-apt.log)"; exit 3; }
  fi
fi
if ! command -v npm >/dev/null; then echo "unavailable: npm is missing"; exit 3; fi
npm ci --no-audit --no-fund --silent || { echo "unavailable: npm ci failed"; exit 3; }
echo "ready: $(/usr/bin/chromium --version), playwright-core $(node -p "require('./node_modules/playwright-core/package.json').version")"
