import ArgumentParser
import DefenderClient
import Foundation
import LREngine
import LRLanguage
import LRModules

/// `lr plan FILE.lr`: a live pre-flight: which machines can run each statement, and the budget.
struct PlanCommand: AsyncParsableCommand, CancelsOnInterrupt {
  static let configuration = CommandConfiguration(
    commandName: "plan",
    abstract: "Show, live, which machines can run a .lr script and what it costs; send nothing.",
    discussion: """
      Resolves every statement's targets against the tenant and lists, per machine: ok, \
      notOnboarded, platformMismatch, unknownPlatform, busy (an action pending or in progress, \
      with its id and requestor), offline (last seen), duplicate (two machines with one name). \
      Then the budget: submissions, the shortest time the limits allow, the reads. Scripts and \
      files the library does not have are warned of, with the closest name. Three list calls; \
      nothing is submitted. Exit status: 0 every machine can run, 1 some cannot \
      (notOnboarded, platformMismatch, unknownPlatform: lr run refuses them), 2 the script does \
      not compile or names unknown machines, 3 sign-in or configuration.
      """)

  @Argument(help: "The .lr script.")
  var file: String

  @OptionGroup var connection: ConnectionOptions

  func run() async throws {
    let plan = try Self.compile(file)
    let format = connection.format
    try await ErrorReporting.run {
      let preflight = try await Connection.with(connection) { connection in
        await Self.warnOfUnknownLibraryFiles(file, api: connection.api)
        return try await Preflight.check(
          plan, api: connection.api,
          baseDirectory: URL(fileURLWithPath: file).deletingLastPathComponent())
      }
      try Self.refuseUnknown(preflight)
      try PreflightReport.print(preflight, format: format)
      if !preflight.blocked.isEmpty { throw ExitStatus.failure }
    }
  }

  /// Compiles a script, printing its diagnostics; exit 2 on errors.
  static func compile(_ file: String) throws -> Plan {
    let source = try SourceLoader.load(file)
    let output = Compiler.compile(source, modules: FileModules())
    if !output.diagnostics.isEmpty {
      let formatter = DiagnosticFormatter(sources: output.sources, colors: Terminal.colors(2))
      Terminal.err(formatter.render(output.diagnostics))
    }
    if output.diagnostics.hasErrors { throw ExitStatus.usage }
    return output.plan
  }

  /// Warns of the scripts and files `file` names that the tenant's library does not have (the
  /// compiler's `unknownScript` and `unknownFile`, with the closest name). One more list call; a
  /// library that cannot be read (an app without `Library.Manage`) skips the check.
  static func warnOfUnknownLibraryFiles(_ file: String, api: DefenderAPI) async {
    guard let library = try? await api.libraryFiles(), let source = try? SourceLoader.load(file)
    else { return }
    let output = Compiler.compile(
      source, options: Compiler.Options(knownLibraryFiles: library.map(\.fileName)),
      modules: FileModules())
    let unknown = output.diagnostics.filter { ["unknownScript", "unknownFile"].contains($0.id) }
    guard !unknown.isEmpty else { return }
    let formatter = DiagnosticFormatter(sources: output.sources, colors: Terminal.colors(2))
    Terminal.err(formatter.render(unknown))
  }

  /// Names that matched no machine: an error with suggestions, exit 2.
  static func refuseUnknown(_ preflight: Preflight) throws {
    guard !preflight.unknown.isEmpty else { return }
    let names = preflight.unknown.map { u in
      u.suggestion.map { "\(u.name) (did you mean \($0)?)" } ?? u.name
    }
    Terminal.printError(
      "lr: error: unknown machine\(names.count == 1 ? "" : "s"): "
        + Terminal.sanitize(names.joined(separator: ", ")))
    throw ExitStatus.usage
  }
}
