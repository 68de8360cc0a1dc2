import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// What `LISTEN lr_runs` reports to `lr watch`: a run of the tenant changed, or everything must
/// be read again (listening just began, or began again after the server went away, so changes
/// may have been missed meanwhile).
public enum RunChange: Sendable, Equatable {
  case resync
  case run(String)
}

/// The `lr_runs` notifications of one tenant, on a connection of their own (a listening
/// connection holds no transaction and runs no other statement). The triggers of migration v4
/// send `tenant:run` whenever a run, its actions or its queue entry change.
public enum RunNotifications {
  /// The channel the triggers notify.
  public static let channel = "lr_runs"

  /// The tenant's changes until the consumer stops; reconnects (after `retry`) when the server
  /// goes away, yielding ``RunChange/resync`` each time listening (re)starts.
  public static func changes(url: TeamURL, tenant: String, retry: Duration = .seconds(1))
    -> AsyncStream<RunChange>
  {
    let (stream, continuation) = AsyncStream<RunChange>.makeStream()
    let task = Task {
      while !Task.isCancelled {
        do {
          try await listenOnce(url: url, tenant: tenant, continuation: continuation)
        } catch {
          try? await Task.sleep(for: retry)
        }
      }
      continuation.finish()
    }
    continuation.onTermination = { _ in task.cancel() }
    return stream
  }

  /// One connection's worth of notifications.
  private static func listenOnce(
    url: TeamURL, tenant: String, continuation: AsyncStream<RunChange>.Continuation
  ) async throws {
    let logger = Logger(label: "lr.team.listen", factory: { _ in SwiftLogNoOpLogHandler() })
    let connection = try await PostgresConnection.connect(
      configuration: try url.connectionConfiguration(), id: 1, logger: logger)
    let prefix = tenant + ":"
    do {
      try await connection.listen(on: channel) { notifications in
        continuation.yield(.resync)
        for try await notification in notifications where notification.payload.hasPrefix(prefix) {
          continuation.yield(.run(String(notification.payload.dropFirst(prefix.count))))
        }
      }
    } catch {
      await close(connection)
      throw error
    }
    await close(connection)
  }

  /// Closes a connection and waits for it to close (it must be closed before it is released).
  private static func close(_ connection: PostgresConnection) async {
    let closed: EventLoopFuture<Void> = connection.close()
    try? await closed.get()
  }
}
