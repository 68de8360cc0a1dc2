#!/usr/bin/env bash
# Results at scale (docs/benchmarks.md, "Results: 500,000 rows"): a 1,000-machine sweep on a
# time-scaled `lr emulator` whose script prints 500 CSV rows per machine, then a `group by` over
# the 500,000 journaled rows by `lr query` and by `sqlite3` on the same file, interleaved, and
# the journal's growth per row. Not part of `make test`; bounded by --timeout per sweep.
#
#   bench/results.sh [--machines 1000] [--rows 500] [--scale 600] [--pairs 7] [--timeout 900]
#
# LR=path/to/lr chooses the binary (default .build/release/lr). Exit 1 when the ratio is over 2.
set -euo pipefail
cd "$(dirname "$0")/.."
LR=${LR:-.build/release/lr}
[ -x "$LR" ] || { echo "build first: swift build -c release --product lr (or LR=.build/debug/lr)" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing: make deps (apt-get install sqlite3)" >&2; exit 2; }
exec timeout 2400 python3 bench/results.py "$LR" "$@"
