import ArgumentParser
import DefenderClient

/// Options every command that talks to the service shares.
///
/// Secrets are deliberately not options: use `AZURE_CLIENT_SECRET`, a certificate, or `lr login`.
struct ConnectionOptions: ParsableArguments {
  @Flag(
    help: """
      Start the built-in emulator in-process (demo fleet) and sign in as its lab app; it runs \
      10 times faster than real time (LR_LAB_TIME_SCALE sets the factor, 1 = real time).
      """)
  var lab = false

  @Option(help: "Config profile to use (default: LR_PROFILE, then default_profile).")
  var profile: String?

  @Option(
    help: "Output format: human or json (JSON lines). Default: human on a terminal, json otherwise."
  )
  var output: OutputFormat?

  @Flag(name: .shortAndLong, help: "Log API calls (method, path, status; never tokens) to stderr.")
  var verbose = false

  @Option(help: "Entra tenant id or domain (overrides AZURE_TENANT_ID).")
  var tenant: String?

  @Option(help: "Application (client) id (overrides AZURE_CLIENT_ID).")
  var clientId: String?

  @Option(help: "Cloud: commercial, gcc, gcc-high, dod or custom (overrides LR_CLOUD).")
  var cloud: String?

  @Option(help: "Commercial region: us, eu, uk, au, swa, ina (overrides LR_REGION).")
  var region: String?

  @Option(help: "API base URL (overrides LR_API_URL).")
  var apiUrl: String?

  @Option(help: "Sign-in authority base URL (overrides LR_AUTHORITY_URL).")
  var authorityUrl: String?

  @Option(help: "Folder results are saved under (default: ./results).")
  var resultsDir: String?

  /// The effective output format.
  var format: OutputFormat {
    output ?? (Terminal.stdoutIsTerminal ? .human : .json)
  }

  /// The flags as client overrides.
  var overrides: ConnectionOverrides {
    var overrides = ConnectionOverrides()
    overrides.profile = profile
    overrides.tenantID = tenant
    overrides.clientID = clientId
    overrides.cloud = cloud
    overrides.region = region
    overrides.apiURL = apiUrl
    overrides.authorityURL = authorityUrl
    overrides.resultsDirectory = resultsDir
    return overrides
  }
}
