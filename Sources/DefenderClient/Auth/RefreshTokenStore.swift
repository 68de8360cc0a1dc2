import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a device-code sign-in leaves on disk: the refresh token, and the last access token with
/// its expiry (used as is when the authority issued no refresh token).
///
/// The tokens are ``Secret``s: printing, `String(reflecting:)` and `dump()` show `<redacted>`.
public struct CachedSignIn: Sendable, Equatable, Codable {
  /// The refresh token, if one was issued.
  public var refreshToken: Secret?
  /// The last access token.
  public var accessToken: Secret?
  /// When the access token expires (seconds since 1970).
  public var expiresAt: Double?

  /// Creates a cache entry.
  public init(refreshToken: Secret?, accessToken: Secret?, expiresAt: Double?) {
    self.refreshToken = refreshToken
    self.accessToken = accessToken
    self.expiresAt = expiresAt
  }

  enum CodingKeys: String, CodingKey {
    case refreshToken = "refresh_token"
    case accessToken = "access_token"
    case expiresAt = "expires_at"
  }

  /// Decodes the cache file.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    refreshToken = try c.decodeIfPresent(String.self, forKey: .refreshToken).map(Secret.init)
    accessToken = try c.decodeIfPresent(String.self, forKey: .accessToken).map(Secret.init)
    expiresAt = try c.decodeIfPresent(Double.self, forKey: .expiresAt)
  }

  /// Encodes the cache file (the only place the tokens are written out).
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encodeIfPresent(refreshToken?.revealed, forKey: .refreshToken)
    try c.encodeIfPresent(accessToken?.revealed, forKey: .accessToken)
    try c.encodeIfPresent(expiresAt, forKey: .expiresAt)
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

  /// Saves the sign-in atomically: the folder is made (or tightened to) 0700, the content goes to
  /// a temporary name created with `open(O_CREAT|O_EXCL|O_NOFOLLOW, 0600)` — never readable by
  /// others, not even for a moment — and is renamed over the cache file.
  public func save(_ signIn: CachedSignIn) throws(DefenderClientError) {
    let data: Data
    do { data = try JSONEncoder().encode(signIn) } catch {
      throw .configuration("cannot encode the sign-in cache: \(error.localizedDescription)")
    }
    try Self.makePrivateDirectory(directory)
    let temporary = path + ".tmp-" + UUID().uuidString
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      throw .configuration("cannot create \(temporary): \(String(cString: strerror(errno)))")
    }
    var written = 0
    var failure: String?
    data.withUnsafeBytes { bytes in
      while written < bytes.count, let base = bytes.baseAddress {
        let result = write(fd, base + written, bytes.count - written)
        if result < 0 {
          if errno == EINTR { continue }
          failure = String(cString: strerror(errno))
          return
        }
        written += result
      }
    }
    if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
    close(fd)
    if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
    if let failure {
      unlink(temporary)
      throw .configuration("cannot save the sign-in cache \(path): \(failure)")
    }
  }

  /// Creates `directory` (and its parents) and makes it 0700, whatever it was before.
  static func makePrivateDirectory(_ directory: String) throws(DefenderClientError) {
    do {
      try FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true,
        attributes: [.posixPermissions: 0o700])
    } catch {
      throw .configuration("cannot create \(directory): \(error.localizedDescription)")
    }
    guard chmod(directory, 0o700) == 0 else {
      throw .configuration("cannot make \(directory) private: \(String(cString: strerror(errno)))")
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
