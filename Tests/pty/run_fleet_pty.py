#!/usr/bin/env python3
"""`lr run` on 40 machines in a 30-row pseudo-terminal: the live view never floods the scrollback.

Usage: run_fleet_pty.py PATH_TO_LR PACKAGE_ROOT [flood|resize]
Exits 0 when every check passed; prints the failing check, the scrollback and the screen otherwise.
Run by Tests/LRCommandTests/RunProgressViewTests.swift.

A standalone `lr emulator` serves a scenario of 40 machines tagged Fleet (four with names in
double-width CJK characters, three that come online late); `lr run` runs one script on all of them
in a real pseudo-terminal whose output feeds a terminal emulator with scrollback
(`pyte.HistoryScreen`), so the checks see what a user scrolling back would see.

- flood: 30 x 80 for the whole run. The view's lines (progress line, machine rows, "more machines
  not shown") are never in the scrollback more than once; each result block is there exactly once;
  nothing is written after the summary; no "ETA 0s" while machines are queued; the view never moves
  the cursor up more than the screen; while only waiting for the late machines, the view is not
  redrawn every second.
- resize: 30 x 80, then 20 x 80 while waiting for the late machines (SIGWINCH): the view is
  redrawn at once for 20 rows, moving the cursor up no more than the new screen.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import pexpect
import pyte

LR = sys.argv[1]
ROOT = sys.argv[2] if len(sys.argv) > 2 else os.getcwd()
MODE = sys.argv[3] if len(sys.argv) > 3 else "flood"
ROWS, COLS = 30, 80
SCALE = 60  # service seconds per real second
LATE = {38, 39, 40}  # online 1200 service seconds (20 s) after the emulator started
WIDE = {7, 15, 23, 31}  # names in double-width characters: wider on screen than their length


def name(i):
    if i in WIDE:
        return f"経理部-端末-ワークステーション-{i:02}.contoso.com"
    return f"fleet-{i:02}.contoso.com"


MACHINES = [name(i) for i in range(1, 41)]


def scenario():
    machines = []
    for i in range(1, 41):
        machine = {"id": f"{i:040x}", "computerDnsName": name(i), "osPlatform": "Windows11",
                   "machineTags": ["Fleet"], "checkInLatencySeconds": 5}
        if i in LATE:
            machine["online"] = {"after": 1200, "until": None, "never": False}
        machines.append(machine)
    return {
        "name": "fleet-40", "tenant": "fleet",
        "apps": [{"clientId": "lr-fleet", "clientSecret": "fleet-secret",
                  "roles": ["Machine.Read.All", "Machine.LiveResponse", "Library.Manage"]}],
        "machines": machines,
        "library": [{"fileName": "fleet.ps1", "description": "fleet check", "content": "'ok'"}],
        "scripts": [{"script": "fleet.ps1", "output": "fleet result from {machine}\n",
                     "exitCode": 0, "durationSeconds": 3}],
    }


class Emulator:
    """`lr emulator --scenario FILE` on a free port."""

    def __init__(self, state):
        path = os.path.join(state, "fleet.json")
        with open(path, "w") as f:
            json.dump(scenario(), f, ensure_ascii=False)
        self.process = subprocess.Popen(
            [LR, "emulator", "--port", "0", "--scenario", path, "--time-scale", str(SCALE),
             "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT,
            env=environment(state))
        line = self.process.stdout.readline().decode()
        if not line.startswith("listening on "):
            self.stop()
            raise RuntimeError(f"emulator did not start: {line!r}")
        self.url = line[len("listening on "):].strip().rstrip("/")

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


def environment(state, url=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LR_", "AZURE_", "LC_"))}
    for sub in ("home", "state", "config", "results"):
        os.makedirs(os.path.join(state, sub), exist_ok=True)
    env.update(HOME=os.path.join(state, "home"), XDG_STATE_HOME=os.path.join(state, "state"),
               XDG_CONFIG_HOME=os.path.join(state, "config"),
               LR_RESULTS_DIR=os.path.join(state, "results"), TERM="xterm", NO_COLOR="1",
               LANG="C.UTF-8", LR_CONFIG="", LR_PROFILE="")
    if url:
        env.update(LR_API_URL=url, LR_AUTHORITY_URL=url, AZURE_TENANT_ID="fleet",
                   AZURE_CLIENT_ID="lr-fleet", AZURE_CLIENT_SECRET="fleet-secret",
                   LR_TIME_SCALE=str(SCALE))
    return env


class Run:
    """`lr run` in a pseudo-terminal; every chunk read is kept with its time and drawn."""

    def __init__(self, state, url):
        script = os.path.join(state, "fleet.lr")
        with open(script, "w") as f:
            f.write('on tag "Fleet" < run fleet.ps1 >\n')
        self.child = pexpect.spawn(LR, ["run", "--yes", script], env=environment(state, url),
                                   cwd=ROOT, timeout=90, dimensions=(ROWS, COLS))
        self.screen = pyte.HistoryScreen(COLS, ROWS, history=100000)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.chunks = []  # (monotonic time, offset in raw after the chunk)

    def read(self, until=None, timeout=90):
        """Reads until `until(self)` is true or the end of output; False at the end."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if until and until(self):
                return True
            try:
                data = self.child.read_nonblocking(65536, timeout=0.1)
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                return False
            self.raw += data
            self.chunks.append((time.monotonic(), len(self.raw)))
            self.stream.feed(data)
        raise TimeoutError("lr run did not finish in time")

    def finish(self):
        self.read()
        self.child.close()
        return self.child.exitstatus

    def shrink(self, rows):
        """The terminal gets `rows` rows, as xterm does it: lines above the cursor that no longer
        fit go to the scrollback, empty lines below it are dropped."""
        s = self.screen
        drop = max(0, s.cursor.y - (rows - 1))
        for _ in range(drop):
            s.history.top.append(s.buffer[0])
            for y in range(s.lines - 1):
                s.buffer[y] = s.buffer[y + 1]
            s.buffer.pop(s.lines - 1, None)
        for y in range(rows, s.lines):
            s.buffer.pop(y, None)
        s.cursor.y -= drop
        s.lines = rows
        s.set_margins()
        s.dirty.update(range(rows))
        self.child.setwinsize(rows, COLS)

    def text(self):
        return self.raw.decode("utf-8", "replace")

    def all_lines(self):
        """The scrollback then the screen, as a user scrolling back would read them."""
        history = ["".join(line[x].data for x in range(COLS)).rstrip()
                   for line in self.screen.history.top]
        return history + [line.rstrip() for line in self.screen.display]


