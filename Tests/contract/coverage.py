#!/usr/bin/env python3
"""Asserts that the fuzzing phase reached real responses, from the emulator's own counters.

Usage: coverage.py BEFORE.json AFTER.json  (two GET /_emulator/stats snapshots)

Fails when the fuzzer's token ran out (a 401 for an expired token makes every later check pass
vacuously), when 401s are more than the share schemathesis's deliberate missing-credential cases
explain, when an operation a Live Response client depends on never succeeded, or when the links
from runliveresponse never reached a real action.
"""
import json
import sys

# schemathesis removes the Authorization header in its negative cases (about a fifth of /api
# calls here); a token that expired mid-run pushes the share towards 100%.
MAX_UNAUTHORIZED_SHARE = 0.35
MAX_EXPIRED_TOKEN_SHARE = 0.01
MIN_API_RESPONSES = 200
# Operations that must have answered 2xx at least once: the stateful links (runliveresponse →
# machineactions get/cancel/download link) have to reach real actions.
# Operations on an action id that must have reached an existing action (any answer but 401/404).
MUST_REACH_ACTIONS = [
    "POST /api/machineactions/{id}/cancel",
    "GET /api/machineactions/{id}/GetLiveResponseResultDownloadLink(index={index})",
]
MUST_SUCCEED = [
    "GET /api/machines",
    "GET /api/machines/{id}",
    "POST /api/machines/{id}/runliveresponse",
    "GET /api/machineactions",
    "GET /api/machineactions/{id}",
    "GET /api/libraryfiles",
    "POST /{tenant}/oauth2/v2.0/token",
]

snapshots = [json.load(open(p)) for p in sys.argv[1:3]]
before, after = (snap["responses"] for snap in snapshots)
expired = snapshots[1].get("unauthorized", {}).get("Token has expired", 0) - snapshots[0].get(
    "unauthorized", {}
).get("Token has expired", 0)
delta = {}
for route, statuses in after.items():
    for status, n in statuses.items():
        d = n - before.get(route, {}).get(status, 0)
        if d:
            delta.setdefault(route, {})[status] = d

api = {r: s for r, s in delta.items() if " /api/" in r}
total = sum(sum(s.values()) for s in api.values())
unauthorized = sum(s.get("401", 0) for s in api.values())
print(f"/api answers during fuzzing: {total}, of which 401: {unauthorized} ({expired} for an expired token)")
for route in sorted(delta):
    print(f"  {route}: " + ", ".join(f"{k}×{v}" for k, v in sorted(delta[route].items())))

failures = []
if total < MIN_API_RESPONSES:
    failures.append(f"only {total} /api answers (expected at least {MIN_API_RESPONSES})")
if total and unauthorized / total > MAX_UNAUTHORIZED_SHARE:
    failures.append(f"{unauthorized / total:.0%} of /api answers were 401 (at most {MAX_UNAUTHORIZED_SHARE:.0%})")
if total and expired / total > MAX_EXPIRED_TOKEN_SHARE:
    failures.append(f"{expired} answers were 401 for an expired token: the fuzzer's token ran out")
for route in MUST_REACH_ACTIONS:
    if not any(status not in ("401", "404") for status in delta.get(route, {})):
        failures.append(f"{route} never reached an existing action (only 401/404)")
for route in MUST_SUCCEED:
    if not any(status.startswith("2") for status in delta.get(route, {})):
        failures.append(f"{route} never answered 2xx")
for route, statuses in delta.items():
    if any(status.startswith("5") for status in statuses):
        failures.append(f"{route} answered 5xx: {statuses}")
if failures:
    print("contract coverage check failed:\n  " + "\n  ".join(failures), file=sys.stderr)
    sys.exit(1)
print("contract coverage check passed")
