#!/usr/bin/env python3
"""Team mode at scale (docs/benchmarks.md, "Team: five processes on one tenant"; issue 14.8).

Five processes on one tenant of a time-scaled `lr emulator --scenario large`, over 300 Windows
machines in five overlapping target sets (each machine in two sets):

  team:    2 analysts' `lr run --team` + 3 `lr worker --team` executing `lr run --team --detach`ed
           runs, on one throwaway PostgreSQL (initdb into a temporary folder, a free port);
  apart:   the same five workloads as five `lr run` without --team, on a fresh emulator.

Per case: completion time / the single-tenant lower bound (submissions / 10 a minute, scaled),
the emulator's client-caused 429s and busy-device 400s (`GET /_emulator/stats`), and duplicate
actions (an `[lr:token]` submitted more than once, `GET /_emulator/submissions`).

  single:  (--case single) one `lr run` of the five sets as five statements, for comparison.

usage: team_bench.py LR [--machines 300] [--sets 5] [--set-size 120] [--scale 30]
                        [--case team|apart|both|single] [--keep] [--log-statements]
"""
import argparse
import calendar
import glob
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections import Counter

ADMIN_KEY = "lr-bench-admin"
PG_USER, PG_PASSWORD = "lr", "lr-lab-password"  # lab defaults, as PostgresServer.swift


def hosts(count):
    """The first `count` always-online Windows hosts of the `large` scenario."""
    picked, i = [], 0
    while len(picked) < count:
        i += 1
        if i % 6 < 4 and i % 97 and i % 89:
            picked.append(f"host-{i:05d}.large.contoso.com")
    return picked


def target_sets(machines, sets, size):
    """`sets` windows of `size` machines, evenly offset round the list (they overlap)."""
    step = len(machines) // sets
    return [[machines[(k * step + j) % len(machines)] for j in range(size)] for k in range(sets)]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postgres:
    """A throwaway cluster, as `postgres` through setpriv when root (as PostgresServer.swift)."""

    def __init__(self, work, log_statements=False):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
        self.bin = os.environ.get("LR_PG_BIN") or (bins[-1] if bins else "")
        if not os.path.exists(os.path.join(self.bin, "initdb")):
            raise SystemExit("PostgreSQL's initdb was not found: make deps (postgresql), or LR_PG_BIN")
        self.folder = os.path.join(work, "pg")
        os.makedirs(self.folder)
        self.port = free_port()
        self.prefix = []
        with open(os.path.join(self.folder, "pwfile"), "w") as f:
            f.write(PG_PASSWORD)
        if os.getuid() == 0:
            subprocess.run(["chown", "-R", "postgres:postgres", self.folder], check=True)
            self.prefix = ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups",
                           "--reset-env"]
        data = os.path.join(self.folder, "data")
        subprocess.run(self.prefix + [f"{self.bin}/initdb", "-D", data, "-U", PG_USER,
                                      f"--pwfile={self.folder}/pwfile", "-A", "scram-sha-256",
                                      "-E", "UTF8", "--no-sync", "--locale=C"],
                       check=True, capture_output=True)
        self.log = open(os.path.join(work, "postgres.log"), "w")
        self.server = subprocess.Popen(
            self.prefix + [f"{self.bin}/postgres", "-D", data, "-p", str(self.port), "-k",
                           self.folder, "-c", "listen_addresses=127.0.0.1", "-c",
                           "max_connections=300", "-c", "fsync=off", "-c",
                           "synchronous_commit=off", "-c", "full_page_writes=off"]
            + (["-c", "log_min_duration_statement=0", "-c", "log_line_prefix=%m [%p] "]
               if log_statements else []),
            stdout=self.log, stderr=self.log)
        for _ in range(600):
            if subprocess.run([f"{self.bin}/pg_isready", "-h", "127.0.0.1", "-p",
                               str(self.port), "-q"]).returncode == 0:
                break
            time.sleep(0.1)
        else:
            raise SystemExit("PostgreSQL did not start (see postgres.log)")
        self.sql("CREATE DATABASE lr_bench")
        self.url = f"postgres://{PG_USER}:{PG_PASSWORD}@127.0.0.1:{self.port}/lr_bench"

    def sql(self, statement, database="postgres"):
        return subprocess.run(
            [f"{self.bin}/psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", PG_USER, "-d",
             database, "-v", "ON_ERROR_STOP=1", "-tAX", "-c", statement],
            env=dict(os.environ, PGPASSWORD=PG_PASSWORD), check=True, capture_output=True,
            text=True).stdout.strip()

    def close(self):
        self.server.terminate()
        self.server.wait()


