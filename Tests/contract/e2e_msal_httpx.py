#!/usr/bin/env python3
"""Third-party client check: MSAL + httpx, written as for the real service.

It signs in (client credentials), lists machines, runs the documented example, polls it and
downloads both results. Against the real service it would run as it is; against the emulator only
configuration changes, none of it in the client's logic:

- the two base URLs (AUTHORITY_HOST, API_BASE below, here from the environment);
- MSAL's instance discovery: MSAL validates an authority host it does not know by asking
  https://login.microsoftonline.com/common/discovery/instance (msal/authority.py), which the
  emulator cannot answer for; so the one MSAL-specific argument is instance_discovery=False (or the
  emulator's own discovery URL, as the second sign-in below shows);
- trust for the emulator's generated CA, through the standard environment variables
  (REQUESTS_CA_BUNDLE for MSAL's requests session, SSL_CERT_FILE for httpx), not in code.

Usage: AUTHORITY_HOST=… API_BASE=… e2e_msal_httpx.py
"""
import json
import os
import time
import zlib

import httpx
import msal

# --- configuration: the only values that differ from a client of the real service ---------------
AUTHORITY_HOST = os.environ.get("AUTHORITY_HOST", "https://login.microsoftonline.com")
API_BASE = os.environ.get("API_BASE", "https://api.securitycenter.microsoft.com")
TENANT = os.environ.get("AZURE_TENANT_ID", "lab")
CLIENT_ID = os.environ.get("AZURE_CLIENT_ID", "lr-lab")
CLIENT_SECRET = os.environ.get("AZURE_CLIENT_SECRET", "lr-lab-secret")
INSTANCE_DISCOVERY = AUTHORITY_HOST == "https://login.microsoftonline.com"
# -------------------------------------------------------------------------------------------------

SCOPE = ["https://api.securitycenter.microsoft.com/.default"]

app = msal.ConfidentialClientApplication(
    CLIENT_ID,
    client_credential=CLIENT_SECRET,
    authority=f"{AUTHORITY_HOST}/{TENANT}",
    instance_discovery=INSTANCE_DISCOVERY,
)
result = app.acquire_token_for_client(scopes=SCOPE)
assert "access_token" in result, result
token = result["access_token"]

if not INSTANCE_DISCOVERY:
    # MSAL's own instance discovery, pointed at the emulator's endpoint: it names the tenant's
    # OpenID document, as Entra ID does, and MSAL signs in through it.
    discovered = msal.ConfidentialClientApplication(
        CLIENT_ID,
        client_credential=CLIENT_SECRET,
        authority=f"{AUTHORITY_HOST}/{TENANT}",
        instance_discovery=f"{AUTHORITY_HOST}/common/discovery/instance",
    )
    assert "access_token" in discovered.acquire_token_for_client(scopes=SCOPE)

api = httpx.Client(base_url=f"{API_BASE}/api", headers={"Authorization": f"Bearer {token}"}, timeout=60)


def call(method, path, **kwargs):
    """One API call, honouring 429 Retry-After as the service asks."""
    while True:
        r = api.request(method, path, **kwargs)
        if r.status_code != 429:
            return r
        time.sleep(int(r.headers.get("Retry-After", "1")))


machines = call("GET", "/machines", params={"$filter": "startswith(computerDnsName,'mymachine')"})
machines.raise_for_status()
machine = machines.json()["value"][0]
assert machine["id"] == "1e5bc9d7e413ddd7902c2932e418702b84d0cc07", machine

body = {
    "Commands": [
        {"type": "RunScript", "params": [{"key": "ScriptName", "value": "minidump.ps1"}, {"key": "Args", "value": "OfficeClickToRun"}]},
        {"type": "GetFile", "params": [{"key": "Path", "value": "C:\\windows\\TEMP\\OfficeClickToRun.dmp.zip"}]},
    ],
    "Comment": "Testing Live Response API",
}
action = call("POST", f"/machines/{machine['id']}/runliveresponse", json=body)
assert action.status_code in (200, 201), action.text
action_id = action.json()["id"]

deadline = time.time() + 120
status = action.json()["status"]
while status in ("Pending", "InProgress") and time.time() < deadline:
    time.sleep(0.5)
    r = call("GET", f"/machineactions/{action_id}")
    r.raise_for_status()
    status = r.json()["status"]
assert status == "Succeeded", status

link = call("GET", f"/machineactions/{action_id}/GetLiveResponseResultDownloadLink(index=0)").json()["value"]
transcript = httpx.get(link, timeout=60)  # no bearer token: a SAS URL
transcript.raise_for_status()
t = transcript.json()
assert t["script_name"] == "minidump.ps1" and t["exit_code"] == 0, t
assert "OfficeClickToRun.dmp.zip\n51 MB" in t["script_output"], t

link = call("GET", f"/machineactions/{action_id}/GetLiveResponseResultDownloadLink(index=1)").json()["value"]
size = 0
with httpx.stream("GET", link, timeout=120) as r:
    r.raise_for_status()
    d = zlib.decompressobj(16 + 15)  # GetFile results are gzip-compressed
    for chunk in r.iter_raw():
        size += len(d.decompress(chunk))
    size += len(d.flush())
assert size == 51 * 1024 * 1024, size
print(json.dumps({"machine": machine["computerDnsName"], "action": action_id, "status": status, "transcript_exit_code": t["exit_code"], "file_bytes": size}))
