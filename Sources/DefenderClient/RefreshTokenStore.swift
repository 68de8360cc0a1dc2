import Foundation

/// What a device-code sign-in leaves on disk: the refresh token, and the last access token with
/// its expiry (used as is when the authority issued no refresh token).
public struct CachedSignIn: Sendable, Equatable, Codable {
  /// The refresh token, if one was issued.
  public var refreshToken: String?
  /// The last access token.
  public var accessToken: String?
  /// When the access token expires (seconds since 1970).
  public var expiresAt: Double?

  /// Creates a cache entry.
  public init(refreshToken: String?, accessToken: String?, expiresAt: Double?) {
    self.refreshToken = refreshToken
    self.accessToken = accessToken
    self.expiresAt = expiresAt
  }

  enum CodingKeys: String, CodingKey {
    case refreshToken = "refresh_token"
    case accessToken = "access_token"
    case expiresAt = "expires_at"
  }
}

/// The device-code sign-in cache: one file per tenant and app, readable only by the user.
public struct RefreshTokenStore: Sendable {
  /// The cache file.
  public let path: String
  private let directory: String

  /// The store for the settings' tenant and client id.
  public init(settings: ConnectionSettings) {
    directory =
      settings.tokenCacheDirectory.isEmpty
      ? ConfigFile.configDirectory(environment: ProcessInfo.processInfo.environment) + "/tokens"
      : settings.tokenCacheDirectory
    path = directory + "/\(settings.tenantID)-\(settings.clientID).json"
  }

  /// The cached sign-in, or nil when not signed in.
  ///
  /// - Throws: a configuration error when the file is readable by others (it is then not used).
  public func load() throws(DefenderClientError) -> CachedSignIn? {
    let manager = FileManager.default
    guard manager.fileExists(atPath: path) else { return nil }
    if let mode = (try? manager.attributesOfItem(atPath: path))?[.posixPermissions] as? NSNumber,
      mode.intValue & 0o077 != 0
    {
      throw .configuration(
        "\(path) (cached sign-in) is readable by other users; refusing to use it. Run `lr logout` and `lr login`"
      )
    }
    guard let data = manager.contents(atPath: path),
      let cached = try? JSONDecoder().decode(CachedSignIn.self, from: data)
    else { return nil }
    return cached
  }

  /// Saves the sign-in atomically with mode 0600 (directory 0700).
  public func save(_ signIn: CachedSignIn) throws(DefenderClientError) {
    let manager = FileManager.default
    do {
      try manager.createDirectory(
        atPath: directory, withIntermediateDirectories: true,
        attributes: [.posixPermissions: 0o700])
      let temporary = path + ".tmp-\(UUID().uuidString)"
      guard
        manager.createFile(
          atPath: temporary, contents: try JSONEncoder().encode(signIn),
          attributes: [.posixPermissions: 0o600])
      else { throw DefenderClientError.configuration("cannot write \(temporary)") }
      if manager.fileExists(atPath: path) { try manager.removeItem(atPath: path) }
      try manager.moveItem(atPath: temporary, toPath: path)
    } catch let error as DefenderClientError {
      throw error
    } catch {
      throw .configuration("cannot save the sign-in cache \(path): \(error.localizedDescription)")
    }
  }

  /// Deletes the cached token; returns whether one existed.
  @discardableResult
  public func remove() throws(DefenderClientError) -> Bool {
    guard FileManager.default.fileExists(atPath: path) else { return false }
    do { try FileManager.default.removeItem(atPath: path) } catch {
      throw .configuration("cannot delete \(path): \(error.localizedDescription)")
    }
    return true
  }
}
