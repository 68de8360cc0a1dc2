import ArgumentParser
import Foundation
import LREngine
import LRSystem
import LRTeam
import LiveResponse

/// `lr results fetch RUN --team URL`: a run's saved files, from the team database, written under
/// `OUT/RUN/MACHINE/NAME` as the local results folder lays them out (docs/results.md).
struct ResultsFetchCommand: AsyncParsableCommand, CancelsOnInterrupt {
  static let configuration = CommandConfiguration(
    commandName: "fetch",
    abstract: "Fetch a run's saved files (GetFile evidence, transcripts) from the team database.",
    discussion: """
      Writes each file a run saved under OUT/RUN/MACHINE/NAME, checking its SHA-256 against the \
      journal's (a mismatch is an error and nothing is kept). An existing file is never \
      replaced: one with the same SHA-256 is kept (`same`), a different one is reported \
      (`conflict`). A file the database does not hold (over the team's cap, or never stored) \
      is reported with the host and path that saved it. Exit status 1 when any file was not \
      fetched. RUN is a run id or `last` (the default).
      """)

  @Argument(help: "A run id, or `last` (the default) for the newest run.")
  var run: String?

  @Option(help: "Only this machine's files (its name, its name before the first dot, or its id).")
  var machine: String?

  @Option(
    help: "The folder to write RUN/MACHINE/NAME under (default: LR_RESULTS_DIR, else results).")
  var out: String?

  @Option(
    name: [.customLong("format"), .customLong("output")],
    help: "human or json (JSON lines; the default when not a terminal).")
  var format: OutputFormat?

  @OptionGroup var team: TeamOption

  @OptionGroup var scope: TeamTenantOptions

  func run() async throws {
    try await ErrorReporting.run {
      let opened = try team.require(
        "lr results fetch", tenant: scope.tenant, profile: scope.profile)
      defer { opened.close() }
      let id = try Self.resolve(run, in: opened.journal)
      let files = try opened.journal.files.files(run: id).filter(matches)
      if let machine, files.isEmpty {
        throw UsageError("run \(id) saved no file on \(Terminal.sanitize(machine))")
      }
      let root = URL(fileURLWithPath: out ?? Self.defaultRoot())
      let fetcher = SavedFileFetcher(store: opened.journal.files, root: root)
      let chosen = format ?? (Terminal.stdoutIsTerminal ? .human : .json)
      var missed = 0
      for file in files {
        try Task.checkCancellation()
        let fetched = fetcher.fetch(file)
        if !fetched.outcome.fetched { missed += 1 }
        Terminal.out(Self.line(fetched, root: root, format: chosen))
      }
      if chosen == .human { Terminal.out(Self.summary(files.count, missed: missed)) }
      if missed > 0 { throw ExitStatus.failure }
    }
  }

  /// The run: an id the tenant has, or the newest (`last` or none).
  static func resolve(_ run: String?, in journal: PostgresJournal) throws -> String {
    guard let run, run != "last" else {
      guard let newest = try journal.runs(limit: 1).first else {
        throw UsageError("the team database has no run for this tenant")
      }
      return newest.id
    }
    guard try journal.run(run) != nil else {
      throw UsageError(
        "no run \(Terminal.sanitize(run)) in the team database (`lr runs` lists them)")
    }
    return run
  }

  /// Whether a file is the asked machine's (all files without --machine).
  func matches(_ file: SavedFile) -> Bool {
    guard let machine else { return true }
    let short = file.computerName.split(separator: ".").first.map(String.init) ?? ""
    return [file.computerName, short, file.machineID].contains {
      $0.caseInsensitiveCompare(machine) == .orderedSame
    }
  }

  static func defaultRoot() -> String {
    let value = ProcessInfo.processInfo.environment["LR_RESULTS_DIR"] ?? ""
    return value.isEmpty ? "results" : value
  }

  /// One file's line: a sentence (sanitized) or a `fileFetched` JSON line.
  static func line(_ fetched: SavedFileFetcher.Fetched, root: URL, format: OutputFormat) -> String {
    let file = fetched.file
    switch format {
    case .json:
      var fields: [(String, JSONValue)] = [
        ("event", .string("fileFetched")), ("run", .string(file.runID)),
        ("machine", .string(file.computerName)), ("machineId", .string(file.machineID)),
        ("name", .string(file.name)),
        ("path", .string(root.appendingPathComponent(fetched.relativePath).path)),
        ("outcome", .string(fetched.outcome.rawValue)),
      ]
      if let size = file.size { fields.append(("size", .number(Int(size)))) }
      if let sha256 = file.sha256 { fields.append(("sha256", .string(sha256))) }
      if let host = file.host { fields.append(("host", .string(host))) }
      if let detail = fetched.detail { fields.append(("detail", .string(detail))) }
      return JSONValue.object(fields).serialized() + "\n"
    case .human:
      let size = file.size.map { " (\($0) bytes)" } ?? ""
      let detail = fetched.detail.map { ": \($0)" } ?? ""
      let text = "\(fetched.outcome.rawValue)  \(fetched.relativePath)\(size)\(detail)"
      return Terminal.sanitize(text) + "\n"
    }
  }

  static func summary(_ count: Int, missed: Int) -> String {
    missed == 0
      ? "\(count) file(s) fetched\n"
      : "\(count - missed) of \(count) file(s) fetched; \(missed) not (see above)\n"
  }
}
