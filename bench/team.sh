#!/usr/bin/env bash
# Team mode at scale (docs/benchmarks.md, "Team: five processes on one tenant"; issue 14.8):
# 2 analysts' `lr run --team` + 3 `lr worker --team` on detached runs, 300 machines in five
# overlapping target sets, on a time-scaled `lr emulator --scenario large` and a throwaway
# PostgreSQL; then the same five workloads without --team on a fresh emulator; then the shared
# budget's cost (TeamBudgetCostBench, acquire+complete cycles per second from PostgreSQL).
# Not part of `make test`; each case is bounded (--timeout-factor x its lower bound + 120 s).
#
#   bench/team.sh [--machines 300] [--sets 5] [--set-size 120] [--scale 30] [--case team|apart|both|single]
#
# LR=path/to/lr chooses the binary (default .build/release/lr, else .build/debug/lr: the figures
# are bound by the service's limits, not by lr's speed). LR_BENCH_TEAM_BUDGET=SECONDS (default 5)
# sets how long each budget-cost measurement runs; 0 skips it. Exit 1 when the team case had a
# 429, a busy-device 400, a duplicate action or a failed process.
set -euo pipefail
cd "$(dirname "$0")/.."
LR=${LR:-.build/release/lr}
[ -x "$LR" ] || LR=.build/debug/lr
[ -x "$LR" ] || { echo "build first: swift build --build-tests (or make bench-team)" >&2; exit 2; }
status=0
timeout 3600 python3 bench/team_bench.py "$LR" "$@" || status=$?
seconds=${LR_BENCH_TEAM_BUDGET:-5}
if [ "$seconds" != 0 ]; then
  LR_BENCH_TEAM_BUDGET=$seconds timeout 600 swift test --skip-build --disable-xctest \
    --filter 'TeamBudgetCostBench' 2>&1 | grep -E '^team-budget:|✘' || status=1
fi
exit $status
