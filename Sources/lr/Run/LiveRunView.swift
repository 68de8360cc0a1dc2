import DefenderClient
import Foundation
import LREngine
import LRLanguage

/// `lr run`'s live view on a terminal: per-machine, per-command status lines redrawn in place at
/// the bottom of the screen (never taller than the terminal), a progress line with an ETA, what
/// the run waits for and until when; results and failures are printed above the view as they
/// arrive, and the final state and summary stay on screen.
final class LiveRunView: @unchecked Sendable {
  private let lock = NSLock()
  private var progress: RunProgress
  private let renderer: RunRenderer
  private let submissionsPerMinute: Int
  private let timeScale: Double
  /// Lines of the view currently on screen, just above the cursor.
  private var drawn = 0
  private var ticker: Task<Void, Never>?

  /// - Parameters:
  ///   - renderer: formats the lines printed above the view (sanitized, outputs truncated).
  ///   - submissionsPerMinute: the `runliveresponse` budget, for the ETA.
  ///   - timeScale: service seconds per real second (the lab's time scale), for the ETA.
  init(plan: Plan, renderer: RunRenderer, submissionsPerMinute: Int, timeScale: Double) {
    progress = RunProgress(plan: plan)
    self.renderer = renderer
    self.submissionsPerMinute = submissionsPerMinute
    self.timeScale = timeScale
  }

  /// Starts redrawing once a second (the ETA and the budget countdown move without events).
  func start() {
    ticker = Task { [weak self] in
      while !Task.isCancelled {
        try? await Task.sleep(for: .seconds(1))
        self?.refresh()
      }
    }
  }

  /// Stops redrawing.
  func stop() {
    ticker?.cancel()
    ticker = nil
  }

  /// Takes the view off the screen until the next event (before a question on the terminal).
  func pause() {
    lock.lock()
    defer { lock.unlock() }
    Terminal.out(erase())
  }

  func handle(_ event: EngineEvent) {
    lock.lock()
    defer { lock.unlock() }
    progress.apply(event)
    var out = erase()
    if case .runFinished = event {
      out += finalText() + renderer.human(event)
      Terminal.out(out)
      ticker?.cancel()
      return
    }
    out += above(event)
    out += view()
    Terminal.out(out)
  }

  private func refresh() {
    lock.lock()
    defer { lock.unlock() }
    guard progress.summary == nil, drawn > 0 else { return }
    Terminal.out(erase() + view())
  }

  /// What is printed above the view for an event (progress itself is only in the view).
  private func above(_ event: EngineEvent) -> String {
    switch event {
    case .runStarted, .machinesResolved, .resultReady, .commandFailed, .commandNotExecuted,
      .retry:
      return renderer.human(event)
    case .actionFinished(_, _, let status) where status != "Succeeded":
      return renderer.human(event)
    default:
      return ""
    }
  }

  // MARK: Drawing

  /// Moves to the first line of the view and clears to the end of the screen.
  private func erase() -> String {
    defer { drawn = 0 }
    return drawn > 0 ? "\r\u{1B}[\(drawn)A\u{1B}[J" : ""
  }

  private func view() -> String {
    let (height, width) = Self.size()
    let footer = footerLines(now: Date())
    let room = max(1, height - 1 - footer.count)
    var lines: [String] = []
    if progress.rows.count <= room {
      lines = progress.rows.map { line($0) }
    } else {
      // The active rows first, then the most recently changed; shown in resolution order.
      let order = progress.rows.indices.sorted { a, b in
        let ra = progress.rows[a]
        let rb = progress.rows[b]
        if ra.isActive != rb.isActive { return ra.isActive }
        return ra.updated > rb.updated
      }
      let shown = Array(order.prefix(room - 1)).sorted()
      let hidden = progress.rows.count - shown.count
      lines.append(
        Terminal.styled(
          "… \(hidden) more machine\(hidden == 1 ? "" : "s") not shown (counts below)", "2"))
      lines += shown.map { line(progress.rows[$0]) }
    }
    lines += footer
    drawn = lines.count
    return lines.map { Self.clip($0, width: width) + "\n" }.joined()
  }

  /// The final state: every row when they fit the terminal, else the rows that did not succeed.
  private func finalText() -> String {
    let (height, width) = Self.size()
    let rows = progress.rows
    let shown =
      rows.count < height - 2 ? rows : rows.filter { $0.phase != .finished("Succeeded") }
    var lines = shown.map { line($0) }
    if shown.count < rows.count {
      lines.append("  \(rows.count - shown.count) more machines succeeded (see the results folder)")
    }
    return lines.map { Self.clip($0, width: width) + "\n" }.joined()
  }

