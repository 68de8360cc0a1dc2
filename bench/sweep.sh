#!/usr/bin/env bash
# Sweep benchmark (docs/benchmarks.md, "Engine: fleet sweep"): one RunScript on a generated fleet
# of a time-scaled `lr emulator`, by `lr run` and by a naive client, each on a fresh emulator.
#
#   bench/sweep.sh [--machines 200] [--scale 60] [--duration 30] [--latency 5] [--only lr|naive]
#
# LR=path/to/lr chooses the binary (default .build/release/lr).
set -euo pipefail
cd "$(dirname "$0")/.."
LR=${LR:-.build/release/lr}
[ -x "$LR" ] || { echo "build first: swift build -c release --product lr (or LR=.build/debug/lr)" >&2; exit 2; }
exec python3 bench/sweep.py "$LR" "$@"
