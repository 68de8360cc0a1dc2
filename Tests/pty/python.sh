#!/usr/bin/env bash
# Runs a Python script with pexpect and pyte (a terminal emulator for screen assertions), from a
# virtual environment under .build/ that is created on first use.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$root/.build/pty-venv"
mkdir -p "$root/.build"
exec 9>"$root/.build/pty-venv.lock"
flock 9
if ! "$venv/bin/python" -c 'import pexpect, pyte' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q pexpect pyte
fi
flock -u 9
exec "$venv/bin/python" "$@"
