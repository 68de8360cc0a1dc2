#!/usr/bin/env bash
# Client benchmarks (docs/benchmarks.md, "Client: result download" and "Client: polling cost").
#
#   bench/client.sh [download|polling|all]
#
# download: a 1 GiB GetFile result (srv-file01's D:\Shares\Finance\archive-2025.vhdx in the demo
#           scenario) fetched from a running `lr emulator` on loopback, by `lr actions results`
#           (stream + gunzip + SHA-256 + rename) and, in the same run, by curl fetching the same
#           link (to a file; and curl | gunzip | sha256sum). Peak RSS from /usr/bin/time -v.
# polling:  25 actions in flight (large scenario, POLLING_ACTIONS to change): API calls per
#           completed action — submissions, status polls and result links — for lr's ActionPoller
#           and for a naive one-GET-per-action-every-5-s poller, each with a fresh client on a
#           fresh emulator (so neither poller's spent hourly budget stretches the other's).
#
# Binaries: LR_BENCH_BUILD (default .build/release; e.g. .build/debug), or LR= and LR_BENCH=
# directly. A missing lr-bench is built (`swift build -c <config> --product lr-bench`), so
# `make build && bash bench/client.sh` works.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-all}
BUILD=${LR_BENCH_BUILD:-.build/release}
LR=${LR:-$BUILD/lr}
BENCH=${LR_BENCH:-$BUILD/lr-bench}
CONFIG=release
case "$BUILD" in *debug*) CONFIG=debug ;; esac
[ -x "$LR" ] || { echo "build first: swift build -c $CONFIG --product lr (or LR=.build/debug/lr)" >&2; exit 2; }
if [ ! -x "$BENCH" ]; then
  echo "building lr-bench ($CONFIG)..." >&2
  swift build -c "$CONFIG" --product lr-bench >&2
  BENCH=$(swift build -c "$CONFIG" --show-bin-path)/lr-bench
fi
OUT=bench/out
mkdir -p "$OUT"
export NO_COLOR=1
ADMIN_KEY=lr-bench-admin

start_emulator() {  # $1 = scenario, $2 = time scale
  "$LR" emulator --port 0 --scenario "$1" --time-scale "$2" --admin-key "$ADMIN_KEY" --quiet > "$OUT/emulator.out" 2>/dev/null &
  EMU_PID=$!
  for _ in $(seq 1 200); do
    URL=$(sed -n 's/^listening on //p' "$OUT/emulator.out" | head -1)
    [ -n "$URL" ] && break
    sleep 0.1
  done
  URL=${URL%/}
  [ -n "$URL" ] || { echo "emulator did not start" >&2; exit 1; }
}
stop_emulator() { kill "$EMU_PID" 2>/dev/null || true; wait "$EMU_PID" 2>/dev/null || true; }

peak_kib() { sed -n 's/^\s*Maximum resident set size (kbytes): //p' "$1"; }
wall_s() {  # elapsed (m:ss.xx or h:mm:ss) -> seconds
  sed -n 's/^\s*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$1" |
    awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }'
}

