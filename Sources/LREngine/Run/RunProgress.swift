import Foundation
import LRLanguage
import LiveResponse

/// The state of a run as front ends show it, folded from ``EngineEvent``s: one row per machine of
/// each statement, with each command's state, the counts, what the run is waiting for, and an ETA.
public struct RunProgress: Sendable {
  /// Where a command stands.
  public enum CommandState: String, Sendable {
    case waiting, running, completed, failed, notExecuted
  }

  /// One command of a row.
  public struct Command: Sendable {
    /// `RunScript`, `GetFile`, `PutFile`.
    public var type: String
    /// The script, path or file name (as written; `${…}` for values known at run time).
    public var label: String
    public var state: CommandState = .waiting
    /// Exit code, saved size, or the first error.
    public var detail: String?
  }

  /// Where a machine's part of a statement stands.
  public enum Phase: Sendable, Equatable {
    /// Not submitted yet (waiting for budget, a session slot or an earlier statement).
    case waiting
    case submitted
    /// The service holds the action until the device picks it up (offline devices: up to 3 days).
    case queued
    case running
    /// Terminal: `Succeeded`, `Failed`, `TimeOut`, `Cancelled` (or a submission error).
    case finished(ActionStatus)
    /// The run stopped waiting while the service still held the action (`lr resume` picks it up).
    case stillQueued
    /// The run ended before this part was sent.
    case notSent
  }

  /// One machine's part of one statement.
  public struct Row: Sendable {
    public var statement: Int
    public var machine: MachineRef
    public var phase: Phase = .waiting
    public var commands: [Command]
    /// Command offset of each request (action) of the statement within ``commands``.
    var offsets: [Int]
    public var requestsSubmitted = 0
    /// When the current action was submitted (wall clock).
    var submittedAt: Date?
    /// When the row last changed (wall clock), to show the most recent rows first.
    public var updated: Date

    /// Whether the row reached its end (finished, still queued or not sent).
    public var isSettled: Bool {
      switch phase {
      case .finished, .stillQueued, .notSent: true
      default: false
      }
    }

    /// Whether an action of this row is on the service and not finished.
    public var isActive: Bool {
      switch phase {
      case .submitted, .queued, .running: true
      default: false
      }
    }
  }

  /// Rows in the order their machines were resolved.
  public private(set) var rows: [Row] = []
  /// What the run waits for, and until when (wall clock), when it is waiting for budget.
  public private(set) var waiting: (reason: String, until: Date)?
  /// Retries after transient failures so far.
  public private(set) var retries = 0
  /// Whether the run finished (``RunSummary`` known).
  public private(set) var summary: RunSummary?
  private let statements: [Int: [[Command]]]
  private var index: [String: Int] = [:]  // "statement/machine id" -> row
  private var actions: [String: (row: Int, request: Int)] = [:]
  private var durations: [TimeInterval] = []

  /// Progress for a plan (the plan names each statement's commands).
  public init(plan: Plan) {
    var statements: [Int: [[Command]]] = [:]
    for statement in plan.allStatements {
      statements[statement.number] = statement.requests.map { request in
        request.commands.map { command in
          let key =
            switch command.type {
            case .runScript: "ScriptName"
            case .getFile: "Path"
            case .putFile: "FileName"
            }
          return Command(
            type: command.type.rawValue, label: command.param(key)?.description ?? "")
        }
      }
    }
    self.statements = statements
  }

  // MARK: Counts

  /// Rows known so far.
  public var total: Int { rows.count }
  /// Rows that reached a terminal status.
  public var done: Int {
    rows.filter { if case .finished = $0.phase { true } else { false } }.count
  }
  /// Rows whose action is on a device now.
  public var running: Int { rows.filter { $0.phase == .running }.count }
  /// Rows submitted and not yet picked up by their device.
  public var queued: Int {
    rows.filter { $0.phase == .queued || $0.phase == .submitted || $0.phase == .stillQueued }
      .count
  }
  /// Rows not submitted yet.
  public var notStarted: Int { rows.filter { $0.phase == .waiting }.count }
  /// Rows whose action ended other than `Succeeded`.
  public var failed: Int {
    rows.filter { if case .finished(let s) = $0.phase { s != "Succeeded" } else { false } }.count
  }
  /// Actions (requests) still to submit, over every unsettled row.
  public var submissionsLeft: Int {
    rows.filter { !$0.isSettled }.reduce(0) { $0 + $1.offsets.count - $1.requestsSubmitted }
  }

