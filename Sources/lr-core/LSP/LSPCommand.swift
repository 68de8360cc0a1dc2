import ArgumentParser
import Foundation
import LRLanguage
import LRLanguageServer
import LRModules
import LRSystem

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

  @Flag(help: "Complete machine names and library files from the in-process lab.")
  var lab = false

  @Option(help: "Complete machine names and library files from this profile's tenant.")
  var profile: String?

  func run() async throws {
    // Keep the real stdout for the protocol; a stray print() now goes to stderr instead.
    let protocolFD = dup(STDOUT_FILENO)
    guard protocolFD >= 0 else { throw UsageError("cannot duplicate standard output") }
    dup2(STDERR_FILENO, STDOUT_FILENO)
    signal(SIGPIPE, SIG_IGN)
    let verbose = self.verbose
    let log: @Sendable (String) -> Void = { line in
      if verbose { Terminal.err("lr lsp: \(line)\n") }
    }
    var connection: Connection?
    if lab || profile != nil {
      let arguments = lab ? ["--lab"] : ["--profile", profile ?? ""]
      do {
        connection = try await Connection.open(try ConnectionOptions.parse(arguments))
      } catch {
        throw ErrorReporting.report(error)
      }
    }
    var names: (@Sendable () async -> CompletionNames)?
    if let api = connection?.api {
      names = { await ServiceNames.fetch(api, log: log) }
    }
    let options = LanguageServerOptions(
      debounce: .milliseconds(max(0, debounce)), stdlib: StdlibLocator.modulesDirectory(),
      completionNames: names, version: LRVersion.number, log: log)
    let status = await JSONRPCConnection(inputFD: STDIN_FILENO, outputFD: protocolFD).run(
      options: options)
    await connection?.close()
    throw ExitCode(status)
  }
}
