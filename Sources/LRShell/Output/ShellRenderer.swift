import LREngine
import LRLanguage
import LiveResponse

/// Turns ``ShellEvent``s into terminal text (human) or JSON lines. Text shows the shell's views of
/// engine events; JSON lines are the engine events themselves, as `lr run` prints them, with the
/// job. Every piece of text that came from a host or the service goes through ``Sanitizer`` first
/// (in JSON, the writer escapes it).
public struct ShellRenderer: Sendable {
  /// Human text or one JSON object per event.
  public var mode: OutputMode
  /// Lines of script output shown before the `.show` hint.
  public var maxOutputLines: Int
  /// Whether to colour human output.
  public var colors: Bool

  public init(mode: OutputMode = .human, maxOutputLines: Int = 20, colors: Bool = false) {
    self.mode = mode
    self.maxOutputLines = maxOutputLines
    self.colors = colors
  }

  /// The text for one event of a job, ending with a newline (empty when nothing is shown).
  public func render(_ event: ShellEvent, job: JobID) -> String {
    switch mode {
    case .human: human(event, job: job)
    case .json: json(event, job: job).map { $0.serialized() + "\n" } ?? ""
    }
  }

  // MARK: - Human

  private func paint(_ text: String, _ code: String) -> String {
    colors ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }

  private func human(_ event: ShellEvent, job: JobID) -> String {
    let tag = paint("[\(job)]", "2")
    switch event {
    case .engine(_, let views):
      return views.map { human($0, job: job) }.joined()
    case .submitted(let target, let requests):
      let noun = requests == 1 ? "request" : "requests"
      return "\(tag) on \(clean(target)): \(requests) \(noun)\n"
    case .resolved(let machines) where machines.isEmpty:
      return "\(tag) no machine matched the target\n"
    case .resolved(let machines):
      let names = machines.prefix(8).map { clean($0.name) }.joined(separator: ", ")
      let more = machines.count > 8 ? ", … (\(machines.count - 8) more)" : ""
      let noun = machines.count == 1 ? "machine" : "machines"
      return "\(tag) \(machines.count) \(noun): \(names)\(more)\n"
    case .waitingForBudget(let machine, let reason, let retryAfter):
      let on = machine.map { " " + clean($0.name) } ?? ""
      let retry = retryAfter.map { " (next try in \(ShellRenderer.duration($0)))" } ?? ""
      return "\(tag)\(on) \(paint("waiting for budget", "33")): \(clean(reason))\(retry)\n"
    case .actionStatus(let machine, let actionID, let status, let elapsed):
      return "\(tag) \(clean(machine.name))  action \(clean(String(actionID.prefix(8))))  "
        + "\(paint(status.rawValue, color(status)))  \(ShellRenderer.duration(elapsed))\n"
    case .commandCompleted(let machine, let command, let result, let elapsed):
      var head = "\(tag) \(clean(machine.name))  \(label(command))  "
      switch result {
      case .failed: head += paint("Failed", "31")
      default: head += paint("Completed", "32")
      }
      head += "  \(ShellRenderer.duration(elapsed))"
      return head + resultText(result, job: job, command: command)
    case .refused(let machine, let reason):
      return "\(tag) \(clean(machine.name))  \(paint("refused", "31")): \(clean(reason))\n"
    case .notExecuted(let machine, let command, let reason):
      return "\(tag) \(clean(machine.name))  \(label(command))  "
        + "\(paint("not executed", "33")): \(clean(reason))\n"
    case .preview(let machine, let request, let index, let count):
      let on = machine.map { " for " + clean($0.name) } ?? ""
      return "\(tag) request \(index + 1)/\(count)\(on) (offline preview, not sent):\n"
        + Sanitizer.line(request.json().serialized()) + "\n"
    case .note(let text):
      return "\(tag) \(clean(text))\n"
    case .finished(let outcome, let elapsed):
      let time = ShellRenderer.duration(elapsed)
      switch outcome {
      case .succeeded: return "\(tag) \(paint("done", "32")) in \(time)\n"
      case .failed(let reason):
        return "\(tag) \(paint("failed", "31")): \(clean(reason)) (\(time))\n"
      case .cancelled: return "\(tag) \(paint("cancelled", "33")) after \(time)\n"
      case .queued: return "\(tag) still queued on the service; `.actions` shows it later\n"
      case .previewed: return ""
      }
    }
  }

