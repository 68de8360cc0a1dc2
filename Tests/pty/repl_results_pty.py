#!/usr/bin/env python3
"""Bound results in `lr --lab`, in a real pseudo-terminal: `let r = on tag … < run
Get-Processes.ps1 >`, then `r` shows a per-machine table, `r.rows` the processes with a machine
column, `.stack r ProcessName` the counts, Tab completes `r.` fields and `.stack` columns,
`.export` writes a CSV; tables fit the terminal and no escape sequence from a host reaches it.

Usage: python.sh repl_results_pty.py PATH_TO_LR PACKAGE_ROOT
Exits 0 when every check passed; prints the failing check with the screen otherwise.
Run by Tests/LRShellTests/BoundResultPseudoTerminalTests.swift.
"""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from terminal import Terminal, foreign_escapes, isolated_environment  # noqa: E402

LR = sys.argv[1]
ROOT = sys.argv[2] if len(sys.argv) > 2 else os.getcwd()
PROMPT = "lr(lab)> "
COLUMNS = 100
STATEMENT = 'let r = on tag "finance" + tag "critical" < run Get-Processes.ps1 >'

base = tempfile.mkdtemp(prefix="lr-results-pty-")
env = isolated_environment(base)
env["LR_LAB_TIME_SCALE"] = "20"
step = "start"
term = None


def check(name):
    global step
    step = name


def require(condition, message):
    if not condition:
        raise AssertionError(message + "\n" + (term.dump() if term else ""))


def enter(t, text):
    """Types a line, presses Enter, and returns the screen lines printed for it."""
    mark = len(t.raw)
    t.send(text + "\r")
    t.wait_for(PROMPT, start=t.wait_for(text, start=mark))
    t.settle()
    screen = t.lines()
    rows = [i for i, line in enumerate(screen) if line.startswith(PROMPT + text)]
    require(rows, f"{text!r} is not on the screen")
    return [line for line in screen[rows[-1] + 1:] if line and not line.startswith(PROMPT.rstrip())], mark


def no_escapes(t, mark):
    region = bytes(t.raw[mark:])
    require(not foreign_escapes(region),
            f"escape sequences reached the terminal: {sorted(set(foreign_escapes(region)))!r}")


def bind(t):
    check("let r = on tag finance + tag critical < run Get-Processes.ps1 >")
    mark = len(t.raw)
    t.send(STATEMENT + "\r")
    t.wait_for("[1] done in", start=mark, timeout=90)
    t.settle()


def machines_table(t):
    check("`r` shows a per-machine table: machine, status, exit code, first line of output")
    lines, mark = enter(t, "r")
    require(lines and lines[0].split() == ["MACHINE", "STATUS", "EXIT", "OUTPUT"],
            f"no machine table header: {lines!r}")
    body = [line for line in lines[1:] if not line.startswith("(")]
    require(len(body) >= 3, f"fewer than 3 machines: {body!r}")
    require(any(line.startswith("ws-0142.contoso.com") and " Succeeded " in line for line in body),
            "ws-0142 is not listed as Succeeded")
    require(any("machines," in line and "failed" in line for line in lines), "no summary line")
    require(all(len(line) <= COLUMNS for line in lines), "a line is wider than the terminal")
    no_escapes(t, mark)
    check("`$r` is the same value")
    dollar, _ = enter(t, "$r")
    require(dollar[:-1] == lines[:-1], f"$r differs from r: {dollar!r}")


def rows_table(t):
    check("`r.rows` shows the processes with a machine column first")
    lines, mark = enter(t, "r.rows")
    header = lines[0].split() if lines else []
    require(header[:1] == ["MACHINE"] and "ProcessName" in header, f"header: {lines[:1]!r}")
    require(any(line.startswith("ws-0143.contoso.com") and "lsass" in line for line in lines),
            "no lsass row of ws-0143")
    require(any(line.startswith("(") and "rows from" in line for line in lines), "no row count")
    no_escapes(t, mark)


def stack(t):
    check("`.stack r ProcessName` counts the values, least frequent first")
    lines, mark = enter(t, ".stack r ProcessName")
    require(lines and lines[0].split()[:3] == ["PROCESSNAME", "MACHINES", "ROWS"],
            f"stack header: {lines[:1]!r}")
    counts = [int(line.split()[1]) for line in lines[1:] if len(line.split()) > 2]
    require(counts and counts == sorted(counts), f"not least frequent first: {lines!r}")
    require(any(line.startswith("lsass.exe ") for line in lines), "lsass.exe not counted")
    no_escapes(t, mark)


def completion(t):
    check("Tab completes `r.ro` to `r.rows`")
    t.type("r.ro")
    t.send("\t")
    t.wait_until(lambda: t.cursor_line().rstrip() == PROMPT + "r.rows",
                 describe="field completion")
    t.send("\x15")  # Ctrl-U: clear the line
    check("Tab completes `.stack r Proc` to the ProcessName column")
    t.type(".stack r Proc")
    t.send("\t")
    t.wait_until(lambda: t.cursor_line().rstrip() == PROMPT + ".stack r ProcessName",
                 describe="column completion")
    t.send("\x15")
    t.settle()


def export(t):
    check("`.export r.rows FILE.csv` writes the rows with a machine column")
    path = os.path.join(base, "rows.csv")
    lines, _ = enter(t, f".export r.rows {path}")
    require(any(line.startswith("wrote ") for line in lines), f"no confirmation: {lines!r}")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    require(text.startswith("machine,"), f"CSV header: {text[:200]!r}")
    require("ws-0142.contoso.com," in text, "no ws-0142 row in the CSV")


def main():
    global term
    try:
        term = Terminal([LR, "--lab"], env, ROOT, columns=COLUMNS, rows=80)
        check("banner and prompt")
        term.wait_for(PROMPT)
        bind(term)
        machines_table(term)
        rows_table(term)
        stack(term)
        completion(term)
        export(term)
    except Exception as error:  # noqa: BLE001 - report any failure with the screen
        print(f"FAILED at: {step}: {type(error).__name__}: {error}")
        if term is not None and not isinstance(error, (AssertionError, TimeoutError)):
            print(term.dump())
        return 1
    finally:
        if term is not None:
            term.child.terminate(force=True)
        shutil.rmtree(base, ignore_errors=True)
    print("results pty: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
