#!/usr/bin/env bash
# Debian's chromium for the dashboard's browser tests (test/browser), driven by playwright-core.
# Playwright's own browser download is never used: the machines reach only package registries.
# Idempotent: does nothing when the browser is already there.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-chromium: $CHROMIUM is missing; run this script as root (apt-get needs it)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
"$CHROMIUM" --version
