#!/usr/bin/env bash
# The Debian packages the book needs beyond Python, installed in ONE place (the Makefile and
# .ci/run call this script):
#   chromium       the browser tests (Playwright drives /usr/bin/chromium; never `playwright install`)
#   node, npm      `npm ci` of the site's pinned browser assets, and the Node tests of the page JS
#   pdftotext      the PDF checks of the printable book (poppler-utils)
# Usage: scripts/system-deps.sh [chromium] [npm] [pdftotext]   (no argument: all of them)
# Only what is missing is installed; as root with apt-get, otherwise it prints the command.
set -euo pipefail

declare -A package=([chromium]=chromium [node]=nodejs [npm]=npm [pdftotext]=poppler-utils)
wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=(chromium npm pdftotext)
# npm is useless without node (the Node tests run `node` too)
[[ " ${wanted[*]} " == *" npm "* ]] && wanted+=(node)

missing=()
for cmd in "${wanted[@]}"; do
  if [ -z "${package[$cmd]:-}" ]; then
    echo "system-deps.sh: unknown command '$cmd' (known: ${!package[*]})" >&2
    exit 2
  fi
  command -v "$cmd" >/dev/null || missing+=("${package[$cmd]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
else
  echo "missing system packages: ${missing[*]}" >&2
  echo "install them with:  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
