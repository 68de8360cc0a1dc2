#!/usr/bin/env bash
# The reliability soak (issue 18): repeats fleet sweeps (RunScript + GetFile per machine) through
# a lossy proxy (answers lost after the service acted, resets, 5xx, latency) and kill -9 trials of
# `lr run` and `lr resume` followed by `lr resume`, against one emulator in the test process
# (EmulatorFixture: scenario large, time scale 60, the stdlib's scripts), checking after each: one action per machine on the service,
# every result saved intact, the run journaled finished. Seeds are printed; replay one with
#   LR_SOAK_SEED=N LR_SOAK_SWEEPS=1 LR_SOAK_KILLS=0 bash bench/soak.sh   (or SWEEPS=0 KILLS=1)
# Parameters (environment, defaults): LR_SOAK_SECONDS=1200 LR_SOAK_SWEEPS=200 LR_SOAK_KILLS=100
# LR_SOAK_MACHINES=12 LR_SOAK_KILL_MACHINES=8 LR_SOAK_TIME_SCALE=60 LR_SOAK_SEED=(the time).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
export LR_SOAK_SECONDS="${LR_SOAK_SECONDS:-1200}"
export LR_SOAK_VERBOSE="${LR_SOAK_VERBOSE:-1}"
log=.build/soak-$(date +%Y%m%d-%H%M%S).log
echo "soak log: $log"
swift test --skip-build --disable-xctest --filter 'SoakTests/soak' 2>&1 | tee "$log" | grep -E '^soak:|✘|✔ Test soak'
