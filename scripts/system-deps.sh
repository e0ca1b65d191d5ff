#!/bin/sh
# System packages kubexam needs beyond npm: bubblewrap (the candidate's sandboxed shell) and,
# for the test suite, Chromium (browser tests). Installs them with apt when they are missing
# and we may (root, Debian/Ubuntu); otherwise says what to install. Usage: system-deps.sh [--tests]
set -eu
need=""
command -v bwrap >/dev/null 2>&1 || need="$need bubblewrap"
if [ "${1:-}" = "--tests" ]; then
  command -v chromium >/dev/null 2>&1 || need="$need chromium"
fi
[ -z "$need" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "kubexam: installing system packages:$need" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >&2
  exit 0
fi
echo "kubexam: missing system packages:$need — install them (e.g. sudo apt-get install$need) and run again" >&2
exit 1
