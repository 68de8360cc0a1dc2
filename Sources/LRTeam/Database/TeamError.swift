import Foundation

/// What can go wrong between lr and the team database, each with the sentence a user reads.
///
/// Every case is a configuration-class failure (exit status 3): nothing was sent to the service.
public enum TeamError: Error, Equatable, CustomStringConvertible, Sendable {
  /// The `--team` URL (or `LR_TEAM`, or the profile's `team`) cannot be read.
  case badURL(String)
  /// The server cannot be reached (refused, timed out, restarting, shut down).
  case unreachable(String)
  /// The server refused the user name or password.
  case authentication(String)
  /// The database holds a newer schema than this lr knows: upgrade lr.
  case newerSchema(found: Int, known: Int)
  /// The server answered a statement with an error.
  case statement(String)

  public var description: String {
    switch self {
    case .badURL(let why): "bad team database URL: \(why)"
    case .unreachable(let why): "the team database is unreachable: \(why)"
    case .authentication(let why): "the team database refused the sign-in: \(why)"
    case .newerSchema(let found, let known):
      "the team database has schema version \(found), newer than this lr knows (\(known)); "
        + "upgrade lr"
    case .statement(let why): "the team database refused a statement: \(why)"
    }
  }

  /// The exit status (3, as for any other configuration problem).
  public var exitStatus: Int32 { 3 }

  /// Whether the failure may pass by itself (the server restarting or unreachable for a while).
  public var isTransient: Bool {
    if case .unreachable = self { return true }
    return false
  }
}