  private func footerLines(now: Date) -> [String] {
    let p = progress
    var parts = ["\(p.done)/\(p.total) done"]
    if p.failed > 0 { parts[0] += " (\(p.failed) not succeeded)" }
    if p.running > 0 { parts.append("\(p.running) running") }
    if p.queued > 0 { parts.append("\(p.queued) queued") }
    if p.notStarted > 0 { parts.append("\(p.notStarted) not sent yet") }
    if let eta = p.eta(
      submissionsPerMinute: submissionsPerMinute, timeScale: timeScale, now: now)
    {
      parts.append("ETA " + (eta.lowerBound ? "at least " : "") + Self.duration(eta.seconds))
    }
    var lines = [Terminal.styled(parts.joined(separator: " · "), "1")]
    if let waiting = p.waiting {
      let left = waiting.until.timeIntervalSince(now)
      if left >= 0.5 {
        let at = Self.clock.string(from: waiting.until)
        lines.append(
          "waiting for budget: \(Terminal.sanitize(waiting.reason)); resumes in "
            + "\(Self.duration(left)) (at \(at))")
      } else if waiting.reason.contains("(machine") {
        lines.append("waiting for a session: \(Terminal.sanitize(waiting.reason))")
      }
    }
    return lines
  }

  private func line(_ row: RunProgress.Row) -> String {
    let name = RunRenderer.name(row.machine)
    let (mark, status): (String, String) =
      switch row.phase {
      case .waiting: ("·", "waiting")
      case .submitted: ("…", "submitted")
      case .queued: ("…", "queued")
      case .running: ("▶", "running")
      case .finished(let s) where s == "Succeeded": (Terminal.styled("✓", "32"), "Succeeded")
      case .finished(let s): (Terminal.styled("✗", "31"), Terminal.sanitize(Self.short(s)))
      case .stillQueued: ("…", "still queued")
      case .notSent: ("-", "not sent")
      }
    let commands = row.commands.map { command -> String in
      let symbol =
        switch command.state {
        case .waiting: "·"
        case .running: "…"
        case .completed: "✓"
        case .failed: "✗"
        case .notExecuted: "not executed"
        }
      var text = "\(command.type) \(Terminal.sanitize(command.label)) \(symbol)"
      if let detail = command.detail { text += " " + Terminal.sanitize(detail) }
      return text
    }
    let statement = progressHasManyStatements ? "#\(row.statement) " : ""
    return "\(mark) \(statement)\(Self.pad(name, 28)) \(Self.pad(status, 12)) "
      + commands.joined(separator: " │ ")
  }

  private var progressHasManyStatements: Bool {
    Set(progress.rows.map(\.statement)).count > 1
  }

  // MARK: Helpers

  private static let clock: DateFormatter = {
    let formatter = DateFormatter()
    formatter.dateFormat = "HH:mm:ss"
    return formatter
  }()

  /// The status without a submission error's detail (`Failed: …` → `Failed`).
  static func short(_ status: String) -> String {
    String(status.prefix { $0 != ":" })
  }

  static func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
  }

  /// `45s`, `4m10s`, `1h02m`.
  static func duration(_ seconds: TimeInterval) -> String {
    let s = Int(seconds.rounded())
    if s < 60 { return "\(s)s" }
    if s < 3600 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
    return "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m"
  }

  /// Cuts a line to the terminal's width (escape sequences of styling do not count), so no line
  /// wraps and the cursor movement stays exact.
  static func clip(_ line: String, width: Int) -> String {
    let limit = max(10, width - 1)
    let total = line.replacing(/\x1B\[[0-9;]*[A-Za-z]/, with: "").count
    var out = ""
    var visible = 0
    var inEscape = false
    for ch in line {
      if inEscape {
        out.append(ch)
        if ch.isLetter { inEscape = false }
        continue
      }
      if ch == "\u{1B}" {
        inEscape = true
        out.append(ch)
        continue
      }
      if visible == limit - 1, total > limit {
        out.append("…")
        visible += 1
        break
      }
      out.append(ch)
      visible += 1
    }
    return out + (Terminal.colorEnabled ? "\u{1B}[0m" : "")
  }

  /// Terminal rows and columns (24×80 when unknown).
  static func size() -> (rows: Int, columns: Int) {
    var size = winsize()
    if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0, size.ws_col > 0 {
      return (Int(size.ws_row), Int(size.ws_col))
    }
    return (24, 80)
  }
}

extension LiveRunView {
  /// The live view when it applies: human output on a terminal, and something will be sent.
  static func make(
    format: OutputFormat, dryRun: Bool, plan: Plan, renderer: RunRenderer, governor: RateGovernor
  ) async -> LiveRunView? {
    guard format == .human, !dryRun, Terminal.stdoutIsTerminal else { return nil }
    return LiveRunView(
      plan: plan, renderer: renderer,
      submissionsPerMinute: await governor.limits.liveResponsePerMinute,
      timeScale: governor.clock.scale)
  }
}
