/// How the client signs in to Entra ID.
public enum Credential: Sendable, Equatable, CustomStringConvertible {
  /// Client credentials with a client secret (application context).
  case secret(Secret)
  /// Client credentials with a certificate: a PEM file holding the certificate and its private key
  /// (signed client assertion, RS256, `x5t` thumbprint).
  case certificate(path: String)
  /// Device-code sign-in for an analyst (`lr login`), refresh token cached on disk.
  case deviceCode

  /// The credential kind, never the secret (`secret`, `certificate`, `device-code`).
  public var description: String {
    switch self {
    case .secret: "secret"
    case .certificate: "certificate"
    case .deviceCode: "device-code"
    }
  }
}

/// Which Entra token endpoint client-credentials sign-in uses.
public enum TokenEndpointVersion: String, Sendable, Equatable {
  /// `/{tenant}/oauth2/v2.0/token` with `scope=<resource>/.default`.
  case v2
  /// `/{tenant}/oauth2/token` with `resource=<resource>`.
  case v1
}
