#!/usr/bin/env bash
# sleep.sh - sleep for a number of seconds (cancel and timeout exercises)
# lr:output text
#
# Usage: sleep.sh <seconds>
#
# Prints when it starts, sleeps, and prints when it is done. Live Response stops a script
# after 10 minutes, so "sleep.sh 900" demonstrates a TimeOut, and a long sleep is a safe
# way to practise cancelling an action.
#
# Exit codes: 0 when the sleep completes, 2 usage error.

set -euo pipefail

PROG=sleep.sh

if [ $# -ne 1 ] || ! [[ $1 =~ ^[0-9]+$ ]] || [ "$1" -gt 86400 ]; then
  printf 'usage: %s <seconds>   (0-86400)\n' "$PROG" >&2
  exit 2
fi

printf 'sleeping %s seconds on %s from %s\n' "$1" "$(hostname)" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
sleep "$1"
printf 'slept %s seconds\n' "$1"
