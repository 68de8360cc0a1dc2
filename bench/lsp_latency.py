#!/usr/bin/env python3
"""Diagnostics latency of `lr lsp` after an edit, over real stdio (Content-Length framing).

Usage: lsp_latency.py LR_BINARY FILE.lr [EDITS]
Opens FILE.lr, then makes EDITS single-character edits (each after a pause longer than the
debounce, alternately breaking and fixing a command in the middle of the file) and measures the
time from writing each didChange to reading the publishDiagnostics for that version. Then a burst
of 10 edits 10 ms apart (coalesced by the debounce). Baselines in the same run: `lr check` on the
same file, and Python's json.loads of the didOpen message.
"""
import json, os, queue, statistics, subprocess, sys, threading, time


def frame(obj):
    body = json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def reader(stream, out):
    buf = b""
    while True:
        chunk = stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536)
        if not chunk:
            out.put(None)
            return
        buf += chunk
        while True:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                break
            length = None
            for line in buf[:end].split(b"\r\n"):
                k, _, v = line.partition(b":")
                if k.strip().lower() == b"content-length":
                    length = int(v.strip())
            if length is None or len(buf) < end + 4 + length:
                break
            body = buf[end + 4:end + 4 + length]
            buf = buf[end + 4 + length:]
            out.put((time.perf_counter(), json.loads(body)))


def main():
    lr, path = sys.argv[1], os.path.abspath(sys.argv[2])
    edits = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    text = open(path, encoding="utf-8").read()
    lines = text.split("\n")
    uri = "file://" + path
    proc = subprocess.Popen([lr, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    q = queue.Queue()
    threading.Thread(target=reader, args=(proc.stdout, q), daemon=True).start()

    def send(obj):
        proc.stdin.write(frame(obj))
        proc.stdin.flush()

    def wait_for(pred, timeout=30):
        deadline = time.perf_counter() + timeout
        while True:
            item = q.get(timeout=max(0.001, deadline - time.perf_counter()))
            if item is None:
                raise SystemExit("lr lsp exited")
            t, msg = item
            if pred(msg):
                return t, msg

    def diagnostics_for(version):
        return lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == version

    send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}})
    wait_for(lambda m: m.get("id") == 1)
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    open_msg = {"jsonrpc": "2.0", "method": "textDocument/didOpen",
                "params": {"textDocument": {"uri": uri, "languageId": "lr", "version": 1, "text": text}}}
    t0 = time.perf_counter()
    send(open_msg)
    t1, msg = wait_for(diagnostics_for(1))
    open_ms = (t1 - t0) * 1000
    base_errors = len(msg["params"]["diagnostics"])

    # Find a `run` command near the middle to break (`run` -> `rnu`) and fix again.
    middle = len(lines) // 2
    target = next(i for i in range(middle, len(lines)) if "  run " in lines[i])
    col = lines[target].index("run")
    version = 1
    latencies = []
    for k in range(edits):
        time.sleep(0.3)
        version += 1
        new = "rnu" if k % 2 == 0 else "run"
        change = {"range": {"start": {"line": target, "character": col}, "end": {"line": target, "character": col + 3}}, "text": new}
        t0 = time.perf_counter()
        send({"jsonrpc": "2.0", "method": "textDocument/didChange",
              "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}})
        t1, msg = wait_for(diagnostics_for(version))
        latencies.append((t1 - t0) * 1000)
        expected = base_errors + (1 if k % 2 == 0 else 0)
        if len(msg["params"]["diagnostics"]) < expected:
            raise SystemExit(f"edit {k}: expected the broken command to be reported")

    # A burst: 10 edits 10 ms apart; time from the last edit to its diagnostics.
    time.sleep(0.3)
    for k in range(10):
        version += 1
        change = {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "#" if k % 2 == 0 else ""}
        if k % 2 == 1:
            change["range"]["end"]["character"] = 1
        t_last = time.perf_counter()
        send({"jsonrpc": "2.0", "method": "textDocument/didChange",
              "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}})
        time.sleep(0.01)
    t1, _ = wait_for(diagnostics_for(version))
    burst_ms = (t1 - t_last) * 1000

    # Baseline in the same server: the same kind of edit in a 9-line file (framing, JSON,
    # document store, position conversion and publishing, with almost no analysis).
    small_uri = "file://" + os.path.join(os.path.dirname(path), "lsp-small.lr")
    small = "\n".join(lines[:9]) + "\n"
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
          "params": {"textDocument": {"uri": small_uri, "languageId": "lr", "version": 1, "text": small}}})
    wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == small_uri)
    small_lines = small.split("\n")
    small_target = next(i for i in range(len(small_lines)) if "  run " in small_lines[i])
    small_col = small_lines[small_target].index("run")
    small_latencies = []
    for k in range(edits):
        time.sleep(0.3)
        v = k + 2
        change = {"range": {"start": {"line": small_target, "character": small_col}, "end": {"line": small_target, "character": small_col + 3}}, "text": "rnu" if k % 2 == 0 else "run"}
        t0 = time.perf_counter()
        send({"jsonrpc": "2.0", "method": "textDocument/didChange",
              "params": {"textDocument": {"uri": small_uri, "version": v}, "contentChanges": [change]}})
        t1, _ = wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == small_uri and m["params"].get("version") == v)
        small_latencies.append((t1 - t0) * 1000)

    send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    wait_for(lambda m: m.get("id") == 2)
    send({"jsonrpc": "2.0", "method": "exit"})
    proc.wait(timeout=10)

    # Baselines.
    checks = []
    for _ in range(5 if os.environ.get("NO_CHECK_BASELINE") is None else 0):
        t0 = time.perf_counter()
        subprocess.run([lr, "check", path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        checks.append((time.perf_counter() - t0) * 1000)
    body = json.dumps(open_msg)
    t0 = time.perf_counter()
    for _ in range(10):
        json.loads(body)
    parse_ms = (time.perf_counter() - t0) * 100

    latencies.sort()
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
    print(f"file: {len(lines)} lines, {len(text.encode())} bytes")
    print(f"didOpen -> diagnostics: {open_ms:.1f} ms")
    print(f"edit -> diagnostics ({edits} edits after a pause): median {statistics.median(latencies):.1f} ms, p90 {p(0.9):.1f} ms, p95 {p(0.95):.1f} ms, max {latencies[-1]:.1f} ms")
    print(f"burst of 10 edits 10 ms apart, last edit -> diagnostics: {burst_ms:.1f} ms (includes the debounce)")
    if checks:
        print(f"baseline: lr check on the same file (process start included): median {statistics.median(checks):.1f} ms")
    print(f"baseline: the same edit in a 9-line file, same server: median {statistics.median(small_latencies):.1f} ms")
    print(f"baseline: python json.loads of the didOpen message: {parse_ms:.1f} ms")


if __name__ == "__main__":
    main()
