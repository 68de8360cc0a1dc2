#!/usr/bin/env bash
# Start-up beside sqlite3 (issue 16.3), interleaved in the same run: `lr --version` and
# `lr check FILE` against `sqlite3 -version`; the REPL's first prompt and `lr --lab`'s first prompt
# against sqlite3's prompt, in real pseudo-terminals. Measures the static release binary
# (`make release-static`) unless LR names another; RUNS rounds (default 20), stopping after
# BUDGET seconds (default 120). BASELINE=PATH adds another lr (e.g. the build before a change) and
# FLOOR=PATH a static Foundation hello-world to the same rounds. Figures: docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
LR=${LR:-.build/static-release/release/lr}
test -x "$LR" || { echo "no lr at $LR (make release-static, or LR=PATH)" >&2; exit 1; }
exec timeout $(( ${BUDGET:-120} + 120 )) \
  bash Tests/pty/python.sh bench/startup_bench.py "$LR" "${RUNS:-20}" "${BUDGET:-120}" \
  "${BASELINE:-}" "${FLOOR:-}"
