#!/usr/bin/env python3
"""Sweep benchmark (docs/benchmarks.md, "Engine: fleet sweep").

One RunScript on every machine of a generated fleet, on a time-scaled `lr emulator`, twice, each
on a fresh emulator with the same scenario and limits:

  lr     `lr run sweep.lr --output json` (the engine: budget governor, batched polling)
  naive  a plain client: submit each action, retry after `Retry-After` on 429, poll each action
         with its own GET every 5 s, fetch its result link when it is done

Figures: completion time (first submission to the last result in the client's hands, in service
time) against the theoretical lower bound, API calls per completed action, 429s; for lr also the
reads per completed action (status polls plus result links, from the emulator's counts by route)
and the delay from each command's completion (its `endTime`) to lr showing it (its
`commandCompleted` line), in service seconds: median, p90, max.

Lower bound for N machines, script duration D, device check-in latency L (service seconds), with
10 submissions/min, 25 concurrent sessions and 100 reads/min, 1,500 reads/hour:

  T_submit  = 60 * (ceil(N / 10) - 1) + L + D   the last submission cannot leave earlier
  T_session = ceil(N / 25) * D + L              25 sessions, each busy D
  T_read    = 60 * (N / 100 - 1)  (N <= 1,500)  one result-link read per action at 100/min
  T_bound   = max(T_submit, T_session, T_read)

usage: sweep.py LR [--machines 200] [--scale 60] [--duration 30] [--latency 5] [--only lr|naive]
"""
import argparse
import json
import math
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime

ADMIN_KEY = "bench-admin-key"
ROLES = ["Machine.Read.All", "Machine.ReadWrite.All", "Machine.LiveResponse", "Library.Manage"]


def scenario(n, duration, latency):
    machines = []
    for i in range(1, n + 1):
        name = f"sweep-{i:04d}.bench.contoso.com"
        machines.append({
            "id": f"5e{i:038d}", "computerDnsName": name, "osPlatform": "Windows11",
            "machineTags": ["Sweep"], "checkInLatencySeconds": latency,
        })
    return {
        "name": "sweep", "tenant": "lab",
        "apps": [{"clientId": "lr-lab", "clientSecret": "lr-lab-secret", "displayName": "lr lab",
                  "roles": ROLES}],
        "machines": machines,
        "library": [{"fileName": "sweep.ps1"}],
        "scripts": [{"script": "sweep.ps1", "output": "swept {machine}\n",
                     "durationSeconds": duration}],
    }


def bound(n, duration, latency):
    submit = 60 * (math.ceil(n / 10) - 1) + latency + duration
    session = math.ceil(n / 25) * duration + latency
    read = 60 * (n / 100 - 1)
    return max(submit, session, read), submit, session, read


class Emulator:
    def __init__(self, lr, scenario_path, scale, out):
        self.log = open(os.path.join(out, "emulator.out"), "w+")
        self.proc = subprocess.Popen(
            [lr, "emulator", "--port", "0", "--scenario", scenario_path, "--time-scale", str(scale),
             "--quiet", "--admin-key", ADMIN_KEY], stdout=self.log, stderr=subprocess.DEVNULL)
        for _ in range(300):
            self.log.seek(0)
            m = re.search(r"^listening on (\S+)", self.log.read(), re.M)
            if m:
                self.url = m.group(1).rstrip("/")
                self.cpu_at_start = self.cpu_seconds()
                return
            time.sleep(0.1)
        raise SystemExit("emulator did not start")

    def service_now(self):
        """The emulator's virtual time now, in seconds since 1970."""
        return parse_date(self.admin("clock")["now"]).timestamp()

    def admin(self, path):
        req = urllib.request.Request(self.url + "/_emulator/" + path,
                                     headers={"X-Emulator-Admin-Key": ADMIN_KEY})
        return json.load(urllib.request.urlopen(req))

    def cpu_seconds(self):
        """User plus system CPU time the emulator process has used since it listened."""
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK") - getattr(
            self, "cpu_at_start", 0)

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def parse_date(s):
    s = re.sub(r"(\.\d{6})\d*", r"\1", s.replace("Z", "+00:00"))
    return datetime.fromisoformat(s)


