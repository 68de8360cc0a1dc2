#!/usr/bin/env python3
"""`lr run --lab` in a real pseudo-terminal: the live progress view, checked on the rendered screen.

Usage: run_pty.py PATH_TO_LR [PACKAGE_ROOT]
Exits 0 when every check passed; prints the failing check and the screen otherwise.
Run by Tests/LRCommandTests/RunProgressViewTests.swift.

The bytes lr writes are fed through a small terminal model that understands exactly what a
well-behaved line-oriented program may send (printable text, CR, LF, TAB, cursor up `ESC[nA`,
erase `ESC[J`/`ESC[K`, colours `ESC[...m`); any other control byte or escape sequence, such as
the screen-clearing, title-setting and hyperlink sequences ws-hostile-13's script prints, is a
leak and fails the test.
"""
import os
import re
import shutil
import sys
import tempfile

import pexpect

LR = sys.argv[1]
ROOT = sys.argv[2] if len(sys.argv) > 2 else os.getcwd()
MACHINES = [
    "mymachine1.contoso.com", "ws-0142.contoso.com", "ws-0143.contoso.com",
    "ws-0150.contoso.com", "srv-dc01.contoso.com", "srv-file01.contoso.com",
    "srv-app02.contoso.com", "web-01.contoso.com", "db-02.contoso.com",
    "mac-design-01.contoso.com", "laptop-travel-07.contoso.com", "ws-broken-09.contoso.com",
    "ws-hostile-13.contoso.com",
]
SCRIPT = "on " + " + ".join(f"machine {m}" for m in MACHINES) + " < run Get-Processes.ps1 >\n"


class Screen:
    """A terminal of `rows` x `cols` with unlimited scrollback, strict about what it accepts."""

    CSI = re.compile(r"\x1b\[([0-9;]*)([A-Za-z])")

    def __init__(self, rows, cols):
        self.rows, self.cols = rows, cols
        self.lines = [""]
        self.row = 0
        self.col = 0
        self.leaks = []
        self.largest_move = 0

    def top(self):
        return max(0, len(self.lines) - self.rows)

    def put(self, ch):
        line = self.lines[self.row]
        if len(line) < self.col:
            line += " " * (self.col - len(line))
        self.lines[self.row] = line[: self.col] + ch + line[self.col + 1:]
        self.col += 1
        if self.col >= self.cols:  # auto-wrap
            self.newline()
            self.col = 0

    def newline(self):
        self.row += 1
        if self.row == len(self.lines):
            self.lines.append("")

    def feed(self, text):
        i = 0
        while i < len(text):
            ch = text[i]
            if ch == "\x1b":
                m = self.CSI.match(text, i)
                if not m or m.group(2) not in "AJKm":
                    self.leaks.append(repr(text[i:i + 12]))
                    i += 1
                    continue
                arg, op = m.group(1), m.group(2)
                if op == "A":
                    n = int(arg or "1")
                    self.largest_move = max(self.largest_move, n)
                    self.row = max(self.top(), self.row - n)
                elif op == "J":
                    self.lines[self.row] = self.lines[self.row][: self.col]
                    del self.lines[self.row + 1:]
                elif op == "K":
                    self.lines[self.row] = self.lines[self.row][: self.col]
                i = m.end()
                continue
            if ch == "\r":
                self.col = 0
            elif ch == "\n":
                self.newline()
            elif ch == "\t":
                self.col = (self.col // 8 + 1) * 8
            elif ord(ch) < 0x20 or ord(ch) == 0x7F or 0x80 <= ord(ch) < 0xA0:
                self.leaks.append(repr(ch))
            else:
                self.put(ch)
            i += 1

    def visible(self):
        return self.lines[self.top():self.top() + self.rows]


def run(rows, cols, state):
    script = os.path.join(state, "fleet.lr")
    with open(script, "w") as f:
        f.write(SCRIPT)
    env = dict(os.environ, XDG_STATE_HOME=state, TERM="xterm", NO_COLOR="1",
               LR_LAB_TIME_SCALE="60", LR_RESULTS_DIR=os.path.join(state, "results"))
    # --no-preflight: the Linux and macOS machines stay in on purpose (the lab answers for them).
    child = pexpect.spawn(LR, ["run", "--lab", "--yes", "--no-preflight", "--timeout", "20m", script], env=env,
                          cwd=ROOT, encoding="utf-8", codec_errors="replace", timeout=60,
                          dimensions=(rows, cols))
    child.expect(pexpect.EOF)
    child.close()
    screen = Screen(rows, cols)
    screen.feed(child.before)
    return child.exitstatus, child.before, screen


def fail(name, raw, screen):
    print(f"FAILED: {name}")
    print("---- screen ----")
    print("\n".join(screen.visible()))
    print("---- leaks ----", screen.leaks[:10])
    print("---- raw tail ----", repr(raw[-3000:]))
    sys.exit(1)


def main():
    state = tempfile.mkdtemp(prefix="lr-run-pty-")
    try:
        # A tall terminal: every machine fits; the final screen keeps one line per machine.
        status, raw, screen = run(40, 160, state)
        final = screen.visible()
        text = "\n".join(final)
        checks = [
            ("exit status 1 (ws-broken-09's script fails)", status == 1),
            ("no control sequence from host output leaked", not screen.leaks),
            ("hostile output shown escaped", "\\u{1b}[31;1mALERT" in "\n".join(screen.lines)),
            ("the view was redrawn in place", screen.largest_move > 0),
            ("a progress line with done/total appeared", re.search(r"\d+/13 done", raw)),
            ("an ETA appeared", "ETA " in raw),
            ("waiting for budget explained with a resume time",
             re.search(r"waiting for budget: per-minute budget of runliveresponse; resumes in "
                       r"\d+s \(at \d\d:\d\d:\d\d\)", raw)),
            ("a result printed above the view", "exit code 0" in text or "exit code 0" in raw),
            ("summary", re.search(r"finished: 12 succeeded, 1 failed, 0 timed out", text)),
        ]
        for machine in MACHINES:
            want = "Failed" if "broken" in machine else "Succeeded"
            row = re.compile(r"^[✓✗] " + re.escape(machine) + r"\s+" + want + r"\s+RunScript")
            checks.append((f"final line for {machine} says {want}",
                           any(row.match(l) for l in final)))
        for name, ok in checks:
            if not ok:
                fail(name, raw, screen)

        # A short terminal: more machines than rows; the view stays within the screen.
        shutil.rmtree(os.path.join(state, "results"), ignore_errors=True)
        status, raw, screen = run(10, 120, state)
        checks = [
            ("short: exit status 1", status == 1),
            ("short: no leaks", not screen.leaks),
            ("short: the view never moved more than the screen", 0 < screen.largest_move < 10),
            ("short: hidden machines are counted", re.search(r"… \d+ more machines not shown", raw)),
            ("short: summary", "finished: 12 succeeded, 1 failed" in "\n".join(screen.visible())),
            ("short: the failure is listed at the end",
             any("ws-broken-09" in l and "Failed" in l for l in screen.visible())),
        ]
        for name, ok in checks:
            if not ok:
                fail(name, raw, screen)
        print("ok")
    finally:
        shutil.rmtree(state, ignore_errors=True)


if __name__ == "__main__":
    main()
