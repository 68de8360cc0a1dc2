#!/usr/bin/env bash
# Writes lr's install layout under PREFIX (used by `make install` and `make dist`):
#   bin/lr                                   the launcher (`--version` and `check` itself)
#   libexec/lr/lr-core                       every other command (the launcher starts it)
#   share/lr/stdlib/                         the .lr modules and the library scripts
#   share/man/man1/lr.1                      the man page (swift-argument-parser's generate-manual)
#   share/bash-completion/completions/lr     bash completion
#   share/zsh/site-functions/_lr             zsh completion
#   share/fish/vendor_completions.d/lr.fish  fish completion
# Usage: install-layout.sh LR_BINARY PREFIX GENERATE_MANUAL_TOOL (lr-core beside LR_BINARY)
set -euo pipefail
lr_bin=$1 prefix=$2 manual_tool=$3
root=$(cd "$(dirname "$0")/.." && pwd)

install -d "$prefix/bin" "$prefix/libexec/lr" "$prefix/share/lr" "$prefix/share/man/man1" \
  "$prefix/share/bash-completion/completions" "$prefix/share/zsh/site-functions" \
  "$prefix/share/fish/vendor_completions.d"
install -m 0755 "$lr_bin" "$prefix/bin/lr"
install -m 0755 "$(dirname "$lr_bin")/lr-core" "$prefix/libexec/lr/lr-core"
rm -rf "$prefix/share/lr/stdlib"
cp -R "$root/stdlib" "$prefix/share/lr/stdlib"
chmod -R u=rwX,go=rX "$prefix/share/lr/stdlib"

# Everything below comes from the installed binary itself, so it matches what was installed.
lr="$prefix/bin/lr"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$manual_tool" "$lr" --date "$(date -u +%Y-%m-%d)" --output-directory "$work"
install -m 0644 "$work/lr.1" "$prefix/share/man/man1/lr.1"
"$lr" --generate-completion-script bash > "$work/lr.bash"
"$lr" --generate-completion-script zsh > "$work/_lr"
"$lr" --generate-completion-script fish > "$work/lr.fish"
install -m 0644 "$work/lr.bash" "$prefix/share/bash-completion/completions/lr"
install -m 0644 "$work/_lr" "$prefix/share/zsh/site-functions/_lr"
install -m 0644 "$work/lr.fish" "$prefix/share/fish/vendor_completions.d/lr.fish"
echo "installed lr into $prefix"
