#!/usr/bin/env python3
"""Writes a large, valid .lr file (and a Python file of the same line count) for benchmarks."""
import sys

def main():
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    lr_path = sys.argv[2] if len(sys.argv) > 2 else "bench/out/big.lr"
    py_path = sys.argv[3] if len(sys.argv) > 3 else "bench/out/big.py"
    out = ["# generated benchmark input", 'comment "benchmark sweep"', 'let dumps = \'C:\\windows\\TEMP\'']
    n = 0
    # Whole groups of 8 lines while they fit, then comment lines: exactly `lines` lines.
    while len(out) + 8 <= lines:
        out.append(f"# host group {n}")
        out.append(f"def collect{n}(process) <")
        out.append("  run minidump.ps1 $process")
        out.append('  get "${dumps}\\\\${process}.dmp.zip"')
        out.append(">")
        out.append(f"on machines [WS-{n:05d}, ws-{n:05d}.contoso.com] + tag \"group{n % 50}\" < collect{n} lsass; run Get-Processes.ps1 -Name 'svchost' >")
        out.append(f"let r{n} = on machine WS-{n:05d} < get 'C:\\Users\\Public\\file{n}.txt' >")
        out.append(f"if r{n}.exit_code == 0 and r{n}.output contains \"x\" < on machine WS-{n:05d} < put tool.exe; run a.ps1 > >")
        n += 1
    while len(out) < lines:
        out.append(f"# filler {len(out) + 1}")
    out = out[:lines]
    with open(lr_path, "w") as f:
        f.write("\n".join(out) + "\n")
    py = ["# generated benchmark input", "import os"]
    n = 0
    while len(py) + 8 <= len(out):
        py.append(f"# host group {n}")
        py.append(f"def collect{n}(process):")
        py.append(f"    run('minidump.ps1', process)")
        py.append(f"    get(f'C:\\\\windows\\\\TEMP\\\\{{process}}.dmp.zip')")
        py.append("")
        py.append(f"on(['WS-{n:05d}', 'ws-{n:05d}.contoso.com'], tag='group{n % 50}', cmds=[collect{n}('lsass'), run('Get-Processes.ps1', '-Name svchost')])")
        py.append(f"r{n} = on('WS-{n:05d}', get('C:\\\\Users\\\\Public\\\\file{n}.txt'))")
        py.append(f"if r{n}.exit_code == 0 and 'x' in r{n}.output: on('WS-{n:05d}', put('tool.exe'), run('a.ps1'))")
        n += 1
    while len(py) < len(out):
        py.append(f"# filler {len(py) + 1}")
    with open(py_path, "w") as f:
        f.write("\n".join(py[: len(out)]) + "\n")
    print(f"{lr_path}: {len(out)} lines; {py_path}: {len(py[: len(out)])} lines")

if __name__ == "__main__":
    main()