class Naive:
    """The baseline client: no budget planning; 429 -> sleep Retry-After -> retry."""

    def __init__(self, url, scale):
        self.url, self.scale = url, scale
        self.lock = threading.Lock()
        self.sign_in()
        self.done = []

    def sign_in(self):
        body = urllib.parse.urlencode({
            "grant_type": "client_credentials", "client_id": "lr-lab",
            "client_secret": "lr-lab-secret",
            "scope": "https://api.securitycenter.microsoft.com/.default"}).encode()
        token = json.load(urllib.request.urlopen(self.url + "/lab/oauth2/v2.0/token", body))
        self.token = token["access_token"]

    def call(self, method, path, body=None):
        while True:
            req = urllib.request.Request(
                self.url + path, method=method,
                data=json.dumps(body).encode() if body is not None else None,
                headers={"Authorization": "Bearer " + self.token,
                         "Content-Type": "application/json"})
            try:
                return json.load(urllib.request.urlopen(req, timeout=60))
            except urllib.error.HTTPError as e:
                if e.code == 429:
                    time.sleep(float(e.headers.get("Retry-After", "1")))
                    continue
                if e.code == 401:  # the token expired (about a minute of real time at 60x)
                    with self.lock:
                        self.sign_in()
                    continue
                raise

    def follow(self, action_id):
        while True:
            time.sleep(5 / self.scale)  # 5 service seconds
            action = self.call("GET", f"/api/machineactions/{action_id}")
            if action["status"] in ("Succeeded", "Failed", "TimeOut", "Cancelled"):
                break
        link = self.call(
            "GET", f"/api/machineactions/{action_id}/GetLiveResponseResultDownloadLink(index=0)")
        urllib.request.urlopen(link["value"]).read()
        with self.lock:
            self.done.append((time.monotonic(), action["status"]))

    def run(self, machines):
        threads = []
        first = None
        for m in machines:
            action = self.call("POST", f"/api/machines/{m['id']}/runliveresponse", {
                "Commands": [{"type": "RunScript",
                              "params": [{"key": "ScriptName", "value": "sweep.ps1"}]}],
                "Comment": "naive sweep"})
            first = first or time.monotonic()
            t = threading.Thread(target=self.follow, args=(action["id"],))
            t.start()
            threads.append(t)
        for t in threads:
            t.join()
        return first, max(t for t, _ in self.done), [s for _, s in self.done]


def run_lr(lr, emu, scale, work):
    script = os.path.join(work, "sweep.lr")
    with open(script, "w") as f:
        f.write('on tag "Sweep" < run sweep.ps1 >\n')
    env = dict(os.environ, LR_API_URL=emu.url, LR_AUTHORITY_URL=emu.url, AZURE_TENANT_ID="lab",
               AZURE_CLIENT_ID="lr-lab", AZURE_CLIENT_SECRET="lr-lab-secret",
               LR_TIME_SCALE=str(scale), XDG_STATE_HOME=os.path.join(work, "state"),
               LR_RESULTS_DIR=os.path.join(work, "results"), NO_COLOR="1")
    anchor_mono, anchor_service = time.monotonic(), emu.service_now()
    proc = subprocess.Popen([lr, "run", script, "--yes", "--output", "json"], env=env,
                            stdout=subprocess.PIPE, text=True)
    first = last = None
    statuses = []
    shown = {}
    for line in proc.stdout:
        now = time.monotonic()
        event = json.loads(line)
        if event["event"] == "actionSubmitted" and first is None:
            first = now
        if event["event"] == "commandCompleted":
            shown[event["actionId"]] = anchor_service + (now - anchor_mono) * scale
        if event["event"] == "actionFinished":
            last = now
            statuses.append(event["status"])
    proc.wait()
    # lr is the only child waited for so far: its peak resident set, in KiB.
    print(f"lr peak RSS: {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.1f} MiB")
    return first, last, statuses, shown


