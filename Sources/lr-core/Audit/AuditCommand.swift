import ArgumentParser
import Foundation
import LREngine
import LRSystem
import LRTeam

/// `lr audit verify [FILE]`, `lr audit rotate`: check the audit log, or start a new one.
struct AuditCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "audit", abstract: "Work with the audit log.",
    subcommands: [Verify.self, Rotate.self])

  struct Verify: AsyncParsableCommand, CancelsOnInterrupt {
    static let configuration = CommandConfiguration(
      commandName: "verify",
      abstract: "Check that no line of the audit log was edited, removed, added or reordered.",
      discussion: """
        Exit status 0 when the chain is intact and ends at the head the journal recorded; 1 when \
        a problem is found (each is listed with its line) or when the journal has no head for \
        the log, so truncation cannot be checked. A copy is checked against the head of the log \
        it was copied from (found by the log's id, not its path).
        """)

    @Argument(help: "The log (default: the state folder's audit.jsonl).")
    var file: String?

    @OptionGroup var team: TeamOption

    @OptionGroup var scope: TeamTenantOptions

    func run() async throws {
      let opened: Team?
      do {
        opened = try team.open(tenant: scope.tenant, profile: scope.profile)
      } catch {
        throw ErrorReporting.report(error)
      }
      if let opened {
        guard file == nil else { throw UsageError("give a log FILE or --team, not both") }
        try TeamAuditVerification.verify(opened)
        return
      }
      try verifyFile()
    }

    /// Checks a log file against the head its journal recorded.
    func verifyFile() throws {
      let url = (file.map { URL(fileURLWithPath: $0) } ?? RunWorkspace.auditLogURL())
        .standardizedFileURL
      guard let data = FileManager.default.contents(atPath: url.path) else {
        throw UsageError("\(url.path): cannot read the audit log")
      }
      let text = String(decoding: data, as: UTF8.self)
      let journal = try? RunWorkspace.openJournal()
      let head = AuditHeadLookup(journal: journal).head(of: text, at: url)
      let problems = AuditLog.verify(text: text, expectedHead: head)
      let entries = text.split(separator: "\n").count
      let path = Terminal.sanitize(url.path)
      for problem in problems { Terminal.out("\(path):\(problem.line): \(problem.reason)\n") }
      if !problems.isEmpty { throw ExitStatus.failure }
      if head == nil, entries > 0 {
        let log = AuditLog.identity(in: text).map { "log \($0)" } ?? "this log (it has no id)"
        Terminal.out(
          "\(path): \(entries) entries, chain intact, but cannot check for truncation: the "
            + "journal \(Terminal.sanitize(journal?.url.path ?? "(unreadable)")) has no head "
            + "recorded for \(Terminal.sanitize(log))\n")
        throw ExitStatus.failure
      }
      Terminal.out("\(path): \(entries) entries, chain intact\n")
    }
  }

  struct Rotate: AsyncParsableCommand, CancelsOnInterrupt {
    static let configuration = CommandConfiguration(
      commandName: "rotate",
      abstract: "Keep the audit log under a dated name and start a new one.",
      discussion: """
        Renames the state folder's audit.jsonl to audit-<UTC time>.jsonl; the kept log stays \
        verifiable (`lr audit verify FILE`) and the next run starts a new log. Use it to archive \
        a log, or after a log found damaged was kept as evidence.
        """)

    func run() async throws {
      let journal = try RunWorkspace.openJournal()
      let url = RunWorkspace.auditLogURL()
      guard let archive = try AuditLog.rotate(url: url, journal: journal) else {
        Terminal.out("\(Terminal.sanitize(url.path)): no audit log yet\n")
        return
      }
      Terminal.out(
        "\(Terminal.sanitize(url.path)) kept as \(Terminal.sanitize(archive.path)); the next "
          + "run starts a new log\n")
    }
  }
}

/// The head the journal recorded for a log's text: by the log's id; for an empty file, that of a
/// log last written at its path; for a log without an id, by path.
struct AuditHeadLookup {
  var journal: Journal?

  func head(of text: String, at url: URL) -> (sequence: Int, hash: String)? {
    guard let journal else { return nil }
    if let identity = AuditLog.identity(in: text) {
      guard let head = try? journal.auditHead(log: identity) else { return nil }
      return (sequence: head.sequence, hash: head.hash)
    }
    if text.isEmpty {
      guard let head = (try? journal.auditHeads(path: url.path))?.first else { return nil }
      return (sequence: head.sequence, hash: head.hash)
    }
    return try? journal.auditHead(path: url.path)
  }
}
