extension SettingsSources {
  /// How to sign in: device code when asked, then the environment's secret or certificate, then
  /// the profile's.
  func credential() throws(DefenderClientError) -> Credential {
    if overrides.deviceCode { return .deviceCode }
    if let secret = env("AZURE_CLIENT_SECRET") { return .secret(Secret(secret)) }
    if let path = env("AZURE_CLIENT_CERTIFICATE_PATH") {
      return .certificate(path: expandTilde(path))
    }
    return try profileCredential()
  }

  /// The profile's credential: its `credential` kind, else whichever of secret or certificate it
  /// holds, else device code.
  func profileCredential() throws(DefenderClientError) -> Credential {
    switch profile.credential?.lowercased() {
    case "secret":
      guard let secret = profile.clientSecret else {
        throw .configuration(
          "profile \"\(profileName ?? "")\" uses a client secret but none is set: export AZURE_CLIENT_SECRET or add client_secret to the (private) config file"
        )
      }
      return .secret(secret)
    case "certificate":
      guard let path = profile.certificatePath else {
        throw .configuration(
          "profile \"\(profileName ?? "")\" uses a certificate but certificate_path is not set")
      }
      return .certificate(path: expandTilde(path))
    case "device-code", "devicecode", "device_code":
      return .deviceCode
    case nil:
      if let secret = profile.clientSecret { return .secret(secret) }
      if let path = profile.certificatePath { return .certificate(path: expandTilde(path)) }
      return .deviceCode
    case let other?:
      throw .configuration(
        "unknown credential \"\(other)\"; expected secret, certificate or device-code")
    }
  }
}
