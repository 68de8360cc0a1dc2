#!/usr/bin/env python3
"""REPL benchmarks, in real pseudo-terminals (pexpect):

1. start-up: time from spawning a program to its first prompt bytes: `lr` (offline preview),
   `lr --lab` (starts the in-process emulator), `sqlite3`, `python3 -q -i`; and `python3 -c pass`
   to its exit. Runs interleaved, medians, ratios against the baselines measured in the same run.
2. keystroke echo latency in `lr --lab`: time from writing one character to the pty until that
   character comes back, idle, then while 25 statements stream results above the prompt.

Usage: repl_bench.py PATH_TO_LR [RUNS]   (run by bench/repl.sh)
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
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 15
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
ENV = isolated_environment(tempfile.mkdtemp(prefix="lr-bench-"))
# The system interpreter (a pyenv shim on PATH would add a shell script's start-up to Python's).
PYTHON = os.environ.get("PYTHON") or next(
    (p for p in ("/usr/bin/python3", "/usr/local/bin/python3") if os.path.exists(p)), "python3")

# Windows and Unix machines of the demo fleet that are online and run scripts normally.
WINDOWS = ["mymachine1.contoso.com", "ws-0142.contoso.com", "ws-0143.contoso.com",
           "ws-0150.contoso.com", "srv-dc01.contoso.com", "srv-file01.contoso.com",
           "srv-app02.contoso.com"]
UNIX = ["web-01.contoso.com", "db-02.contoso.com", "mac-design-01.contoso.com"]


def spawn(argv, env=ENV):
    child = pexpect.spawn(argv[0], argv[1:], env=env, cwd=ROOT, dimensions=(50, 200))
    child.delaybeforesend = None
    return child


def time_to(argv, prompt):
    """Seconds from spawn to `prompt` in the output (None: to the end of output)."""
    start = time.perf_counter()
    child = spawn(argv)
    child.expect(pexpect.EOF if prompt is None else prompt, timeout=60)
    elapsed = time.perf_counter() - start
    child.terminate(force=True)
    return elapsed


def startup():
    programs = [
        ("lr", [LR], r"lr\(offline\)> "),
        ("lr --lab", [LR, "--lab"], r"lr\(lab\)> "),
        ("sqlite3", ["sqlite3"], r"sqlite> "),
        ("python3 -q -i", [PYTHON, "-q", "-i"], r">>> "),
        ("python3 -c pass", [PYTHON, "-c", "pass"], None),
    ]
    times = {name: [] for name, _, _ in programs}
    for name, argv, prompt in programs:  # warm the page cache once
        time_to(argv, prompt)
    for _ in range(RUNS):
        for name, argv, prompt in programs:
            times[name].append(time_to(argv, prompt))
    med = {name: statistics.median(values) for name, values in times.items()}
    print(f"start-up to the first prompt, in a pty, median of {RUNS} interleaved runs:")
    for name, _, _ in programs:
        print(f"  {name:16} {med[name] * 1000:8.1f} ms   (min {min(times[name]) * 1000:.1f})")
    for ours in ("lr", "lr --lab"):
        ratios = ", ".join(f"{med[ours] / med[base]:.2f}x {base}"
                           for base in ("sqlite3", "python3 -q -i", "python3 -c pass"))
        print(f"  {ours}: {ratios}")


# Characters that no lab output contains, so their arrival is their echo.
MARKERS = [chr(c) for c in range(0xC0, 0x100) if c not in (0xD7, 0xF7)]


def echo_latencies(child, buffer, count, keep_going=None):
    """Types `count` characters (each unique in the line) and returns their echo latencies (s);
    stops early when keep_going() turns false. `buffer` collects everything read."""
    latencies = []
    typed = 0
    for i in range(count):
        if keep_going is not None and not keep_going():
            break
        if typed == len(MARKERS) // 2:
            child.send("\x15")  # Ctrl-U: start a new line (not timed)
            time.sleep(0.02)
            typed = 0
        marker = MARKERS[(i % 2) * (len(MARKERS) // 2) + typed].encode()
        start_at = len(buffer)
        start = time.perf_counter()
        child.send(marker)
        while buffer.find(marker, start_at) < 0:
            try:
                buffer += child.read_nonblocking(65536, timeout=5)
            except pexpect.TIMEOUT:
                raise RuntimeError("no echo in 5 s")
        latencies.append(time.perf_counter() - start)
        typed += 1
        time.sleep(0.01)
    return latencies


def summary(values):
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
    return statistics.median(values), p95, len(values)


def keystrokes():
    env = dict(ENV, LR_LAB_TIME_SCALE="12")
    child = spawn([LR, "--lab"], env)
    child.expect(r"lr\(lab\)> ", timeout=60)
    time.sleep(1.0)  # machine and library names load for completion
    buffer = bytearray()
    idle = echo_latencies(child, buffer, 200)
    child.send("\x15")
    time.sleep(0.1)
    # 25 statements, typed as fast as the terminal takes them; their results stream above the prompt.
    machines = (WINDOWS + UNIX) * 3
    for i in range(25):
        machine = machines[i]
        script = "Get-Processes.ps1" if machine in WINDOWS else "processes.sh"
        child.send(f"on machine {machine} < run {script} >\r")
    buffer = bytearray()
    while b"[25] " not in buffer:  # every statement was accepted and started
        buffer += child.read_nonblocking(65536, timeout=30)
    start_bytes = len(buffer)
    started = time.perf_counter()

    def streaming():
        return buffer.count(b"] done in") + buffer.count(b"] failed") < 25

    loaded = echo_latencies(child, buffer, 100000, keep_going=streaming)
    streamed = time.perf_counter() - started
    lines = bytes(buffer[start_bytes:]).count(b"\n")
    child.send("\x15\x04")
    child.expect(pexpect.EOF, timeout=30)
    idle_med, idle_p95, idle_n = summary(idle)
    load_med, load_p95, load_n = summary(loaded)
    print("keystroke echo latency in lr --lab (write one character to the pty → its echo):")
    print(f"  idle:                      median {idle_med * 1000:6.2f} ms  p95 {idle_p95 * 1000:6.2f} ms"
          f"  ({idle_n} keys)")
    print(f"  25 statements streaming:   median {load_med * 1000:6.2f} ms  p95 {load_p95 * 1000:6.2f} ms"
          f"  ({load_n} keys over {streamed:.1f} s, {lines} output lines)")
    print(f"  ratio streaming/idle: median {load_med / idle_med:.2f}x, p95 {load_p95 / idle_p95:.2f}x")


if __name__ == "__main__":
    print(f"lr: {LR}; python3: {PYTHON}")
    startup()
    keystrokes()