if [ "$MODE" = download ] || [ "$MODE" = all ]; then
  # Time scale 1: the 30-minute link lifetime must outlast three 1 GiB downloads.
  start_emulator demo 1
  trap stop_emulator EXIT
  read -r ACTION LINK < <(LR_BENCH_SCALE=1 "$BENCH" getfile "$URL" srv-file01.contoso.com 'D:\Shares\Finance\archive-2025.vhdx')
  rm -rf "$OUT/lr-results" "$OUT/curl.gz"
  /usr/bin/time -v curl -sS -o "$OUT/curl.gz" "$LINK" 2> "$OUT/time-curl.txt"
  /usr/bin/time -v bash -c "curl -sS '$LINK' | gunzip | sha256sum > '$OUT/curl-pipe.sha'" 2> "$OUT/time-pipe.txt"
  LINK2=$(LR_API_URL=$URL LR_AUTHORITY_URL=$URL AZURE_TENANT_ID=lab AZURE_CLIENT_ID=lr-lab \
    AZURE_CLIENT_SECRET=lr-lab-secret /usr/bin/time -v "$LR" actions results "$ACTION" --run bench \
    --results-dir "$OUT/lr-results" --output json 2> "$OUT/time-lr.txt")
  echo "$LINK2" > "$OUT/lr-results.json"
  SIZE=$(stat -c %s "$OUT/lr-results/bench/srv-file01.contoso.com/D/Shares/Finance/archive-2025.vhdx")
  WIRE=$(stat -c %s "$OUT/curl.gz")
  T_CURL=$(wall_s "$OUT/time-curl.txt"); T_PIPE=$(wall_s "$OUT/time-pipe.txt"); T_LR=$(wall_s "$OUT/time-lr.txt")
  LR_SHA=$(sed -n 's/.*"sha256":"\([0-9a-f]*\)".*/\1/p' "$OUT/lr-results.json")
  PIPE_SHA=$(cut -d' ' -f1 "$OUT/curl-pipe.sha")
  echo "## download: $SIZE bytes decompressed, $WIRE bytes on the wire"
  printf 'curl -o file          %6.2f s  %6.1f MiB/s (wire)  peak RSS %s KiB\n' "$T_CURL" "$(echo "$WIRE/1048576/$T_CURL" | bc -l)" "$(peak_kib "$OUT/time-curl.txt")"
  printf 'curl|gunzip|sha256sum %6.2f s  %6.1f MiB/s (file)  peak RSS %s KiB (bash)\n' "$T_PIPE" "$(echo "$SIZE/1048576/$T_PIPE" | bc -l)" "$(peak_kib "$OUT/time-pipe.txt")"
  printf 'lr actions results    %6.2f s  %6.1f MiB/s (file)  peak RSS %s KiB\n' "$T_LR" "$(echo "$SIZE/1048576/$T_LR" | bc -l)" "$(peak_kib "$OUT/time-lr.txt")"
  printf 'ratio lr/curl-to-file %.2f   ratio lr/curl-pipeline %.2f   sha256 match: %s\n' \
    "$(echo "$T_LR/$T_CURL" | bc -l)" "$(echo "$T_LR/$T_PIPE" | bc -l)" "$([ "$LR_SHA" = "$PIPE_SHA" ] && echo yes || echo NO)"
  stop_emulator
  trap - EXIT
  rm -rf "$OUT/lr-results" "$OUT/curl.gz"
fi

if [ "$MODE" = polling ] || [ "$MODE" = all ]; then
  # Time scale 10: real HTTP latency must stay small next to the 5 s naive poll interval.
  N=${POLLING_ACTIONS:-25}
  echo "## polling: $N actions in flight, each poller on a fresh emulator with a fresh client"
  for POLLER in naive lr; do
    start_emulator large 10
    trap stop_emulator EXIT
    LR_BENCH_SCALE=10 LR_BENCH_ADMIN_KEY=$ADMIN_KEY "$BENCH" polling "$POLLER" "$URL" "$N" > "$OUT/polling-$POLLER.json"
    stop_emulator
    trap - EXIT
    cat "$OUT/polling-$POLLER.json"
  done
  python3 - "$OUT/polling-naive.json" "$OUT/polling-lr.json" <<'PY'
import json, sys
naive, lr = (json.load(open(p)) for p in sys.argv[1:3])
for r in (naive, lr):
    print(f"{r['poller']:>5}: {r['calls']} calls ({r['submission_calls']} submissions, {r['status_calls']} status, "
          f"{r['result_link_calls']} result links; emulator counted {r.get('emulator_api_requests', '?')}) "
          f"for {r['completed']} completed actions = {r['calls_per_completed_action']:.2f} per action")
print(f"ratio lr/naive (calls per completed action) = {lr['calls_per_completed_action'] / naive['calls_per_completed_action']:.3f}")
PY
fi
