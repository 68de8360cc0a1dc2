import DefenderClient
import Foundation

/// Where runs are recorded — the journal, the audit log and the results folder — opened the same
/// way by every command (`lr run`, `lr resume`, `lr rerun`, the REPL, `lr runs`, `lr report`,
/// `lr query`, `lr audit`): the one place the ``StateFolder`` rule is applied to them.
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
    try open(
      journal: try openJournal(environment: environment), resultsRoot: resultsRoot,
      environment: environment)
  }

  /// The workspace of the state folder's journal, already open (`lr resume` reads the run
  /// before it knows the run's results folder): its audit log, and results under `resultsRoot`.
  public static func open(
    journal: Journal, resultsRoot: URL,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> RunWorkspace {
    let audit = try AuditLog(url: auditLogURL(environment: environment), journal: journal)
    return RunWorkspace(journal: journal, audit: audit, resultsRoot: resultsRoot)
  }

  /// The state folder's journal alone, for commands that read runs or the audit chain's head
  /// (`lr runs`, `lr resume --list`, `lr rerun`, `lr report`, `lr audit`) without opening the
  /// audit log for appending.
  public static func openJournal(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> Journal {
    try Journal(url: journalURL(environment: environment))
  }

  /// Where the state folder's journal is (`lr query`, `lr stack` and `lr results` open it
  /// read-only).
  public static func journalURL(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> URL {
    StateFolder.journal(environment: environment)
  }

  /// Where the state folder's audit log is (`lr audit` reads or rotates it without opening it,
  /// which would create it).
  public static func auditLogURL(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> URL {
    StateFolder.auditLog(environment: environment)
  }

  /// Where each part lives, for `.profile` and `lr runs`.
  public var storage: [(label: String, path: String)] {
    [("journal", journal.location), ("audit log", audit.location), ("results", resultsRoot.path)]
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
