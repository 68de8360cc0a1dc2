import ArgumentParser
import Foundation
import LRLanguageServer

/// `lr lsp`: the language server for editors, over standard input and output.
struct LSPCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lsp",
    abstract: "Run the language server (Language Server Protocol over stdin/stdout).",
    discussion: """
      Editors start `lr lsp` for `.lr` files; see docs/editors.md. Only protocol messages go to \
      standard output; logs go to standard error.
      """)

  @Option(
    help:
      "Milliseconds to wait for typing to pause before re-analysing (the first edit after a pause is analysed at once)."
  )
  var debounce: Int = 150

  @Flag(help: "Log each framing or parameter problem to standard error.")
  var verbose = false

  func run() async throws {
    // Keep the real stdout for the protocol; a stray print() now goes to stderr instead.
    let protocolFD = dup(STDOUT_FILENO)
    guard protocolFD >= 0 else { throw UsageError("cannot duplicate standard output") }
    dup2(STDERR_FILENO, STDOUT_FILENO)
    signal(SIGPIPE, SIG_IGN)
    let verbose = self.verbose
    let options = LanguageServerOptions(
      debounce: .milliseconds(max(0, debounce)), stdlib: Stdlib.directory,
      // Machine names and library scripts come from the client core once `--lab`/`--profile` exist.
      completionNames: nil, version: LRVersion.current,
      log: { line in
        if verbose { FileHandle.standardError.write(Data("lr lsp: \(line)\n".utf8)) }
      })
    let status = await JSONRPCConnection(inputFD: STDIN_FILENO, outputFD: protocolFD).run(
      options: options)
    throw ExitCode(status)
  }
}
