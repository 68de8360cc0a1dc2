"""A program in a real pseudo-terminal (pexpect) whose output also feeds a terminal emulator (pyte),
so tests can look both at the bytes the program wrote and at the screen a user would see."""
import os
import re
import time

import pexpect
import pyte


class Terminal:
    """Spawns `argv` in a pty of `columns` x `rows`; every byte read is kept and drawn on a screen."""

    def __init__(self, argv, env, cwd, columns=120, rows=60):
        self.child = pexpect.spawn(argv[0], argv[1:], env=env, cwd=cwd, dimensions=(rows, columns))
        self.child.delaybeforesend = None  # pexpect sleeps 50 ms before each send by default
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()

    # Reading ------------------------------------------------------------------------------------

    def _read(self, timeout):
        """Reads what is available within `timeout` seconds; False at end of output."""
        try:
            data = self.child.read_nonblocking(65536, timeout=timeout)
        except pexpect.TIMEOUT:
            return True
        except pexpect.EOF:
            return False
        self.raw += data
        self.stream.feed(data)
        return True

    def wait_for(self, what, timeout=30, start=0):
        """Reads until the bytes `what` (str or bytes) appear in the output at or after `start`;
        returns the index just after them. Raises TimeoutError with the screen otherwise."""
        needle = what.encode() if isinstance(what, str) else what
        deadline = time.monotonic() + timeout
        while True:
            index = self.raw.find(needle, start)
            if index >= 0:
                return index + len(needle)
            if time.monotonic() > deadline or not self._read(0.05):
                index = self.raw.find(needle, start)
                if index >= 0:
                    return index + len(needle)
                raise TimeoutError(f"{what!r} did not appear\n{self.dump()}")

    def wait_until(self, predicate, timeout=30, describe="condition"):
        """Reads until predicate() is true."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline or not self._read(0.05):
                if predicate():
                    return
                raise TimeoutError(f"{describe} did not happen\n{self.dump()}")

    def settle(self, quiet=0.25, limit=10):
        """Reads until nothing arrives for `quiet` seconds."""
        deadline = time.monotonic() + limit
        last = len(self.raw)
        while time.monotonic() < deadline:
            if not self._read(quiet):
                return
            if len(self.raw) == last:
                return
            last = len(self.raw)

    def wait_eof(self, timeout=20):
        deadline = time.monotonic() + timeout
        while self._read(0.1):
            if time.monotonic() > deadline:
                raise TimeoutError("no end of output\n" + self.dump())
        self.child.close()
        return self.child.exitstatus

    # Writing ------------------------------------------------------------------------------------

    def send(self, text):
        self.child.send(text)

    def type(self, text, delay=0.0):
        """Types text one character at a time (a user, not a paste)."""
        for ch in text:
            self.child.send(ch)
            if delay:
                time.sleep(delay)

    def resize(self, columns, rows):
        self.child.setwinsize(rows, columns)
        self.screen.resize(rows, columns)

    # The screen ---------------------------------------------------------------------------------

    def lines(self):
        return [line.rstrip() for line in self.screen.display]

    def cursor_row(self):
        return self.screen.cursor.y

    def cursor_line(self):
        return self.lines()[self.screen.cursor.y]

    def input_rows(self, prompt):
        """The rows from the last row starting with `prompt` down to the cursor's row, joined as
        one string (the prompt and the input as wrapped on the screen)."""
        lines = self.screen.display
        row = self.screen.cursor.y
        first = row
        while first >= 0 and not lines[first].startswith(prompt):
            first -= 1
        if first < 0:
            return None
        return "".join(lines[first:row]) + lines[row].rstrip()

    def dump(self):
        screen = "\n".join(f"{i:2} |{line}" for i, line in enumerate(self.lines()) if line)
        return f"--- screen (cursor row {self.screen.cursor.y}) ---\n{screen}\n--- last bytes ---\n" \
            + repr(bytes(self.raw[-1500:]))


# Escape sequences a line editor needs: cursor movement and erasing (CSI with numeric parameters and
# a final byte in A-D, G, K, or J without the "whole screen" parameter), and the keypad mode switches.
EDITOR_SEQUENCE = re.compile(rb"\x1b\[[0-9]*[ABCDGK]|\x1b\[0?J|\x1b\[\?1[hl]|\x1b[=>]")
ANY_ESCAPE = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|.)")


def foreign_escapes(data):
    """Escape sequences in `data` that are not cursor movement or line erasing."""
    return [m.group(0) for m in ANY_ESCAPE.finditer(bytes(data))
            if not EDITOR_SEQUENCE.fullmatch(m.group(0))]


def isolated_environment(base):
    """Environment variables that keep lr's state (history, journal, results, config) in `base`."""
    for sub in ("home", "state", "config", "cache", "results"):
        os.makedirs(os.path.join(base, sub), exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LR_", "AZURE_", "LC_"))}
    env.update(HOME=os.path.join(base, "home"), XDG_STATE_HOME=os.path.join(base, "state"),
               XDG_CONFIG_HOME=os.path.join(base, "config"),
               XDG_CACHE_HOME=os.path.join(base, "cache"),
               LR_RESULTS_DIR=os.path.join(base, "results"), TERM="xterm", NO_COLOR="1",
               LANG="C.UTF-8")
    return env


def require(condition, message, term):
    """Raises AssertionError with `message` and the screen unless `condition` holds."""
    if not condition:
        raise AssertionError(message + "\n" + term.dump())


def run_checks(name, prefix, checks):
    """Runs each check(base) in a temporary folder; prints the first failure (with its screen)
    and returns 1, or prints that all passed and returns 0 (the scripts' exit status)."""
    import shutil
    import tempfile
    base = tempfile.mkdtemp(prefix=prefix)
    try:
        for check in checks:
            try:
                check(base)
            except Exception as error:  # noqa: BLE001 - report any failure with the screen
                print(f"FAILED at: {check.__name__}: {type(error).__name__}: {error}")
                return 1
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print(f"{name}: all checks passed")
    return 0
