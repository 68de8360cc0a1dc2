#!/usr/bin/env python3
"""Results at scale (docs/benchmarks.md, "Results: 500,000 rows").

A sweep of a generated fleet on a time-scaled `lr emulator` whose script prints ROWS CSV rows
per machine (`lr run`, which parses each transcript into rows and journals them), then the same
`group by` over the journal's `rows` view by `lr query` and by SQLite's own `sqlite3` CLI on the
same file, interleaved (A B A B ...), and the journal's growth per row against a sweep of the
same fleet printing one row per machine.

usage: results.py LR [--machines 1000] [--rows 500] [--scale 600] [--pairs 7] [--timeout 900]
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROLES = ["Machine.Read.All", "Machine.ReadWrite.All", "Machine.LiveResponse", "Library.Manage"]
NAMES = ["svchost.exe", "lsass.exe", "explorer.exe", "chrome.exe", "msedge.exe", "winlogon.exe",
         "services.exe", "csrss.exe", "smss.exe", "taskhostw.exe"]
QUERY = ("SELECT json_extract(data, '$.Name') AS name, count(*) AS n, "
         "count(DISTINCT machine) AS machines FROM rows GROUP BY name ORDER BY n, name")


def scenario(machines, rows):
    lines = ["Name,Id,Path"]
    for i in range(rows):
        name = NAMES[i % len(NAMES)] if i % 97 else "odd-{machine}.exe"
        lines.append(f"{name},{1000 + i},C:\\Windows\\System32\\{name}")
    return {
        "name": "results", "tenant": "lab",
        "apps": [{"clientId": "lr-lab", "clientSecret": "lr-lab-secret", "displayName": "lr lab",
                  "roles": ROLES}],
        "machines": [{"id": f"7e{i:038d}", "computerDnsName": f"rows-{i:04d}.bench.contoso.com",
                      "osPlatform": "Windows11", "machineTags": ["Rows"]}
                     for i in range(1, machines + 1)],
        "library": [{"fileName": "rows.ps1"}],
        "scripts": [{"script": "rows.ps1", "output": "\n".join(lines) + "\n",
                     "durationSeconds": 2}],
    }


def sweep(lr, machines, rows, scale, timeout, work):
    """Runs one sweep on a fresh emulator; returns (seconds, journal path, lr's exit status)."""
    os.makedirs(work, exist_ok=True)
    path = os.path.join(work, "scenario.json")
    with open(path, "w") as f:
        json.dump(scenario(machines, rows), f)
    log = open(os.path.join(work, "emulator.out"), "w+")
    emu = subprocess.Popen([lr, "emulator", "--port", "0", "--scenario", path, "--time-scale",
                            str(scale), "--quiet"], stdout=log, stderr=subprocess.DEVNULL)
    try:
        url = None
        for _ in range(300):
            log.seek(0)
            m = re.search(r"^listening on (\S+)", log.read(), re.M)
            if m:
                url = m.group(1).rstrip("/")
                break
            time.sleep(0.1)
        if url is None:
            raise SystemExit("emulator did not start")
        script = os.path.join(work, "rows.lr")
        with open(script, "w") as f:
            f.write('on tag "Rows" < run rows.ps1 >\n')
        env = dict(os.environ, LR_API_URL=url, LR_AUTHORITY_URL=url, AZURE_TENANT_ID="lab",
                   AZURE_CLIENT_ID="lr-lab", AZURE_CLIENT_SECRET="lr-lab-secret",
                   LR_TIME_SCALE=str(scale), HOME=work, XDG_STATE_HOME=os.path.join(work, "state"),
                   LR_RESULTS_DIR=os.path.join(work, "results"), LR_CONFIG="", LR_PROFILE="",
                   NO_COLOR="1")
        start = time.monotonic()
        done = subprocess.run([lr, "run", script, "--yes", "--output", "json"], env=env,
                              stdout=subprocess.DEVNULL, timeout=timeout)
        return time.monotonic() - start, os.path.join(work, "state", "lr", "journal.sqlite"), \
            done.returncode, env
    finally:
        emu.terminate()
        emu.wait()


def sqlite(journal, sql):
    return subprocess.run(["sqlite3", "-readonly", journal, sql], capture_output=True,
                          text=True, check=True).stdout.strip()


def size(journal):
    """The journal's bytes after a checkpoint (the WAL folded in)."""
    subprocess.run(["sqlite3", journal, "PRAGMA wal_checkpoint(TRUNCATE);"], check=True,
                   capture_output=True)
    return os.path.getsize(journal)


def timed(command, env):
    start = time.perf_counter()
    out = subprocess.run(command, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"{command[0]} failed: {out.stderr}")
    return time.perf_counter() - start, out.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("lr")
    ap.add_argument("--machines", type=int, default=1000)
    ap.add_argument("--rows", type=int, default=500)
    ap.add_argument("--scale", type=float, default=600)
    ap.add_argument("--pairs", type=int, default=7)
    ap.add_argument("--timeout", type=float, default=900)
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    args = ap.parse_args()
    if shutil.which("sqlite3") is None:
        raise SystemExit("sqlite3 is missing: apt-get install sqlite3 (make deps installs it)")
    work = tempfile.mkdtemp(prefix="lr-results-")
    try:
        seconds, journal, status, env = sweep(
            args.lr, args.machines, args.rows, args.scale, args.timeout, os.path.join(work, "big"))
        stored = int(sqlite(journal, "SELECT count(*) FROM resultRow"))
        print(f"sweep: {args.machines} machines x {args.rows} rows, time scale {args.scale:g}: "
              f"{seconds:.1f} s, lr run exit {status}, {stored:,} rows journaled")
        big = size(journal)
        base_seconds, base_journal, _, _ = sweep(
            args.lr, args.machines, 1, args.scale, args.timeout, os.path.join(work, "base"))
        base_rows = int(sqlite(base_journal, "SELECT count(*) FROM resultRow"))
        base = size(base_journal)
        data = int(sqlite(journal, "SELECT sum(length(data)) FROM resultRow"))
        print(f"baseline: 1 row per machine: {base_seconds:.1f} s, {base_rows:,} rows")
        print(f"journal: {big:,} bytes vs {base:,} bytes; growth per row "
              f"{(big - base) / max(1, stored - base_rows):.1f} bytes "
              f"(the row's JSON itself: {data / max(1, stored):.1f} bytes)")
        lr_cmd = [args.lr, "query", "--format", "json", "--journal", journal, QUERY]
        sq_cmd = ["sqlite3", "-readonly", "-json", journal, QUERY]
        lr_env = env
        _, lr_out = timed(lr_cmd, lr_env)  # warm-up (and the page cache) for both
        _, sq_out = timed(sq_cmd, env)
        groups_lr = len(lr_out.strip().splitlines())
        groups_sq = len(json.loads(sq_out))
        if groups_lr != groups_sq:
            raise SystemExit(f"lr query printed {groups_lr} groups, sqlite3 {groups_sq}")
        pairs = []
        for _ in range(args.pairs):
            a, _ = timed(lr_cmd, lr_env)
            b, _ = timed(sq_cmd, env)
            pairs.append((a, b))
        ratio = statistics.median(a / b for a, b in pairs)
        print(f"query: {QUERY}")
        print(f"  {groups_lr} groups over {stored:,} rows; {args.pairs} interleaved pairs")
        print(f"  lr query: median {statistics.median(a for a, _ in pairs):.3f} s "
              f"(min {min(a for a, _ in pairs):.3f}, max {max(a for a, _ in pairs):.3f})")
        print(f"  sqlite3:  median {statistics.median(b for _, b in pairs):.3f} s "
              f"(min {min(b for _, b in pairs):.3f}, max {max(b for _, b in pairs):.3f})")
        print(f"  ratio lr/sqlite3, median of pairs: {ratio:.2f}")
        return 0 if ratio <= 2 else 1
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
