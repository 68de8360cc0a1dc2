import NIOCore
import PostgresNIO

extension TeamError {
  /// The error of opening a connection: refused, timed out, a bad password, no such database.
  init(connecting error: any Error, to url: TeamURL) {
    if let psql = error as? PSQLError, let state = psql.serverInfo?[.sqlState] {
      let message = psql.serverInfo?[.message] ?? state
      switch state {
      case "28P01", "28000":
        self = .authentication("\(message) (user \(url.user) on \(url.host):\(url.port))")
      case "3D000": self = .badURL("no database \(url.database) on \(url.host):\(url.port)")
      case "57P03", "57P01", "57P02", "53300":
        self = .unreachable("\(message) (\(url.host):\(url.port))")
      default: self = .statement(message)
      }
      return
    }
    if let psql = error as? PSQLError, psql.code == .authMechanismRequiresPassword {
      self = .authentication("the server asks for a password and none was given (PGPASSWORD)")
      return
    }
    self = .unreachable("cannot connect to \(url.host):\(url.port) (\(Self.describe(error)))")
  }

  /// The error of a statement: the server's message, or a lost connection.
  init(answering error: any Error) {
    if let team = error as? TeamError {
      self = team
      return
    }
    if let psql = error as? PSQLError {
      if let state = psql.serverInfo?[.sqlState] {
        let message = psql.serverInfo?[.message] ?? state
        // Class 08 (connection) and 57 (operator intervention: shutdown, restart) pass by;
        // not 57014, a statement cancelled (its statement timeout), which would again.
        if state.hasPrefix("08") || (state.hasPrefix("57") && state != "57014") {
          self = .unreachable(message)
        } else {
          self = .statement("\(message) [\(state)]")
        }
        return
      }
      switch psql.code {
      case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown:
        self = .unreachable("the connection was lost (\(psql.code))")
      default:
        self = .statement("\(psql.code)")
      }
      return
    }
    self = .unreachable(Self.describe(error))
  }

  /// The same error naming the database it is about (a read's error, which may come long after
  /// the connection was opened): an unreachable server gets the database and its server added.
  func naming(_ url: TeamURL) -> TeamError {
    guard case .unreachable(let why) = self else { return self }
    let server = "\(url.host):\(url.port)"
    let place =
      why.contains(server) ? "database \(url.database)" : "database \(url.database) on \(server)"
    return .unreachable("\(why); \(place)")
  }

  private static func describe(_ error: any Error) -> String {
    if let psql = error as? PSQLError { return "\(psql.code)" }
    if let channel = error as? ChannelError { return "\(channel)" }
    return String(describing: error)
  }
}