class Emulator:
    """`lr emulator --scenario large`, time-scaled, with a known admin key."""

    def __init__(self, lr, scale, work):
        self.log = open(os.path.join(work, "emulator.out"), "w+")
        self.proc = subprocess.Popen(
            [lr, "emulator", "--port", "0", "--scenario", "large", "--time-scale", str(scale),
             "--admin-key", ADMIN_KEY, "--quiet"], stdout=self.log, stderr=subprocess.DEVNULL)
        for _ in range(600):
            self.log.seek(0)
            m = re.search(r"^listening on (\S+)", self.log.read(), re.M)
            if m:
                self.url = m.group(1).rstrip("/")
                return
            time.sleep(0.1)
        raise SystemExit("emulator did not start")

    def admin(self, path):
        req = urllib.request.Request(self.url + "/_emulator/" + path,
                                     headers={"X-Emulator-Admin-Key": ADMIN_KEY})
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.load(r)

    def figures(self):
        stats = self.admin("stats")
        busy = sum(codes.get("400", 0) for route, codes in stats["responses"].items()
                   if "runliveresponse" in route)
        tokens = Counter()
        for sub in self.admin("submissions"):
            comment = json.loads(sub["body"]).get("Comment") or ""
            found = re.findall(r"\[lr:([^\]]+)\]", comment)
            tokens[found[-1] if found else "none:" + sub["actionId"]] += 1
        duplicates = sum(n - 1 for n in tokens.values() if n > 1)
        return {"throttled": stats["throttledBySessions"] + stats["throttledByBudget"],
                "busy": busy, "actions": stats["actionsCreated"], "duplicates": duplicates}

    def close(self):
        self.proc.terminate()
        self.proc.wait()


def phases(pg, emulator, elapsed, scale):
    """Where the team case's time went, from the journaled submissions' service times mapped to
    real seconds since the start: (first submission, last submission, end)."""
    row = pg.sql("SELECT extract(epoch FROM min(submitted_at)), extract(epoch FROM "
                 "max(submitted_at)) FROM lr_action", database="lr_bench").split("|")
    clock = emulator.admin("clock")
    now = calendar.timegm(time.strptime(clock["now"][:19], "%Y-%m-%dT%H:%M:%S"))
    first, last = (elapsed - (now - float(v)) / scale for v in row)
    return first, last, elapsed


def environment(emulator, scale, folder):
    os.makedirs(folder, exist_ok=True)
    return dict(os.environ, LR_API_URL=emulator.url, LR_AUTHORITY_URL=emulator.url,
                AZURE_TENANT_ID="lab", AZURE_CLIENT_ID="lr-lab",
                AZURE_CLIENT_SECRET="lr-lab-secret", LR_TIME_SCALE=str(scale), HOME=folder,
                XDG_STATE_HOME=os.path.join(folder, "state"),
                XDG_CONFIG_HOME=os.path.join(folder, "config"),
                LR_RESULTS_DIR=os.path.join(folder, "results"), LR_CONFIG="", LR_PROFILE="",
                LR_TEAM="", NO_COLOR="1")


def scripts(work, sets):
    paths = []
    for k, names in enumerate(sets):
        with open(os.path.join(work, f"set-{k}.txt"), "w") as f:
            f.write("\n".join(names) + "\n")
        path = os.path.join(work, f"set-{k}.lr")
        with open(path, "w") as f:
            f.write(f'on file "set-{k}.txt" < run Get-Processes.ps1 >\n')
        paths.append(path)
    return paths


def stamp(stream, path, start):
    """Copies `stream`'s lines to `path`, each after its arrival in seconds since `start`."""
    with open(path, "w") as f:
        for line in stream:
            f.write(f"{time.monotonic() - start:8.3f} {line.decode(errors='replace')}")
            f.flush()


def spawn(lr, arguments, env, work, name, start):
    """Starts `lr`; its output goes to NAME.out and NAME.err, each line timed (a timeline)."""
    proc = subprocess.Popen([lr] + arguments, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=work)
    proc.copiers = [threading.Thread(target=stamp, args=(stream, os.path.join(work, name + ext),
                                                         start), daemon=True)
                    for stream, ext in ((proc.stdout, ".out"), (proc.stderr, ".err"))]
    for copier in proc.copiers:
        copier.start()
    return proc