  /// The indented body of a result: exit code and output, or the saved file.
  private func resultText(
    _ result: ShellEvent.CommandResult, job: JobID, command: ShellEvent.Command
  )
    -> String
  {
    switch result {
    case .script(let exitCode, let output, let errors):
      var out = "  exit \(exitCode)\n"
      let hint = ".show \(job) \(command.index + 1)"
      out += block(Sanitizer.text(bytes: output), marker: "│", hint: hint)
      out += block(Sanitizer.text(bytes: errors), marker: paint("!", "31"), hint: hint)
      return out
    case .file(let path, let size, let sha256):
      return "\n    saved \(clean(path))  \(size) bytes  sha256 \(clean(sha256))\n"
    case .put:
      return "\n"
    case .failed(let reason):
      return "\n    \(clean(reason))\n"
    }
  }

  /// Output lines indented under a result, cut at ``maxOutputLines`` with a hint.
  private func block(_ text: String, marker: String, hint: String) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    guard !lines.isEmpty else { return "" }
    var out = ""
    for line in lines.prefix(maxOutputLines) { out += "    \(marker) \(line)\n" }
    if lines.count > maxOutputLines {
      out += "    … \(lines.count - maxOutputLines) more lines; `\(hint)` shows all\n"
    }
    return out
  }

  /// Full, untruncated result text (`.show ID INDEX`).
  public func full(_ result: ShellEvent.CommandResult) -> String {
    switch result {
    case .script(let exitCode, let output, let errors):
      var out = "exit \(exitCode)\n" + Sanitizer.text(bytes: output)
      if !out.hasSuffix("\n") { out += "\n" }
      let err = Sanitizer.text(bytes: errors)
      if !err.isEmpty { out += "--- errors ---\n" + err + (err.hasSuffix("\n") ? "" : "\n") }
      return out
    case .file(let path, let size, let sha256):
      return "saved \(clean(path))  \(size) bytes  sha256 \(clean(sha256))\n"
    case .put: return "put: completed\n"
    case .failed(let reason): return "failed: \(clean(reason))\n"
    }
  }

  private func label(_ command: ShellEvent.Command) -> String {
    "#\(command.index + 1) \(clean(command.summary))"
  }

  private func clean(_ text: String) -> String { Sanitizer.line(text) }

  private func color(_ status: ActionStatus) -> String {
    switch status {
    case .pending: "2"
    case .inProgress: "36"
    case .succeeded: "32"
    case .failed, .timeOut, .other: "31"
    case .cancelled: "33"
    }
  }

  /// `850ms`, `12.5s`, `3m05s`.
  static func duration(_ seconds: Double) -> String {
    if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
    if seconds < 60 {
      let tenths = Int((seconds * 10).rounded())
      return "\(tenths / 10).\(tenths % 10)s"
    }
    let whole = Int(seconds.rounded())
    let s = whole % 60
    return "\(whole / 60)m" + (s < 10 ? "0" : "") + "\(s)s"
  }

  // MARK: - JSON

  /// One event as a JSON object with its job: an engine event as `lr run` prints it, or one of
  /// the REPL's own events; nil for the shell's views (their engine event is the line).
  private func json(_ event: ShellEvent, job: JobID) -> JSONValue? {
    let context: [(String, JSONValue)] = [("job", .number(job.value))]
    func ms(_ seconds: Double) -> JSONValue { .number(Int((seconds * 1000).rounded())) }
    var m = context
    switch event {
    case .engine(let engineEvent, _):
      return engineEvent.json(context: context)
    case .resolved, .waitingForBudget, .actionStatus, .commandCompleted, .refused, .notExecuted:
      return nil
    case .submitted(let target, let requests):
      m += [
        ("event", .string("submitted")), ("target", .string(clean(target))),
        ("requests", .number(requests)),
      ]
    case .preview(let on, let request, let index, let count):
      m.append(("event", .string("preview")))
      if let on { m.append(("machine", machine(on))) }
      m += [("request", .number(index + 1)), ("count", .number(count)), ("body", request.json())]
    case .note(let text):
      m += [("event", .string("note")), ("text", .string(clean(text)))]
    case .finished(let outcome, let elapsed):
      m += [("event", .string("finished")), ("outcome", .string(outcomeName(outcome)))]
      if case .failed(let reason) = outcome { m.append(("reason", .string(clean(reason)))) }
      m.append(("elapsedMs", ms(elapsed)))
    }
    return .object(m)
  }

  /// A preview's machine: its name as written (and id, when known).
  private func machine(_ value: ShellEvent.Machine) -> JSONValue {
    .object(
      [("name", .string(clean(value.name)))]
        + (value.id.map { [("id", .string(clean($0)))] } ?? []))
  }

  private func outcomeName(_ outcome: ShellEvent.Outcome) -> String {
    switch outcome {
    case .succeeded: "succeeded"
    case .failed: "failed"
    case .cancelled: "cancelled"
    case .queued: "queued"
    case .previewed: "previewed"
    }
  }
}
