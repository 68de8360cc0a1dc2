#!/usr/bin/env python3
"""End-to-end test of `lr --lab` in a real pseudo-terminal: live results above the prompt while a
half-typed line stays intact, completion from the lab's service, a multi-line statement, hostile host
output, Ctrl-C cancelling through the API (with confirmation), Ctrl-D, wrapped input, piped input.

Usage: python.sh repl_lab_pty.py PATH_TO_LR PACKAGE_ROOT
Exits 0 when every check passed; prints the failing check with the screen otherwise.
Run by Tests/LRShellTests/PseudoTerminalTests.swift.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from terminal import Terminal, foreign_escapes, isolated_environment  # noqa: E402

LR = sys.argv[1]
ROOT = sys.argv[2] if len(sys.argv) > 2 else os.getcwd()
PROMPT = "lr(lab)> "
# The documented example (DESIGN.md, run-live-response.md), as an analyst types it.
EXAMPLE = ('on machine mymachine1.contoso.com < run minidump.ps1 "OfficeClickToRun"; '
           'get "C:\\\\windows\\\\TEMP\\\\OfficeClickToRun.dmp.zip" >')
DUMP_SHA256 = "9afda9b41c2b4b6ba6a2640b20e0fa7edd65ce20581005c4fde1adaccc2822bc"
DUMP_SIZE = 51 * 1048576
HOSTILE = "on machine ws-hostile-13.contoso.com < run Get-Processes.ps1; run Get-Services.ps1 >"
# Bytes the hostile machine's output contains that must never reach the terminal.
FORBIDDEN = [b"\x1b[2J", b"\x1b[H", b"\x1b[31;1m", b"\x1b]0;", b"\x1b]8;", b"\x1b[5m", b"\x07",
             b"\x08", b"\xc2\x9b", b"\xe2\x80\xae", b"\xff", b"\xfe", b"\x00"]

base = tempfile.mkdtemp(prefix="lr-lab-pty-")
env = isolated_environment(base)
env["LR_LAB_TIME_SCALE"] = "5"
step = "start"
term = None


def check(name):
    global step
    step = name


def require(condition, message):
    if not condition:
        raise AssertionError(message + "\n" + (term.dump() if term else ""))


def intact(t, typed):
    """The rows from the prompt to the cursor show the prompt and exactly `typed`, and the cursor
    is right after it."""
    shown = t.input_rows(PROMPT)
    column = len(PROMPT + typed) % t.screen.columns
    return shown is not None and shown.rstrip() == (PROMPT + typed).rstrip() \
        and t.screen.cursor.x == column


def live_results_keep_the_half_typed_line(t):
    check("documented example: status lines and results print above a half-typed line")
    t.send(EXAMPLE + "\r")
    mark = t.wait_for("[1] mymachine1.contoso.com  action ")
    half = "on machine ws-0142.contoso.com <"
    t.type(half)
    typed_at = t.wait_for(half, start=mark)
    prints = 0
    for what in ["#1 run minidump.ps1 OfficeClickToRun  Completed", "saved ",
                 "Succeeded", "[1] done in"]:
        at = t.wait_for(what, start=mark, timeout=60)
        require(at > typed_at, f"{what!r} printed before the half line was typed: lab too fast")
        t.settle()
        prints += 1
        require(intact(t, half), f"after {what!r}: the half-typed line is not intact")
    screen = "\n".join(t.lines())
    require("  exit 0" in screen, "no exit code")
    require("│ C:\\windows\\TEMP\\OfficeClickToRun.dmp.zip" in screen, "no script output")
    # (The saved line wraps on the screen: the path is long. Read it from the bytes.)
    saved = re.search(r"saved (\S+OfficeClickToRun\.dmp\.zip)  (\d+) bytes  sha256 ([0-9a-f]{64})",
                      bytes(t.raw[mark:]).decode("utf-8", "replace"))
    require(saved is not None, "no saved-file line")
    path, size, sha = saved.group(1), int(saved.group(2)), saved.group(3)
    require(size == DUMP_SIZE and sha == DUMP_SHA256, f"size {size}, sha256 {sha}")
    require(os.path.getsize(path if os.path.isabs(path) else os.path.join(ROOT, path)) == DUMP_SIZE,
            "the saved file has another size")
    rows = t.lines()
    done_row = max(i for i, line in enumerate(rows) if "[1] done in" in line)
    require(done_row < t.cursor_row(), "results are not above the prompt")
    # Every print redrew the prompt with the half-typed input (byte check, beside the screen's).
    redraws = bytes(t.raw[typed_at:]).count((PROMPT + half).encode())
    require(redraws >= prints, f"{redraws} redraws of the half line for {prints} prints")

    check("finishing the half-typed line runs it")
    t.send(" run Get-Processes.ps1 >\r")
    t.wait_for("[2] done in", start=typed_at, timeout=60)
    t.settle()
    require(intact(t, ""), "no fresh prompt after [2]")


def completion_from_the_service(t):
    check("Tab completes a machine name from the lab's service")
    mark = len(t.raw)
    t.type("on machine srv-d")
    t.send("\t")
    t.wait_until(lambda: intact(t, "on machine srv-dc01.contoso.com "),
                 describe="machine name completion")
    check("Tab completes a library script name")
    t.type("< run Get-Autor")
    t.send("\t")
    t.wait_until(lambda: intact(t, "on machine srv-dc01.contoso.com < run Get-Autoruns.ps1 "),
                 describe="script name completion")
    t.send(">\r")
    t.wait_for("[3] srv-dc01.contoso.com  #1 run Get-Autoruns.ps1  Completed", start=mark)
    t.wait_for("[3] done in", start=mark)
    t.settle()


def multi_line_statement(t):
    check("a multi-line statement: continuation prompt, one job, one history entry")
    mark = len(t.raw)
    t.send("on machine ws-0150.contoso.com <\r")
    t.wait_for("...> ", start=mark)
    t.send("  run Get-Services.ps1\r")
    t.wait_for("...> ", start=t.wait_for("run Get-Services.ps1", start=mark))
    t.send(">\r")
    t.wait_for("[4] done in", start=mark)
    t.settle()
    mark = len(t.raw)
    t.send(".history 2\r")
    t.wait_for(".history 2", start=t.wait_for(".history 2", start=mark))  # echo, then listing
    t.settle()
    screen = t.lines()
    row = max(i for i, line in enumerate(screen) if re.match(r"\d+  on machine ws-0150", line))
    require(screen[row + 1] == "      run Get-Services.ps1" and screen[row + 2] == "    >",
            "the multi-line statement is not one history entry")


def hostile_output_is_neutralised(t):
    check("hostile host output (escape sequences, controls, invalid UTF-8) is neutralised")
    mark = len(t.raw)
    t.send(HOSTILE + "\r")
    t.wait_for("[5] done in", start=mark, timeout=60)
    t.settle()
    region = bytes(t.raw[mark:])
    for bad in FORBIDDEN:
        require(bad not in region, f"{bad!r} reached the terminal")
    require(not foreign_escapes(region), f"escape sequences reached the terminal: "
            f"{sorted(set(foreign_escapes(region)))!r}")
    screen = "\n".join(t.lines())
    require("ALERT" in screen and "invalid utf-8 above" in screen, "hostile output not shown")
    require("\ufffd" in screen, "no replacement character for invalid bytes")
    require(t.screen.title == "", "the window title changed")
    require("[5] 1 machine: ws-hostile-13.contoso.com" in screen, "the screen was cleared")
    for row in t.screen.buffer.values():
        for char in row.values():
            require(char.fg == "default" and not char.blink and not char.reverse,
                    f"coloured or blinking text on screen: {char!r}")


def ctrl_c_cancels_through_the_api(t):
    check("Ctrl-C after typing clears the line and leaves the running job alone")
    mark = len(t.raw)
    t.send("on machine ws-0143.contoso.com < run sleep.ps1 600 >\r")
    t.wait_for("[6] ws-0143.contoso.com  action ", start=mark)
    t.wait_for("InProgress", start=mark, timeout=60)
    t.settle()
    t.type("garbage")
    t.wait_for("garbage", start=mark)
    t.send("\x03")
    t.wait_until(lambda: intact(t, ""), describe="line cleared")
    t.settle()
    require(b"[y/N]" not in t.raw[mark:], "Ctrl-C on a typed line asked to cancel")

    check("Ctrl-C on the empty line asks first (the action runs on the device); n keeps it")
    t.send("\x03")
    at = t.wait_for("[6] is running on ws-0143.contoso.com; cancel it through the API? [y/N] ",
                    start=mark)
    t.send("n\r")
    t.wait_for("[6] keeps running", start=at)
    t.settle()
    require(b"cancelling" not in t.raw[mark:], "cancelled without a yes")

    check("Ctrl-C, y: cancelled through the API")
    t.send("\x03")
    at = t.wait_for("[y/N] ", start=at)
    t.send("y\r")
    t.wait_for("[6] cancelling", start=at)
    t.wait_for("Cancelled", start=at, timeout=60)
    t.wait_for("[6] cancelled after", start=at, timeout=60)
    t.settle()

    check("the emulator reports the action cancelled")
    at = len(t.raw)
    t.send(".actions\r")
    t.wait_for("ws-0143.contoso.com", start=at)
    t.settle()
    rows = [line for line in t.lines() if "ws-0143.contoso.com" in line and "Cancelled" in line]
    require(rows, "`.actions` does not show the cancelled action")


def ctrl_d_says_what_still_runs(t):
    check("Ctrl-D leaves and says what is still running")
    mark = len(t.raw)
    t.send("on machine ws-0142.contoso.com < run sleep.ps1 600 >\r")
    t.wait_for("[7] ws-0142.contoso.com  action ", start=mark)
    t.settle()
    t.send("\x04")
    t.wait_for("still running: [7] on machine ws-0142.contoso.com < run sleep.ps1 600 >", start=mark)
    status = t.wait_eof()
    require(status == 0, f"exit status {status}")


def wrapped_input_is_redrawn(path):
    global term
    check("wrapped input: printing above a line that wraps over 3 rows of a 40-column terminal")
    t = term = Terminal([path, "--lab"], env, ROOT, columns=40, rows=30)
    t.wait_for(PROMPT)
    mark = len(t.raw)
    t.send("on machine ws-0150.contoso.com < run Get-Processes.ps1; run Get-Services.ps1 >\r")
    t.wait_for("[1] ws-0150.contoso.com  action ", start=mark)
    long = "on machine web-01.contoso.com < run processes.sh; run services.sh; run "
    t.type(long)
    # (The echo of a wrapping line has cursor movements in it: look at the screen.)
    t.wait_until(lambda: intact(t, long), describe="the long line typed")
    typed_at = len(t.raw)
    for what in ["#1 run Get-Processes.ps1  Completed", "#2 run Get-Services.ps1  Completed",
                 "[1] done in"]:
        at = t.wait_for(what, start=mark, timeout=60)
        require(at > typed_at, f"{what!r} printed before the line was typed: lab too fast")
        t.settle()
        require(intact(t, long), f"after {what!r}: input not intact")
        rows = t.lines()
        first = max(i for i, line in enumerate(rows) if line.startswith(PROMPT))
        stale = [line for line in rows[:first] if "web-01" in line]
        require(not stale, f"after {what!r}: stale rows of the input above: {stale!r}")

    check("wrapped input with the cursor moved to the start of the line")
    t.send("\x15")  # Ctrl-U
    t.settle()
    echo_above_typed_line(t, long, "ASYNC-LINE", keys="\x01")  # Ctrl-A

    check("after a resize (60 columns) the wrapped input is still redrawn intact")
    t.send("\x15")
    t.settle()
    t.resize(60, 30)
    t.settle()
    echo_above_typed_line(t, long, "AFTER-RESIZE")
    t.send("\x15\x04")
    t.wait_eof()


def echo_above_typed_line(t, typed, word, keys=""):
    """Types `typed` (then `keys`) while `.echo-later` prints `word`; checks the input is intact."""
    t.send(f".echo-later 500 {word}\r")
    mark = t.wait_for(f".echo-later 500 {word}")
    t.settle(quiet=0.05)
    t.type(typed)
    t.send(keys)
    t.wait_for(word, start=mark)
    t.settle()
    rows = t.lines()
    first = max(i for i, line in enumerate(rows) if line.startswith(PROMPT))
    require(rows[first - 1] == word, f"{word} is not right above the prompt")
    shown = "".join(t.screen.display[first:]).rstrip()
    require(shown == (PROMPT + typed).rstrip(), f"input not intact after {word}: {shown!r}")


def piped_input_has_no_escapes():
    check("non-terminal stdin: statements run like a script, no prompt, no escape sequences")
    script = (HOSTILE + "\n" + EXAMPLE + "\n").encode()
    run = subprocess.run([LR, "--lab", "--output", "human"], input=script, capture_output=True,
                         env=env, cwd=ROOT, timeout=120)
    out = run.stdout + run.stderr
    require(run.returncode == 0, f"status {run.returncode}: {out[-2000:]!r}")
    require(b"\x1b" not in out and b"lr(" not in out, f"escapes or a prompt: {out[:2000]!r}")
    for bad in FORBIDDEN:
        require(bad not in out, f"{bad!r} in piped output")
    require(b"ALERT" in out and DUMP_SHA256.encode() in out, out[-2000:].decode("utf-8", "replace"))


def main():
    global term
    try:
        term = Terminal([LR, "--lab"], env, ROOT, columns=130, rows=70)
        check("banner and prompt")
        term.wait_for("lab time ×5; LR_LAB_TIME_SCALE=1 for real time")
        term.wait_for(PROMPT)
        live_results_keep_the_half_typed_line(term)
        completion_from_the_service(term)
        multi_line_statement(term)
        hostile_output_is_neutralised(term)
        ctrl_c_cancels_through_the_api(term)
        ctrl_d_says_what_still_runs(term)
        wrapped_input_is_redrawn(LR)
        term = None
        piped_input_has_no_escapes()
    except Exception as error:  # noqa: BLE001 - report any failure with the screen
        print(f"FAILED at: {step}: {type(error).__name__}: {error}")
        if term is not None and not isinstance(error, (AssertionError, TimeoutError)):
            print(term.dump())
        return 1
    finally:
        if term is not None:
            term.child.terminate(force=True)
        shutil.rmtree(base, ignore_errors=True)
    print("lab pty: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
