#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests (tests/browser/).
#
# Playwright cannot download its own browser on a machine without internet
# access, so the tests drive /usr/bin/chromium instead. Run as root. Does
# nothing when /usr/bin/chromium is already there, so it is safe to run on
# every CI start.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [[ -x "$CHROMIUM" ]]; then
  echo "Chromium is already installed: $("$CHROMIUM" --version 2>/dev/null)"
  exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
  echo "error: $CHROMIUM is missing and installing it needs root." >&2
  echo "Run: sudo bash $0" >&2
  exit 1
fi

echo "Installing Debian's chromium package"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Of the recommended packages, headless Chromium needs only fonts-liberation,
# which provides the common fonts that pages and screenshots use.
apt-get install -y -qq --no-install-recommends chromium fonts-liberation

if [[ ! -x "$CHROMIUM" ]]; then
  echo "error: the chromium package installed, but $CHROMIUM is missing." >&2
  exit 1
fi
echo "Installed: $("$CHROMIUM" --version 2>/dev/null)"
