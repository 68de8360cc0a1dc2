#!/usr/bin/env bash
# Contract check: starts `lr emulator --tls --port 0`, runs the MSAL + httpx end-to-end client and
# schemathesis (bounded in time) against docs/openapi.yaml, then stops the emulator.
set -euo pipefail
cd "$(dirname "$0")/../.."
LR=${LR:-.build/debug/lr}
VENV=.build/contract-venv
# A hang guard, not a budget: the phases below take about 80 s here and up to 4x that on a loaded CI
# runner; the example count bounds the work.
SECONDS_BUDGET=${CONTRACT_SECONDS:-900}
if [ ! -x "$VENV/bin/schemathesis" ] || ! "$VENV/bin/python" -c "import msal, httpx" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q schemathesis msal httpx
fi
out=$(mktemp)
"$LR" emulator --tls --port 0 --time-scale 60 --admin-key contract-admin --quiet >"$out" 2>/dev/null &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 1 100); do [ "$(wc -l <"$out")" -ge 2 ] && break; sleep 0.1; done
base=$(sed -n '1s/^listening on //p' "$out")
ca=$(sed -n '2p' "$out")
echo "emulator at $base (CA $ca)"

# requests (under MSAL) lets REQUESTS_CA_BUNDLE override a session's own `verify`.
export REQUESTS_CA_BUNDLE="$ca" CURL_CA_BUNDLE="$ca" SSL_CERT_FILE="$ca"
echo "== MSAL + httpx end-to-end"
"$VENV/bin/python" Tests/contract/e2e_msal_httpx.py "$base" "$ca"

# Generous budgets so the fuzzer is not throttled.
curl -sf --cacert "$ca" -X PUT -H 'X-Emulator-Admin-Key: contract-admin' -H 'Content-Type: application/json' \
  -d '{"liveResponsePerMinute":100000,"otherPerMinute":100000,"otherPerHour":1000000,"concurrentSessions":100000}' \
  "$base/_emulator/limits" >/dev/null
token=$(curl -sf --cacert "$ca" -d grant_type=client_credentials -d client_id=lr-lab -d client_secret=lr-lab-secret \
  --data-urlencode scope=https://api.securitycenter.microsoft.com/.default "$base/lab/oauth2/v2.0/token" |
  "$VENV/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

echo "== schemathesis (hang guard ${SECONDS_BUDGET}s)"
status=0
timeout "$SECONDS_BUDGET" "$VENV/bin/schemathesis" run docs/openapi.yaml --url "$base" \
  --header "Authorization: Bearer $token" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance \
  --max-examples "${CONTRACT_EXAMPLES:-20}" || status=$?
if [ "$status" = 124 ]; then
  echo "schemathesis did not finish within ${SECONDS_BUDGET}s (CONTRACT_SECONDS): the emulator may be hanging" >&2
fi
exit "$status"
