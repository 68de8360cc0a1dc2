#!/usr/bin/env python3
"""Third-party client check: MSAL + httpx, written against the real service, with only the base
URLs changed. Authenticates, lists machines, runs the documented example, polls it, downloads both
results. Usage: e2e_msal_httpx.py BASE_URL CA_PATH"""
import gzip
import json
import sys
import time

import httpx
import msal
import requests

base, ca = sys.argv[1], sys.argv[2]
tenant = "lab"

session = requests.Session()
session.verify = ca  # trust the emulator's generated CA
app = msal.ConfidentialClientApplication(
    "lr-lab",
    client_credential="lr-lab-secret",
    authority=f"{base}/{tenant}",
    http_client=session,
    instance_discovery=False,  # MSAL would otherwise ask login.microsoftonline.com
)
result = app.acquire_token_for_client(scopes=["https://api.securitycenter.microsoft.com/.default"])
assert "access_token" in result, result
token = result["access_token"]

api = httpx.Client(base_url=f"{base}/api", verify=ca, headers={"Authorization": f"Bearer {token}"}, timeout=60)

machines = api.get("/machines", params={"$filter": "startswith(computerDnsName,'mymachine')"})
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
action = api.post(f"/machines/{machine['id']}/runliveresponse", json=body)
assert action.status_code in (200, 201), action.text
action_id = action.json()["id"]

deadline = time.time() + 120
status = action.json()["status"]
while status in ("Pending", "InProgress") and time.time() < deadline:
    time.sleep(0.5)
    r = api.get(f"/machineactions/{action_id}")
    if r.status_code == 429:
        time.sleep(int(r.headers.get("Retry-After", "1")))
        continue
    r.raise_for_status()
    status = r.json()["status"]
assert status == "Succeeded", status

link = api.get(f"/machineactions/{action_id}/GetLiveResponseResultDownloadLink(index=0)").json()["value"]
transcript = httpx.get(link, verify=ca, timeout=60)  # no bearer token: a SAS-like URL
transcript.raise_for_status()
t = transcript.json()
assert t["script_name"] == "minidump.ps1" and t["exit_code"] == 0, t
assert "OfficeClickToRun.dmp.zip\n51 MB" in t["script_output"], t

link = api.get(f"/machineactions/{action_id}/GetLiveResponseResultDownloadLink(index=1)").json()["value"]
size = 0
with httpx.stream("GET", link, verify=ca, timeout=120) as r:
    r.raise_for_status()
    d = __import__("zlib").decompressobj(16 + 15)
    for chunk in r.iter_raw():
        size += len(d.decompress(chunk))
    size += len(d.flush())
assert size == 51 * 1024 * 1024, size
print(json.dumps({"machine": machine["computerDnsName"], "action": action_id, "status": status, "transcript_exit_code": t["exit_code"], "file_bytes": size}))