def plain(text):
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)


def moves(raw, start=0):
    return [int(m.group(1) or 1) for m in re.finditer(rb"\x1b\[([0-9]*)A", bytes(raw[start:]))]


def report(name, run):
    print(f"FAILED: {name}")
    lines = run.all_lines()
    print(f"---- scrollback and screen ({len(lines)} lines, last 120) ----")
    print("\n".join(lines[-120:]))
    print("---- raw tail ----", repr(bytes(run.raw[-2000:])))
    print(f"FAILED: {name}")
    if os.environ.get("LR_PTY_DUMP"):  # the whole output, for a closer look
        with open(os.environ["LR_PTY_DUMP"], "wb") as f:
            f.write(bytes(run.raw))
    sys.exit(1)


def check(checks, run):
    failed = [name for name, ok in checks if not ok]
    if failed:
        report("; ".join(failed), run)


def flood(run):
    run.read(lambda r: b"37/40 done" in r.raw)
    waiting_from = time.monotonic()
    waiting_offset = len(run.raw)
    run.read(lambda r: b"running" in r.raw[waiting_offset:])  # a late machine came online
    waiting_to = time.monotonic()
    waiting_bytes = len(run.raw) - waiting_offset
    status = run.finish()
    lines = run.all_lines()
    text = run.text()
    summary = re.search(r"run \S+ finished: 40 succeeded, 0 failed, 0 timed out, 0 cancelled, "
                        r"0 pending\r?\n", plain(text))
    after = text[text.find("0 pending") + len("0 pending"):] if summary else "?"
    rows = {m: sum(1 for l in lines if re.match(r"^[✓✗▶…·-] " + re.escape(m) + " ", l))
            for m in MACHINES}
    progress_lines = [l for l in lines if re.match(r"^\d+/40 done", l)]
    hidden_lines = [l for l in lines if "more machines not shown" in l]
    seconds = waiting_to - waiting_from
    checks = [
        ("exit status 0", status == 0),
        ("the summary was printed", summary),
        ("nothing is written after the summary line", after.strip("\r\n") == ""),
        ("the summary is the last line on the screen",
         [l for l in lines if l][-1].endswith("0 pending")),
        ("the view never moves up more than the screen minus one row",
         moves(run.raw) and max(moves(run.raw)) <= ROWS - 1),
        (f"the progress line is in scrollback+screen at most once ({len(progress_lines)})",
         len(progress_lines) <= 1),
        (f"'more machines not shown' is in scrollback+screen at most once ({len(hidden_lines)})",
         len(hidden_lines) <= 1),
        ("no machine row is in scrollback+screen more than once: "
         + str({m: n for m, n in rows.items() if n > 1}), all(n <= 1 for n in rows.values())),
        ("no 'ETA 0s' while machines are queued",
         not re.search(r"\d+ queued[^\n]*ETA 0s", plain(text))),
        ("an unknown ETA names the queued machines",
         re.search(r"3 queued[^\n]*ETA unknown", plain(text))),
        (f"waiting for the late machines ({seconds:.1f} s) lasted long enough to measure",
         seconds >= 3),
        (f"while only waiting, no frame redrawn every second ({waiting_bytes} bytes in "
         f"{seconds:.1f} s)", waiting_bytes <= 300 * seconds),
    ]
    for machine in MACHINES:
        header = sum(1 for l in lines
                     if re.fullmatch(re.escape(machine) + r": \[\d+\] exit code 0", l))
        output = sum(1 for l in lines if l == f"    fleet result from {machine}")
        checks.append((f"the result of {machine} is in scrollback+screen exactly once "
                       f"({header}, {output})", header == 1 and output == 1))
    check(checks, run)


