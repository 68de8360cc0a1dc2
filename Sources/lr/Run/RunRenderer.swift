import Foundation
import LREngine
import LRLanguage

/// Turns engine events into output: one line per event for people (sanitized, outputs truncated),
/// or one JSON object per line for machines. The engine never prints; this is its only voice.
final class RunRenderer: @unchecked Sendable {
  let format: OutputFormat
  /// Lines of script output shown before truncating (the full text is in the results folder).
  let outputLines: Int
  private let lock = NSLock()

  init(format: OutputFormat, outputLines: Int = 20) {
    self.format = format
    self.outputLines = outputLines
  }

  func handle(_ event: EngineEvent) {
    let text: String
    switch format {
    case .json: text = json(event).serialized() + "\n"
    case .human: text = human(event)
    }
    guard !text.isEmpty else { return }
    lock.lock()
    Terminal.out(text)
    lock.unlock()
  }

  static func name(_ machine: MachineRef) -> String { Terminal.sanitize(machine.computerName) }

  func human(_ event: EngineEvent) -> String {
    switch event {
    case .runStarted(let run, let statements):
      return Terminal.styled("run \(run)", "1")
        + ": \(statements) statement\(statements == 1 ? "" : "s")\n"
    case .machinesResolved(let statement, let machines, let unknown):
      var line =
        "statement \(statement): \(machines.count) machine\(machines.count == 1 ? "" : "s")"
      if machines.count <= 5, !machines.isEmpty {
        line += " (" + machines.map(Self.name).joined(separator: ", ") + ")"
      }
      if !unknown.isEmpty {
        line += "; unknown: " + unknown.map { Terminal.sanitize($0) }.joined(separator: ", ")
      }
      return line + "\n"
    case .actionSubmitted(_, let machine, let request, let actionID):
      return
        "\(Self.name(machine)): submitted action \(actionID)\(request > 0 ? " (request \(request + 1))" : "")\n"
    case .actionQueued(_, let machine):
      return
        "\(Self.name(machine)): pending (waiting for the device to pick it up; offline devices keep it up to 3 days)\n"
    case .actionStarted(_, let machine):
      return "\(Self.name(machine)): in progress\n"
    case .commandStarted(_, let machine, let index, let type):
      return "\(Self.name(machine)): [\(index)] \(type) started\n"
    case .commandCompleted(_, let machine, let index, let type, let duration):
      let time = duration.map { String(format: " in %.1fs", $0) } ?? ""
      return "\(Self.name(machine)): [\(index)] \(type) " + Terminal.styled("completed", "32")
        + time + "\n"
    case .commandFailed(_, let machine, let index, let type, let errors):
      let detail = errors.isEmpty ? "" : ": " + Terminal.sanitize(errors.joined(separator: "; "))
      return "\(Self.name(machine)): [\(index)] \(type) " + Terminal.styled("failed", "31") + detail
        + "\n"
    case .commandNotExecuted(_, let machine, let index, let type, let reason):
      return
        "\(Self.name(machine)): [\(index)] \(type) not executed: \(Terminal.sanitize(reason))\n"
    case .resultReady(_, let machine, let index, let result):
      switch result {
      case .script(let code, let output, let errors, let path):
        var text = "\(Self.name(machine)): [\(index)] exit code \(code)\n"
        text += indent(truncate(output, path: path))
        if !errors.isEmpty { text += indent("stderr:\n" + truncate(errors, path: path)) }
        return text
      case .file(let path, let size, let sha):
        return
          "\(Self.name(machine)): [\(index)] saved \(Terminal.sanitize(path)) (\(RunProgress.bytes(size)), SHA-256 \(sha))\n"
      }
    case .actionFinished(_, let machine, let status):
      let painted =
        status == "Succeeded"
        ? Terminal.styled(status, "32") : Terminal.styled(Terminal.sanitize(status), "31")
      return "\(Self.name(machine)): action \(painted)\n"
    case .waitingForBudget(let reason, let until):
      let seconds = max(0, Int(until.timeIntervalSinceNow.rounded()))
      return "waiting for budget: \(reason)\(seconds > 0 ? " (about \(seconds)s)" : "")\n"
    case .retry(let reason, let attempt, let after):
      return "retry \(attempt) in \(String(format: "%.1f", after))s: \(Terminal.sanitize(reason))\n"
    case .runFinished(let run, let s):
      return Terminal.styled("run \(run) finished", "1")
        + ": \(s.succeeded) succeeded, \(s.failed) failed, \(s.timedOut) timed out, \(s.cancelled) cancelled, \(s.pending) pending"
        + (s.interrupted
          ? "; interrupted (lr resume \(run) finishes it)\n"
          : s.stoppedEarly ? "; stopped before the end (lr resume finishes it)\n" : "\n")
    }
  }

