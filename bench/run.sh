#!/usr/bin/env bash
# Runs every benchmark script in bench/ (each prints its own figures).
set -euo pipefail
cd "$(dirname "$0")"
for script in check.sh $(ls *.sh | grep -v -e '^run.sh$' -e '^check.sh$'); do
  echo "== $script"
  bash "$script"
done
