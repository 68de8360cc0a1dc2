import Foundation
import LRTeam

/// How `lr watch` shows a board: one JSON line per change, or a table, redrawn in place on a
/// terminal (with a heartbeat that only moves the ETA clock) and printed again otherwise.
final class BoardView: @unchecked Sendable {
  let format: OutputFormat
  /// Redraw in place (human output on a terminal).
  let redraw: Bool
  private let lock = NSLock()
  private var last: RunBoard?

  init(format: OutputFormat, redraw: Bool) {
    self.format = format
    self.redraw = redraw
  }

  /// Shows `board` unless it is the one already shown.
  func show(_ board: RunBoard) {
    lock.withLock {
      if let last, Self.same(last, board) { return }
      last = board
      draw(board)
    }
  }

  /// Redraws the last board every second (the ETA column counts down); reads nothing.
  func heartbeat() async {
    while !Task.isCancelled {
      try? await Task.sleep(for: .seconds(1))
      lock.withLock { if let last { draw(last) } }
    }
  }

  /// Boards that differ only in their estimated ends (which move with the clock) are the same.
  static func same(_ a: RunBoard, _ b: RunBoard) -> Bool {
    func stripped(_ board: RunBoard) -> RunBoard {
      var board = board
      for index in board.runs.indices { board.runs[index].eta = nil }
      return board
    }
    return stripped(a) == stripped(b)
  }

  private func draw(_ board: RunBoard) {
    switch format {
    case .json:
      try? JSONLines.print(BoardLine(board))
    case .human:
      let text = Self.table(board, now: Date())
      Terminal.out(redraw ? "\u{1B}[H\u{1B}[2J" + text : text + "\n")
    }
  }

  /// The board as a table, with a line saying how many runs are live and sessions held.
  static func table(_ board: RunBoard, now: Date) -> String {
    let clock = Date.FormatStyle(date: .omitted, time: .standard)
    var text = "\(now.formatted(clock))  \(board.runs.count) live run(s), "
    text += "\(board.sessions) session(s) held on the tenant\n"
    guard !board.runs.isEmpty else { return text }
    let rows = board.runs.map { run in
      [
        run.run, run.state, Terminal.sanitize(run.who),
        "\(run.finished)/\(run.actions)" + (run.submitted > 0 ? " (\(run.submitted) running)" : ""),
        run.failed > 0 ? "\(run.failed)" : "-", "\(run.sessions)",
        run.started.map { $0.formatted(clock) } ?? "-",
        run.eta.map { Self.remaining($0.timeIntervalSince(now)) } ?? "-",
        Terminal.sanitize(run.source)
          + (run.worker.map { "  (worker \(Terminal.sanitize($0)))" } ?? ""),
      ]
    }
    let headers = ["RUN", "STATE", "WHO", "DONE", "FAILED", "SESSIONS", "STARTED", "ETA", "SOURCE"]
    return text + Table(headers: headers, rows: rows).render()
  }

  /// `1h02m`, `3m05s`, `42s`.
  static func remaining(_ seconds: TimeInterval) -> String {
    let s = max(0, Int(seconds.rounded()))
    if s >= 3600 { return String(format: "%dh%02dm", s / 3600, s % 3600 / 60) }
    if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
    return "\(s)s"
  }
}
