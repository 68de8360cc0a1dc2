import DefenderClient
import Foundation
import LREngine
import LRLanguage
import LiveResponse

/// `lr run`'s live view on a terminal: per-machine, per-command status lines redrawn in place at
/// the bottom of the screen, a progress line with an ETA, what the run waits for and until when;
/// results and failures are printed above the view as they arrive, and the final state and
/// summary stay on screen.
///
/// The view is at most the screen's height minus one row and no line is wider than the screen, so
/// drawing it never scrolls it: only what is printed above it reaches the scrollback, once. A
/// redraw moves up to the first line that changed and clears from there (`ESC[nA`, `ESC[J`).
final class LiveRunView: @unchecked Sendable {
  private let lock = NSLock()
  private var progress: RunProgress
  private let renderer: RunRenderer
  private let submissionsPerMinute: Int
  private let timeScale: Double
  /// The view's lines on screen, just above the cursor, as drawn.
  private var frame: [String] = []
  /// The terminal size the frame was drawn for.
  private var frameSize = (rows: 0, columns: 0)
  /// When the frame was last compared with the state (the clock moves without events).
  private var frameTime = Date.distantPast
  /// The view is off the screen until the next event (a question is on the terminal).
  private var paused = false
  /// The summary is printed: nothing is drawn after it.
  private var finished = false
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

  /// Starts watching the clock (once a second: the ETA and the budget countdown move without
  /// events) and the terminal's size (four times a second: a resize redraws at once).
  func start() {
    ticker = Task { [weak self] in
      while !Task.isCancelled {
        try? await Task.sleep(for: .milliseconds(250))
        self?.tick()
      }
    }
  }

  /// Stops watching.
  func stop() {
    ticker?.cancel()
    ticker = nil
  }

  /// Takes the view off the screen until the next event (before a question on the terminal).
  func pause() {
    lock.lock()
    defer { lock.unlock() }
    Terminal.out(erase(rows: Self.size().rows))
    paused = true
  }

  func handle(_ event: EngineEvent) {
    lock.lock()
    defer { lock.unlock() }
    guard !finished else { return }
    progress.apply(event)
    paused = false
    let size = Self.size()
    if case .runFinished = event {
      finished = true
      ticker?.cancel()
      Terminal.out(erase(rows: size.rows) + finalText(size) + renderer.human(event))
      return
    }
    let above = above(event)
    let out = above.isEmpty ? redraw(size) : erase(rows: size.rows) + above + redraw(size)
    if !out.isEmpty { Terminal.out(out) }
  }

  /// Redraws what changed when the terminal was resized or a second has passed.
  private func tick() {
    lock.lock()
    defer { lock.unlock() }
    guard !finished, !paused, !frame.isEmpty else { return }
    let size = Self.size()
    guard size != frameSize || Date().timeIntervalSince(frameTime) >= 1 else { return }
    let out = redraw(size)
    if !out.isEmpty { Terminal.out(out) }
  }

  /// What is printed above the view for an event (progress itself is only in the view).
  private func above(_ event: EngineEvent) -> String {
    switch event {
    case .runStarted, .machinesResolved, .resultReady, .commandFailed, .commandNotExecuted,
      .actionRefused, .retry, .runPaused:
      return renderer.human(event)
    case .actionFinished(_, _, let status) where status != "Succeeded":
      return renderer.human(event)
    default:
      return ""
    }
  }

  // MARK: Drawing

  /// Moves to the first line of the view and clears to the end of the screen.
  private func erase(rows: Int) -> String {
    defer { frame = [] }
    let up = min(frame.count, max(1, rows - 1))
    return frame.isEmpty ? "" : "\r\u{1B}[\(up)A\u{1B}[J"
  }

  /// The view drawn over the one on screen: from the first line that differs, or whole after a
  /// resize; nothing when nothing changed.
  private func redraw(_ size: (rows: Int, columns: Int)) -> String {
    let now = Date()
    let lines = view(size, now: now)
    frameTime = now
    var out = ""
    if size != frameSize {
      out = erase(rows: size.rows)
      frameSize = size
    }
    var same = 0
    while same < min(frame.count, lines.count), frame[same] == lines[same] { same += 1 }
    guard same < max(frame.count, lines.count) else { return out }
    let up = frame.count - same
    out += "\r" + (up > 0 ? "\u{1B}[\(up)A" : "") + "\u{1B}[J"
    out += lines[same...].map { $0 + "\n" }.joined()
    frame = lines
    return out
  }

