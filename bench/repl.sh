#!/usr/bin/env bash
# REPL benchmarks in real pseudo-terminals: start-up to the first prompt of lr and lr --lab beside
# sqlite3 and python3, and keystroke echo latency idle vs while 25 statements stream results on the
# lab. LR=.build/debug/lr to measure a debug build; RUNS=N start-ups per program (default 15).
# Figures: docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
exec bash Tests/pty/python.sh bench/repl_bench.py "${LR:-.build/release/lr}" "${RUNS:-15}"
