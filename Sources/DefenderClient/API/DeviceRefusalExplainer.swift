/// The service's refusals that are about the device or the token rather than the request, as
/// sentences that say what is wrong and what to do.
enum DeviceRefusalExplainer {
  /// A 400 that means the device can never run Live Response as it is: not onboarded
  /// (`ClientVersionNotSupported`) or an unsupported platform (`OsPlatformNotSupported`); nil for
  /// other codes.
  static func badRequest(code: String?, serviceMessage: String) -> String? {
    let said = serviceMessage.isEmpty ? "" : " — service said: \(serviceMessage)"
    switch code {
    case "ClientVersionNotSupported":
      return
        "the device is not onboarded to Defender for Endpoint (its onboardingStatus is not Onboarded, or its sensor is too old), so it cannot run Live Response\(said)"
    case "OsPlatformNotSupported":
      return "the device's platform does not support this Live Response action\(said)"
    default:
      return nil
    }
  }

  /// A 403 for a token issued to another audience: the audience it carried and the one the API
  /// expects; nil when the token's audience is a documented one (or unknown).
  static func forbidden(tokenAudience: String?, expected: String, serviceMessage: String)
    -> String?
  {
    guard let tokenAudience,
      !(documentedAudiences + [expected]).map(normalized).contains(normalized(tokenAudience))
    else { return nil }
    let said = serviceMessage.isEmpty ? "" : " — service said: \(serviceMessage)"
    return
      "the service refused the access token (HTTP 403): it was issued for the audience \(tokenAudience), but the Defender API expects tokens for \(expected); set the profile's resource (or LR_RESOURCE) to \(expected), or remove it to use the cloud's\(said)"
  }

  /// The audience the Defender API documents for an API host: the US government hosts are their
  /// own audience; every other host (commercial, regional, the lab) takes
  /// `https://api.securitycenter.microsoft.com`.
  static func expectedAudience(apiBaseURL: String) -> String {
    let lower = apiBaseURL.lowercased()
    if lower.contains("api-gcc.securitycenter.microsoft.us") {
      return "https://api-gcc.securitycenter.microsoft.us"
    }
    if lower.contains("api-gov.securitycenter.microsoft.us") {
      return "https://api-gov.securitycenter.microsoft.us"
    }
    return "https://api.securitycenter.microsoft.com"
  }

  /// Audiences the service documents for WindowsDefenderATP: a 403 for a token carrying one of
  /// them is about permissions, not the audience.
  static let documentedAudiences = [
    "https://api.securitycenter.microsoft.com", "https://api.security.microsoft.com",
    "https://securitycenter.onmicrosoft.com/windowsatpservice",
    "https://api.securitycenter.windows.com", "fc780465-2017-40d4-a0c5-307022471b92",
  ]

  private static func normalized(_ audience: String) -> String {
    var a = audience.lowercased()
    while a.hasSuffix("/") { a.removeLast() }
    return a
  }
}