  func truncate(_ text: String, path: String) -> String {
    let clean = Terminal.sanitize(text, multiline: true)
    let lines = clean.split(separator: "\n", omittingEmptySubsequences: false)
    guard lines.count > outputLines else {
      return clean.hasSuffix("\n") || clean.isEmpty ? clean : clean + "\n"
    }
    return lines.prefix(outputLines).joined(separator: "\n")
      + "\n… \(lines.count - outputLines) more lines in \(Terminal.sanitize(path))\n"
  }

  func indent(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(
      text.hasSuffix("\n") ? 1 : 0
    )
    .map { "    " + $0 }.joined(separator: "\n") + (text.isEmpty ? "" : "\n")
  }

  func json(_ event: EngineEvent) -> JSONValue {
    func machine(_ m: MachineRef) -> [(String, JSONValue)] {
      [("machineId", .string(m.id)), ("computerName", .string(m.computerName))]
    }
    switch event {
    case .runStarted(let run, let statements):
      return .object([
        ("event", .string("runStarted")), ("run", .string(run)),
        ("statements", .number(statements)),
      ])
    case .machinesResolved(let statement, let machines, let unknown):
      return .object([
        ("event", .string("machinesResolved")), ("statement", .number(statement)),
        ("machines", .array(machines.map { .object(machine($0)) })),
        ("unknown", .array(unknown.map { .string($0) })),
      ])
    case .actionSubmitted(let statement, let m, let request, let actionID):
      return .object(
        [("event", .string("actionSubmitted")), ("statement", .number(statement))] + machine(m) + [
          ("request", .number(request)), ("actionId", .string(actionID)),
        ])
    case .actionQueued(let actionID, let m):
      return .object(
        [("event", .string("actionQueued")), ("actionId", .string(actionID))] + machine(m))
    case .actionStarted(let actionID, let m):
      return .object(
        [("event", .string("actionStarted")), ("actionId", .string(actionID))] + machine(m))
    case .commandStarted(let actionID, let m, let index, let type):
      return .object(
        [("event", .string("commandStarted")), ("actionId", .string(actionID))] + machine(m) + [
          ("index", .number(index)), ("type", .string(type)),
        ])
    case .commandCompleted(let actionID, let m, let index, let type, let duration):
      var members: [(String, JSONValue)] =
        [("event", .string("commandCompleted")), ("actionId", .string(actionID))] + machine(m) + [
          ("index", .number(index)), ("type", .string(type)),
        ]
      if let duration { members.append(("durationMs", .number(Int(duration * 1000)))) }
      return .object(members)
    case .commandFailed(let actionID, let m, let index, let type, let errors):
      return .object(
        [("event", .string("commandFailed")), ("actionId", .string(actionID))] + machine(m) + [
          ("index", .number(index)), ("type", .string(type)),
          ("errors", .array(errors.map { .string($0) })),
        ])
    case .commandNotExecuted(let actionID, let m, let index, let type, let reason):
      return .object(
        [("event", .string("commandNotExecuted")), ("actionId", .string(actionID))] + machine(m) + [
          ("index", .number(index)), ("type", .string(type)), ("reason", .string(reason)),
        ])
    case .resultReady(let actionID, let m, let index, let result):
      var members: [(String, JSONValue)] =
        [("event", .string("resultReady")), ("actionId", .string(actionID))] + machine(m) + [
          ("index", .number(index))
        ]
      switch result {
      case .script(let code, let output, let errors, let path):
        members += [
          ("exitCode", .number(code)), ("output", .string(output)), ("errors", .string(errors)),
          ("path", .string(path)),
        ]
      case .file(let path, let size, let sha):
        members += [
          ("path", .string(path)), ("size", .number(Int(size))), ("sha256", .string(sha)),
        ]
      }
      return .object(members)
    case .actionFinished(let actionID, let m, let status):
      return .object(
        [("event", .string("actionFinished")), ("actionId", .string(actionID))] + machine(m) + [
          ("status", .string(status))
        ])
    case .waitingForBudget(let reason, let until):
      return .object([
        ("event", .string("waitingForBudget")), ("reason", .string(reason)),
        ("until", .string(ISO8601DateFormatter().string(from: until))),
      ])
    case .retry(let reason, let attempt, let after):
      return .object([
        ("event", .string("retry")), ("reason", .string(reason)), ("attempt", .number(attempt)),
        ("afterMs", .number(Int(after * 1000))),
      ])
    case .runFinished(let run, let s):
      return .object([
        ("event", .string("runFinished")), ("run", .string(run)),
        ("succeeded", .number(s.succeeded)),
        ("failed", .number(s.failed)), ("timedOut", .number(s.timedOut)),
        ("cancelled", .number(s.cancelled)),
        ("pending", .number(s.pending)), ("stoppedEarly", .bool(s.stoppedEarly)),
        ("interrupted", .bool(s.interrupted)),
        ("exitStatus", .number(Int(s.exitStatus))),
      ])
    }
  }
}
