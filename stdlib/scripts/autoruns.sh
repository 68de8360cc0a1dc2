#!/usr/bin/env bash
# autoruns.sh - list autostart (persistence) locations on Linux and macOS
#
# Usage: autoruns.sh
#
# lr:output csv
#
# Prints CSV with a header: one record per entry, "Category,Location,Entry" (the file or
# source it was found in, and the line or name there), so that a diff between two runs or two
# hosts shows what changed and lr reads each entry as a row:
#   Linux  cron (crontab, cron.d, cron.{hourly,daily,weekly,monthly}, user crontabs,
#          anacrontab, at jobs); systemd units and timers that are enabled, with their
#          ExecStart lines, and unit files under /etc and user config folders; rc.local and
#          init.d; shell profile scripts (/etc/profile, profile.d, bashrc, zshenv, each
#          user's dotfiles); /etc/ld.so.preload; /etc/environment; udev rules; XDG
#          autostart; update-motd.d; kernel modules loaded at boot; SSH authorized_keys
#   macOS  LaunchDaemons and LaunchAgents (system, and each user) with the program they
#          run; login and background items (sfltool dumpbtm, macOS 13+); login hooks;
#          cron and periodic; shell profile scripts; system extensions;
#          authorization plugins; SSH authorized_keys
# Comment and blank lines of scripts are left out.
#
# Exit codes: 0 success, 1 failure (message on standard error), 2 usage error.
# Runs as root under the Defender for Endpoint agent. Needs bash 3.2+ (macOS /bin/bash).

set -euo pipefail

PROG=autoruns.sh

usage() {
  printf 'usage: %s\nLists autostart entries (cron, systemd/launchd, profiles, ...).\n' "$PROG" >&2
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

os=$(uname -s)
case $os in
  Linux | Darwin) ;;
  *) die "unsupported operating system: $os" ;;
esac

header() {
  printf '\n== %s ==\n' "$1"
}

# show FILE...: print the meaningful lines of each readable file, prefixed with its path.
show() {
  local f
  for f in "$@"; do
    if [ -f "$f" ] && [ -r "$f" ]; then
      grep -Ev '^[[:space:]]*(#|$)' "$f" 2>/dev/null | awk -v p="$f" '{ print p ": " $0 }' || true
    fi
  done
}

# show_dir DIR: show every regular file directly inside DIR.
show_dir() {
  local f
  [ -d "$1" ] || return 0
  for f in "$1"/*; do
    if [ -f "$f" ]; then show "$f"; fi
  done
}

# list_dir DIR: one line per file in DIR (executables in cron.daily etc.).
list_dir() {
  local f
  [ -d "$1" ] || return 0
  for f in "$1"/*; do
    if [ -e "$f" ]; then printf '%s: %s\n' "$1" "${f##*/}"; fi
  done
}

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

# to_csv: "== category ==" headers and "<location>: <entry>" lines become CSV records
# (RFC 4180 quoting: every field quoted, quotes doubled).
to_csv() {
  awk '
    function q(s) { gsub(/"/, "\"\"", s); return "\"" s "\"" }
    BEGIN { print "Category,Location,Entry" }
    /^== .* ==$/ { category = substr($0, 4, length($0) - 6); next }
    /^[[:space:]]*$/ { next }
    {
      i = index($0, ": ")
      if (i > 0) { loc = substr($0, 1, i - 1); entry = substr($0, i + 2) } else { loc = $0; entry = "" }
      print q(category) "," q(loc) "," q(entry)
    }'
}

