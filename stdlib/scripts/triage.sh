#!/usr/bin/env bash
# triage.sh - collect a first-response triage archive from a Linux or macOS device
# lr:output text
#
# Usage: triage.sh [days]
#
# Collects into /tmp/triage.tar.gz (one folder, triage/):
#   system.txt        uname, OS release, uptime, date, time zone, kernel modules / kexts
#   processes.txt     full process list with parents, users, start times and command lines;
#                     on Linux also executables that were deleted while running
#   network.txt       sockets with owning processes (ss / netstat / lsof), interfaces,
#                     routes, ARP/neighbour table, /etc/hosts, resolver configuration
#   users.txt         accounts (UID 0 ones first), groups, sudoers, logged-in users,
#                     last logins, failed logins, SSH authorized_keys of every account
#   accounts-diff.txt /etc/passwd and /etc/group against their backups (passwd-, group-),
#                     shadow changes without the password hashes (Linux);
#                     Directory Service users and admin group (macOS)
#   cron.txt          system and user crontabs, cron.d, anacrontab, at jobs, periodic
#   services.txt      systemd units, unit files and timers (Linux);
#                     launchd jobs and LaunchAgents/LaunchDaemons (macOS)
#   recent-tmp.txt    files changed in the last [days] days in /tmp, /var/tmp, /dev/shm
#   files/            copies of shell histories, crontabs, unit files, sudoers, ld.so.preload,
#                     rc.local, authorized_keys, launchd plists (each capped at 10 MiB)
#   errors.txt        what could not be collected
#   manifest.sha256   SHA-256 of every collected file
#
# Standard output: a line per section, a count, then the archive path and its size in MB
# as the last two lines. Exit code 0 when the archive was written (sections that fail are
# recorded in errors.txt); 1 if it could not be written; 2 usage error.
#
# Runs as root under the Defender for Endpoint agent. Needs bash 3.2+ (macOS /bin/bash).

set -euo pipefail

PROG=triage.sh
OUT=/tmp/triage.tar.gz
MAX_COPY=$((10 * 1024 * 1024))

usage() {
  cat >&2 <<EOF
usage: $PROG [days]
Collects a triage archive to $OUT; [days] (default 7) bounds "recently modified" listings.
EOF
}

die() {
  printf '%s: error: %s\n' "$PROG" "$*" >&2
  exit 1
}

days=7
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
  if ! [[ $1 =~ ^[0-9]+$ ]] || [ "$1" -lt 1 ] || [ "$1" -gt 365 ]; then
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

STAGE=$(mktemp -d /tmp/triage.XXXXXX)
ROOT="$STAGE/triage"
ERRLOG="$ROOT/errors.txt"
mkdir -p "$ROOT/files"
: >"$ERRLOG"
trap 'rm -rf "$STAGE" "$OUT.partial"' EXIT

note_error() {
  printf '%s\n' "$*" >>"$ERRLOG"
}

# cap FILE CMD [ARG...]: append the output of CMD to FILE under a header; never fails.
cap() {
  local file="$ROOT/$1"
  shift
  if ! command -v "$1" >/dev/null 2>&1; then
    printf '\n### %s: not available\n' "$1" >>"$file"
    return 0
  fi
  printf '\n### %s\n' "$*" >>"$file"
  local status=0
  "$@" >>"$file" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then
    note_error "${file##*/}: '$*' exited with status $status"
  fi
  return 0
}

# section FILE TITLE: start a section file with a title line.
section() {
  printf '# %s - %s - collected %s\n' "$2" "$(hostname)" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$ROOT/$1"
  printf 'collecting %s\n' "$2"
}

# copyf FILE...: copy readable regular files under files/<original path>; never fails.
copyf() {
  local f dest size
  for f in "$@"; do
    if [ -f "$f" ] && [ -r "$f" ]; then
      dest="$ROOT/files$(dirname "$f")"
      mkdir -p "$dest" 2>/dev/null || { note_error "mkdir failed: $dest"; continue; }
      size=$(wc -c <"$f" 2>/dev/null | tr -d ' ' || echo 0)
      if [ "${size:-0}" -gt "$MAX_COPY" ]; then
        tail -c "$MAX_COPY" "$f" >"$dest/$(basename "$f")" 2>/dev/null || note_error "copy failed: $f"
        note_error "truncated to the last $MAX_COPY bytes: $f ($size bytes)"
      else
        cp -p "$f" "$dest/" 2>/dev/null || note_error "copy failed: $f"
      fi
    fi
  done
}

