#!/usr/bin/env bash
# Diagnostics latency of `lr lsp` after an edit in a 10,000-line file (goal: under 50 ms).
# Figures are recorded in docs/benchmarks.md ("Language server: diagnostics latency").
set -euo pipefail
cd "$(dirname "$0")/.."
LR=${LR:-.build/release/lr}
[ -x "$LR" ] || swift build -c release --product lr
mkdir -p bench/out
python3 bench/gen_lr.py 10000 bench/out/lsp10k.lr bench/out/lsp10k.py >/dev/null
python3 bench/lsp_latency.py "$LR" bench/out/lsp10k.lr "${EDITS:-20}"
