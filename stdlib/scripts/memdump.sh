#!/usr/bin/env bash
# memdump.sh - dump the memory of a running process to /tmp/<process>.core.gz
# lr:output text
#
# Usage: memdump.sh <process-name-or-pid>
#
# Finds the process (exact name, oldest instance first; or a numeric pid) and writes its
# memory, gzip-compressed, to /tmp/<argument>.core.gz for a Live Response GetFile:
#
#   Linux  gcore (from gdb) when installed: an ELF core file that gdb can load.
#          Otherwise the readable regions of /proc/<pid>/mem are copied with dd, together
#          with /proc/<pid>/maps, into a tar archive (gunzip, then tar -xf): one file per
#          region, named <start>-<end>.bin after its address range.
#   macOS  gcore (/usr/bin/gcore), or lldb "process save-core". System Integrity Protection
#          and the hardened runtime prevent dumping Apple and many signed processes.
#
# Standard output ends with the archive path and its size in MB, e.g.
#   /tmp/nginx.core.gz
#   16 MB
# Exit codes: 0 success, 1 dump failed, 2 usage error, 3 no such process, 4 not enough
# free space in /tmp. Errors go to standard error.
#
# Runs as root under the Defender for Endpoint agent. Needs bash 3.2+ (macOS /bin/bash).

set -euo pipefail

PROG=memdump.sh
OUT_DIR=/tmp

usage() {
  cat >&2 <<EOF
usage: $PROG <process-name-or-pid>
Dumps the memory of a running process to $OUT_DIR/<process-name-or-pid>.core.gz.
EOF
}

die() {
  local code=$1
  shift
  printf '%s: error: %s\n' "$PROG" "$*" >&2
  exit "$code"
}

if [ $# -ne 1 ]; then
  usage
  exit 2
fi
case $1 in
  -h | --help)
    usage
    exit 0
    ;;
esac

target=$1
if ! [[ $target =~ ^[A-Za-z0-9._-]+$ ]]; then
  die 2 "invalid process name or pid: '$target' (letters, digits, '.', '_', '-' only)"
fi
if [ "$(id -u)" -ne 0 ]; then
  die 1 "must run as root"
fi

os=$(uname -s)
case $os in
  Linux | Darwin) ;;
  *) die 1 "unsupported operating system: $os" ;;
esac

# Resolve the pid.
if [[ $target =~ ^[0-9]+$ ]]; then
  pid=$target
  kill -0 "$pid" 2>/dev/null || die 3 "no process with pid $pid"
else
  pid=$(pgrep -o -x -- "$target" 2>/dev/null || true)
  if [ -z "$pid" ] && [ "$os" = Linux ] && [ ${#target} -gt 15 ]; then
    # Linux matches against the 15-character kernel comm name.
    pid=$(pgrep -o -x -- "${target:0:15}" 2>/dev/null || true)
  fi
  [ -n "$pid" ] || die 3 "no running process named '$target'"
fi
name=$(ps -o comm= -p "$pid" 2>/dev/null | sed 's/^ *//' || true)
instances=0
if ! [[ $target =~ ^[0-9]+$ ]]; then
  instances=$(pgrep -x -- "$target" 2>/dev/null | wc -l | tr -d ' ' || true)
fi

out="$OUT_DIR/$target.core.gz"

# Refuse to start when /tmp clearly cannot hold the dump (raw dump + compressed copy).
rss_kb=$(ps -o rss= -p "$pid" 2>/dev/null | tr -d ' ' || true)
free_kb=$(df -Pk "$OUT_DIR" | awk 'NR == 2 { print $4 }')
if [ -n "$rss_kb" ] && [ -n "$free_kb" ] && [ "$free_kb" -lt $((rss_kb * 2)) ]; then
  die 4 "not enough free space in $OUT_DIR: ${free_kb} KiB free, process resident size ${rss_kb} KiB"
fi

work=$(mktemp -d "$OUT_DIR/memdump.XXXXXX")
trap 'rm -rf "$work" "$out.partial"' EXIT

# Copies the readable regions of /proc/<pid>/mem into $1, one file per region.
dump_proc_mem() {
  local dir=$1 range perms start end copied=0 skipped=0
  cp "/proc/$pid/maps" "$dir/maps"
  while read -r range perms _; do
    case $perms in r*) ;; *) continue ;; esac
    start=$((16#${range%-*}))
    end=$((16#${range#*-}))
    # Addresses past 2^63 (the [vsyscall] page) are negative in bash arithmetic: skip them.
    if [ "$start" -lt 0 ] || [ "$end" -le "$start" ]; then
      skipped=$((skipped + 1))
      continue
    fi
    if dd if="/proc/$pid/mem" of="$dir/$range.bin" bs=1M iflag=skip_bytes,count_bytes \
      skip="$start" count="$((end - start))" 2>/dev/null; then
      copied=$((copied + 1))
    else
      rm -f "$dir/$range.bin"
      skipped=$((skipped + 1))
    fi
  done <"$dir/maps"
  printf 'regions: %d copied, %d unreadable\n' "$copied" "$skipped"
  [ "$copied" -gt 0 ]
}

method=
core="$work/core.$pid"
if [ "$os" = Linux ]; then
  if command -v gcore >/dev/null 2>&1; then
    method="gcore (ELF core)"
    if ! gcore -o "$work/core" "$pid" >"$work/gcore.log" 2>&1; then
      tail -n 5 "$work/gcore.log" >&2 || true
      die 1 "gcore failed for pid $pid"
    fi
  else
    method="/proc/$pid/mem (tar of raw regions and maps)"
    mkdir "$work/regions"
    dump_proc_mem "$work/regions" || die 1 "could not read any memory of pid $pid (ptrace restricted?)"
    tar -C "$work/regions" -cf "$core" .
    rm -rf "$work/regions"
  fi
else
  if command -v gcore >/dev/null 2>&1; then
    method="gcore (Mach-O core)"
    if ! gcore -o "$core" "$pid" >"$work/gcore.log" 2>&1; then
      tail -n 5 "$work/gcore.log" >&2 || true
      die 1 "gcore failed for pid $pid (protected by SIP or the hardened runtime?)"
    fi
  elif command -v lldb >/dev/null 2>&1; then
    method="lldb process save-core (Mach-O core)"
    if ! lldb --batch -p "$pid" -o "process save-core $core" >"$work/lldb.log" 2>&1; then
      tail -n 5 "$work/lldb.log" >&2 || true
      die 1 "lldb could not save a core of pid $pid"
    fi
  else
    die 1 "neither gcore nor lldb is available"
  fi
fi

[ -s "$core" ] || die 1 "no dump was written for pid $pid"

gzip -c "$core" >"$out.partial"
rm -f "$core"
mv -f "$out.partial" "$out"

size=$(wc -c <"$out" | tr -d ' ')
note=
if [ "$instances" -gt 1 ]; then
  note=", oldest of $instances instances"
fi
printf 'process: %s (pid %s%s)\n' "${name:-$target}" "$pid" "$note"
printf 'method: %s\n' "$method"
printf '%s\n' "$out"
printf '%d MB\n' $(((size + 524288) / 1048576))
