import LRLanguage
import LRModules
import LRSystem
import LiveResponse

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `lr check FILE…`: compiles each file (with the `use` modules it names) and reports every
/// diagnostic, human-readable on standard error or as one JSON array on standard output.
///
/// The `lr` launcher runs it without starting `lr-core` (start-up, issue 16.3), and `lr-core`'s
/// `check` command runs the same code, so both print the same bytes and exit the same way.
public struct Check: Sendable {
  /// The files to check (`-` reads standard input).
  public var files: [String]
  public var format: DiagnosticsFormat

  public init(files: [String], format: DiagnosticsFormat = .human) {
    self.files = files
    self.format = format
  }

  /// Checks every file and prints the diagnostics; the exit status: 0 when no file has errors
  /// (warnings allowed), 2 otherwise. A file that cannot be read is a usage error.
  public func run() throws(UsageError) -> Int32 {
    guard !files.isEmpty else { throw UsageError("check needs at least one file") }
    var all: [Diagnostic] = []
    var sources: [String: SourceFile] = [:]
    for path in files {
      let source = try SourceLoader.load(path)
      let output = Compiler.compile(source, modules: FileModules())
      all += output.diagnostics
      sources.merge(output.sources) { a, _ in a }
    }
    let formatter = DiagnosticFormatter(
      sources: sources,
      colors: format == .human && TerminalColors.enabled(on: STDERR_FILENO))
    switch format {
    case .human:
      StandardStreams.err(formatter.render(all))
      let errors = all.filter { $0.severity == .error }.count
      let warnings = all.filter { $0.severity == .warning }.count
      if errors + warnings > 0 {
        StandardStreams.err(
          "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\n"
        )
      }
    case .json:
      StandardStreams.out(formatter.json(all).serialized(pretty: true) + "\n")
    }
    return all.hasErrors ? 2 : 0
  }
}

/// How diagnostics are printed: human-readable (to standard error) or JSON (to standard output).
public enum DiagnosticsFormat: String, CaseIterable, Sendable {
  case human, json
}