  /// How long the run should still take.
  public struct ETA: Sendable, Equatable {
    /// Wall-clock seconds left; nil when unknown: all that is left is actions queued on the
    /// service longer than an action has taken so far (their devices may be offline for days).
    public var seconds: TimeInterval?
    /// Whether `seconds` is only a lower bound: no action duration is known yet, or some actions
    /// are queued longer than usual.
    public var lowerBound: Bool
    /// Actions submitted longer ago than the mean action duration and not yet picked up by their
    /// device (queued or submitted).
    public var overdue: Int

    public init(seconds: TimeInterval?, lowerBound: Bool, overdue: Int = 0) {
      self.seconds = seconds
      self.lowerBound = lowerBound
      self.overdue = overdue
    }
  }

  /// Wall-clock time until every known row should be done: the submissions left at the budgeted
  /// rate, then the mean action duration seen so far; nil before anything finished and with
  /// nothing left to submit, and when nothing is left at all. Never under one second while
  /// something is unfinished: actions running past the mean make it a lower bound; actions still
  /// queued past the mean (their device has not picked them up) make it a lower bound too, or
  /// unknown when nothing else is left.
  ///
  /// - Parameters:
  ///   - submissionsPerMinute: the `runliveresponse` budget (service minutes).
  ///   - timeScale: service seconds per real second (the lab's time scale; 1 on the service).
  public func eta(submissionsPerMinute: Int, timeScale: Double = 1, now: Date = Date()) -> ETA? {
    guard summary == nil, !rows.isEmpty else { return nil }
    let left = submissionsLeft
    // Submissions go out as the per-minute window frees: `left` of them take left/rate minutes
    // (the window's first slots may free sooner; this errs long by at most one minute).
    let budget = Double(left) / Double(max(1, submissionsPerMinute)) * 60 / max(timeScale, 1e-6)
    let mean = durations.isEmpty ? nil : durations.reduce(0, +) / Double(durations.count)
    guard let mean else { return left > 0 ? ETA(seconds: budget, lowerBound: true) : nil }
    var eta = left > 0 ? budget + mean : 0
    var overdue = 0
    var late = false
    for row in rows where row.isActive {
      guard let since = row.submittedAt else { continue }
      let remaining = mean - now.timeIntervalSince(since)
      if remaining >= 1 {
        eta = max(eta, remaining)
      } else if row.phase == .running {
        late = true
      } else {
        overdue += 1
      }
    }
    if overdue > 0, eta < 1 { return ETA(seconds: nil, lowerBound: false, overdue: overdue) }
    if eta < 1, !late { return nil }
    return ETA(seconds: max(1, eta), lowerBound: late || overdue > 0, overdue: overdue)
  }

  // MARK: Events

  /// Folds one event in.
  public mutating func apply(_ event: EngineEvent, at now: Date = Date()) {
    switch event {
    case .runStarted, .runPaused:
      break
    case .machinesResolved(let statement, let machines, _, _):
      addRows(statement: statement, machines: machines, at: now)
    case .actionSubmitted(let statement, let machine, let request, let actionID):
      guard let row = index[key(statement, machine)] else { return }
      actions[actionID] = (row, request)
      rows[row].requestsSubmitted = max(rows[row].requestsSubmitted, request + 1)
      rows[row].phase = .submitted
      rows[row].submittedAt = now
      rows[row].updated = now
      if let waiting, waiting.until <= now { self.waiting = nil }
    case .actionQueued(let actionID, _):
      update(actionID, now) { row, _ in
        if row.phase == .submitted { row.phase = .queued }
      }
    case .actionStarted(let actionID, _):
      update(actionID, now) { row, offset in
        row.phase = .running
        if row.commands[safe: offset]?.state == .waiting { row.commands[offset].state = .running }
      }
    case .commandStarted, .commandCompleted, .commandFailed, .commandNotExecuted, .resultReady:
      applyCommandEvent(event, at: now)
    case .actionRefused(let statement, let machine, _, let refusal):
      guard let row = index[key(statement, machine)] else { return }
      rows[row].updated = now
      rows[row].phase = .finished("Failed")
      rows[row].commands[safe: rows[row].offsets[safe: rows[row].requestsSubmitted] ?? 0]?.detail =
        refusal.message
      markNotExecuted(row, now)
    case .actionFinished(let actionID, let machine, let status):
      finish(actionID, machine: machine, status: status, at: now)
    case .waitingForBudget(let reason, let until):
      waiting = (reason, until)
    case .retry:
      retries += 1
    case .runFinished(_, let summary):
      self.summary = summary
      waiting = nil
      for row in rows.indices where !rows[row].isSettled {
        rows[row].phase = rows[row].isActive ? .stillQueued : .notSent
      }
    }
  }

