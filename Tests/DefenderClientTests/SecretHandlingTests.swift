import Foundation
import LRTestSupport
import Testing

@testable import DefenderClient

/// Secrets never print, however a value is rendered; the sign-in cache is private on disk.
@Suite struct SecretHandlingTests {
  /// Every way Swift renders a value: interpolation, `String(reflecting:)`, `dump`, a mirror.
  static func renderings(_ value: Any) -> [String] {
    var dumped = ""
    dump(value, to: &dumped)
    let mirrored = Mirror(reflecting: value).children.map { "\($0.label ?? ""): \($0.value)" }
    return [
      String(describing: value), String(reflecting: value), dumped,
      mirrored.joined(separator: ", "),
    ]
  }

  static func expectRedacted(_ value: Any, hiding secrets: [String]) {
    for text in renderings(value) {
      for secret in secrets {
        #expect(!text.contains(secret), "\(secret) shown in: \(text)")
      }
    }
  }

  @Test func secretShowsNothingAnywhere() {
    let secret = Secret("p@ss-Wörd-42")
    #expect("\(secret)" == "<redacted>")
    #expect(String(reflecting: secret) == "<redacted>")
    var dumped = ""
    dump(secret, to: &dumped)
    #expect(dumped == "- <redacted>\n")
    #expect(Mirror(reflecting: secret).children.isEmpty)
    Self.expectRedacted(secret, hiding: ["p@ss-Wörd-42"])
    Self.expectRedacted(Credential.secret(secret), hiding: ["p@ss-Wörd-42"])
    Self.expectRedacted([Optional(secret)], hiding: ["p@ss-Wörd-42"])
  }

  @Test func profilesSignInCachesAndSettingsHideTheirSecrets() throws {
    let file = try ConfigFile.parse(
      """
      [profiles.p]
      tenant_id = "t"
      client_id = "c"
      client_secret = "profile-secret-1"
      """, path: "/tmp/p.toml")
    let profile = try #require(file.profiles["p"])
    #expect(profile.clientSecret?.revealed == "profile-secret-1")
    Self.expectRedacted(profile, hiding: ["profile-secret-1"])
    Self.expectRedacted(file, hiding: ["profile-secret-1"])

    var overrides = ConnectionOverrides()
    overrides.profile = "p"
    let settings = try ConnectionSettings.resolve(
      file: file, environment: [:], overrides: overrides)
    #expect(settings.credential == .secret(Secret("profile-secret-1")))
    Self.expectRedacted(settings, hiding: ["profile-secret-1"])

    let cached = CachedSignIn(
      refreshToken: Secret("refresh-secret-2"), accessToken: Secret("access-secret-3"),
      expiresAt: 1)
    Self.expectRedacted(cached, hiding: ["refresh-secret-2", "access-secret-3"])
    // The cache file itself carries the values (it is the one place they are written).
    let encoded = String(decoding: try JSONEncoder().encode(cached), as: UTF8.self)
    #expect(encoded.contains("refresh-secret-2") && encoded.contains("access-secret-3"))
    #expect(try JSONDecoder().decode(CachedSignIn.self, from: Data(encoded.utf8)) == cached)
  }

  func settings(cache: String) throws -> ConnectionSettings {
    ConnectionSettings(
      tenantID: "lab", clientID: "lr-lab", credential: .deviceCode,
      cloud: try Cloud.custom(apiBaseURL: "http://127.0.0.1:1", authorityBaseURL: "http://x"),
      tokenCacheDirectory: cache)
  }

  func mode(_ path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return try #require(attributes[.posixPermissions] as? NSNumber).intValue & 0o777
  }

  @Test func signInCacheIsWrittenPrivately() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("lr-st-\(UUID())")
    defer { try? FileManager.default.removeItem(at: root) }
    let cache = root.appendingPathComponent("tokens").path
    // A tokens folder someone made readable is tightened.
    try FileManager.default.createDirectory(
      atPath: cache, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
    let store = RefreshTokenStore(settings: try settings(cache: cache))
    let signIn = CachedSignIn(
      refreshToken: Secret("r1"), accessToken: Secret("a1"), expiresAt: 1_900_000_000)
    try store.save(signIn)
    #expect(try mode(store.path) == 0o600)
    #expect(try mode(cache) == 0o700)
    #expect(try store.load() == signIn)
    // Saving again replaces the file atomically and leaves no temporary behind.
    let next = CachedSignIn(refreshToken: Secret("r2"), accessToken: nil, expiresAt: nil)
    try store.save(next)
    #expect(try store.load() == next)
    #expect(try mode(store.path) == 0o600)
    #expect(try FileManager.default.contentsOfDirectory(atPath: cache) == ["lab-lr-lab.json"])
    // A cache others can read is refused.
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: store.path)
    #expect(throws: DefenderClientError.self) { try store.load() }
  }

  @Test func aFreshCacheFolderIsPrivateFromTheStart() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("lr-st-\(UUID())")
    defer { try? FileManager.default.removeItem(at: root) }
    let cache = root.appendingPathComponent("a/b/tokens").path
    let store = RefreshTokenStore(settings: try settings(cache: cache))
    try store.save(CachedSignIn(refreshToken: Secret("r"), accessToken: nil, expiresAt: nil))
    #expect(try mode(cache) == 0o700)
    #expect(try mode(store.path) == 0o600)
  }
}