# copy_dir DIR: copyf every regular file directly in DIR.
copy_dir() {
  local f
  [ -d "$1" ] || return 0
  for f in "$1"/* "$1"/.[!.]*; do
    if [ -f "$f" ]; then copyf "$f"; fi
  done
}

# Home directories of all accounts (deduplicated, existing only).
home_dirs() {
  if [ "$os" = Darwin ]; then
    for d in /var/root /Users/*; do
      if [ -d "$d" ] && [ "$d" != /Users/Shared ]; then printf '%s\n' "$d"; fi
    done
  else
    awk -F: '$6 != "" && $6 != "/" { print $6 }' /etc/passwd | sort -u | while read -r d; do
      if [ -d "$d" ]; then printf '%s\n' "$d"; fi
    done
  fi
}

# ---------------------------------------------------------------- system
section system.txt "system"
cap system.txt uname -a
cap system.txt hostname
cap system.txt date -u
cap system.txt uptime
cap system.txt id
if [ "$os" = Darwin ]; then
  cap system.txt sw_vers
  cap system.txt systemsetup -gettimezone
  cap system.txt csrutil status
  cap system.txt kextstat -l
  cap system.txt systemextensionsctl list
else
  cap system.txt cat /etc/os-release
  cap system.txt timedatectl
  cap system.txt lsmod
  cap system.txt cat /proc/cmdline
  cap system.txt cat /etc/ld.so.preload
  cap system.txt mount
fi

# ---------------------------------------------------------------- processes
section processes.txt "processes"
if [ "$os" = Darwin ]; then
  cap processes.txt ps -axww -o pid,ppid,user,lstart,etime,%cpu,%mem,command
else
  cap processes.txt ps -eww -o pid,ppid,user,lstart,etime,pcpu,pmem,args
  {
    printf '\n### running executables that were deleted or replaced (/proc/*/exe)\n'
    for exe in /proc/[0-9]*/exe; do
      target=$(readlink "$exe" 2>/dev/null || true)
      case $target in
        *" (deleted)") printf '%s %s\n' "$(basename "$(dirname "$exe")")" "$target" ;;
      esac
    done
  } >>"$ROOT/processes.txt"
fi

# ---------------------------------------------------------------- network
section network.txt "network"
if [ "$os" = Darwin ]; then
  cap network.txt netstat -anv -p tcp
  cap network.txt netstat -anv -p udp
  cap network.txt lsof -nP -i
  cap network.txt ifconfig -a
  cap network.txt netstat -rn
  cap network.txt arp -an
  cap network.txt scutil --dns
else
  if command -v ss >/dev/null 2>&1; then
    cap network.txt ss -tunap
  else
    cap network.txt netstat -tunap
  fi
  cap network.txt lsof -nP -i
  cap network.txt ip addr
  cap network.txt ip route
  cap network.txt ip neigh
  cap network.txt iptables-save
  cap network.txt cat /etc/resolv.conf
fi
cap network.txt cat /etc/hosts

# ---------------------------------------------------------------- users and logins
section users.txt "users and logins"
if [ "$os" = Darwin ]; then
  cap users.txt dscl . -list /Users UniqueID
  cap users.txt dscl . -read /Groups/admin GroupMembership
else
  {
    printf '\n### accounts with UID 0\n'
    awk -F: '$3 == 0' /etc/passwd
    printf '\n### accounts with a login shell\n'
    grep -Ev ':(/usr/sbin/nologin|/sbin/nologin|/bin/false|/usr/bin/false)$' /etc/passwd || true
  } >>"$ROOT/users.txt" 2>&1
  cap users.txt cat /etc/passwd
  cap users.txt cat /etc/group
  cap users.txt lastlog
  cap users.txt lastb -n 200
fi
cap users.txt who -a
cap users.txt w
if command -v last >/dev/null 2>&1; then
  printf '\n### last (200 most recent)\n' >>"$ROOT/users.txt"
  { last 2>&1 | head -n 200; } >>"$ROOT/users.txt" || true
fi
copyf /etc/sudoers
copy_dir /etc/sudoers.d

# ---------------------------------------------------------------- account diffs
section accounts-diff.txt "account changes"
if [ "$os" = Linux ]; then
  for f in /etc/passwd /etc/group; do
    if [ -f "$f-" ]; then
      printf '\n### diff -u %s- %s\n' "$f" "$f" >>"$ROOT/accounts-diff.txt"
      diff -u "$f-" "$f" >>"$ROOT/accounts-diff.txt" 2>&1 || true
    else
      printf '\n### %s-: no backup to compare with\n' "$f" >>"$ROOT/accounts-diff.txt"
    fi
  done
  if [ -r /etc/shadow ] && [ -r /etc/shadow- ]; then
    printf '\n### shadow changes (password hashes removed)\n' >>"$ROOT/accounts-diff.txt"
    diff -u <(cut -d: -f1,3- /etc/shadow-) <(cut -d: -f1,3- /etc/shadow) \
      >>"$ROOT/accounts-diff.txt" 2>&1 || true
  fi
  cap accounts-diff.txt ls -la --time-style=full-iso /etc/passwd /etc/passwd- /etc/shadow /etc/group /etc/sudoers