def delays(emu, scale, shown):
    """Service seconds from each command's endTime to lr's commandCompleted line."""
    client = Naive(emu.url, scale)
    ends = {}
    path = "/api/machineactions?$top=10000"
    while path:
        page = client.call("GET", path)
        for action in page["value"]:
            for command in action["commands"]:
                if command.get("endTime"):
                    ends[action["id"]] = parse_date(command["endTime"]).timestamp()
        path = page.get("@odata.nextLink", "").replace(emu.url, "") or None
    return sorted(shown[a] - ends[a] for a in shown if a in ends)


def reads(stats):
    """Status polls and result links the emulator answered."""
    routes = stats.get("responses", {})
    def total(route):
        return sum(routes.get(route, {}).values())
    status = total("GET /api/machineactions") + total("GET /api/machineactions/{id}")
    links = total("GET /api/machineactions/{id}/GetLiveResponseResultDownloadLink(index={index})")
    return status, links


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("lr")
    ap.add_argument("--machines", type=int, default=200)
    ap.add_argument("--scale", type=float, default=60)
    ap.add_argument("--duration", type=float, default=30)
    ap.add_argument("--latency", type=float, default=5)
    ap.add_argument("--only", choices=["lr", "naive"])
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="lr-sweep-")
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")
    os.makedirs(out, exist_ok=True)
    path = os.path.join(work, "scenario.json")
    spec = scenario(args.machines, args.duration, args.latency)
    with open(path, "w") as f:
        json.dump(spec, f)
    lb, t_submit, t_session, t_read = bound(args.machines, args.duration, args.latency)
    print(f"## sweep: {args.machines} machines, RunScript {args.duration:g} s, check-in "
          f"{args.latency:g} s, time scale {args.scale:g}")
    print(f"bound: T_submit {t_submit:.0f} s, T_session {t_session:.0f} s, T_read {t_read:.0f} s"
          f" -> {lb:.0f} s (service time)")
    rows = []
    lags = []
    for mode in ["lr", "naive"]:
        if args.only and mode != args.only:
            continue
        emu = Emulator(args.lr, path, args.scale, out)
        try:
            wall = time.monotonic()
            shown = None
            if mode == "lr":
                first, last, statuses, shown = run_lr(args.lr, emu, args.scale, work)
            else:
                first, last, statuses = Naive(emu.url, args.scale).run(spec["machines"])
            wall = time.monotonic() - wall
            stats = emu.admin("stats")
            stats["emulatorCPUSeconds"] = emu.cpu_seconds()
            if shown is not None:
                lags = delays(emu, args.scale, shown)
        finally:
            emu.stop()
        ok = statuses.count("Succeeded")
        span = (last - first) * args.scale if first and last else float("nan")
        rows.append((mode, ok, span, lb / span, stats["apiRequests"] / max(ok, 1),
                     stats["throttledByBudget"] + stats["throttledBySessions"], wall, stats))
    print("| client | succeeded | completion (service s) | bound / completion | API calls per "
          "action | 429s caused | wall s |")
    print("|---|---|---|---|---|---|---|")
    for mode, ok, span, ratio, per, throttled, wall, _ in rows:
        print(f"| {mode} | {ok}/{args.machines} | {span:.0f} | {ratio:.3f} | {per:.2f} | "
              f"{throttled} | {wall:.1f} |")
    for mode, ok, *_, stats in rows:
        status, links = reads(stats)
        print(f"{mode} reads per completed action: {(status + links) / max(ok, 1):.2f} "
              f"({status} status calls + {links} result links, {ok} actions)")
        cpu = stats["emulatorCPUSeconds"]
        print(f"{mode} emulator CPU: {cpu:.1f} s, {cpu * 1000 / max(ok, 1):.1f} s per 1,000 actions")
    if lags:
        pick = lambda q: lags[min(len(lags) - 1, int(q * len(lags)))]
        print(f"lr completion-to-shown delay (service s, {len(lags)} commands): median "
              f"{pick(0.5):.1f}, p90 {pick(0.9):.1f}, max {lags[-1]:.1f}")
    for mode, *_, stats in rows:
        print(f"{mode} emulator stats: {json.dumps(stats, sort_keys=True)}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
