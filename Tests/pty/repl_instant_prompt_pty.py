#!/usr/bin/env python3
"""The REPL's first prompt is drawn by the `lr` launcher before lr-core has loaded (start-up, issue
16.3): the banner shows once, keys typed at the drawn prompt before lr-core's line editor took
over are kept (a whole statement, and a half-typed line that stays intact and is finished later),
Ctrl-C and Ctrl-D at the first prompt behave as at any prompt, `lr repl` (which the launcher
does not draw for) shows the same banner and prompt, a dumb terminal gets no early prompt, and an
error before lr-core's REPL starts replaces the drawn prompt and gives the terminal its echo back,
and an lr-core that cannot start at all (the loader's error, killed, not executable, not a
program) leaves the terminal with its echo too (the launcher's guardian, or its own exec error).
Usage: python.sh repl_instant_prompt_pty.py PATH_TO_LR PACKAGE_ROOT
Exits 0 when every check passed; prints the failing check with the screen otherwise.
Run by Tests/LRShellTests/PseudoTerminalTests.swift.
"""
import contextlib
import os
import re
import shutil
import stat
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from terminal import Terminal, isolated_environment, require, run_checks  # noqa: E402

LR = sys.argv[1]
ROOT = sys.argv[2] if len(sys.argv) > 2 else os.getcwd()
PROMPT = "lr(offline)> "
STATEMENT = "on machine ws-0142 < run Get-Processes.ps1 >"


def prompt_rows(term):
    return [line for line in term.lines() if line.startswith(PROMPT)]


@contextlib.contextmanager
def repl(base, name, *arguments, terminal="xterm"):
    """`lr --offline` (or lr with `arguments`) in a pty of its own, once its prompt shows."""
    env = isolated_environment(os.path.join(base, name))
    env["TERM"] = terminal
    term = Terminal([LR, *(arguments or ("--offline",))], env, ROOT, columns=120, rows=40)
    try:
        term.wait_for(PROMPT)
        yield term
    finally:
        term.child.terminate(force=True)


def preview_shown_then_quit(term):
    """The statement's offline preview shows, then the prompt; `.quit` leaves with status 0."""
    mark = term.wait_for('"value":"Get-Processes.ps1"')
    term.wait_for(PROMPT, start=mark)
    term.settle()
    term.send(".quit\r")
    require(term.wait_eof() == 0, "exit status", term)


def keys_typed_before_the_editor_are_kept(base):
    with repl(base, "kept") as term:
        term.send(STATEMENT + "\r")  # at once: lr-core is most likely still loading
        preview_shown_then_quit(term)
        require(term.raw.count(b"Try: ") == 1, "the banner shows once", term)
        rows = prompt_rows(term)
        require(rows[0].rstrip() == PROMPT + STATEMENT, f"the statement's row: {rows}", term)
        require(len([r for r in rows if STATEMENT in r]) == 1, "the statement shows once", term)


def a_half_typed_line_stays_intact(base):
    with repl(base, "half") as term:
        term.send("on machine ws-0142 < run Get")
        time.sleep(3)  # lr-core's line editor has taken over by now, even in a debug build
        term.settle()
        require(
            term.cursor_line().rstrip() == PROMPT + "on machine ws-0142 < run Get",
            f"the half-typed line: {term.cursor_line()!r}", term)
        require(len(prompt_rows(term)) == 1, "one prompt row", term)
        term.send("-Processes.ps1 >\r")
        preview_shown_then_quit(term)


def control_keys_at_the_first_prompt(base):
    with repl(base, "keys") as term:
        term.send("\x03")  # Ctrl-C at once: lr must not die
        time.sleep(3)
        term.send("\x03")  # and again once the editor runs
        time.sleep(0.5)
        require(term.child.isalive(), "lr is still running after Ctrl-C", term)
        term.send("\x04")  # Ctrl-D on an empty line leaves
        require(term.wait_eof() == 0, "Ctrl-D leaves with status 0", term)


def the_subcommand_draws_the_same(base):
    screens = []
    for arguments in (("--offline",), ("repl", "--offline")):
        with repl(base, "repl", *arguments) as term:
            time.sleep(2)
            term.settle()
            screens.append([line.rstrip() for line in term.lines() if line.strip()])
            term.send("\x04")
            require(term.wait_eof() == 0, "exit status", term)
    if screens[0] != screens[1]:
        raise AssertionError(f"lr --offline and lr repl --offline differ:\n{screens[0]}\n{screens[1]}")


def a_dumb_terminal_gets_no_early_prompt(base):
    """TERM=dumb (an editor's shell buffer): the launcher draws nothing, so nothing clears a
    line; lr-core prints the banner and prompt itself, once."""
    for terminal, cleared in (("xterm", True), ("dumb", False)):
        with repl(base, terminal, terminal=terminal) as term:
            time.sleep(2)
            term.settle()
            require((b"\r\x1b[K" in term.raw) == cleared, f"TERM={terminal}: line cleared", term)
            require(term.raw.count(b"Try: ") == 1, f"TERM={terminal}: the banner once", term)