  /// One row per resolved machine of a statement (a machine named twice gets one).
  private mutating func addRows(statement: Int, machines: [MachineRef], at now: Date) {
    let requests = statements[statement] ?? []
    var offsets: [Int] = []
    var running = 0
    for request in requests {
      offsets.append(running)
      running += request.count
    }
    for machine in machines where index[key(statement, machine)] == nil {
      index[key(statement, machine)] = rows.count
      rows.append(
        Row(
          statement: statement, machine: machine, commands: requests.flatMap { $0 },
          offsets: offsets, updated: now))
    }
  }

  /// Folds in an event about one command: started, completed, failed, not executed, its result.
  private mutating func applyCommandEvent(_ event: EngineEvent, at now: Date) {
    switch event {
    case .commandStarted(let actionID, _, let i, _):
      update(actionID, now) { row, offset in
        row.phase = .running
        row.commands[safe: i]?.state = .running
      }
    case .commandCompleted(let actionID, _, let i, _, _):
      update(actionID, now) { row, offset in
        row.phase = .running
        row.commands[safe: i]?.state = .completed
        let next = i + 1
        if next < row.commands.count, row.commands[next].state == .waiting,
          row.offsets.contains(where: { $0 == next }) == false
        {
          row.commands[next].state = .running
        }
      }
    case .commandFailed(let actionID, _, let i, _, let errors):
      update(actionID, now) { row, offset in
        row.commands[safe: i]?.state = .failed
        row.commands[safe: i]?.detail = errors.first
      }
    case .commandNotExecuted(let actionID, let machine, let i, _, _):
      if let actionID {
        update(actionID, now) { row, _ in
          row.commands[safe: i]?.state = .notExecuted
        }
      } else {
        guard let row = currentRow(machine) else { return }
        markNotExecuted(row, now)
      }
    case .resultReady(let actionID, _, let i, let result):
      update(actionID, now) { row, offset in
        row.commands[safe: i]?.state = .completed
        switch result {
        case .script(let code, _, _, _): row.commands[safe: i]?.detail = "exit \(code)"
        case .file(_, let size, _): row.commands[safe: i]?.detail = Self.bytes(size)
        }
      }
    default:
      break
    }
  }

  /// An action reached a terminal status: its row waits for its next request, or is finished.
  private mutating func finish(
    _ actionID: String, machine: MachineRef, status: ActionStatus, at now: Date
  ) {
    guard let found = actions[actionID] ?? currentRow(machine).map({ (row: $0, request: 0) })
    else { return }
    let (row, request) = (found.row, found.request)
    if let since = rows[row].submittedAt {
      durations.append(now.timeIntervalSince(since))
    }
    rows[row].updated = now
    if status == "Succeeded", request + 1 < rows[row].offsets.count {
      rows[row].phase = .waiting
    } else {
      rows[row].phase = .finished(status)
      if status != "Succeeded" { markNotExecuted(row, now) }
    }
  }

  private func key(_ statement: Int, _ machine: MachineRef) -> String {
    "\(statement)/\(machine.id.lowercased())"
  }

  /// The machine's earliest row that has not settled (statements run in order).
  private func currentRow(_ machine: MachineRef) -> Int? {
    rows.indices.first { rows[$0].machine.id == machine.id && !rows[$0].isSettled }
  }

  private mutating func update(_ actionID: String, _ now: Date, _ change: (inout Row, Int) -> Void)
  {
    guard let found = actions[actionID] else { return }
    let offset = rows[found.row].offsets[safe: found.request] ?? 0
    change(&rows[found.row], offset)
    rows[found.row].updated = now
  }

  private mutating func markNotExecuted(_ row: Int, _ now: Date) {
    for i in rows[row].commands.indices
    where rows[row].commands[i].state == .waiting || rows[row].commands[i].state == .running {
      rows[row].commands[i].state = .notExecuted
    }
    rows[row].updated = now
  }

  /// `512 B`, `51.2 MB`.
  public static func bytes(_ size: Int64) -> String {
    let units = ["B", "KB", "MB", "GB", "TB"]
    var value = Double(size)
    var unit = 0
    while value >= 1000, unit < units.count - 1 {
      value /= 1000
      unit += 1
    }
    return unit == 0 ? "\(size) B" : String(format: "%.1f %@", value, units[unit])
  }
}
