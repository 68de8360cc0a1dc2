import Foundation
import LREngine
import LRLanguage
import LiveResponse

/// Turns engine events into output: one line per event for people (sanitized, outputs truncated),
/// or one JSON object per line for machines. The engine never prints; this is its only voice.
final class RunRenderer: @unchecked Sendable {
  let format: OutputFormat
  /// Lines of script output shown before truncating (the full text is in the results folder).
  let outputLines: Int
  /// Where retries are announced on stderr, once per outage: the run's `retry` events (in human
  /// output) and the client's own retries before the run starts (sign-in, preflight) share it.
  let notices = RetryAnnouncer()
  /// The run is on the lab (`--lab`), gone when lr exits: its summary never offers `lr resume`.
  let lab: Bool
  private let lock = NSLock()

  init(format: OutputFormat, outputLines: Int = 20, lab: Bool = false) {
    self.format = format
    self.outputLines = outputLines
    self.lab = lab
  }

  func handle(_ event: EngineEvent) {
    let text: String
    switch format {
    case .json:
      Self.warnIfUnmatched(event)
      text = event.json().serialized() + "\n"
    case .human: text = human(event)
    }
    guard !text.isEmpty else { return }
    lock.lock()
    Terminal.out(text)
    lock.unlock()
  }

  /// `--dry-run`: each request body that would be sent, exactly as it would be POSTed.
  func planned(_ plan: Plan) {
    for statement in plan.allStatements {
      for (index, request) in statement.requests.enumerated() {
        let text: String
        switch format {
        case .json:
          text =
            JSONValue.object([
              ("event", .string("requestPlanned")), ("statement", .number(statement.number)),
              ("request", .number(index + 1)), ("body", request.json()),
            ]).serialized() + "\n"
        case .human:
          text = "statement \(statement.number): " + request.json().serialized() + "\n"
        }
        lock.withLock { Terminal.out(text) }
      }
    }
  }

  static func name(_ machine: MachineRef) -> String { Terminal.sanitize(machine.computerName) }

  func human(_ event: EngineEvent) -> String {
    switch event {
    case .runStarted(let run, let statements):
      return Terminal.styled("run \(run)", "1")
        + ": \(statements) statement\(statements == 1 ? "" : "s")\n"
    case .machinesResolved(let statement, let machines, let unknown, _):
      Self.warnIfUnmatched(event)
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
      return "\(Self.name(machine)): [\(index + 1)] \(type) started\n"
    case .commandCompleted(_, let machine, let index, let type, let duration):
      let time = duration.map { String(format: " in %.1fs", $0) } ?? ""
      return "\(Self.name(machine)): [\(index + 1)] \(type) " + Terminal.styled("completed", "32")
        + time + "\n"
    case .commandFailed(_, let machine, let index, let type, let errors):
      let detail = errors.isEmpty ? "" : ": " + Terminal.sanitize(errors.joined(separator: "; "))
      return "\(Self.name(machine)): [\(index + 1)] \(type) " + Terminal.styled("failed", "31")
        + detail
        + "\n"
    case .commandNotExecuted(_, let machine, let index, let type, let reason):
      return
        "\(Self.name(machine)): [\(index + 1)] \(type) not executed: \(Terminal.sanitize(reason))\n"
    case .resultReady(_, let machine, let index, let result):
      switch result {
      case .script(let code, let output, let errors, let path):
        var text = "\(Self.name(machine)): [\(index + 1)] exit code \(code)\n"
        text += indent(truncate(output, path: path))
        if !errors.isEmpty { text += indent("stderr:\n" + truncate(errors, path: path)) }
        return text
      case .file(let path, let size, let sha):
        return
          "\(Self.name(machine)): [\(index + 1)] saved \(Terminal.sanitize(path)) (\(RunProgress.bytes(size)), SHA-256 \(sha))\n"
      }
    case .actionFinished(_, let machine, let status):
      let painted =
        status == "Succeeded"
        ? Terminal.styled(status.rawValue, "32")
        : Terminal.styled(Terminal.sanitize(status.rawValue), "31")
      return "\(Self.name(machine)): action \(painted)\n"
    case .actionRefused(_, let machine, _, let refusal):
      let code = refusal.code.map { " [\(Terminal.sanitize($0))]" } ?? ""
      return "\(Self.name(machine)): " + Terminal.styled("refused", "31") + ": "
        + Terminal.sanitize(refusal.message) + code + "\n"
    case .waitingForBudget(let reason, let until):
      let seconds = max(0, Int(until.timeIntervalSinceNow.rounded()))
      return "waiting for budget: \(reason)\(seconds > 0 ? " (about \(seconds)s)" : "")\n"
    case .retry(let reason, _, _):
      notices.announce(cause: reason)
      return ""
    case .runPaused(let run, let pause):
      return Self.paused(run, pause, lab: lab)
    case .runFinished(let run, let s):
      return Self.finished(run, s, lab: lab)
    }
  }

  /// `lr: warning: statement 1: tag "x" matches no machine` on stderr, for a statement whose
  /// target matched no machine (a mistyped tag looks like success otherwise).
  static func warnIfUnmatched(_ event: EngineEvent) {
    guard case .machinesResolved(let statement, _, _, let unmatched?) = event else { return }
    Terminal.err(
      "lr: warning: statement \(statement): \(Terminal.sanitize(unmatched)) matches no machine\n")
  }

  /// A lab run's next step: the lab is gone when lr exits, so it cannot be resumed.
  static let labRerun = "a lab run cannot be resumed (the lab ends with lr): run it again"

  /// The line of a run its breaker paused, and what to do next.
  static func paused(_ run: String, _ pause: RunPause, lab: Bool = false) -> String {
    Terminal.styled("run \(run) paused", "1;33") + ": \(pause.reason)\n"
      + (lab
        ? "  \(labRerun)\n"
        : "  `lr resume \(run)` continues it once the cause is fixed (with --stop-if-failed to "
          + "change the threshold); `lr resume \(run) --abandon` ends it\n")
  }

  /// The summary line of a run's end: its state (refused, failed, paused, interrupted, stopped,
  /// finished), its counts, and what to do next (never `lr resume` for a lab run).
  static func finished(_ run: String, _ s: RunSummary, lab: Bool = false) -> String {
    if s.dryRun {
      return Terminal.styled("run \(run)", "1") + ": dry run: nothing was sent or journaled\n"
    }
    if s.refused {
      return Terminal.styled("run \(run) refused", "1")
        + ": nothing was sent or journaled; the reason follows\n"
    }
    let (state, next): (String, String) =
      if s.paused != nil {
        ("paused", "lr resume \(run) continues it")
      } else if s.failure != nil {
        ("failed", "the error follows; lr resume \(run) finishes it once it is fixed")
      } else if s.interrupted {
        ("interrupted", "lr resume \(run) finishes it")
      } else if s.stoppedEarly {
        ("stopped before the end", "lr resume \(run) finishes it")
      } else { ("finished", "") }
    let hint =
      next.isEmpty
      ? "" : "; " + (lab ? (s.failure != nil ? "the error follows; " : "") + labRerun : next)
    return Terminal.styled("run \(run) \(state)", "1")
      + ": \(s.succeeded) succeeded, \(s.failed) failed, \(s.timedOut) timed out, \(s.cancelled) cancelled, \(s.pending) pending"
      + hint + "\n"
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
}
