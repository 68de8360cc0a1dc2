import Foundation
import Logging
import Synchronization

/// The emulator's request log, captured: one entry per answered request.
public final class RequestLog: Sendable {
  /// One answered request.
  public struct Entry: Sendable {
    /// When the answer was ready (real time).
    public var time: ContinuousClock.Instant
    public var method: String
    /// Path and query, percent-decoded.
    public var target: String
    public var status: Int
  }

  private let entries = Mutex<[Entry]>([])

  public init() {}

  /// A logger for `EmulatorServer.start(logger:)` that feeds this log.
  public var logger: Logger {
    var logger = Logger(label: "lr.emulator.test") { _ in Handler(log: self) }
    logger.logLevel = .info
    return logger
  }

  /// Everything so far.
  public var all: [Entry] { entries.withLock { $0 } }

  /// Entries whose method and decoded target match.
  public func matching(_ method: String, _ predicate: (String) -> Bool) -> [Entry] {
    all.filter { $0.method == method && predicate($0.target) }
  }

  /// `/api` requests only.
  public var api: [Entry] { all.filter { $0.target.lowercased().hasPrefix("/api") } }

  fileprivate func record(_ message: String) {
    // "GET /api/machines?$top=3 -> 200 (4 ms)"
    let parts = message.split(separator: " ", maxSplits: 1)
    guard parts.count == 2, let arrow = parts[1].range(of: " -> ", options: .backwards) else {
      return
    }
    let target = String(parts[1][..<arrow.lowerBound])
    let status = Int(parts[1][arrow.upperBound...].prefix { $0.isNumber }) ?? 0
    let entry = Entry(
      time: .now, method: String(parts[0]),
      target: target.removingPercentEncoding ?? target, status: status)
    entries.withLock { $0.append(entry) }
  }

  private struct Handler: LogHandler {
    let log: RequestLog
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
      get { metadata[key] }
      set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
      if event.level == .info { log.record(event.message.description) }
    }
  }
}
