import Foundation
import LREngine
import LRLanguage
import LiveResponse

/// Maps engine events onto shell events (command indexes across a statement's requests, with a
/// readable summary of each command).
public final class EventTranslator: @unchecked Sendable {
  let plan: Plan
  let started: Date
  let emit: @Sendable (ShellEvent) -> Void
  private let lock = NSLock()
  /// action id → (statement number, request index)
  private var actions: [String: (Int, Int)] = [:]

  public init(plan: Plan, started: Date, emit: @escaping @Sendable (ShellEvent) -> Void) {
    self.plan = plan
    self.started = started
    self.emit = emit
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

  /// Emits the shell events one engine event stands for (none for some).
  public func handle(_ event: EngineEvent) {
    switch event {
    case .runStarted, .runFinished, .commandStarted:
      return
    case .machinesResolved(_, let machines, _):
      emit(.resolved(machines: machines.map(Self.machine)))
    case .actionSubmitted(let statement, let m, let request, let actionID):
      lock.withLock { actions[actionID] = (statement, request) }
      emit(
        .actionStatus(
          machine: Self.machine(m), actionID: actionID, status: .pending, elapsedSeconds: elapsed))
    case .actionQueued:
      return
    case .actionStarted(let actionID, let m):
      emit(
        .actionStatus(
          machine: Self.machine(m), actionID: actionID, status: .inProgress, elapsedSeconds: elapsed
        ))
    case .commandCompleted(let actionID, let m, let index, let type, _):
      if type == CommandType.putFile.rawValue {
        emit(
          .commandCompleted(
            machine: Self.machine(m), command: command(actionID, index, type), result: .put,
            elapsedSeconds: elapsed))
      }
    case .resultReady(let actionID, let m, let index, let result):
      let shell: ShellEvent.CommandResult
      let type: String
      switch result {
      case .script(let code, let output, let errors, _):
        shell = .script(exitCode: code, output: Array(output.utf8), errors: Array(errors.utf8))
        type = CommandType.runScript.rawValue
      case .file(let path, let size, let sha):
        shell = .file(path: path, size: size, sha256: sha)
        type = CommandType.getFile.rawValue
      }
      emit(
        .commandCompleted(
          machine: Self.machine(m), command: command(actionID, index, type), result: shell,
          elapsedSeconds: elapsed))
    case .commandFailed(let actionID, let m, let index, let type, let errors):
      emit(
        .commandCompleted(
          machine: Self.machine(m), command: command(actionID, index, type),
          result: .failed(reason: errors.joined(separator: "; ")), elapsedSeconds: elapsed))
    case .commandNotExecuted(let actionID, let m, let index, let type, let reason):
      emit(
        .notExecuted(
          machine: Self.machine(m), command: command(actionID, index, type), reason: reason))
    case .actionRefused(_, let m, _, let refusal):
      emit(
        .refused(
          machine: Self.machine(m),
          reason: refusal.message + (refusal.code.map { " [\($0)]" } ?? "")))
    case .actionFinished(let actionID, let m, let status):
      let value = status
      emit(
        .actionStatus(
          machine: Self.machine(m), actionID: actionID, status: value, elapsedSeconds: elapsed))
    case .waitingForBudget(let reason, let until):
      emit(
        .waitingForBudget(
          machine: nil, reason: reason, retryAfterSeconds: max(0, until.timeIntervalSinceNow)))
    case .retry(let reason, let attempt, let after):
      emit(.note("retry \(attempt) in \(String(format: "%.1f", after))s: \(reason)"))
    }
  }
}

extension Array {
  fileprivate subscript(safe index: Int) -> Element? {
    indices.contains(index) ? self[index] : nil
  }
}