{

header "cron and at"
show /etc/crontab /etc/anacrontab
show_dir /etc/cron.d
for d in /etc/cron.hourly /etc/cron.daily /etc/cron.weekly /etc/cron.monthly \
  /etc/periodic/daily /etc/periodic/weekly /etc/periodic/monthly; do
  list_dir "$d"
done
for d in /var/spool/cron /var/spool/cron/crontabs /usr/lib/cron/tabs /var/at/tabs; do
  show_dir "$d"
done
if command -v atq >/dev/null 2>&1; then
  atq 2>/dev/null | sed 's|^|atq: |' || true
fi

if [ "$os" = Linux ]; then
  header "systemd"
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl list-unit-files --state=enabled --no-pager --no-legend 2>/dev/null |
      while read -r unit _; do
        exec_start=$(systemctl show -p ExecStart --value "$unit" 2>/dev/null |
          sed -n 's/.*argv\[\]=\([^;]*\);.*/\1/p' | head -n 1 || true)
        printf 'enabled %s: %s\n' "$unit" "${exec_start:-}"
      done || true
    systemctl list-timers --all --no-pager --no-legend 2>/dev/null | sed 's|^|timer: |' || true
  else
    printf 'systemd is not running\n'
  fi
  for d in /etc/systemd/system /usr/local/lib/systemd/system /run/systemd/system; do
    if [ -d "$d" ]; then
      find "$d" -maxdepth 2 -type f -name '*.service' 2>/dev/null | while read -r f; do
        grep -E '^[[:space:]]*Exec(Start|StartPre|StartPost|Stop)=' "$f" 2>/dev/null |
          awk -v p="$f" '{ print p ": " $0 }' || true
      done
    fi
  done
  while read -r h; do
    show_dir "$h/.config/systemd/user"
  done < <(home_dirs)

  header "rc.local and init.d"
  show /etc/rc.local /etc/rc.d/rc.local
  list_dir /etc/init.d

  header "preload, environment, modules"
  show /etc/ld.so.preload /etc/environment /etc/modules
  show_dir /etc/modules-load.d
  show_dir /etc/udev/rules.d
  list_dir /etc/update-motd.d

  header "XDG autostart"
  show_dir /etc/xdg/autostart
  while read -r h; do
    show_dir "$h/.config/autostart"
  done < <(home_dirs)
else
  header "launchd"
  for d in /Library/LaunchDaemons /Library/LaunchAgents; do
    [ -d "$d" ] || continue
    for plist in "$d"/*.plist; do
      [ -f "$plist" ] || continue
      program=$(/usr/libexec/PlistBuddy -c 'Print :Program' "$plist" 2>/dev/null || true)
      if [ -z "$program" ]; then
        program=$(/usr/libexec/PlistBuddy -c 'Print :ProgramArguments' "$plist" 2>/dev/null |
          sed -e '1d' -e '$d' -e 's/^ *//' | tr '\n' ' ' || true)
      fi
      printf '%s: %s\n' "$plist" "$program"
    done
  done
  while read -r h; do
    [ -d "$h/Library/LaunchAgents" ] || continue
    for plist in "$h/Library/LaunchAgents"/*.plist; do
      [ -f "$plist" ] || continue
      program=$(/usr/libexec/PlistBuddy -c 'Print :Program' "$plist" 2>/dev/null || true)
      if [ -z "$program" ]; then
        program=$(/usr/libexec/PlistBuddy -c 'Print :ProgramArguments' "$plist" 2>/dev/null |
          sed -e '1d' -e '$d' -e 's/^ *//' | tr '\n' ' ' || true)
      fi
      printf '%s: %s\n' "$plist" "$program"
    done
  done < <(home_dirs)

  header "login and background items"
  if command -v sfltool >/dev/null 2>&1; then
    sfltool dumpbtm 2>/dev/null | grep -E '^[[:space:]]*(Name|Developer Name|Type|Disposition|Identifier|URL|Executable Path):' || true
  fi
  defaults read com.apple.loginwindow LoginHook 2>/dev/null | sed 's|^|LoginHook: |' || true
  defaults read com.apple.loginwindow LogoutHook 2>/dev/null | sed 's|^|LogoutHook: |' || true

  header "system extensions and authorization plugins"
  systemextensionsctl list 2>/dev/null || true
  list_dir /Library/Security/SecurityAgentPlugins
fi

header "shell profiles"
show /etc/profile /etc/bashrc /etc/bash.bashrc /etc/zshenv /etc/zprofile /etc/zshrc \
  /etc/zsh/zshenv /etc/zsh/zprofile /etc/zsh/zshrc /etc/zlogin
show_dir /etc/profile.d
while read -r h; do
  show "$h/.profile" "$h/.bash_profile" "$h/.bash_login" "$h/.bashrc" "$h/.bash_logout" \
    "$h/.zshenv" "$h/.zprofile" "$h/.zshrc" "$h/.zlogin"
done < <(home_dirs)

header "SSH authorized keys"
while read -r h; do
  show "$h/.ssh/authorized_keys" "$h/.ssh/authorized_keys2"
done < <(home_dirs)
} | to_csv
