import Foundation
import LiveResponse

/// The real service's quirks a scenario can switch on (the scenario's `quirks` object): ways
/// Defender for Endpoint refuses or surprises a Live Response client that the documentation does
/// not describe. Each is documented in `docs/emulator.md` with its source.
public struct ServiceQuirks: Sendable, Codable, Equatable {
  /// Platform globs (`macOS`, `Linux*`) whose devices refuse Live Response with
  /// `400 OsPlatformNotSupported`.
  public var unsupportedPlatforms: [String]
  /// What a submission to a device with an action in progress gets: `refuse`
  /// (`400 ActiveRequestAlreadyExists`, the default) or `returnExisting` (a `201` carrying the
  /// device's existing action instead of a new one).
  public var duplicateSubmission: DuplicateSubmission
  /// Whether `Pending` actions queued for offline devices hold one of the concurrent sessions
  /// (default true, the cautious reading).
  public var pendingOfflineHoldsSession: Bool
  /// Virtual seconds after its creation during which a new action is missing from the list and
  /// `GET /api/machineactions/{id}` answers `404` (0: visible at once).
  public var visibilityDelaySeconds: Double
  /// Token audiences (resource URIs) the token endpoint issues tokens for but the API answers
  /// with `403 Forbidden`, as the real API does for the legacy `securitycenter` resource.
  public var rejectedAudiences: [String]

  /// The plain service: no quirk but the cautious session count.
  public init(
    unsupportedPlatforms: [String] = [], duplicateSubmission: DuplicateSubmission = .refuse,
    pendingOfflineHoldsSession: Bool = true, visibilityDelaySeconds: Double = 0,
    rejectedAudiences: [String] = []
  ) {
    self.unsupportedPlatforms = unsupportedPlatforms
    self.duplicateSubmission = duplicateSubmission
    self.pendingOfflineHoldsSession = pendingOfflineHoldsSession
    self.visibilityDelaySeconds = visibilityDelaySeconds
    self.rejectedAudiences = rejectedAudiences
  }

  /// Decodes from JSON; omitted fields take their defaults.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let d = ServiceQuirks()
    unsupportedPlatforms =
      try c.decodeIfPresent([String].self, forKey: .unsupportedPlatforms) ?? d.unsupportedPlatforms
    duplicateSubmission =
      try c.decodeIfPresent(DuplicateSubmission.self, forKey: .duplicateSubmission)
      ?? d.duplicateSubmission
    pendingOfflineHoldsSession =
      try c.decodeIfPresent(Bool.self, forKey: .pendingOfflineHoldsSession)
      ?? d.pendingOfflineHoldsSession
    visibilityDelaySeconds =
      try c.decodeIfPresent(Double.self, forKey: .visibilityDelaySeconds)
      ?? d.visibilityDelaySeconds
    rejectedAudiences =
      try c.decodeIfPresent([String].self, forKey: .rejectedAudiences) ?? d.rejectedAudiences
  }

  /// What a submission to a busy device gets.
  public enum DuplicateSubmission: String, Sendable, Codable {
    /// `400 ActiveRequestAlreadyExists`.
    case refuse
    /// `201` with the device's existing action (not the one requested).
    case returnExisting
  }

  /// Why `machine` refuses every Live Response action, if it does: not onboarded
  /// (`ClientVersionNotSupported`) or an unsupported platform (`OsPlatformNotSupported`).
  func refusal(for machine: ScenarioMachine) -> EmulatorError? {
    if machine.onboardingStatus.lowercased() != "onboarded" {
      return .clientVersionNotSupported
    }
    if unsupportedPlatforms.contains(where: { Glob.matches($0, machine.osPlatform) }) {
      return .osPlatformNotSupported(machine.osPlatform)
    }
    return nil
  }

  /// Whether the API refuses tokens issued for `audience`.
  func rejects(audience: String) -> Bool {
    func trimmed(_ s: String) -> String {
      var r = s.lowercased()
      while r.hasSuffix("/") { r.removeLast() }
      return r
    }
    return rejectedAudiences.contains { trimmed($0) == trimmed(audience) }
  }
}
