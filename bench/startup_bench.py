#!/usr/bin/env python3
"""Start-up of lr beside sqlite3, interleaved, in the same run (issue 16.3):

  to exit:          `lr --version`, `lr check FILE`            against `sqlite3 -version`
  to first prompt:  `lr` (the REPL, offline), `lr --lab`        against `sqlite3`'s prompt
                    (each in a real pseudo-terminal, pexpect, 200x50, isolated HOME/XDG folders)
  to a key echoed:  `lr`'s prompt, then one key typed at once,  against the same in `sqlite3`
                    until the line editor shows it: when the editor is live (the launcher draws
                    lr's prompt before lr-core's line editor has loaded; no target)

One round runs every program once, in turn; RUNS rounds after one warm-up round, stopping early
when BUDGET seconds are spent. Per program: median and minimum wall time, median CPU (user + sys,
for the programs timed to their exit). Ratios: pair by pair against the baseline of the same
round, then the median of those ratios; the targets are 1.5x (3x for `lr --lab`).

With BASELINE (a second lr, e.g. the build before a change), its four programs run in the same
rounds, marked "before:". With FLOOR (a static Swift program that imports Foundation and prints
one line), it runs in the same rounds too, against `sqlite3 -version`: what any Swift program that
links Foundation costs here before it does anything.

Usage: startup_bench.py PATH_TO_LR [RUNS] [BUDGET_SECONDS] [BASELINE] [FLOOR]
(run by bench/startup.sh; BASELINE and FLOOR may be empty)
"""
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "pty"))
import pexpect  # noqa: E402
from terminal import isolated_environment  # noqa: E402

LR = os.path.abspath(sys.argv[1])
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 20
BUDGET = float(sys.argv[3]) if len(sys.argv) > 3 else 120.0
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
ENV = isolated_environment(tempfile.mkdtemp(prefix="lr-startup-"))
SQLITE = "/usr/bin/sqlite3" if os.path.exists("/usr/bin/sqlite3") else "sqlite3"
CHECK_FILE = os.path.join(ROOT, "examples", "hosts-file.lr")
BASELINE = os.path.abspath(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[4] else None
FLOOR = os.path.abspath(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[5] else None


def lr_programs(lr, mark=""):
    """lr's four programs: (name, argv, prompt or None for "to exit", baseline name, target)."""
    return [
        (f"{mark}lr --version", [lr, "--version"], None, "sqlite3 -version", 1.5),
        (f"{mark}lr check FILE", [lr, "check", CHECK_FILE], None, "sqlite3 -version", 1.5),
        (f"{mark}lr prompt", [lr], r"lr\(offline\)> ", "sqlite3 prompt", 1.5),
        (f"{mark}lr key echoed", [lr], ("key", r"lr\(offline\)> "), "sqlite3 key echoed", None),
        (f"{mark}lr --lab prompt", [lr, "--lab"], r"lr\(lab\)> ", "sqlite3 prompt", 3.0),
    ]


PROGRAMS = (
    [("sqlite3 -version", [SQLITE, "-version"], None, None, None),
     ("sqlite3 prompt", [SQLITE], r"sqlite> ", None, None),
     ("sqlite3 key echoed", [SQLITE], ("key", r"sqlite> "), None, None)]
    + lr_programs(LR)
    + (lr_programs(BASELINE, "before: ") if BASELINE else [])
    + ([("Foundation hello", [FLOOR], None, "sqlite3 -version", 1.5)] if FLOOR else [])
)


def to_exit(argv):
    """Wall and CPU seconds of one run to its exit, output thrown away."""
    null = os.open(os.devnull, os.O_RDWR)
    actions = [(os.POSIX_SPAWN_DUP2, null, 0), (os.POSIX_SPAWN_DUP2, null, 1),
               (os.POSIX_SPAWN_DUP2, null, 2)]
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, ENV, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    os.close(null)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(argv)} exited with {os.waitstatus_to_exitcode(status)}")
    return wall, usage.ru_utime + usage.ru_stime


def to_prompt(argv, prompt):
    """Wall seconds from spawning in a pty to the prompt's bytes (CPU is not known: killed)."""
    start = time.perf_counter()
    child = pexpect.spawn(argv[0], argv[1:], env=ENV, cwd=ROOT, dimensions=(50, 200))
    child.expect(prompt, timeout=60)
    wall = time.perf_counter() - start
    child.terminate(force=True)
    return wall, None


def to_key(argv, prompt):
    """Wall seconds from spawning in a pty to a key, typed as soon as the prompt shows, being
    echoed by the line editor."""
    start = time.perf_counter()
    child = pexpect.spawn(argv[0], argv[1:], env=ENV, cwd=ROOT, dimensions=(50, 200))
    child.delaybeforesend = None  # pexpect sleeps 50 ms before each send by default
    child.expect(prompt, timeout=60)
    child.send("q")
    child.expect("q", timeout=60)
    wall = time.perf_counter() - start
    child.terminate(force=True)
    return wall, None


def one_round():
    figures = {}
    for name, argv, prompt, _, _ in PROGRAMS:
        if prompt is None:
            figures[name] = to_exit(argv)
        elif isinstance(prompt, tuple):
            figures[name] = to_key(argv, prompt[1])
        else:
            figures[name] = to_prompt(argv, prompt)
    return figures


def main():
    one_round()  # warm the page cache
    rounds = []
    deadline = time.monotonic() + BUDGET
    while len(rounds) < RUNS and time.monotonic() < deadline:
        rounds.append(one_round())
    print(f"lr: {LR}" + (f"; before: {BASELINE}" if BASELINE else "")
          + (f"; floor: {FLOOR}" if FLOOR else ""))
    print(f"start-up, {len(rounds)} interleaved rounds (of {RUNS}; budget {BUDGET:.0f} s), "
          f"load average {os.getloadavg()[0]:.2f}:")
    print(f"  {'program':26} {'wall median':>12} {'wall min':>9} {'CPU median':>11}"
          f"   ratio (median of pairs)   target")
    for name, _, _, base, target in PROGRAMS:
        walls = [r[name][0] for r in rounds]
        cpus = [r[name][1] for r in rounds if r[name][1] is not None]
        cpu = f"{statistics.median(cpus) * 1000:8.1f} ms" if cpus else f"{'-':>11}"
        line = (f"  {name:26} {statistics.median(walls) * 1000:9.1f} ms "
                f"{min(walls) * 1000:6.1f} ms {cpu}")
        if base:
            ratio = statistics.median(r[name][0] / r[base][0] for r in rounds)
            verdict = ("met" if ratio <= target else "not met") if target else "(no target)"
            line += f"   {ratio:5.2f}x {base:18} {target or '-'}x {verdict}"
        print(line)


if __name__ == "__main__":
    main()
