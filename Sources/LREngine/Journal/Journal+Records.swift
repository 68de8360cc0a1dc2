import Foundation
import GRDB
import LRLanguage

/// A run: one `lr run` of a script, or one REPL session.
public struct RunRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
  public static let databaseTableName = "run"
  /// `running`, `finished`, `failed`, `cancelled`, `interrupted`, `paused` (the staged
  /// rollout's breaker tripped; `lr resume` continues it), `abandoned` (`lr resume --abandon`),
  /// `queued` (`lr run --team --detach`: journaled with its targets, waiting for `lr worker`).
  public enum State: String, Codable, Sendable {
    case running, finished, failed, cancelled, interrupted, paused, abandoned, queued
  }

  public var id: String
  public var createdAt: Date
  public var sourcePath: String
  /// The exact text that was compiled (resume recompiles this, not the file as it is now).
  public var sourceText: String
  /// The text of every module it imported (`use`), by source name, as compiled.
  public var modules: [String: String]
  public var profile: String
  public var tenant: String
  public var resultsDirectory: String
  public var state: State
  public var finishedAt: Date?
  /// How many times `lr resume` picked the run up again.
  public var resumes: Int
  /// The run this one reruns (`lr rerun`), if any.
  public var parentRun: String?
  /// Who ran it: the operating-system user lr ran as (journal `v6`; nil in older runs).
  public var who: String?
  /// The command line's staged rollout (`--canary`, `--waves`, `--stop-if-failed`), as
  /// `lr resume` applies it again (journal `v8`).
  public var rollout: RolloutPolicy?
  /// Why the run paused, while it is paused (journal `v8`).
  public var pauseReason: String?

  public init(
    id: String, createdAt: Date = Date(), sourcePath: String, sourceText: String,
    modules: [String: String] = [:], profile: String, tenant: String, resultsDirectory: String,
    state: State = .running, finishedAt: Date? = nil, resumes: Int = 0, parentRun: String? = nil,
    who: String? = RunRecord.currentUser(), rollout: RolloutPolicy? = nil
  ) {
    self.rollout = rollout
    self.who = who
    self.parentRun = parentRun
    self.modules = modules
    self.id = id
    self.createdAt = createdAt
    self.sourcePath = sourcePath
    self.sourceText = sourceText
    self.profile = profile
    self.tenant = tenant
    self.resultsDirectory = resultsDirectory
    self.state = state
    self.finishedAt = finishedAt
    self.resumes = resumes
  }

  /// Whether `lr resume` has anything to do: the run stopped before finishing (killed, stopped
  /// waiting, interrupted, or failed on sign-in, configuration or the journal).
  public var isUnfinished: Bool {
    [.running, .interrupted, .failed, .paused].contains(state)
  }
}

/// A machine a statement resolved to.
public struct TargetRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
  public static let databaseTableName = "target"
  public var runID: String
  public var statement: Int
  public var machineID: String
  public var computerName: String
  /// The machine's place in the statement's resolution order.
  public var position: Int

  public init(
    runID: String, statement: Int, machineID: String, computerName: String, position: Int = 0
  ) {
    self.runID = runID
    self.statement = statement
    self.machineID = machineID
    self.computerName = computerName
    self.position = position
  }
}

/// One action (one request to one machine), recorded before it is submitted.
public struct ActionRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord
{
  public static let databaseTableName = "action"
  /// `planned` (journaled, maybe sent), `submitted` (the service returned its id), `terminal`.
  public enum State: String, Codable, Sendable { case planned, submitted, terminal, skipped }

  public var id: Int64?
  public var runID: String
  public var statement: Int
  public var requestIndex: Int
  public var machineID: String
  public var computerName: String
  /// The token carried in the Comment (`RunToken.marker`).
  public var token: String
  /// The body exactly as POSTed (with the token in its Comment).
  public var body: String
  public var state: State
  public var actionID: String?
  /// The service's action status (`Pending`, `InProgress`, `Succeeded`, …).
  public var status: String?
  public var error: String?
  /// How `lr resume` settled an action journaled without an id: `adopted` (the service had it)
  /// or `resubmitted` (it provably never arrived).
  public var reconciliation: String?
  public var createdAt: Date
  public var updatedAt: Date
  /// When the service created the action, its first command started, and it finished (the
  /// service's clock; journaled when the action finishes).
  public var submittedAt: Date?
  public var startedAt: Date?
  public var finishedAt: Date?

  public init(
    runID: String, statement: Int, requestIndex: Int, machineID: String, computerName: String,
    token: String, body: String, now: Date = Date()
  ) {
    self.runID = runID
    self.statement = statement
    self.requestIndex = requestIndex
    self.machineID = machineID
    self.computerName = computerName
    self.token = token
    self.body = body
    self.state = .planned
    self.createdAt = now
    self.updatedAt = now
  }

  public mutating func didInsert(_ inserted: InsertionSuccess) {
    id = inserted.rowID
  }
}

/// One command of an action and its result.
public struct CommandRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
  public static let databaseTableName = "command"
  public var actionRow: Int64
  public var commandIndex: Int
  public var type: String
  /// `Created`, `Completed`, `Failed`, or `NotExecuted` (after an earlier failure).
  public var status: String
  public var exitCode: Int?
  /// Where the result is saved (transcript JSON for RunScript, the file for GetFile).
  public var resultPath: String?
  public var resultSize: Int64?
  public var resultSHA256: String?
  public var errors: String?

  public init(
    actionRow: Int64, commandIndex: Int, type: String, status: String, exitCode: Int? = nil,
    resultPath: String? = nil, resultSize: Int64? = nil, resultSHA256: String? = nil,
    errors: String? = nil
  ) {
    self.actionRow = actionRow
    self.commandIndex = commandIndex
    self.type = type
    self.status = status
    self.exitCode = exitCode
    self.resultPath = resultPath
    self.resultSize = resultSize
    self.resultSHA256 = resultSHA256
    self.errors = errors
  }
}
