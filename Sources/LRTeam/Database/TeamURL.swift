import Foundation

/// A team database's address, read from `postgres://user:password@host:port/database`.
///
/// The password never appears in ``description``; when the URL has none, `PGPASSWORD` supplies
/// it, so it need not be written in a profile or a shell history.
public struct TeamURL: Sendable, Equatable, CustomStringConvertible {
  public var user: String
  public var password: String?
  public var host: String
  public var port: Int
  public var database: String
  /// `sslmode=require` (or `verify-full`) asks for TLS; `disable`, the default on loopback, not.
  public var requireTLS: Bool

  /// Reads a URL; `environment` supplies `PGPASSWORD` when the URL has no password.
  public init(
    _ text: String, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(TeamError) {
    guard let components = URLComponents(string: text) else {
      throw .badURL("not a URL (expected postgres://user:password@host:port/database)")
    }
    guard let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme) else {
      throw .badURL("the scheme must be postgres:// (got \(components.scheme ?? "none"))")
    }
    guard let host = components.host, !host.isEmpty else { throw .badURL("no host") }
    guard let user = components.user, !user.isEmpty else { throw .badURL("no user name") }
    let database = String(components.path.drop { $0 == "/" })
    guard !database.isEmpty, !database.contains("/") else {
      throw .badURL("no database name (postgres://user@host:port/DATABASE)")
    }
    if let port = components.port, !(1...65535).contains(port) {
      throw .badURL("port \(port) is out of range")
    }
    self.user = user
    self.password = components.password ?? environment["PGPASSWORD"]
    self.host = host
    self.port = components.port ?? 5432
    self.database = database
    let mode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
    guard ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"].contains(mode)
    else { throw .badURL("unknown sslmode \(mode)") }
    self.requireTLS = ["require", "verify-ca", "verify-full"].contains(mode)
  }

  /// The URL with the password left out (for messages, `lr runs` and `.profile`).
  public var description: String {
    "postgres://\(user)\(password == nil ? "" : ":•••")@\(host):\(port)/\(database)"
  }
}
