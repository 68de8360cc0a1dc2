import ArgumentParser
import Foundation
import LREngine

/// `lr audit verify [FILE]`: check the hash chain of the audit log.
struct AuditCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "audit", abstract: "Work with the audit log.", subcommands: [Verify.self])

  struct Verify: AsyncParsableCommand, CancelsOnInterrupt {
    static let configuration = CommandConfiguration(
      abstract: "Check that no line of the audit log was edited, removed or reordered.",
      discussion:
        "Exit status 0 when the chain is intact, 1 when a problem is found (each is listed with its line)."
    )

    @Argument(help: "The log (default: the state folder's audit.jsonl).")
    var file: String?

    func run() async throws {
      let url =
        file.map { URL(fileURLWithPath: $0) }
        ?? Journal.defaultURL.deletingLastPathComponent().appendingPathComponent("audit.jsonl")
      guard let data = FileManager.default.contents(atPath: url.path) else {
        throw UsageError("\(url.path): cannot read the audit log")
      }
      let head = try? Journal().auditHead(path: url.path)
      let text = String(decoding: data, as: UTF8.self)
      let problems = AuditLog.verify(text: text, expectedHead: head ?? nil)
      let entries = text.split(separator: "\n").count
      if problems.isEmpty {
        Terminal.out("\(url.path): \(entries) entries, chain intact\n")
        return
      }
      for problem in problems { Terminal.out("\(url.path):\(problem.line): \(problem.reason)\n") }
      throw ExitStatus.failure
    }
  }
}
