#!/usr/bin/env bash
# Benchmark: `lr check` on a generated 100,000-line file, beside Python parsing a Python file of
# the same line count (`ast.parse`), measured in the same run with hyperfine.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/out
command -v hyperfine >/dev/null || { apt-get install -y -qq hyperfine >/dev/null 2>&1 || sudo apt-get install -y -qq hyperfine; }
python3 bench/gen_lr.py 100000 bench/out/big.lr bench/out/big.py
LR=${LR:-.build/release/lr}
hyperfine --warmup 1 --runs ${RUNS:-5} --export-json bench/out/check.json \
  -n "lr check (100k lines)" "$LR check bench/out/big.lr" \
  -n "python3 ast.parse (100k lines)" "python3 -c \"import ast; ast.parse(open('bench/out/big.py').read())\""
python3 - <<'PY'
import json
r = json.load(open("bench/out/check.json"))["results"]
lr, py = r[0]["mean"], r[1]["mean"]
print(f"lr check: {lr*1000:.0f} ms ({lr/100000*1e6:.2f} µs/line); python ast.parse: {py*1000:.0f} ms; ratio lr/python = {lr/py:.2f}")
PY
