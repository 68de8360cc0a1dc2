#!/usr/bin/env bash
# Contract check: starts `lr emulator --tls --port 0`, runs the MSAL + httpx end-to-end client and
# schemathesis (bounded in time) against docs/openapi.yaml, checks from the emulator's own counters
# that the fuzzer reached real answers (not a wall of 401s), then stops the emulator.
set -euo pipefail
cd "$(dirname "$0")/../.."
LR=${LR:-.build/debug/lr}
VENV=.build/contract-venv
# A hang guard, not a budget: the phases below take about 80 s here and up to 4x that on a loaded CI
# runner; the example count bounds the work.
SECONDS_BUDGET=${CONTRACT_SECONDS:-900}
# Pinned: the hooks (Tests/contract/hooks.py) use schemathesis's auth API.
PACKAGES="schemathesis==4.32.5 msal==1.39.0 httpx==0.28.1"
if ! "$VENV/bin/python" - "$PACKAGES" 2>/dev/null <<'EOF'
import importlib.metadata as m, sys
for spec in sys.argv[1].split():
    name, version = spec.split("==")
    assert m.version(name) == version, spec
EOF
then
  python3 -m venv "$VENV"
  # shellcheck disable=SC2086
  "$VENV/bin/pip" install -q $PACKAGES
fi
out=$(mktemp)
stats=$(mktemp -d)
"$LR" emulator --tls --port 0 --time-scale 60 --admin-key contract-admin --quiet >"$out" 2>/dev/null &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$out" "$stats"' EXIT
for _ in $(seq 1 100); do [ "$(wc -l <"$out")" -ge 2 ] && break; sleep 0.1; done
base=$(sed -n '1s/^listening on //p' "$out")
ca=$(sed -n '2p' "$out")
echo "emulator at $base (CA $ca)"
admin() { curl -sf --cacert "$ca" -H 'X-Emulator-Admin-Key: contract-admin' "$@"; }

# Clients trust the emulator's CA the standard way: requests (under MSAL) reads REQUESTS_CA_BUNDLE,
# httpx and Python's ssl read SSL_CERT_FILE, curl CURL_CA_BUNDLE.
export REQUESTS_CA_BUNDLE="$ca" CURL_CA_BUNDLE="$ca" SSL_CERT_FILE="$ca"
echo "== MSAL + httpx end-to-end (only the base URLs and instance discovery changed)"
AUTHORITY_HOST="$base" API_BASE="$base" "$VENV/bin/python" Tests/contract/e2e_msal_httpx.py

# Generous budgets so the fuzzer is not throttled.
admin -X PUT -H 'Content-Type: application/json' \
  -d '{"liveResponsePerMinute":100000,"otherPerMinute":100000,"otherPerHour":1000000,"concurrentSessions":100000}' \
  "$base/_emulator/limits" >/dev/null
admin "$base/_emulator/stats" >"$stats/before.json"

echo "== schemathesis (hang guard ${SECONDS_BUDGET}s)"
# The bearer token comes from an auth hook that signs in and renews it before it expires.
status=0
LR_CONTRACT_BASE="$base" PYTHONPATH=Tests/contract SCHEMATHESIS_HOOKS=hooks \
  timeout "$SECONDS_BUDGET" "$VENV/bin/schemathesis" run docs/openapi.yaml --url "$base" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance \
  --max-examples "${CONTRACT_EXAMPLES:-20}" || status=$?
if [ "$status" = 124 ]; then
  echo "schemathesis did not finish within ${SECONDS_BUDGET}s (CONTRACT_SECONDS): the emulator may be hanging" >&2
fi
[ "$status" = 0 ] || exit "$status"

echo "== coverage: the fuzzer's answers, as the emulator counted them"
admin "$base/_emulator/stats" >"$stats/after.json"
"$VENV/bin/python" Tests/contract/coverage.py "$stats/before.json" "$stats/after.json"
