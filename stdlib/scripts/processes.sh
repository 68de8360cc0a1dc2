#!/usr/bin/env bash
# processes.sh - list running processes
# lr:output text
#
# Usage: processes.sh [name-filter]
#
# Prints a table of every process: PID, PPID, user, start time, elapsed time, CPU and memory
# use, and the full command line. With [name-filter], only rows whose command line contains
# that text (case-insensitive) are printed, plus the header.
# On Linux, a second table lists each process's executable (/proc/<pid>/exe) and flags
# executables that were deleted or replaced after the process started, a common sign of
# malware that removed its own file.
#
# Exit codes: 0 success, 1 failure (message on standard error), 2 usage error.
# Runs as root under the Defender for Endpoint agent. Needs bash 3.2+ (macOS /bin/bash).

set -euo pipefail

PROG=processes.sh

usage() {
  printf 'usage: %s [name-filter]\nLists running processes (optionally only those matching name-filter).\n' "$PROG" >&2
}

die() {
  printf '%s: error: %s\n' "$PROG" "$*" >&2
  exit 1
}

filter=
if [ $# -gt 1 ]; then
  usage
  exit 2
fi
if [ $# -eq 1 ]; then
  case $1 in
    -h | --help)
      usage
      exit 0
      ;;
  esac
  if ! [[ $1 =~ ^[A-Za-z0-9._/-]+$ ]]; then
    die "invalid filter '$1' (letters, digits, '.', '_', '/', '-' only)"
  fi
  filter=$1
fi

os=$(uname -s)
case $os in
  Linux) listing=$(ps -eww -o pid,ppid,user:16,lstart,etime,pcpu,pmem,args) || die "ps failed" ;;
  Darwin) listing=$(ps -axww -o pid,ppid,user,lstart,etime,%cpu,%mem,command) || die "ps failed" ;;
  *) die "unsupported operating system: $os" ;;
esac

count=$(($(printf '%s\n' "$listing" | wc -l) - 1))
printf '# %s processes on %s at %s\n' "$count" "$(hostname)" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
printf '%s\n' "$listing" | awk -v f="$filter" 'NR == 1 || f == "" || index(tolower($0), tolower(f)) > 0'

if [ "$os" = Linux ]; then
  printf '\n# executables (/proc/<pid>/exe)\n'
  printf '%-8s %-16s %s\n' PID COMM EXE
  for dir in /proc/[0-9]*; do
    pid=${dir#/proc/}
    exe=$(readlink "$dir/exe" 2>/dev/null || true)
    [ -n "$exe" ] || continue # kernel threads have no executable
    comm=$(cat "$dir/comm" 2>/dev/null || true)
    if [ -n "$filter" ]; then
      case $(printf '%s %s' "$comm" "$exe" | tr '[:upper:]' '[:lower:]') in
        *$(printf '%s' "$filter" | tr '[:upper:]' '[:lower:]')*) ;;
        *) continue ;;
      esac
    fi
    flag=
    case $exe in *" (deleted)") flag="   <-- DELETED" ;; esac
    printf '%-8s %-16s %s%s\n' "$pid" "$comm" "$exe" "$flag"
  done | sort -n
fi
