// A release build of the language server without `lr`'s other dependencies, for bench/lsp.sh
// when `.build/release/lr` is not built: the same as `lr lsp` (LSPCommand) minus argument parsing
// and tenant names. `lsp-server lsp` serves on stdin/stdout; LR_LSP_FULL=1 checks the whole
// document on every edit (the baseline).
import Foundation
import LRLanguageServer

#if canImport(Glibc)
import Glibc
#endif

@main
struct LSPServerMain {
  static func main() async {
    let protocolFD = dup(STDOUT_FILENO)
    dup2(STDERR_FILENO, STDOUT_FILENO)
    signal(SIGPIPE, SIG_IGN)
    var options = LanguageServerOptions(debounce: .milliseconds(150))
    options.incrementalDiagnostics = ProcessInfo.processInfo.environment["LR_LSP_FULL"] == nil
    let status = await JSONRPCConnection(inputFD: STDIN_FILENO, outputFD: protocolFD).run(
      options: options)
    exit(status)
  }
}
