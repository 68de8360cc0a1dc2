import ArgumentParser

/// `--tenant` and `--profile` for the commands that read the journal without signing in
/// (`lr runs`, `lr report`, `lr audit verify`): which tenant's runs a team database shows.
struct TeamTenantOptions: ParsableArguments {
  @Option(help: "With --team: the tenant whose runs to read (default: AZURE_TENANT_ID, profile).")
  var tenant: String?

  @Option(help: "With --team: the config profile whose team and tenant_id to use.")
  var profile: String?
}
