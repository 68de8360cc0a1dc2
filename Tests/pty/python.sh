#!/usr/bin/env bash
# Runs a Python script with pexpect, pyte (a terminal emulator for screen assertions) and
# jsonschema (the JSON output contract), from a
# virtual environment under .build/ that is created on first use.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$root/.build/pty-venv"
mkdir -p "$root/.build"
exec 9>"$root/.build/pty-venv.lock"
flock 9
if ! "$venv/bin/python" -c 'import pexpect, pyte, jsonschema' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q pexpect pyte jsonschema
fi
flock -u 9
exec "$venv/bin/python" "$@"
