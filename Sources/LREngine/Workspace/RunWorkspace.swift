import DefenderClient
import Foundation

/// Where runs are recorded — the journal, the audit log and the results folder — opened the same
/// way by `lr run`, `lr resume`, the REPL, `lr runs` and `lr audit`.
public struct RunWorkspace: Sendable {
  /// The journal (SQLite in the state folder).
  public let journal: any RunJournal
  /// The hash-chained audit log (`audit.jsonl` in the state folder), its head kept in the journal.
  public let audit: AuditLog
  /// Results go to `<resultsRoot>/<run>/<machine>/<number>-<name>`.
  public let resultsRoot: URL

  public init(journal: any RunJournal, audit: AuditLog, resultsRoot: URL) {
    self.journal = journal
    self.audit = audit
    self.resultsRoot = resultsRoot
  }

  /// Opens the state folder's journal and audit log (created owner-only when missing), with
  /// results under `resultsRoot`.
  public static func open(
    resultsRoot: URL, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> RunWorkspace {
    let journal = try Journal(url: StateFolder.journal(environment: environment))
    let audit = try AuditLog(url: StateFolder.auditLog(environment: environment), journal: journal)
    return RunWorkspace(journal: journal, audit: audit, resultsRoot: resultsRoot)
  }

  /// Where each part lives, for `.profile` and `lr runs`.
  public var storage: [(label: String, path: String)] {
    [("journal", journal.location), ("audit log", audit.url.path), ("results", resultsRoot.path)]
  }

  /// Options for a run recorded here: results under ``resultsRoot``, `file` targets relative to
  /// `scriptDirectory`, the profile and tenant named in the journal.
  public func options(scriptDirectory: URL, api: DefenderAPI, profile: String? = nil)
    -> Engine.Options
  {
    var options = Engine.Options(resultsRoot: resultsRoot, scriptDirectory: scriptDirectory)
    options.profile = profile ?? api.settings.profileName ?? "default"
    options.tenant = api.settings.tenantID
    return options
  }

  /// An engine that records its runs here.
  public func engine(
    api: DefenderAPI, options: Engine.Options,
    events: @escaping @Sendable (EngineEvent) -> Void
  ) -> Engine {
    Engine(api: api, journal: journal, audit: audit, options: options, events: events)
  }
}
