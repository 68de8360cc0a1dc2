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
/// With a ``deadline``, a statement with no answer by then (a network gone quiet: nothing
/// answers, nothing closes) fails the same way, and the connection is closed.
final class WatchedConnection: Sendable {
  /// The connection itself.
  let connection: PostgresConnection
  /// How long ``query(_:logger:)`` waits for an answer; nil: as long as the connection lasts.
  let deadline: Duration?
  private let state = NIOLockedValueBox(Pending())

  /// The statements waiting for their answer (how each fails), and whether the connection has
  /// closed.
  private struct Pending {
    var waiting: [Int: @Sendable (any Error) -> Void] = [:]
    var next = 0
    var closed = false
  }

  /// Watches `connection` until it closes; statements wait `deadline` at most for their answer.
  init(_ connection: PostgresConnection, deadline: Duration? = nil) {
    self.connection = connection
    self.deadline = deadline
    connection.closeFuture.whenComplete { [state] _ in
      let waiting = state.withLockedValue { pending in
        pending.closed = true
        defer { pending.waiting = [:] }
        return Array(pending.waiting.values)
      }
      for fail in waiting { fail(Self.lostError) }
    }
  }

  /// Whether the connection has closed (a new one must be opened).
  var isClosed: Bool { connection.isClosed || state.withLockedValue(\.closed) }

  /// What a statement on a closed connection fails with.
  static var lostError: TeamError { .unreachable("the connection was lost (closed)") }

  /// Sends `statement`; its answer, or ``lostError`` if the connection closes first, or
  /// ``TeamError/unreachable(_:)`` if no answer came within ``deadline``.
  func query(_ statement: PostgresQuery, logger: Logger) -> EventLoopFuture<PostgresQueryResult> {
    let promise = connection.eventLoop.makePromise(of: PostgresQueryResult.self)
    guard let id = watch(promise) else { return promise.futureResult }
    let timer = deadline.map { limit in
      connection.eventLoop.scheduleTask(in: .init(limit)) { [self] in expire(after: limit) }
    }
    connection.query(statement, logger: logger).whenComplete { [self] result in
      timer?.cancel()
      forget(id)
      promise.completeWith(result)
    }
    return promise.futureResult
  }

  /// No answer within `limit`: every statement still waiting fails, and the connection closes
  /// (the next statement opens a new one).
  private func expire(after limit: Duration) {
    let waiting = state.withLockedValue { pending in
      pending.closed = true
      defer { pending.waiting = [:] }
      return Array(pending.waiting.values)
    }
    let error = TeamError.unreachable("no answer within \(StatementTimeout.text(limit))")
    for fail in waiting { fail(error) }
    connection.close().whenComplete { _ in }
  }

  /// Sends `statement`; its rows as they come, or ``lostError`` if the connection closes before
  /// the first answer (a connection that closes later fails the rows still to come).
  func stream(_ statement: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence {
    let promise = connection.eventLoop.makePromise(of: PostgresRowSequence.self)
    guard let id = watch(promise) else { return try await promise.futureResult.get() }
    Task { [connection] in
      do {
        promise.succeed(try await connection.query(statement, logger: logger))
      } catch {
        promise.fail(error)
      }
      forget(id)
    }
    return try await promise.futureResult.get()
  }

  /// Fails `promise` with ``lostError`` when the connection closes; its id, or nil (and the
  /// promise failed) when it has closed already.
  private func watch<T: Sendable>(_ promise: EventLoopPromise<T>) -> Int? {
    let id: Int? = state.withLockedValue { pending in
      guard !pending.closed else { return nil }
      pending.next += 1
      pending.waiting[pending.next] = { promise.fail($0) }
      return pending.next
    }
    if id == nil { promise.fail(Self.lostError) }
    return id
  }

  /// Stops watching a statement that has its answer.
  private func forget(_ id: Int) {
    _ = state.withLockedValue { $0.waiting.removeValue(forKey: id) }
  }

  /// Closes the connection.
  func close() -> EventLoopFuture<Void> { connection.close() }
}
