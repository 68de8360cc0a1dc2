#!/usr/bin/env python3
"""Fleet memory benchmark (docs/benchmarks.md, "Engine: memory at fleet scale", issue 16.4).

lr's peak resident set (the child's own `ru_maxrss`, from `wait4`) for one RunScript on every
machine of the sweep benchmark's generated fleet (bench/sweep.py's scenario: tag "Sweep",
Windows 11, 30 s script, 5 s check-in), on a fresh time-scaled `lr emulator` per measurement:

  run    `lr run sweep.lr --yes --output json` (stopped with SIGINT after --wall seconds; a run
         stopped so is journaled and resumable, and the figure says how many actions finished)
  plan   `lr plan sweep.lr --output json` (the live pre-flight: targets, duplicates, busy devices)

It prints one table row per fleet size: machines, peak RSS, growth per machine over the smallest
size measured, actions finished, wall seconds, and the emulator's CPU per 1,000 finished actions.

usage: fleet_memory.py LR [--mode run|plan] [--machines 1000,3000,10000] [--scale 600]
                          [--wall 900] [--unpaced] [--lr-args=--no-preflight]
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sweep import Emulator, scenario  # noqa: E402


def measure(lr, mode, n, scale, wall, work, unpaced=False, extra=()):
    """Runs lr once on a fresh n-machine emulator; returns (peak KiB, machines targeted, actions
    finished, wall s, emulator CPU s, exit status)."""
    path = os.path.join(work, f"scenario-{n}.json")
    spec = scenario(n, 30, 5)
    if unpaced:  # reads unlimited on both sides: the budget does not pace the pre-flight
        spec["limits"] = {"otherPerMinute": 10**7, "otherPerHour": 10**9}
    with open(path, "w") as f:
        json.dump(spec, f)
    script = os.path.join(work, "sweep.lr")
    with open(script, "w") as f:
        f.write('on tag "Sweep" < run sweep.ps1 >\n')
    emu = Emulator(lr, path, scale, work)
    state = tempfile.mkdtemp(prefix="state-", dir=work)
    env = dict(os.environ, LR_API_URL=emu.url, LR_AUTHORITY_URL=emu.url, AZURE_TENANT_ID="lab",
               AZURE_CLIENT_ID="lr-lab", AZURE_CLIENT_SECRET="lr-lab-secret",
               LR_TIME_SCALE=str(scale), HOME=state, XDG_STATE_HOME=state,
               LR_RESULTS_DIR=os.path.join(state, "results"), NO_COLOR="1",
               LR_CONFIG=os.path.join(state, "config.toml"))
    if unpaced:
        with open(env["LR_CONFIG"], "w") as f:
            # default_profile: without it the profile is not selected and lr keeps the
            # documented limits (100 reads a minute: the "one read a second" of the first run)
            f.write("default_profile = \"default\"\n[profiles.default.limits]\n"
                    "api_per_minute = 10000000\napi_per_hour = 1000000000\n")
    else:
        del env["LR_CONFIG"]
    args = [lr, "run", script, "--yes", "--output", "json"] if mode == "run" else [
        lr, "plan", script, "--output", "json"]
    args += list(extra)
    finished = targeted = 0
    try:
        start = time.monotonic()
        proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, text=True)
        timer = threading.Timer(wall, lambda: proc.send_signal(signal.SIGINT))
        timer.start()
        for line in proc.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if event.get("event") == "actionFinished":
                finished += 1
            if event.get("event") == "machinesResolved":
                targeted += len(event.get("machines", []))
            if mode == "plan" and "machineId" in event:
                targeted += 1
        _, status, usage = os.wait4(proc.pid, 0)
        timer.cancel()
        elapsed = time.monotonic() - start
        cpu = emu.cpu_seconds()
    finally:
        emu.stop()
        shutil.rmtree(state, ignore_errors=True)
    return usage.ru_maxrss, targeted, finished, elapsed, cpu, os.waitstatus_to_exitcode(status)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("lr")
    ap.add_argument("--mode", choices=["run", "plan"], default="run")
    ap.add_argument("--machines", default="1000,3000,10000")
    ap.add_argument("--scale", type=float, default=600)
    ap.add_argument("--wall", type=float, default=900)
    ap.add_argument("--lr-args", default="", help="more arguments for lr (e.g. --no-preflight)")
    ap.add_argument("--unpaced", action="store_true",
                    help="raise the read limits of lr and the emulator (for 100,000 machines at "
                         "--scale 1, where the emulator's 60 s machine cache holds)")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="lr-fleet-memory-")
    sizes = [int(s) for s in args.machines.split(",")]
    print(f"## lr {args.mode}: {args.lr}, time scale {args.scale:g}, SIGINT after {args.wall:g} s")
    print("| machines | targeted | peak RSS (MiB) | growth per machine (KiB) | actions finished "
          "| wall s | exit | emulator CPU per 1,000 actions (s) |")
    print("|---|---|---|---|---|---|---|---|")
    base = None
    for n in sizes:
        peak, targeted, finished, elapsed, cpu, code = measure(args.lr, args.mode, n, args.scale, args.wall,
                                                     work, args.unpaced, args.lr_args.split())
        growth = "—" if base is None else f"{(peak - base[1]) / (n - base[0]):.1f}"
        base = base or (n, peak)
        per = f"{cpu * 1000 / finished:.1f}" if finished else "—"
        print(f"| {n:,} | {targeted:,} | {peak / 1024:.1f} | {growth} | {finished:,} "
              f"| {elapsed:.0f} | {code} "
              f"| {per} |", flush=True)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
