#!/usr/bin/env bash
# Installs Debian's chromium (used by the report's browser test) if /usr/bin/chromium is missing.
# Idempotent, and never fails the build: where apt-get is unavailable or the install fails, it prints
# one line saying so and exits 0 (the browser test then skips itself with a visible line).
set -u

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  echo "install-browser: $CHROMIUM is present ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: apt-get not found; not installing chromium (browser tests will be skipped)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    echo "install-browser: not root and no passwordless sudo; not installing chromium (browser tests will be skipped)"
    exit 0
  fi
fi

log=$(mktemp "${TMPDIR:-/tmp}/install-browser.XXXXXX")
trap 'rm -f "$log"' EXIT

echo "install-browser: installing Debian's chromium with apt-get (log kept only on failure)..."
export DEBIAN_FRONTEND=noninteractive
if $SUDO apt-get update -qq >"$log" 2>&1 \
  && $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >>"$log" 2>&1; then
  if [ -x "$CHROMIUM" ]; then
    echo "install-browser: installed $("$CHROMIUM" --version 2>/dev/null || echo chromium)"
  else
    echo "install-browser: apt-get succeeded but $CHROMIUM is still missing (browser tests will be skipped)"
  fi
else
  echo "install-browser: apt-get failed; browser tests will be skipped. Last lines of its output:"
  tail -n 5 "$log" | sed 's/^/  /'
fi
exit 0
