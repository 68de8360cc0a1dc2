import Logging
import NIOConcurrencyHelpers
import NIOCore
import PostgresNIO

/// A connection whose statements all end: when it closes, every statement still waiting for its
/// answer fails as a lost connection.
///
/// PostgresNIO writes a statement to the connection's channel without a write promise; once the
/// channel has closed (the server killed or restarted), the statement is dropped and its answer
/// never comes. Waiting on that answer alone hung `lr run --team` and `lr worker` forever.
final class WatchedConnection: Sendable {
  /// The connection itself.
  let connection: PostgresConnection
  private let state = NIOLockedValueBox(Pending())

  /// The statements waiting for their answer, and whether the connection has closed.
  private struct Pending {
    var promises: [Int: EventLoopPromise<PostgresQueryResult>] = [:]
    var next = 0
    var closed = false
  }

  /// Watches `connection` until it closes.
  init(_ connection: PostgresConnection) {
    self.connection = connection
    connection.closeFuture.whenComplete { [state] _ in
      let waiting = state.withLockedValue { pending in
        pending.closed = true
        defer { pending.promises = [:] }
        return Array(pending.promises.values)
      }
      for promise in waiting { promise.fail(Self.lostError) }
    }
  }

  /// Whether the connection has closed (a new one must be opened).
  var isClosed: Bool { connection.isClosed }

  /// What a statement on a closed connection fails with.
  static var lostError: TeamError { .unreachable("the connection was lost (closed)") }

  /// Sends `statement`; its answer, or ``lostError`` if the connection closes first.
  func query(_ statement: PostgresQuery, logger: Logger) -> EventLoopFuture<PostgresQueryResult> {
    let promise = connection.eventLoop.makePromise(of: PostgresQueryResult.self)
    let id: Int? = state.withLockedValue { pending in
      guard !pending.closed else { return nil }
      pending.next += 1
      pending.promises[pending.next] = promise
      return pending.next
    }
    guard let id else {
      promise.fail(Self.lostError)
      return promise.futureResult
    }
    connection.query(statement, logger: logger).whenComplete { [state] result in
      _ = state.withLockedValue { $0.promises.removeValue(forKey: id) }
      promise.completeWith(result)
    }
    return promise.futureResult
  }

  /// Closes the connection.
  func close() -> EventLoopFuture<Void> { connection.close() }
}
