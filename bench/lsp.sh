#!/usr/bin/env bash
# Diagnostics latency of `lr lsp` after an edit in a 10,000-line file (goal: under 50 ms).
# Figures are recorded in docs/benchmarks.md ("Language server: diagnostics latency").
#
#   bash bench/lsp.sh                    # .build/release/lr (built if missing)
#   SERVER=swiftc bash bench/lsp.sh      # the server alone, compiled with swiftc -O (minutes, not
#                                        # the quarter hour `lr` with all its dependencies takes)
# With SERVER=swiftc the same run then measures the server checking the whole document on every
# edit (LR_LSP_FULL=1, the baseline); with lr, the baseline is `lr check` of the same file.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/out
if [ "${SERVER:-lr}" = swiftc ]; then
  out=bench/out/lsp-server
  mkdir -p "$out"
  if [ ! -x "$out/lsp-server" ]; then
    swiftc -O -wmo -parse-as-library -module-name LRLanguage -emit-module \
      -emit-module-path "$out/LRLanguage.swiftmodule" -emit-library -o "$out/libLRLanguage.so" \
      $(find Sources/LRLanguage -name '*.swift')
    swiftc -O -wmo -parse-as-library -module-name LRLanguageServer -I "$out" -L "$out" \
      -lLRLanguage -emit-module -emit-module-path "$out/LRLanguageServer.swiftmodule" \
      -emit-library -o "$out/libLRLanguageServer.so" $(find Sources/LRLanguageServer -name '*.swift')
    swiftc -O -parse-as-library -I "$out" -L "$out" -lLRLanguage -lLRLanguageServer \
      -Xlinker -rpath -Xlinker "$PWD/$out" bench/lsp_server_main.swift -o "$out/lsp-server"
  fi
  LR="$out/lsp-server"
  export NO_CHECK_BASELINE=1
else
  LR=${LR:-.build/release/lr}
  [ -x "$LR" ] || swift build -c release --product lr
fi
python3 bench/gen_lr.py 10000 bench/out/lsp10k.lr bench/out/lsp10k.py >/dev/null
echo "== incremental diagnostics"
python3 bench/lsp_latency.py "$LR" bench/out/lsp10k.lr "${EDITS:-20}"
if [ "${SERVER:-lr}" = swiftc ]; then
  echo "== baseline: the whole document checked on every edit (LR_LSP_FULL=1)"
  LR_LSP_FULL=1 python3 bench/lsp_latency.py "$LR" bench/out/lsp10k.lr "${EDITS:-20}"
fi
