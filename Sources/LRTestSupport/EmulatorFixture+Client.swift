import DefenderClient
import Foundation
import Synchronization

extension EmulatorFixture {
  /// Connection settings that sign in to this emulator (the lab app by default).
  ///
  /// `apiBase` and `authorityBase` replace the emulator's URL (a proxy in front of it, a port
  /// nothing listens on).
  public func settings(
    client: String = "lr-lab", secret: String = "lr-lab-secret", tenant: String = "lab",
    credential: Credential? = nil, tokenEndpoint: TokenEndpointVersion = .v2,
    limits: RateLimits = RateLimits(), apiBase: String? = nil, authorityBase: String? = nil,
    tokenCacheDirectory: String = ""
  ) throws -> ConnectionSettings {
    ConnectionSettings(
      tenantID: tenant, clientID: client, credential: credential ?? .secret(Secret(secret)),
      cloud: try Cloud.custom(
        apiBaseURL: apiBase ?? base, authorityBaseURL: authorityBase ?? base),
      tokenEndpoint: tokenEndpoint, limits: limits, tokenCacheDirectory: tokenCacheDirectory)
  }

  /// A client for this emulator on its time scale (the lab app unless `settings` says
  /// otherwise); ``stop()`` shuts it down.
  public func client(
    _ settings: ConnectionSettings? = nil, retry: RetryPolicy = RetryPolicy()
  ) throws -> DefenderAPI {
    let api = DefenderAPI(
      settings: try settings ?? self.settings(), clock: SystemRateClock(scale: timeScale),
      retry: retry)
    clients.withLock { $0.append(api) }
    return api
  }

  /// The environment that makes an `lr` child process sign in to this emulator as `client`.
  public func environment(client: String = "lr-lab", secret: String = "lr-lab-secret")
    -> [String: String]
  {
    [
      "LR_API_URL": base, "LR_AUTHORITY_URL": base, "AZURE_TENANT_ID": "lab",
      "AZURE_CLIENT_ID": client, "AZURE_CLIENT_SECRET": secret,
      "LR_CONFIG": "", "LR_PROFILE": "", "XDG_CONFIG_HOME": configHome.path,
    ]
  }
}