def run_case(lr, args, sets, work, case):
    """Runs one case on a fresh emulator; returns its figures."""
    team = case == "team"
    folder = os.path.join(work, case)
    os.makedirs(folder)
    paths = scripts(folder, sets)
    bound = sum(len(s) for s in sets) / 10 * 60 / args.scale
    emulator = Emulator(lr, args.scale, folder)
    pg = None
    try:
        pg = Postgres(folder, args.log_statements) if team else None
        envs = [environment(emulator, args.scale, os.path.join(folder, f"p{k}"))
                for k in range(len(sets))]
        common = ["--yes", "--output", "json", "--no-preflight"]
        extra = ["--team", pg.url] if team else []
        start = time.monotonic()
        with open(os.path.join(folder, "start.txt"), "w") as f:  # the timeline's zero, wall clock
            f.write(f"{time.time():.3f}\n")
        procs = []
        if team:
            analysts = 2
            for k in range(analysts):
                procs.append(spawn(lr, ["run", paths[k]] + common + extra, envs[k], folder,
                                   f"analyst-{k}", start))
            detached = [spawn(lr, ["run", paths[k], "--detach"] + common + extra, envs[k],
                              folder, f"detach-{k}", start) for k in range(analysts, len(sets))]
            for p in detached:  # meanwhile the analysts start; the workers need the queue
                if p.wait(timeout=120) != 0:
                    raise SystemExit("lr run --detach failed (see the work folder, --keep)")
            for k in range(analysts, len(sets)):
                procs.append(spawn(lr, ["worker", "--output", "json", "--exit-when-idle"] + extra,
                                   envs[k], folder, f"worker-{k}", start))
        elif case == "single":  # one process, the five sets as five statements
            path = os.path.join(folder, "all.lr")
            with open(path, "w") as f:
                f.writelines(open(p).read() for p in paths)
            procs.append(spawn(lr, ["run", path] + common, envs[0], folder, "single", start))
        else:
            for k in range(len(sets)):
                procs.append(spawn(lr, ["run", paths[k]] + common, envs[k], folder, f"run-{k}",
                                   start))
        deadline = start + args.timeout_factor * bound + 120
        statuses = []
        for p in procs:
            try:
                statuses.append(p.wait(timeout=max(1, deadline - time.monotonic())))
            except subprocess.TimeoutExpired:
                p.kill()
                statuses.append("timeout")
        elapsed = time.monotonic() - start
        for p in procs:
            for copier in p.copiers:
                copier.join(timeout=10)
        figures = emulator.figures()
        if pg:
            figures["phases"] = phases(pg, emulator, elapsed, args.scale)
        figures.update(case=case, seconds=elapsed, bound=bound, ratio=elapsed / bound,
                       statuses=statuses)
        return figures
    finally:
        emulator.close()
        if pg:
            pg.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("lr")
    ap.add_argument("--machines", type=int, default=300)
    ap.add_argument("--sets", type=int, default=5)
    ap.add_argument("--set-size", type=int, default=120)
    ap.add_argument("--scale", type=float, default=30)
    ap.add_argument("--timeout-factor", type=float, default=4)
    ap.add_argument("--case", choices=["team", "apart", "single", "both"], default="both",
                    help="both: team, then apart; single: one lr run of the five sets in turn")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument("--log-statements", action="store_true",
                    help="PostgreSQL logs every statement with its time (postgres.log; --keep)")
    args = ap.parse_args()
    args.lr = os.path.abspath(args.lr)  # the processes run in their case's folder
    if args.sets < 3 and args.case != "apart":
        raise SystemExit("--sets must be at least 3 (2 analysts, 1 worker or more)")
    sets = target_sets(hosts(args.machines), args.sets, args.set_size)
    covered = len(set().union(*map(set, sets)))
    submissions = sum(map(len, sets))
    print(f"team bench: {covered} machines in {args.sets} overlapping sets of {args.set_size} "
          f"({submissions} submissions), time scale {args.scale:g}, lr {args.lr}, "
          f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    work = tempfile.mkdtemp(prefix="lr-team-bench-")
    os.chmod(work, 0o755)  # the cluster's folder below it belongs to `postgres` when root
    # A copy, so that a build replacing the binary meanwhile cannot stop a case ("text file busy").
    args.lr = shutil.copy2(args.lr, os.path.join(work, "lr"))
    results = []
    try:
        cases = ["team", "apart"] if args.case == "both" else [args.case]
        for case in cases:
            r = run_case(args.lr, args, sets, work, case)
            results.append(r)
            print(f"{r['case']}: {r['seconds']:.1f} s / lower bound {r['bound']:.1f} s = "
                  f"{r['ratio']:.3f}; {r['throttled']} client-caused 429s, {r['busy']} "
                  f"busy-device 400s, {r['duplicates']} duplicate actions, {r['actions']} "
                  f"actions; exits {r['statuses']}")
            if "phases" in r:
                first, last, end = r["phases"]
                ideal = (submissions - 10) / 10 * 60 / args.scale
                print(f"team: first submission at {first:.1f} s, last at {last:.1f} s (span "
                      f"{last - first:.1f} s; the window allows {ideal:.1f} s), end {end:.1f} s")
    finally:
        if args.keep:
            print(f"work folder: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    team = next((r for r in results if r["case"] == "team"), None)
    if team and (team["throttled"] or team["duplicates"] or team["busy"]
                 or any(s != 0 for s in team["statuses"])):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
