#!/usr/bin/env python3
"""End-to-end test of the lr REPL in a real pseudo-terminal (pexpect).

Usage: repl_pty.py PATH_TO_LR [PACKAGE_ROOT]
Exits 0 when every check passed; prints the failing check and the screen tail otherwise.
Run by Tests/LRShellTests/PseudoTerminalTests.swift.
"""
import os
import shutil
import subprocess
import sys
import tempfile

import pexpect

LR = sys.argv[1]
ROOT = sys.argv[2] if len(sys.argv) > 2 else os.getcwd()
PROMPT = "lr(offline)> "
EXAMPLE = ("on machine mymachine1.contoso.com < run minidump.ps1 \"OfficeClickToRun\"; "
           "get 'C:\\windows\\TEMP\\OfficeClickToRun.dmp.zip' >")
BODY = ('{"Commands":[{"type":"RunScript","params":[{"key":"ScriptName","value":"minidump.ps1"},'
        '{"key":"Args","value":"OfficeClickToRun"}]},{"type":"GetFile","params":[{"key":"Path",'
        '"value":"C:\\\\windows\\\\TEMP\\\\OfficeClickToRun.dmp.zip"}]}],"Comment":"lr REPL"}')
UP = "\x1b[A"

state = tempfile.mkdtemp(prefix="lr-pty-")
env = dict(os.environ, XDG_STATE_HOME=state, TERM="xterm", NO_COLOR="1")
env.pop("LANG", None)
env.pop("LC_ALL", None)
env.pop("LC_CTYPE", None)  # lr must fall back to C.UTF-8 by itself
step = "start"


def spawn():
    return pexpect.spawn(LR, ["--offline"], env=env, cwd=ROOT, encoding="utf-8",
                         codec_errors="replace", timeout=10, dimensions=(50, 250))


def check(name):
    global step
    step = name


def main():
    child = spawn()
    try:
        check("prompt appears")
        child.expect_exact(PROMPT)

        check("documented example shows the JSON body")
        child.sendline(EXAMPLE)
        child.expect_exact(BODY)
        child.expect_exact(PROMPT)

        check("multi-line statement with the continuation prompt")
        child.sendline("on machine WS-1 <")
        child.expect_exact("...> ")
        child.sendline("  run Get-Processes.ps1")
        child.expect_exact("...> ")
        child.sendline(">")
        child.expect_exact("[2] on machine WS-1: 1 request")
        child.expect_exact('"value":"Get-Processes.ps1"')
        child.expect_exact(PROMPT)

        check("up arrow recalls the multi-line statement as one entry")
        child.send(UP)
        child.send("\r")
        child.expect_exact("[3] on machine WS-1: 1 request")
        child.expect_exact(PROMPT)

        # Completion redraws with cursor movements, so the checks look at what the input became.
        check("Tab completes a keyword and a stdlib module name")
        child.send("us\t")
        child.expect_exact("e")
        child.send('"win\t')
        child.expect_exact('dows"')
        child.send("\r")
        child.expect_exact(PROMPT)
        child.sendline(".history 2")
        child.expect_exact('  use "windows"')
        child.expect_exact(PROMPT)

        check("Tab completes a procedure from use \"windows\"")
        child.send("on machine WS-2 < win-memd\t")
        child.expect_exact("ump")
        child.send("lsass >\r")
        child.expect_exact('"value":"C:\\\\windows\\\\TEMP\\\\lsass.dmp.zip"')
        child.expect_exact(PROMPT)

        check("inline diagnostic with caret for a typo")
        child.sendline("on machine X < gte 'C:\\a.txt' >")
        child.expect_exact("<repl>:1:16: error: unknown command `gte`")
        child.expect_exact("^~~")
        child.expect_exact("fix-it: did you mean `get`?")
        child.expect_exact(PROMPT)

        check("a status line printed asynchronously keeps the half-typed line intact")
        child.sendline(".echo-later 400 ASYNC-STATUS-LINE")
        child.expect_exact(PROMPT)
        child.send("on machine half")
        child.expect_exact("on machine half")
        child.expect_exact("ASYNC-STATUS-LINE")
        child.expect_exact(PROMPT + "on machine half")
        child.send("way < get 'C:\\x.txt' >\r")
        child.expect_exact("on machine halfway: 1 request")
        child.expect_exact(PROMPT)

        check("Ctrl-C clears the line")
        child.send("on machine garbage <")
        child.expect_exact("garbage <")
        child.send("\x03")
        child.expect_exact("^C")
        child.expect_exact(PROMPT)
        child.sendline(".jobs")
        child.expect_exact("JOB")
        child.expect_exact(PROMPT)
        if "error" in child.before:
            raise AssertionError(".jobs after Ctrl-C reported an error: " + child.before)

        check("Ctrl-C clears a multi-line statement in progress")
        child.sendline("on machine WS-3 <")
        child.expect_exact("...> ")
        child.send("\x03")
        child.expect_exact(PROMPT)

        check("Ctrl-C on an empty line says nothing is running")
        child.send("\x03")
        child.expect_exact("nothing is running")

        check("UTF-8 input")
        child.sendline('let greeting = "é€ 😀"')
        child.expect_exact(PROMPT)
        child.sendline(".history 2")
        child.expect_exact('let greeting = "é€ 😀"')
        child.expect_exact(PROMPT)

        check("Ctrl-D exits")
        child.send("\x04")
        child.expect(pexpect.EOF)
        child.close()
        if child.exitstatus != 0:
            raise AssertionError(f"exit status {child.exitstatus}")

        check("history persists per profile")
        path = os.path.join(state, "lr", "history-offline")
        if not os.path.exists(path):
            raise AssertionError("no history file at " + path)
        child = spawn()
        child.expect_exact(PROMPT)
        child.send(UP)
        child.expect_exact(".history 2")
        child.send("\x15\x04")  # Ctrl-U, Ctrl-D
        child.expect(pexpect.EOF)

        check("non-terminal stdin runs statements like a script")
        with open(os.path.join(ROOT, "examples", "seed.lr"), "rb") as f:
            run = subprocess.run([LR, "--offline"], stdin=f, capture_output=True, env=env, cwd=ROOT,
                                 timeout=20)
        out = run.stdout.decode("utf-8", "replace")
        if run.returncode != 0 or '"Comment":"Testing Live Response API"' not in out:
            raise AssertionError(f"status {run.returncode}: {out!r} {run.stderr!r}")
        if b"\x1b" in run.stdout + run.stderr or "lr(" in out:
            raise AssertionError("escape sequences or a prompt in piped output: " + repr(out))
        script = b"on machine WS-1 <\n  run x.ps1\n>\n.output human\non machine X < gte 'a' >\n"
        run = subprocess.run([LR, "--offline"], input=script, capture_output=True, env=env, cwd=ROOT,
                             timeout=20)
        if run.returncode != 2 or b"error: unknown command `gte`" not in run.stderr:
            raise AssertionError(f"status {run.returncode}: {run.stdout!r} {run.stderr!r}")
        if b'"value":"x.ps1"' not in run.stdout or b"\x1b" in run.stdout + run.stderr:
            raise AssertionError(repr(run.stdout))
    except Exception as error:  # noqa: BLE001 - report any failure with the screen
        print(f"FAILED at: {step}: {type(error).__name__}: {error}")
        print("--- before ---")
        print(repr(getattr(child, "before", "")))
        return 1
    finally:
        shutil.rmtree(state, ignore_errors=True)
    print("pty: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
