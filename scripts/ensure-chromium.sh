#!/bin/sh
# Makes sure the browser tests (test/browser, playwright-core) have Debian's Chromium and a font
# with Chinese glyphs (without one, pages and screenshots show boxes). Installs what is missing
# when run as root; otherwise says what to install and exits 1.
set -eu

missing=""
if ! [ -x /usr/bin/chromium ] && ! command -v chromium >/dev/null 2>&1; then
  missing="chromium"
fi
if ! (command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh 2>/dev/null)" ]); then
  missing="$missing fonts-wqy-microhei"
fi
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  echo "ensure-chromium: installing $missing for the browser tests…" >&2
  apt-get update -qq
  # shellcheck disable=SC2086 # the package list is meant to split
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  exit 0
fi

echo "ensure-chromium: the browser tests need these Debian packages, and they are missing:$missing" >&2
echo "ensure-chromium: install them as root:  apt-get install -y$missing" >&2
exit 1
