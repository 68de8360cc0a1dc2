#!/usr/bin/env bash
# export-logs.sh - archive recent system logs to /tmp/logs.tar.gz
# lr:output text
#
# Usage: export-logs.sh [days]
#
# Collects the logs of the last [days] days (default 3) into /tmp/logs.tar.gz (folder logs/):
#   Linux  journal.txt       journalctl for the period, ISO timestamps, all units
#          journal-boots.txt list of boots (journalctl --list-boots)
#          dmesg.txt         kernel ring buffer
#          lastlog.txt       last login per account (lastlog is a sparse binary file)
#          files/var/log/... every file under /var/log changed during the period
#                            (text, rotated .gz, wtmp/btmp), except the binary journal
#                            (exported above) and lastlog
#   macOS  system.logarchive unified log for the period ("log collect", capped at 1 GiB),
#                            open with Console.app or "log show --archive";
#                            unified.log ("log show" text) if "log collect" is not possible
#          files/var/log/..., files/Library/Logs/...  files changed during the period
# Each copied file is capped at 512 MiB.
#
# Standard output ends with the archive path and its size in MB. Exit codes: 0 success,
# 1 failure (message on standard error), 2 usage error.
#
# Runs as root under the Defender for Endpoint agent. Needs bash 3.2+ (macOS /bin/bash).

set -euo pipefail

PROG=export-logs.sh
OUT=/tmp/logs.tar.gz
MAX_FILE_KB=$((512 * 1024))

usage() {
  cat >&2 <<EOF
usage: $PROG [days]
Archives the logs of the last [days] days (1-90, default 3) to $OUT.
EOF
}

die() {
  printf '%s: error: %s\n' "$PROG" "$*" >&2
  exit 1
}

days=3
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
  if ! [[ $1 =~ ^[0-9]+$ ]] || [ "$1" -lt 1 ] || [ "$1" -gt 90 ]; then
    usage
    exit 2
  fi
  days=$1
fi

os=$(uname -s)
case $os in
  Linux | Darwin) ;;
  *) die "unsupported operating system: $os" ;;
esac

STAGE=$(mktemp -d /tmp/export-logs.XXXXXX)
ROOT="$STAGE/logs"
mkdir -p "$ROOT/files"
trap 'rm -rf "$STAGE" "$OUT.partial"' EXIT

copied=0
skipped=0

# copy_recent DIR: copy files under DIR changed in the last $days days into files/.
copy_recent() {
  local dir=$1 f dest
  [ -d "$dir" ] || return 0
  while IFS= read -r -d '' f; do
    dest="$ROOT/files$(dirname "$f")"
    mkdir -p "$dest"
    if cp -p "$f" "$dest/" 2>/dev/null; then
      copied=$((copied + 1))
    else
      skipped=$((skipped + 1))
    fi
  done < <(find "$dir" -xdev -type f -mtime "-$days" -size "-${MAX_FILE_KB}k" \
    ! -path '/var/log/journal/*' ! -name lastlog -print0 2>/dev/null)
  # Count what was left out because of its size.
  local big
  big=$(find "$dir" -xdev -type f -mtime "-$days" -size "+$((MAX_FILE_KB - 1))k" \
    ! -path '/var/log/journal/*' ! -name lastlog 2>/dev/null | wc -l | tr -d ' ')
  skipped=$((skipped + big))
}

if [ "$os" = Linux ]; then
  if command -v journalctl >/dev/null 2>&1; then
    printf 'exporting the systemd journal (%s days)\n' "$days"
    journalctl --no-pager --utc -o short-iso --since "-${days}d" >"$ROOT/journal.txt" 2>&1 ||
      printf 'journalctl failed; see logs/journal.txt\n'
    journalctl --no-pager --list-boots >"$ROOT/journal-boots.txt" 2>&1 || true
  fi
  if command -v dmesg >/dev/null 2>&1; then
    dmesg >"$ROOT/dmesg.txt" 2>&1 || true
  fi
  if command -v lastlog >/dev/null 2>&1; then
    lastlog >"$ROOT/lastlog.txt" 2>&1 || true
  fi
  printf 'copying /var/log files changed in the last %s days\n' "$days"
  copy_recent /var/log
else
  printf 'collecting the unified log (%s days)\n' "$days"
  if ! log collect --last "${days}d" --size 1024m --output "$ROOT/system.logarchive" \
    >"$STAGE/log-collect.txt" 2>&1; then
    rm -rf "$ROOT/system.logarchive"
    printf 'log collect failed (%s); exporting text with log show\n' "$(tail -n 1 "$STAGE/log-collect.txt")"
    log show --last "${days}d" --style syslog --info >"$ROOT/unified.log" 2>&1 ||
      die "log show failed"
  fi
  printf 'copying /var/log and /Library/Logs files changed in the last %s days\n' "$days"
  copy_recent /var/log
  copy_recent /Library/Logs
fi

printf 'copied %d log files (%d unreadable or larger than %d MiB)\n' "$copied" "$skipped" $((MAX_FILE_KB / 1024))

tar -C "$STAGE" -czf "$OUT.partial" logs || die "could not write $OUT"
mv -f "$OUT.partial" "$OUT"

size=$(wc -c <"$OUT" | tr -d ' ')
printf '%s\n' "$OUT"
printf '%d MB\n' $(((size + 524288) / 1048576))
