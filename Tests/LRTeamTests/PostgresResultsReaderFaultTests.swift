import Foundation
import LREngine
import LRTestSupport
import Testing

@testable import LRTeam

/// `lr query`, `stack`, `results` and `report` with `--team` when the database goes away during
/// or just before a read: the read ends within a few seconds with the database named, never hangs.
@Suite(.serialized) struct PostgresResultsReaderFaultTests {
  /// A statement the reader accepts that takes 30 seconds (a tenth of a second per row).
  static let slow = "SELECT pg_sleep(0.1), g FROM generate_series(1, 300) g"

  @Test(.timeLimit(.minutes(1))) func aTerminatedBackendEndsTheRead() async throws {
    let server = try PostgresServer.shared()
    let url = try TeamURL(try server.makeDatabase())
    _ = try TeamDatabase.open(url)
    let reader = PostgresResultsReader(url: url, tenant: "tenant-a")
    Thread.detachNewThread {
      Thread.sleep(forTimeInterval: 1.5)
      _ = try? server.sql(
        """
        SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = '\(url.database)' AND query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()
        """)
    }
    try await Self.expectUnreachable(reader, url, within: .seconds(15))
  }

  @Test(.timeLimit(.minutes(2))) func aServerStoppedDuringOrBeforeAReadEndsIt() async throws {
    let server = try PostgresServer()
    try server.start()
    defer { server.stop() }
    let url = try TeamURL(try server.makeDatabase())
    _ = try TeamDatabase.open(url)
    let reader = PostgresResultsReader(url: url, tenant: "tenant-a")
    Thread.detachNewThread {
      Thread.sleep(forTimeInterval: 1.5)
      server.stop()
    }
    try await Self.expectUnreachable(reader, url, within: .seconds(15))
    // Stopped before the read: refused at once.
    try await Self.expectUnreachable(reader, url, within: .seconds(10))
  }

  /// The network goes quiet (nothing relayed, nothing closed): the server's statement timeout
  /// cannot be heard, so the reader's own watch ends the read shortly after it.
  @Test(.timeLimit(.minutes(1))) func aNetworkGoneQuietEndsTheRead() async throws {
    let server = try PostgresServer.shared()
    let direct = try TeamURL(try server.makeDatabase())
    _ = try TeamDatabase.open(direct)
    let proxy = try TCPProxy(to: server.port)
    defer { proxy.stop() }
    let url = try TeamURL(
      server.url(database: direct.database, through: proxy))
    let reader = PostgresResultsReader(
      url: url, tenant: "tenant-a", timeout: StatementTimeout(.seconds(2)))
    Thread.detachNewThread {
      Thread.sleep(forTimeInterval: 1)
      proxy.blackhole()
    }
    try await Self.expectUnreachable(reader, url, within: .seconds(20))
    // Quiet before the read: the sign-in gets no answer, and opening gives up.
    try await Self.expectUnreachable(reader, url, within: .seconds(25))
  }

  /// An error of the caller's own (its row handler's) is its own, not the database gone away.
  @Test func theCallersErrorPassesThrough() async throws {
    let url = try TeamURL(try PostgresServer.shared().makeDatabase())
    _ = try TeamDatabase.open(url)
    let reader = PostgresResultsReader(url: url, tenant: "tenant-a")
    await #expect(throws: CallersError.self) {
      try await reader.query("SELECT 1", columns: { _ in }, row: { _ in throw CallersError() })
    }
  }

  struct CallersError: Error {}

  /// Runs the slow statement; it must fail within `limit` as an unreachable database, naming
  /// the database and its server and not the password.
  static func expectUnreachable(
    _ reader: PostgresResultsReader, _ url: TeamURL, within limit: Duration
  ) async throws {
    let started = ContinuousClock.now
    do {
      try await reader.query(slow, columns: { _ in }, row: { _ in })
      Issue.record("the read of a database that went away succeeded")
    } catch let error as TeamError {
      #expect(error.isTransient, "\(error)")
      #expect(error.exitStatus == 3)
      let text = error.description
      #expect(text.contains("\(url.host):\(url.port)"), "\(text)")
      #expect(text.contains(url.database), "\(text)")
      #expect(!text.contains(PostgresServer.password), "\(text)")
    } catch {
      Issue.record("expected a TeamError, got \(error)")
    }
    #expect(ContinuousClock.now - started < limit)
  }
}