  /// The view's lines for a terminal of this size: at most `rows - 1` (the cursor sits on the row
  /// below), each cut to `columns - 1` columns.
  private func view(_ size: (rows: Int, columns: Int), now: Date) -> [String] {
    let footer = footerLines(now: now)
    // Two rows for the footer whether or not the waiting line shows, so that it coming and going
    // redraws only the footer, not every row.
    let room = max(1, size.rows - 1 - max(2, footer.count))
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
    return lines.suffix(max(1, size.rows - 1)).map { Self.clip($0, width: size.columns) }
  }

  /// The final state: every row when they fit the terminal, else the rows that did not succeed.
  private func finalText(_ size: (rows: Int, columns: Int)) -> String {
    let rows = progress.rows
    let shown =
      rows.count < size.rows - 2 ? rows : rows.filter { $0.phase != .finished("Succeeded") }
    var lines = shown.map { line($0) }
    if shown.count < rows.count {
      lines.append("  \(rows.count - shown.count) more machines succeeded (see the results folder)")
    }
    return lines.map { Self.clip($0, width: size.columns) + "\n" }.joined()
  }

  private func footerLines(now: Date) -> [String] {
    let p = progress
    var parts = ["\(p.done)/\(p.total) done"]
    if p.failed > 0 { parts[0] += " (\(p.failed) not succeeded)" }
    if p.running > 0 { parts.append("\(p.running) running") }
    if p.queued > 0 { parts.append("\(p.queued) queued") }
    if p.notStarted > 0 { parts.append("\(p.notStarted) not sent yet") }
    if let eta = p.eta(submissionsPerMinute: submissionsPerMinute, timeScale: timeScale, now: now) {
      parts.append(Self.describe(eta))
    }
    var lines = [Terminal.styled(parts.joined(separator: " · "), "1")]
    if let waiting = p.waiting {
      let left = waiting.until.timeIntervalSince(now)
      if left >= 0.5 {
        let at = Self.clock.string(from: waiting.until)
        lines.append(
          "waiting for budget: \(Terminal.sanitize(waiting.reason)); resumes in "
            + "\(Self.duration(left)) (at \(at))")
      } else if waiting.reason.contains("(machine"), p.submissionsLeft > 0 {
        lines.append("waiting for a session: \(Terminal.sanitize(waiting.reason))")
      }
    }
    return lines
  }

  /// `ETA 1m05s`, `ETA at least 18s`, `ETA unknown — 3 devices yet to pick up`.
  static func describe(_ eta: RunProgress.ETA) -> String {
    let devices = "\(eta.overdue) device\(eta.overdue == 1 ? "" : "s") yet to pick up"
    guard let seconds = eta.seconds else { return "ETA unknown — " + devices }
    let text = "ETA " + (eta.lowerBound ? "at least " : "") + duration(seconds.rounded(.up))
    return eta.overdue > 0 ? text + " — " + devices : text
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
      case .finished(let s): (Terminal.styled("✗", "31"), Terminal.sanitize(Self.short(s.rawValue)))
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

  /// Pads to a number of terminal columns (a double-width name takes two per character).
  static func pad(_ text: String, _ width: Int) -> String {
    TerminalColumns.pad(text, width)
  }

  /// `45s`, `4m10s`, `1h02m`.
  static func duration(_ seconds: TimeInterval) -> String {
    let s = Int(seconds.rounded())
    if s < 60 { return "\(s)s" }
    if s < 3600 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
    return "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m"
  }

  /// Cuts a line to one column less than the terminal's width, counting display columns (a CJK
  /// character takes two; styling sequences none), so no line wraps and the cursor movement stays
  /// exact.
  static func clip(_ line: String, width: Int) -> String {
    TerminalColumns.clip(line, to: width - 1) + (Terminal.colorEnabled ? "\u{1B}[0m" : "")
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
    format: OutputFormat, dryRun: Bool, plan: Plan, renderer: RunRenderer,
    governor: any RequestBudget
  ) async -> LiveRunView? {
    guard format == .human, !dryRun, Terminal.stdoutIsTerminal else { return nil }
    return LiveRunView(
      plan: plan, renderer: renderer,
      submissionsPerMinute: await governor.limits.liveResponsePerMinute,
      timeScale: governor.clock.scale)
  }
}
