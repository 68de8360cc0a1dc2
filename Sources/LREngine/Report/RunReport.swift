import Foundation
import LRLanguage
import LiveResponse

/// What `lr report` shows of one journaled run: its summary, one row per machine, the stacked
/// values of each parsed column and one timeline bar per action; ``html()`` writes it as one
/// self-contained page.
public struct RunReport: Sendable {
  /// One machine's part of the run.
  public struct MachineRow: Sendable, Equatable {
    public var computerName: String
    public var machineID: String
    /// The worst final status of its actions (`refused` when the service refused it; `Pending`
    /// while an action has not finished).
    public var status: String
    public var exitCodes: [Int]
    /// Why it counts as failed (as `lr rerun --failed` decides), nil when it did not fail.
    public var failure: String?
    /// The first non-blank line of its script's output (else of its errors), as saved.
    public var firstLine: String
    public var files: [SavedFile]
  }

  /// A result saved on disk.
  public struct SavedFile: Sendable, Equatable {
    public var path: String
    public var size: Int64?
    public var sha256: String?
  }

  /// One action on the timeline (the service's times).
  public struct Bar: Sendable, Equatable {
    public var computerName: String
    public var actionID: String?
    public var status: String
    public var submitted: Date
    public var started: Date?
    public var finished: Date?
  }

  /// A parsed column's values across the machines, least frequent first (``Stacking``).
  public struct Stack: Sendable, Equatable {
    public var column: String
    public var values: [Stacking.Value]
  }

  public var run: RunRecord
  public var machines: [MachineRow]
  public var bars: [Bar]
  public var stacks: [Stack]
  /// The per-minute `runliveresponse` limit drawn on the timeline.
  public var submissionsPerMinute: Int
  /// How many actions the run journaled, and how many finished.
  public var actionCount: Int
  public var finishedCount: Int

  /// Reads `run` from the journal, and each parsed-row column's stacked values through `reader`
  /// (the same views for the SQLite journal and a team database; nil: no stacks).
  public static func load(
    run: RunRecord, journal: any RunJournal, reader: (any ResultsReader)?,
    submissionsPerMinute: Int
  ) async throws -> RunReport {
    var stacks: [Stack] = []
    if let reader {
      stacks = try await Stacking.stackRows(run: run.id, in: reader).map {
        Stack(column: $0.column, values: $0.values)
      }
    }
    let machines = try RerunSelection.machines(of: run.id, journal: journal)
    let results = try RerunSelection.machineResults(of: run.id, journal: journal)
    let actions = machines.flatMap(\.actions)
    return RunReport(
      run: run, machines: machines.map { row($0, result: results[$0.id]) },
      bars: actions.compactMap { bar($0.action) },
      stacks: stacks, submissionsPerMinute: submissionsPerMinute,
      actionCount: actions.count,
      finishedCount: actions.filter { $0.action.state == .terminal }.count)
  }

  static func row(_ machine: RerunSelection.MachineResults, result: MachineResult?)
    -> MachineRow
  {
    let refused = machine.actions.contains { $0.action.actionID == nil && $0.action.error != nil }
    let statuses = machine.actions.map { ActionStatus($0.action.status ?? "Pending") }
    let worst = statuses.max { Engine.rank($0) < Engine.rank($1) }
    let commands = machine.actions.flatMap(\.commands)
    return MachineRow(
      computerName: machine.computerName, machineID: machine.id,
      status: refused ? "refused" : (worst?.rawValue ?? "not sent"),
      exitCodes: commands.filter { $0.type == "RunScript" }.compactMap(\.exitCode),
      failure: RerunSelection.failure(of: machine), firstLine: firstLine(of: result),
      files: commands.compactMap { command in
        command.resultPath.map {
          SavedFile(path: $0, size: command.resultSize, sha256: command.resultSHA256)
        }
      })
  }

  /// The first non-blank line of a machine's script output (else of its errors).
  static func firstLine(of result: MachineResult?) -> String {
    for text in [result?.output ?? "", result?.errors ?? ""] {
      // The transcript's own first line is not the script's output.
      if let line = text.split(whereSeparator: \.isNewline).first(where: {
        !$0.allSatisfy(\.isWhitespace) && !$0.hasPrefix("Transcript started, output file is")
      }) {
        return String(line.prefix(200))
      }
    }
    return ""
  }

  static func bar(_ action: ActionRecord) -> Bar? {
    guard let submitted = action.submittedAt ?? (action.actionID == nil ? nil : action.createdAt)
    else { return nil }
    return Bar(
      computerName: action.computerName, actionID: action.actionID,
      status: action.status ?? "Pending", submitted: submitted, started: action.startedAt,
      finished: action.finishedAt)
  }
}
