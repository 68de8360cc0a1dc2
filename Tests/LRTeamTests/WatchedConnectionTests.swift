import Foundation
import LRTestSupport
import Logging
import PostgresNIO
import Testing

@testable import LRTeam

/// A watched connection's statements end when the connection has gone: a statement sent on a
/// connection the server has just closed fails at once instead of waiting forever.
@Suite struct WatchedConnectionTests {
  static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

  @Test(.timeLimit(.minutes(1))) func aStreamOnAConnectionJustClosedFails() async throws {
    let server = try PostgresServer.shared()
    let url = try TeamURL(try server.makeDatabase())
    let connection = try await WatchedConnection.open(url, id: 1, logger: Self.logger).get()
    let pid = try await connection.query("SELECT pg_backend_pid()", logger: Self.logger).get()
      .rows.first?.decode(Int.self)
    _ = try server.sql("SELECT pg_terminate_backend(\(pid ?? 0))")
    try await connection.connection.closeFuture.get()
    let started = ContinuousClock.now
    await #expect(throws: TeamError.self) {
      _ = try await connection.stream("SELECT 1", logger: Self.logger)
    }
    await #expect(throws: TeamError.self) {
      _ = try await connection.query("SELECT 1", logger: Self.logger).get()
    }
    #expect(ContinuousClock.now - started < .seconds(5))
  }
}
