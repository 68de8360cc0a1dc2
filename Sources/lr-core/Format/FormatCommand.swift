import ArgumentParser
import Foundation
import LRLanguage
import LRModules
import LRSystem

/// `lr fmt FILE…`: rewrite files in the canonical layout (`--check` only reports).
struct FormatCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fmt",
    abstract: "Format .lr files in the canonical layout.",
    discussion: """
      Rewrites each file in place (`-` formats standard input to standard output). With --check, \
      changes nothing and exits 1 when a file is not formatted. Files with syntax errors are left \
      alone and reported (exit 2).
      """)

  @ArgumentParser.Argument(help: "The .lr files to format.")
  var files: [String]

  @Flag(
    name: .long, help: "Report files that are not formatted (exit 1) instead of rewriting them.")
  var check = false

  func run() throws {
    guard !files.isEmpty else { throw UsageError("fmt needs at least one file") }
    var unformatted: [String] = []
    var failed = false
    for path in files {
      let source = try SourceLoader.load(path)
      guard let formatted = Formatter.format(source) else {
        let (_, diagnostics) = Parser.parse(source)
        let formatter = DiagnosticFormatter(
          sources: [source.name: source], colors: Terminal.colors(2))
        Terminal.err(formatter.render(diagnostics.filter { $0.severity == .error }))
        Terminal.err("\(path): not formatted because of syntax errors\n")
        failed = true
        continue
      }
      let original = String(decoding: source.bytes, as: UTF8.self)
      if path == "-" {
        if check {
          if formatted != original { unformatted.append(path) }
        } else {
          Terminal.out(formatted)
        }
        continue
      }
      guard formatted != original else { continue }
      if check {
        unformatted.append(path)
      } else {
        do {
          try Data(formatted.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
          throw UsageError("\(path): cannot write: \(error.localizedDescription)")
        }
      }
    }
    for path in unformatted { Terminal.out("\(path): not formatted\n") }
    if failed { throw ExitStatus.usage }
    if !unformatted.isEmpty { throw ExitStatus.failure }
  }
}
