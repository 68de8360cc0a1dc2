#!/usr/bin/env python3
"""`lr --lab` on a terminal shows its prompt without waiting for the lab to start (start-up,
issue 16.3): with a state folder where no journal can be made, the prompt still appears and an
input reports why the lab could not start (before, lr exited before the prompt); with a good
one, the lab answers inputs typed at the first prompt.
Usage: python.sh repl_lab_start_pty.py PATH_TO_LR PACKAGE_ROOT
Exits 0 when every check passed; prints the failing check with the screen otherwise.
Run by Tests/LRShellTests/PseudoTerminalTests.swift.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from terminal import Terminal, isolated_environment, require, run_checks  # noqa: E402

LR = sys.argv[1]
ROOT = sys.argv[2] if len(sys.argv) > 2 else os.getcwd()
PROMPT = "lr(lab)> "


def a_lab_that_cannot_start_still_prompts(base):
    env = isolated_environment(os.path.join(base, "broken"))
    state = os.path.join(base, "broken", "state-is-a-file")
    with open(state, "w") as handle:
        handle.write("not a folder\n")
    env["XDG_STATE_HOME"] = state
    term = Terminal([LR, "--lab"], env, ROOT, columns=120, rows=40)
    try:
        term.wait_for(PROMPT)
        mark = len(term.raw)
        term.send(".machines\r")
        term.wait_for("error", start=mark)
        term.wait_for(PROMPT, start=mark)
        term.send(".quit\r")
        require(term.wait_eof() == 0, "exit status", term)
    finally:
        term.child.terminate(force=True)


def the_lab_answers_at_the_first_prompt(base):
    env = isolated_environment(os.path.join(base, "good"))
    term = Terminal([LR, "--lab"], env, ROOT, columns=120, rows=40)
    try:
        term.wait_for(PROMPT)
        mark = len(term.raw)
        term.send(".machines ws-01\r")
        term.wait_for("ws-0142.contoso.com", start=mark)
        term.wait_for(PROMPT, start=mark)
        mark = len(term.raw)
        term.send(".profile\r")
        term.wait_for("journal", start=mark)
        term.wait_for(PROMPT, start=mark)
        require(b"starting" not in term.raw[mark:], ".profile after the lab answered", term)
        term.send(".quit\r")
        require(term.wait_eof() == 0, "exit status", term)
    finally:
        term.child.terminate(force=True)


def main():
    return run_checks("lab start pty", "lr-lab-start-pty-",
                      (a_lab_that_cannot_start_still_prompts, the_lab_answers_at_the_first_prompt))


if __name__ == "__main__":
    sys.exit(main())
