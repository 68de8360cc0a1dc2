#!/usr/bin/env python3
"""`make postgres`: a throwaway PostgreSQL for trying team mode by hand.

initdb into a temporary folder, a free loopback port, run as `postgres` through setpriv when
root (the same set-up as the tests' PostgresServer.swift and bench/team_bench.py); prints the
URL to pass as `--team` or `LR_TEAM`, then serves until Ctrl-C, when it stops and removes the
folder. Nothing is kept: it is a lab database, with the lab's default password.
"""
import os
import shutil
import signal
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from team_bench import Postgres  # noqa: E402


def main():
    work = tempfile.mkdtemp(prefix="lr-postgres-")
    os.chmod(work, 0o755)
    server = None
    try:
        server = Postgres(work)
        print(f"PostgreSQL {server.bin} on 127.0.0.1:{server.port} (folder {work})")
        print(f"  export LR_TEAM='{server.url}'")
        print("  lr run FILE --lab --team \"$LR_TEAM\"    (docs/team.md)")
        print("Ctrl-C stops it and removes the folder.", flush=True)
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None:
            server.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    main()