def a_lab_whose_team_cannot_open_replaces_the_prompt(base):
    """`lr --lab` with an unreachable team database: lr-core exits 3 before its REPL starts; its
    error replaces the drawn prompt's line, and the terminal has its echo back (`stty -a` after)."""
    env = isolated_environment(os.path.join(base, "team"))
    env["LR_TEAM"] = "postgres://lr@127.0.0.1:1/lr"
    script = f"'{LR}' --lab; echo status $?; stty -a"
    term = Terminal(["/bin/sh", "-c", script], env, ROOT, columns=200, rows=40)
    try:
        term.wait_eof(timeout=60)
        require(b"lr(lab)> \r\x1b[Klr: error: the team database" in term.raw, "error on the line",
                term)
        require(b"status 3" in term.raw, "exit status 3", term)
        require(re.search(rb"[ ;]echo[ ;]", term.raw.split(b"status 3")[-1]) is not None,
                "echo is on again", term)
    finally:
        term.child.terminate(force=True)


LOADER_ERROR = ("error while loading shared libraries: libedit.so.2: cannot open shared object "
                "file: No such file or directory")
BROKEN_CORES = (
    # (name, lr-core's text, executable, exit status, text shown, the prompt's line cleared (None:
    # not checked), whether the launcher's guardian restores the terminal (else lr itself does))
    ("loader", f"#!/bin/sh\necho \"$0: {LOADER_ERROR}\" >&2\nexit 127\n", True, 127,
     LOADER_ERROR.encode(), False, True),
    ("killed", "#!/bin/sh\nkill -KILL $$\n", True, 137, b"", None, True),
    ("not executable", "#!/bin/sh\nexit 0\n", False, 3, b"lr: lr-core is missing", False, False),
    ("not a program", "garbage, not a program\n", True, 3,
     b"lr(offline)> \r\x1b[Klr: cannot start", True, False),
)


def broken_core_leaves_the_echo_on(base):
    """The launcher beside an lr-core that cannot start (a library missing, killed at once, not
    executable, not a program): after lr exits, `stty -a` in the same terminal shows `echo`, and
    the error is on the screen; when nothing was printed the drawn prompt's line is cleared.
    The guardian is woken as lr-core's descriptors close, a moment before the shell learns that lr
    ended, but on a loaded machine the shell may run first: a short pause before `stty -a` there
    (and the killed case's line, cleared by the guardian or not, is not checked for that reason).
    The launcher's own exec error restores the terminal before lr exits: no pause."""
    launcher = os.path.join(os.path.dirname(os.path.abspath(LR)), "lr")
    for name, text, executable, status, shown, cleared, guarded in BROKEN_CORES:
        folder = os.path.join(base, "core-" + name.replace(" ", "-"))
        os.makedirs(folder)
        shutil.copy(launcher, os.path.join(folder, "lr"))
        core = os.path.join(folder, "lr-core")
        with open(core, "w") as file:
            file.write(text)
        os.chmod(core, 0o755 if executable else 0o644)
        env = isolated_environment(os.path.join(folder, "home"))
        env["TERM"] = "xterm"
        pause = "sleep 0.3; " if guarded else ""
        script = f"'{folder}/lr' --offline; echo status $?; {pause}stty -a"
        term = Terminal(["/bin/sh", "-c", script], env, ROOT, columns=200, rows=40)
        try:
            term.wait_eof(timeout=30)
            after = term.raw.split(f"status {status}".encode())
            require(len(after) == 2, f"{name}: exit status {status}", term)
            require(re.search(rb"[ ;]echo[ ;]", after[1]) is not None, f"{name}: echo is on", term)
            require(shown in after[0], f"{name}: the error is shown", term)
            if cleared is not None:
                require((PROMPT.encode() + b"\r\x1b[K" in after[0]) == cleared,
                        f"{name}: the prompt's line cleared: {cleared}", term)
        finally:
            term.child.terminate(force=True)


def keys_typed_for_a_dead_core_do_not_reach_the_shell(base):
    """Keys typed at the drawn prompt of an lr-core that then dies (killed here) were meant for lr
    and never echoed: the guardian discards them, so the shell after lr does not read them."""
    launcher = os.path.join(os.path.dirname(os.path.abspath(LR)), "lr")
    folder = os.path.join(base, "core-dies-later")
    os.makedirs(folder)
    shutil.copy(launcher, os.path.join(folder, "lr"))
    with open(os.path.join(folder, "lr-core"), "w") as file:
        file.write("#!/bin/sh\nsleep 0.5\nkill -KILL $$\n")
    os.chmod(os.path.join(folder, "lr-core"), 0o755)
    env = isolated_environment(os.path.join(folder, "home"))
    env["TERM"] = "xterm"
    script = f"'{folder}/lr' --offline; echo status $?; sleep 0.3; read -t 1 x; echo \"got[$x]\""
    term = Terminal(["/bin/bash", "-c", script], env, ROOT, columns=200, rows=40)
    try:
        term.wait_for(PROMPT)
        term.send("typed early\r")
        term.wait_eof(timeout=30)
        require(b"status 137" in term.raw, "exit status 137", term)
        require(b"got[]" in term.raw, "the shell read nothing", term)
        require(b"typed early" not in term.raw, "the keys were never shown", term)
    finally:
        term.child.terminate(force=True)


def main():
    return run_checks("instant prompt pty", "lr-instant-pty-",
                      (keys_typed_before_the_editor_are_kept, a_half_typed_line_stays_intact,
                       control_keys_at_the_first_prompt, the_subcommand_draws_the_same,
                       a_dumb_terminal_gets_no_early_prompt,
                       a_lab_whose_team_cannot_open_replaces_the_prompt,
                       broken_core_leaves_the_echo_on,
                       keys_typed_for_a_dead_core_do_not_reach_the_shell))


if __name__ == "__main__":
    sys.exit(main())
