import Foundation
import LRLanguage
import LiveResponse

/// An engine event as one JSON line: the one encoder `lr run`, `lr resume` and the REPL use.
///
/// Names and members are the `runEvent` definitions of docs/schema/lr-json.schema.json: statuses
/// are the service's values, times ISO 8601 UTC, `statement`/`request`/`command` count from 1.
/// The writer escapes control, bidi and zero-width characters, so host text is passed as it came.
extension EngineEvent {
  /// The event's JSON object: `context` first (the REPL's `job`), then `event`, then its members.
  public func json(context: [(String, JSONValue)] = []) -> JSONValue {
    .object(context + [("event", .string(eventName))] + members)
  }

  /// The event's name in JSON lines (`runStarted`, `actionSubmitted`, …).
  public var eventName: String {
    switch self {
    case .runStarted: "runStarted"
    case .machinesResolved: "machinesResolved"
    case .actionSubmitted: "actionSubmitted"
    case .actionQueued: "actionQueued"
    case .actionStarted: "actionStarted"
    case .commandStarted: "commandStarted"
    case .commandCompleted: "commandCompleted"
    case .commandFailed: "commandFailed"
    case .commandNotExecuted: "commandNotExecuted"
    case .resultReady: "resultReady"
    case .actionFinished: "actionFinished"
    case .actionRefused: "actionRefused"
    case .waitingForBudget: "waitingForBudget"
    case .retry: "retry"
    case .runPaused: "runPaused"
    case .runFinished: "runFinished"
    }
  }

  private typealias Members = [(String, JSONValue)]

  /// The members after `event`.
  private var members: Members {
    switch self {
    case .runStarted(let run, let statements):
      return [("run", .string(run)), ("statements", .number(statements))]
    case .machinesResolved(let statement, let machines, let unknown, let unmatched):
      return [
        ("statement", .number(statement)),
        ("machines", .array(machines.map { .object(Self.machine($0)) })),
        ("unknown", .array(unknown.map { .string($0) })),
      ] + (unmatched.map { [("unmatched", .string($0))] } ?? [])
    case .actionSubmitted(let statement, let m, let request, let actionID):
      return [("statement", .number(statement))] + Self.machine(m) + [
        ("request", .number(request + 1)), ("actionId", .string(actionID)),
      ]
    case .actionQueued(let actionID, let m), .actionStarted(let actionID, let m):
      return [("actionId", .string(actionID))] + Self.machine(m)
    case .actionFinished(let actionID, let m, let status):
      return [("actionId", .string(actionID))] + Self.machine(m) + [
        ("status", .string(status.rawValue))
      ]
    case .actionRefused(let statement, let m, let request, let refusal):
      return [("statement", .number(statement))] + Self.machine(m) + [
        ("request", .number(request + 1)), ("status", .string("Failed")),
        ("message", .string(refusal.message)),
      ] + (refusal.code.map { [("code", .string($0))] } ?? [])
        + (refusal.httpStatus.map { [("httpStatus", .number($0))] } ?? [])
    case .waitingForBudget(let reason, let until):
      return [("reason", .string(reason)), ("until", .string(Self.timestamp(until)))]
    case .retry(let reason, let attempt, let after):
      return [
        ("reason", .string(reason)), ("attempt", .number(attempt)),
        ("afterMs", .number(Int(after * 1000))),
      ]
    case .runPaused(let run, let pause):
      return [
        ("run", .string(run)), ("statement", .number(pause.statement)),
        ("reason", .string(pause.reason)), ("failed", .number(pause.failed)),
        ("finished", .number(pause.finished)), ("threshold", .string(pause.threshold.description)),
        ("remaining", .number(pause.remaining)),
      ]
    case .runFinished(let run, let summary):
      return Self.members(run: run, summary: summary)
    default:
      return commandMembers
    }
  }

  /// The members of the events about one command.
  private var commandMembers: Members {
    switch self {
    case .commandStarted(let actionID, let m, let index, let type):
      return Self.command(actionID, m, index, type)
    case .commandCompleted(let actionID, let m, let index, let type, let duration):
      return Self.command(actionID, m, index, type)
        + (duration.map { [("durationMs", .number(Int($0 * 1000)))] } ?? [])
    case .commandFailed(let actionID, let m, let index, let type, let errors):
      return Self.command(actionID, m, index, type) + [
        ("errors", .array(errors.map { .string($0) }))
      ]
    case .commandNotExecuted(let actionID, let m, let index, let type, let reason):
      return Self.command(actionID, m, index, type) + [("reason", .string(reason))]
    case .resultReady(let actionID, let m, let index, let result):
      return [("actionId", .string(actionID))] + Self.machine(m) + [("command", .number(index + 1))]
        + Self.members(result)
    default:
      return []
    }
  }

  private static func machine(_ m: MachineRef) -> Members {
    [("machineId", .string(m.id)), ("computerName", .string(m.computerName))]
  }

  private static func command(_ actionID: String?, _ m: MachineRef, _ index: Int, _ type: String)
    -> Members
  {
    (actionID.map { [("actionId", .string($0))] } ?? []) + machine(m) + [
      ("command", .number(index + 1)), ("type", .string(type)),
    ]
  }

  private static func members(_ result: CommandResult) -> Members {
    switch result {
    case .script(let code, let output, let errors, let path):
      [
        ("type", .string("RunScript")), ("exitCode", .number(code)), ("output", .string(output)),
        ("errors", .string(errors)), ("path", .string(path)),
      ]
    case .file(let path, let size, let sha):
      [
        ("type", .string("GetFile")), ("path", .string(path)), ("size", .number(Int(size))),
        ("sha256", .string(sha)),
      ]
    }
  }

  private static func members(run: String, summary s: RunSummary) -> Members {
    return [
      ("run", .string(run)), ("state", .string(state(s))), ("succeeded", .number(s.succeeded)),
      ("failed", .number(s.failed)), ("timedOut", .number(s.timedOut)),
      ("cancelled", .number(s.cancelled)), ("pending", .number(s.pending)),
      ("stoppedEarly", .bool(s.stoppedEarly)), ("interrupted", .bool(s.interrupted)),
      ("exitStatus", .number(Int(s.exitStatus))),
    ] + (s.failure.map { [("error", .string($0.message))] } ?? [])
  }

  /// `runFinished`'s `state`: how the run ended.
  private static func state(_ s: RunSummary) -> String {
    if s.refused { return "refused" }
    if s.dryRun { return "dryRun" }
    if s.failure != nil { return "failed" }
    if s.paused != nil { return "paused" }
    return s.stoppedEarly ? "interrupted" : "finished"
  }

  /// ISO 8601 UTC with milliseconds, the one time format of every JSON line.
  public static func timestamp(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.string(from: date)
  }
}
