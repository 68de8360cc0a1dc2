#!/usr/bin/env bash
# filehash.sh - hash a file and report its metadata
# lr:output text
#
# Usage: filehash.sh <path>
#
# Prints, one "key: value" per line: path, type, size, SHA-256, SHA-1, MD5, owner, group,
# mode, access/modify/change/birth times (UTC), and on macOS the code signature
# (codesign) and quarantine attribute (where the file was downloaded from).
# The first line is "<sha256>  <path>" (sha256sum format), so the output can be checked
# with "sha256sum -c" and matched against indicators directly.
#
# Live Response passes arguments split on spaces; a path containing spaces arrives as
# several words, which the script joins again with single spaces.
#
# Exit codes: 0 success, 1 failure, 2 usage error, 3 file not found or not a regular file.
# Runs as root under the Defender for Endpoint agent. Needs bash 3.2+ (macOS /bin/bash).

set -euo pipefail

PROG=filehash.sh

usage() {
  printf 'usage: %s <path>\nPrints SHA-256, SHA-1, MD5, size and timestamps of a file.\n' "$PROG" >&2
}

die() {
  local code=$1
  shift
  printf '%s: error: %s\n' "$PROG" "$*" >&2
  exit "$code"
}

if [ $# -eq 0 ]; then
  usage
  exit 2
fi
case $1 in
  -h | --help)
    usage
    exit 0
    ;;
esac

path="$*"
if [ ! -e "$path" ] && [ -e "$1" ]; then
  path=$1
fi
[ -e "$path" ] || die 3 "no such file: $path"
[ -f "$path" ] || die 3 "not a regular file: $path"
[ -r "$path" ] || die 1 "cannot read: $path"

os=$(uname -s)
case $os in
  Linux)
    sha256=$(sha256sum -- "$path" | awk '{ print $1 }')
    sha1=$(sha1sum -- "$path" | awk '{ print $1 }')
    md5=$(md5sum -- "$path" | awk '{ print $1 }')
    IFS='|' read -r size owner group mode atime mtime ctime btime < <(
      TZ=UTC stat -c '%s|%U|%G|%a|%x|%y|%z|%w' -- "$path"
    )
    ;;
  Darwin)
    sha256=$(shasum -a 256 "$path" | awk '{ print $1 }')
    sha1=$(shasum -a 1 "$path" | awk '{ print $1 }')
    md5=$(md5 -q "$path")
    IFS='|' read -r size owner group mode atime mtime ctime btime < <(
      TZ=UTC stat -t '%Y-%m-%d %H:%M:%S UTC' -f '%z|%Su|%Sg|%Lp|%Sa|%Sm|%Sc|%SB' "$path"
    )
    ;;
  *) die 1 "unsupported operating system: $os" ;;
esac

printf '%s  %s\n' "$sha256" "$path"
printf 'path:     %s\n' "$path"
if command -v file >/dev/null 2>&1; then
  printf 'type:     %s\n' "$(file -b -- "$path" 2>/dev/null || echo unknown)"
fi
printf 'size:     %s bytes\n' "$size"
printf 'sha256:   %s\n' "$sha256"
printf 'sha1:     %s\n' "$sha1"
printf 'md5:      %s\n' "$md5"
printf 'owner:    %s:%s\n' "$owner" "$group"
printf 'mode:     %s\n' "$mode"
printf 'accessed: %s\n' "$atime"
printf 'modified: %s\n' "$mtime"
printf 'changed:  %s\n' "$ctime"
printf 'born:     %s\n' "$btime"

if [ "$os" = Darwin ]; then
  if codesign --verify --strict -- "$path" >/dev/null 2>&1; then
    authority=$(codesign -dv --verbose=2 -- "$path" 2>&1 | awk -F= '/^Authority=/ { print $2; exit }')
    printf 'codesign: valid (%s)\n' "${authority:-ad-hoc}"
  else
    printf 'codesign: not signed or invalid\n'
  fi
  quarantine=$(xattr -p com.apple.quarantine "$path" 2>/dev/null || true)
  printf 'quarantine: %s\n' "${quarantine:-none}"
fi