def resize(run):
    # While only waiting for the late machines nothing else is drawn: what follows the resize is
    # lr's answer to it.
    run.read(lambda r: b"37/40 done" in r.raw)
    end = time.monotonic() + 1
    run.read(lambda r: time.monotonic() > end)
    run.shrink(20)
    resized = len(run.raw)
    end = time.monotonic() + 1.5
    run.read(lambda r: time.monotonic() > end)
    answer = bytes(run.raw[resized:])
    status = run.finish()
    hidden = [int(n) for n in re.findall(r"… (\d+) more machines not shown",
                                          plain(answer.decode("utf-8", "replace")))]
    checks = [
        ("exit status 0", status == 0),
        (f"the view was redrawn for 20 rows within 1.5 s of the resize ({hidden} hidden)",
         hidden and min(hidden) >= 40 - (20 - 3)),
        (f"the view moved up at most 19 rows after the resize ({moves(answer)})",
         moves(answer) and max(moves(answer)) <= 19),
    ]
    check(checks, run)


def main():
    state = tempfile.mkdtemp(prefix="lr-run-fleet-pty-")
    emulator = None
    try:
        emulator = Emulator(state)
        run = Run(state, emulator.url)
        {"flood": flood, "resize": resize}[MODE](run)
        print("ok")
    finally:
        if emulator:
            emulator.stop()
        shutil.rmtree(state, ignore_errors=True)


if __name__ == "__main__":
    main()
