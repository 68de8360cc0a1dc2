import Crypto
import Foundation
import Logging
import Synchronization

/// The emulator's fixed configuration and shared services; the mutable part is `state`.
final class EmulatorService: Sendable {
  let scenario: Scenario
  let clock: VirtualClock
  let state: EmulatorState
  /// The limits in force (shared with `state`; replaced by the admin endpoint).
  let currentLimits: CurrentLimits
  let signer: TokenSigner
  private let linkKeyBytes: Data
  let adminKey: String
  let logger: Logger
  /// The tenant id (a GUID derived from the scenario's tenant name) carried in `tid`.
  let tenantId: String
  private let base = Mutex<String>("http://127.0.0.1")

  init(
    scenario: Scenario, clock: VirtualClock, signer: TokenSigner, libraryDirectory: URL?,
    logger: Logger, adminKey: String? = nil
  ) {
    self.scenario = scenario
    self.clock = clock
    self.signer = signer
    self.currentLimits = CurrentLimits(scenario.limits)
    self.state = EmulatorState(
      scenario: scenario, clock: clock, limits: currentLimits, libraryDirectory: libraryDirectory)
    self.linkKeyBytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
    self.adminKey =
      adminKey ?? Base64URL.encode(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
    self.logger = logger
    self.tenantId = Self.guid(from: "tenant:" + scenario.tenant.lowercased())
  }

  /// The limits in force now (the scenario's until `PUT /_emulator/limits`).
  var limits: Limits { currentLimits.value }

  /// The HMAC key that signs result links.
  var linkKey: SymmetricKey { SymmetricKey(data: linkKeyBytes) }

  /// The server's base URL (`http://127.0.0.1:PORT`), set once the port is known.
  var baseURL: String {
    get { base.withLock { $0 } }
  }

  func setBaseURL(_ url: String) { base.withLock { $0 = url } }

  /// Whether `tenant` (from a path) names this scenario's tenant.
  func isTenant(_ tenant: String) -> Bool {
    let t = tenant.lowercased()
    return t == scenario.tenant.lowercased() || t == tenantId
      || t == "organizations" || t == "common"
  }

  /// A GUID-shaped string derived from `text`.
  static func guid(from text: String) -> String {
    let h = SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    let c = Array(h)
    func part(_ a: Int, _ b: Int) -> String { String(c[a..<b]) }
    return "\(part(0, 8))-\(part(8, 12))-4\(part(13, 16))-a\(part(17, 20))-\(part(20, 32))"
  }

  /// Resource URIs whose tokens the API accepts, besides the emulator's own base URL.
  static let knownResources: Set<String> = [
    "https://api.securitycenter.microsoft.com",
    "https://api.security.microsoft.com",
    "https://securitycenter.onmicrosoft.com/windowsatpservice",
    "https://api-gcc.securitycenter.microsoft.us",
    "https://api-gov.securitycenter.microsoft.us",
    "https://api.securitycenter.windows.com",
    "fc780465-2017-40d4-a0c5-307022471b92",
  ]

  /// Whether tokens for `resource` are accepted by the API.
  func isAcceptedResource(_ resource: String) -> Bool {
    var r = resource.lowercased()
    while r.hasSuffix("/") { r.removeLast() }
    if Self.knownResources.contains(r) || scenario.quirks.rejects(audience: r) { return true }
    if r == baseURL.lowercased() { return true }
    guard let url = URL(string: r), let host = url.host else { return false }
    if ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host) { return true }
    return host.hasSuffix(".security.microsoft.com")
      || host.hasSuffix(".securitycenter.microsoft.com")
      || host.hasSuffix(".securitycenter.microsoft.us")
  }
}
