extension SettingsSources {
  /// Where the API and the authority are: a named cloud (and region), a custom one, or a named
  /// one with its API or authority URL replaced; `LR_RESOURCE` or `resource` last.
  func cloud() throws(DefenderClientError) -> Cloud {
    let cloudName = overrides.cloud ?? env("LR_CLOUD") ?? profile.cloud
    let region = overrides.region ?? env("LR_REGION") ?? profile.region
    let apiURL = overrides.apiURL ?? env("LR_API_URL") ?? profile.apiURL
    let authorityURL = overrides.authorityURL ?? env("LR_AUTHORITY_URL") ?? profile.authorityURL
    let resource = env("LR_RESOURCE") ?? profile.resource
    var cloud: Cloud
    if cloudName?.lowercased() == "custom"
      || (cloudName == nil && (apiURL != nil || authorityURL != nil))
    {
      guard let apiURL, let authorityURL else {
        throw .configuration(
          "a custom cloud needs both the API URL and the authority URL (LR_API_URL and LR_AUTHORITY_URL, or api_url and authority_url)"
        )
      }
      cloud = try .custom(apiBaseURL: apiURL, authorityBaseURL: authorityURL)
    } else {
      cloud = try Cloud.named(cloudName ?? "commercial", region: region)
      if let apiURL {
        cloud = try .custom(
          apiBaseURL: apiURL, authorityBaseURL: authorityURL ?? cloud.authorityBaseURL,
          resource: cloud.resource)
      } else if let authorityURL {
        cloud = try .custom(
          apiBaseURL: cloud.apiBaseURL, authorityBaseURL: authorityURL, resource: cloud.resource)
      }
    }
    if let resource { cloud.resource = resource }
    return cloud
  }
}
