import Logging
import NIOCore
import NIOPosix
import PostgresNIO

extension WatchedConnection {
  /// How long opening a connection may take in all: the TCP connect (5 s) and the sign-in, which
  /// a network gone quiet would otherwise leave waiting forever.
  static let openingLimit: TimeAmount = .seconds(15)

  /// Opens a watched connection to `url`; fails as ``TeamError`` (refused, a bad password, no
  /// answer within ``openingLimit``). With a `timeout`, the server gets its settings and each
  /// statement waits its ``StatementTimeout/deadline`` at most, as does the opening when shorter.
  static func open(
    _ url: TeamURL, id: Int, logger: Logger, timeout: StatementTimeout? = nil
  ) -> EventLoopFuture<WatchedConnection> {
    let loop = MultiThreadedEventLoopGroup.singleton.next()
    let promise = loop.makePromise(of: WatchedConnection.self)
    var configuration: PostgresConnection.Configuration
    do {
      configuration = try url.connectionConfiguration()
    } catch {
      promise.fail(TeamError(connecting: error, to: url))
      return promise.futureResult
    }
    configuration.options.additionalStartupParameters = timeout?.serverSettings ?? []
    let opening = min(Duration(openingLimit), timeout?.deadline ?? Duration(openingLimit))
    let limit = loop.scheduleTask(in: .init(opening)) {
      promise.fail(
        TeamError.unreachable(
          "no answer from \(url.host):\(url.port) within \(StatementTimeout.text(opening))"))
    }
    PostgresConnection.connect(on: loop, configuration: configuration, id: id, logger: logger)
      .whenComplete { result in
        limit.cancel()
        switch result {
        case .success(let connection):
          promise.succeed(WatchedConnection(connection, deadline: timeout?.deadline))
          // Too late: the caller was told it failed.
          promise.futureResult.whenFailure { _ in connection.close().whenComplete { _ in } }
        case .failure(let error):
          promise.fail(TeamError(connecting: error, to: url))
        }
      }
    return promise.futureResult
  }
}