else
  cap accounts-diff.txt dscl . -list /Users
  cap accounts-diff.txt ls -la /var/db/dslocal/nodes/Default/users
fi

# ---------------------------------------------------------------- cron and at
section cron.txt "cron, at and periodic jobs"
for f in /etc/crontab /etc/anacrontab /etc/cron.allow /etc/cron.deny; do
  if [ -f "$f" ]; then cap cron.txt cat "$f"; fi
  copyf "$f"
done
for d in /etc/cron.d /etc/cron.hourly /etc/cron.daily /etc/cron.weekly /etc/cron.monthly \
  /var/spool/cron /var/spool/cron/crontabs /usr/lib/cron/tabs /var/at/tabs \
  /etc/periodic/daily /etc/periodic/weekly /etc/periodic/monthly; do
  if [ -d "$d" ]; then
    cap cron.txt ls -la "$d"
    copy_dir "$d"
  fi
done
cap cron.txt atq

# ---------------------------------------------------------------- services
section services.txt "services and scheduled units"
if [ "$os" = Darwin ]; then
  cap services.txt launchctl list
  for d in /Library/LaunchDaemons /Library/LaunchAgents /System/Library/LaunchDaemons; do
    cap services.txt ls -la "$d"
  done
  copy_dir /Library/LaunchDaemons
  copy_dir /Library/LaunchAgents
  while read -r h; do
    if [ -d "$h/Library/LaunchAgents" ]; then
      cap services.txt ls -la "$h/Library/LaunchAgents"
      copy_dir "$h/Library/LaunchAgents"
    fi
  done < <(home_dirs)
else
  if command -v systemctl >/dev/null 2>&1; then
    cap services.txt systemctl list-units --all --no-pager
    cap services.txt systemctl list-unit-files --no-pager
    cap services.txt systemctl list-timers --all --no-pager
    copy_dir /etc/systemd/system
    copy_dir /run/systemd/system
  else
    cap services.txt service --status-all
  fi
  cap services.txt ls -la /etc/init.d
  copyf /etc/rc.local
fi

# ---------------------------------------------------------------- shell histories, keys
section histories.txt "shell histories and SSH keys"
while read -r h; do
  for f in .bash_history .zsh_history .sh_history .ash_history .history .python_history \
    .mysql_history .psql_history .lesshst .viminfo .wget-hsts .ssh/authorized_keys \
    .ssh/authorized_keys2 .ssh/known_hosts; do
    if [ -f "$h/$f" ]; then
      printf '%s\n' "$h/$f" >>"$ROOT/histories.txt"
      copyf "$h/$f"
    fi
  done
  if [ -d "$h/.zsh_sessions" ]; then copy_dir "$h/.zsh_sessions"; fi
done < <(home_dirs)

# ---------------------------------------------------------------- recent files in tmp
section recent-tmp.txt "files changed in the last $days days in temporary folders"
# -H: on macOS /tmp and /var/tmp are symbolic links into /private.
for d in /tmp /var/tmp /dev/shm; do
  if [ -d "$d" ]; then
    printf '\n### %s\n' "$d" >>"$ROOT/recent-tmp.txt"
    find -H "$d" -xdev -path "$STAGE" -prune -o -mtime "-$days" -exec ls -lad {} + \
      >>"$ROOT/recent-tmp.txt" 2>/dev/null || true
  fi
done

# ---------------------------------------------------------------- manifest and archive
printf 'writing manifest\n'
if command -v sha256sum >/dev/null 2>&1; then
  hasher="sha256sum"
else
  hasher="shasum -a 256"
fi
# The manifest is written outside triage/ while hashing, then moved in.
# shellcheck disable=SC2086 # $hasher is a command with its options
(cd "$ROOT" && find . -type f -exec $hasher {} + >"$STAGE/manifest.sha256") ||
  note_error "manifest incomplete"
mv -f "$STAGE/manifest.sha256" "$ROOT/manifest.sha256"

files=$(find "$ROOT" -type f | wc -l | tr -d ' ')
problems=$(wc -l <"$ERRLOG" | tr -d ' ')

tar -C "$STAGE" -czf "$OUT.partial" triage || die "could not write $OUT"
mv -f "$OUT.partial" "$OUT"

size=$(wc -c <"$OUT" | tr -d ' ')
printf 'collected %s artefacts (%s problems, see triage/errors.txt)\n' "$files" "$problems"
printf '%s\n' "$OUT"
printf '%d MB\n' $(((size + 524288) / 1048576))
