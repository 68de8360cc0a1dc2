import Foundation

/// How long one statement on the team database may take: the server's `statement_timeout`, and
/// the grace past it lr waits for an answer before closing the connection itself.
///
/// Over a network gone quiet (packets dropped, nothing closed) the server's own timeout cannot
/// be heard, so a statement with no answer by ``deadline`` counts as a lost connection.
public struct StatementTimeout: Sendable, Equatable, CustomStringConvertible {
  /// How long the server lets a statement run (`statement_timeout`).
  public var limit: Duration
  /// How long past ``limit`` lr waits for the answer.
  public var grace: Duration

  /// A timeout of `limit`, with `grace` more before lr gives up on the answer.
  public init(_ limit: Duration, grace: Duration = .seconds(5)) {
    self.limit = limit
    self.grace = grace
  }

  /// How long lr waits for a statement's answer before it closes the connection.
  public var deadline: Duration { limit + grace }

  /// 60 seconds, or `LR_TEAM_STATEMENT_TIMEOUT` seconds (tests, slow links).
  public static func standard(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> StatementTimeout {
    guard let text = environment["LR_TEAM_STATEMENT_TIMEOUT"], let seconds = Double(text),
      seconds > 0
    else { return StatementTimeout(.seconds(60)) }
    return StatementTimeout(.milliseconds(Int64(seconds * 1000)))
  }

  /// The server's settings, in milliseconds, sent when a connection opens: the statement
  /// timeout, and the same deadline for a transaction left idle (a client gone quiet in the
  /// middle of one), so the server ends it and frees its locks.
  var serverSettings: [(String, String)] {
    [
      ("statement_timeout", String(Self.milliseconds(limit))),
      ("idle_in_transaction_session_timeout", String(Self.milliseconds(deadline))),
    ]
  }

  public var description: String { "\(Self.text(limit)) (answer within \(Self.text(deadline)))" }

  /// A duration as lr words it: `65 s`, `2.5 s`.
  static func text(_ duration: Duration) -> String {
    let milliseconds = Self.milliseconds(duration)
    guard milliseconds % 1000 != 0 else { return "\(milliseconds / 1000) s" }
    return "\(Double(milliseconds) / 1000) s"
  }

  static func milliseconds(_ duration: Duration) -> Int64 {
    duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
  }
}
