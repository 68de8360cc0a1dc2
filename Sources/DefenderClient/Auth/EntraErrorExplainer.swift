/// Turns Entra ID token errors into sentences that say what to fix (never echoing a secret).
enum EntraErrorExplainer {
  /// A sign-in error for an Entra error body.
  static func error(status: Int, body: EntraErrorBody?, tenant: String, clientID: String)
    -> DefenderClientError
  {
    let codes = body?.errorCodes ?? []
    let description = body?.errorDescription ?? ""
    func has(_ code: Int) -> Bool {
      codes.contains(code) || description.contains("AADSTS\(code)")
    }
    let message: String
    if has(7_000_215) || has(7_000_222) {
      message =
        has(7_000_222)
        ? "the client secret for app \(clientID) has expired; create a new one in Entra ID"
        : "the client secret for app \(clientID) is wrong (AADSTS7000215); check AZURE_CLIENT_SECRET"
    } else if has(90_002) || has(90_023)
      || description.contains("Tenant") && description.contains("not found")
    {
      message = "tenant \"\(tenant)\" is unknown to Entra ID (AADSTS90002); check AZURE_TENANT_ID"
    } else if has(700_016) {
      message =
        "application \(clientID) is not registered in tenant \(tenant) (AADSTS700016); check AZURE_CLIENT_ID"
    } else if has(65_001) || has(65_004) || description.lowercased().contains("consent") {
      message =
        "admin consent is missing for app \(clientID) in tenant \(tenant); grant it on the app's API permissions page (WindowsDefenderATP)"
    } else if has(500_011) || body?.error == "invalid_resource" {
      message =
        "the Defender API is not available to app \(clientID) in tenant \(tenant) (AADSTS500011): grant admin consent for WindowsDefenderATP, or check the cloud/resource setting"
    } else if has(70_011) || body?.error == "invalid_scope" {
      message = "the token scope was refused (AADSTS70011); check the cloud / resource settings"
    } else if has(700_027) || has(700_024) {
      message =
        "the certificate assertion was refused; check the certificate is uploaded to app \(clientID) and the clock is right"
    } else if body?.error == "invalid_client" {
      message =
        "app \(clientID) could not authenticate (invalid_client); check the secret or certificate"
    } else if body?.error == "unauthorized_client" {
      message = "app \(clientID) is not allowed to use this sign-in flow (unauthorized_client)"
    } else if body?.error == "invalid_grant" {
      message = "the saved sign-in is no longer valid; run `lr login` again"
    } else if let body {
      message = "sign-in failed: \(body.error)" + (codes.isEmpty ? "" : " (AADSTS\(codes[0]))")
    } else {
      message = "sign-in failed with HTTP \(status)"
    }
    return DefenderClientError(
      .signIn, message, httpStatus: status, serviceCode: body?.error)
  }
}
