import Foundation
import LREngine
import LRLanguage
import LiveResponse

/// Wraps each engine event in a shell event with the shell's views of it (command indexes across
/// a statement's requests, with a readable summary of each command).
public final class EventTranslator: @unchecked Sendable {
  let plan: Plan
  let started: Date
  let emit: @Sendable (ShellEvent) -> Void
  private let lock = NSLock()
  /// action id → (statement number, request index)
  private var actions: [String: (Int, Int)] = [:]
  /// Retries become one note per outage (the notice one-shot commands print on stderr).
  private var retryNotice: RetryNotice

  /// A translator for a run of `plan`; `retryWindow` is the client's (named in retry notes).
  public init(
    plan: Plan, started: Date, retryWindow: Duration = .seconds(60),
    emit: @escaping @Sendable (ShellEvent) -> Void
  ) {
    self.plan = plan
    self.started = started
    self.emit = emit
    retryNotice = RetryNotice(window: retryWindow)
  }

  var elapsed: Double { Date().timeIntervalSince(started) }

  static func machine(_ m: MachineRef) -> ShellEvent.Machine {
    ShellEvent.Machine(name: m.computerName, id: m.id)
  }

  /// The shell's view of command `index` (counted across the statement's requests) of the
  /// statement an action belongs to.
  func command(_ actionID: String?, _ index: Int, _ type: String) -> ShellEvent.Command {
    let statementNumber = actionID.flatMap { id in lock.withLock { actions[id]?.0 } }
    let kind = CommandType(rawValue: type) ?? .runScript
    guard let statement = plan.allStatements.first(where: { $0.number == statementNumber })
    else { return ShellEvent.Command(index: index, type: kind, summary: type) }
    let planned = statement.requests.flatMap(\.commands)[safe: index]
    let summary: String
    switch planned?.type {
    case .runScript?:
      summary =
        (["run", planned?.param("ScriptName")?.description ?? ""]
        + [planned?.param("Args")?.description].compactMap { $0 }).joined(separator: " ")
    case .getFile?: summary = "get " + (planned?.param("Path")?.description ?? "")
    case .putFile?: summary = "put " + (planned?.param("FileName")?.description ?? "")
    case nil: summary = type
    }
    return ShellEvent.Command(index: index, type: kind, summary: summary)
  }

  /// Emits the engine event with the shell's views of it (none for some).
  public func handle(_ event: EngineEvent) {
    emit(.engine(event, views: views(of: event)))
  }

  /// The shell's views of one engine event: what the text shows and the job records.
  func views(of event: EngineEvent) -> [ShellEvent] {
    switch event {
    case .runStarted, .runPaused, .runFinished, .commandStarted, .actionQueued:
      return []
    case .machinesResolved(_, let machines, _, _):
      return [.resolved(machines: machines.map(Self.machine))]
    case .actionSubmitted(let statement, let m, let request, let actionID):
      lock.withLock { actions[actionID] = (statement, request) }
      return [status(m, actionID, .pending)]
    case .actionStarted(let actionID, let m):
      return [status(m, actionID, .inProgress)]
    case .actionFinished(let actionID, let m, let status):
      return [self.status(m, actionID, status)]
    case .commandCompleted(let actionID, let m, let index, let type, _):
      guard type == CommandType.putFile.rawValue else { return [] }
      return [completed(m, command(actionID, index, type), .put)]
    case .resultReady(let actionID, let m, let index, let result):
      switch result {
      case .script(let code, let output, let errors, _):
        let shell = ShellEvent.CommandResult.script(
          exitCode: code, output: Array(output.utf8), errors: Array(errors.utf8))
        return [completed(m, command(actionID, index, CommandType.runScript.rawValue), shell)]
      case .file(let path, let size, let sha):
        let shell = ShellEvent.CommandResult.file(path: path, size: size, sha256: sha)
        return [completed(m, command(actionID, index, CommandType.getFile.rawValue), shell)]
      }
    case .commandFailed(let actionID, let m, let index, let type, let errors):
      let failed = ShellEvent.CommandResult.failed(reason: errors.joined(separator: "; "))
      return [completed(m, command(actionID, index, type), failed)]
    case .commandNotExecuted(let actionID, let m, let index, let type, let reason):
      return [
        .notExecuted(
          machine: Self.machine(m), command: command(actionID, index, type), reason: reason)
      ]
    case .actionRefused(_, let m, _, let refusal):
      let reason = refusal.message + (refusal.code.map { " [\($0)]" } ?? "")
      return [.refused(machine: Self.machine(m), reason: reason)]
    case .waitingForBudget(let reason, let until):
      return [
        .waitingForBudget(
          machine: nil, reason: reason, retryAfterSeconds: max(0, until.timeIntervalSinceNow))
      ]
    case .retry(let reason, _, _):
      guard let line = lock.withLock({ retryNotice.line(cause: reason) }) else { return [] }
      return [.note(line)]
    }
  }

  private func status(_ m: MachineRef, _ actionID: String, _ status: ActionStatus) -> ShellEvent {
    .actionStatus(
      machine: Self.machine(m), actionID: actionID, status: status, elapsedSeconds: elapsed)
  }

  private func completed(
    _ m: MachineRef, _ command: ShellEvent.Command, _ result: ShellEvent.CommandResult
  ) -> ShellEvent {
    .commandCompleted(
      machine: Self.machine(m), command: command, result: result, elapsedSeconds: elapsed)
  }
}

extension Array {
  fileprivate subscript(safe index: Int) -> Element? {
    indices.contains(index) ? self[index] : nil
  }
}
