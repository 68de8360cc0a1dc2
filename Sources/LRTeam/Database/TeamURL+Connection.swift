import NIOSSL
import PostgresNIO

extension TeamURL {
  /// How PostgresNIO connects to this database: TLS when the URL asks for it, 5 s to connect.
  func connectionConfiguration() throws -> PostgresConnection.Configuration {
    var configuration = PostgresConnection.Configuration(
      host: host, port: port, username: user, password: password, database: database,
      tls: .disable)
    configuration.options.connectTimeout = .seconds(5)
    if requireTLS {
      configuration.tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
    }
    return configuration
  }
}
