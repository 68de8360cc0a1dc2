import Foundation

/// The device-code refresh token cache: one file per tenant and app, readable only by the user.
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
    path = directory + "/\(settings.tenantID)-\(settings.clientID).refresh"
  }

  /// The cached refresh token, or nil when not signed in.
  ///
  /// - Throws: a configuration error when the file is readable by others (it is then not used).
  public func load() throws(DefenderClientError) -> Secret? {
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
      let text = String(data: data, encoding: .utf8)?.trimmingCharacters(
        in: .whitespacesAndNewlines),
      !text.isEmpty
    else { return nil }
    return Secret(text)
  }

  /// Saves the refresh token atomically with mode 0600 (directory 0700).
  public func save(_ token: Secret) throws(DefenderClientError) {
    let manager = FileManager.default
    do {
      try manager.createDirectory(
        atPath: directory, withIntermediateDirectories: true,
        attributes: [.posixPermissions: 0o700])
      let temporary = path + ".tmp-\(UUID().uuidString)"
      guard
        manager.createFile(
          atPath: temporary, contents: Data(token.revealed.utf8),
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
