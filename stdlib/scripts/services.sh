#!/usr/bin/env bash
# services.sh - list services
# lr:output text
#
# Usage: services.sh
#
# Linux (systemd): every service unit with its load/active/sub state, then the enablement
#   state of every service unit file, then timers. Without systemd: "service --status-all"
#   and the contents of /etc/init.d.
# macOS (launchd): "launchctl list" (PID, last exit status, label) for the system domain,
#   then each LaunchDaemon/LaunchAgent plist with the program it starts.
#
# Exit codes: 0 success, 1 failure (message on standard error), 2 usage error.
# Runs as root under the Defender for Endpoint agent. Needs bash 3.2+ (macOS /bin/bash).

set -euo pipefail

PROG=services.sh

usage() {
  printf 'usage: %s\nLists services (systemd, SysV init or launchd).\n' "$PROG" >&2
}

die() {
  printf '%s: error: %s\n' "$PROG" "$*" >&2
  exit 1
}

case ${1:-} in
  -h | --help)
    usage
    exit 0
    ;;
  "") ;;
  *)
    usage
    exit 2
    ;;
esac

# The program a launchd plist starts (Program, or ProgramArguments joined by spaces).
plist_program() {
  local plist=$1 program
  program=$(/usr/libexec/PlistBuddy -c 'Print :Program' "$plist" 2>/dev/null || true)
  if [ -z "$program" ]; then
    program=$(/usr/libexec/PlistBuddy -c 'Print :ProgramArguments' "$plist" 2>/dev/null |
      sed -e '1d' -e '$d' -e 's/^ *//' | tr '\n' ' ' || true)
  fi
  printf '%s' "$program"
}

os=$(uname -s)
printf '# services on %s at %s\n' "$(hostname)" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
case $os in
  Linux)
    if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
      systemctl list-units --type=service --all --no-pager || die "systemctl list-units failed"
      printf '\n'
      systemctl list-unit-files --type=service --no-pager || true
      printf '\n'
      systemctl list-timers --all --no-pager || true
    else
      printf '# systemd is not running; SysV init scripts\n'
      if command -v service >/dev/null 2>&1; then
        service --status-all 2>&1 || true
      fi
      ls -la /etc/init.d 2>/dev/null || true
    fi
    ;;
  Darwin)
    launchctl list || die "launchctl list failed"
    for dir in /Library/LaunchDaemons /Library/LaunchAgents /System/Library/LaunchDaemons; do
      [ -d "$dir" ] || continue
      printf '\n# %s\n' "$dir"
      for plist in "$dir"/*.plist; do
        [ -f "$plist" ] || continue
        printf '%s: %s\n' "${plist##*/}" "$(plist_program "$plist")"
      done
    done
    ;;
  *) die "unsupported operating system: $os" ;;
esac
