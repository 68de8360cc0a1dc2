import Foundation
import TOMLKit

/// One `[profiles.NAME]` table of the config file; every field optional.
public struct Profile: Sendable, Equatable, Decodable {
  /// Entra tenant id or domain.
  public var tenantID: String?
  /// Application (client) id.
  public var clientID: String?
  /// `secret`, `certificate` or `device-code`.
  public var credential: String?
  /// Client secret (only accepted when the file is readable by its owner alone); never printed.
  public var clientSecret: Secret?
  /// PEM file with the certificate and its private key.
  public var certificatePath: String?
  /// `commercial`, `gcc`, `gcc-high`, `dod` or `custom`.
  public var cloud: String?
  /// Commercial region (`us`, `eu`, `uk`, `au`, `swa`, `ina`).
  public var region: String?
  /// API base URL override.
  public var apiURL: String?
  /// Authority base URL override.
  public var authorityURL: String?
  /// Token audience override.
  public var resource: String?
  /// `v2` (default) or `v1`.
  public var tokenEndpoint: String?
  /// Where results are saved.
  public var resultsDir: String?
  /// Budget overrides.
  public var limits: Limits?
  /// The team database (`postgres://…`, docs/team.md): journal and audit chain shared there.
  public var team: String?
  /// Four-eyes approval in team mode: runs on more machines than this wait for `lr approve`.
  public var approvalAbove: Int?
  /// Four-eyes approval in team mode: library scripts (globs) whose runs wait for `lr approve`.
  public var highImpact: [String]?

  /// The `[profiles.NAME.limits]` table.
  public struct Limits: Sendable, Equatable, Decodable {
    /// `runliveresponse` calls per minute.
    public var liveResponsePerMinute: Int?
    /// Other API calls per minute.
    public var apiPerMinute: Int?
    /// Other API calls per hour.
    public var apiPerHour: Int?
    /// Concurrent sessions per tenant.
    public var concurrentSessions: Int?
    /// Running actions per device.
    public var actionsPerDevice: Int?
    /// Minimum seconds between two status polls.
    public var minimumPollIntervalSeconds: Double?
    /// Share of the hourly budget polling may use.
    public var pollingShare: Double?
    /// Whether all non-`runliveresponse` APIs share one budget.
    public var sharedAPIBudget: Bool?

    enum CodingKeys: String, CodingKey {
      case liveResponsePerMinute = "live_response_per_minute"
      case apiPerMinute = "api_per_minute"
      case apiPerHour = "api_per_hour"
      case concurrentSessions = "concurrent_sessions"
      case actionsPerDevice = "actions_per_device"
      case minimumPollIntervalSeconds = "minimum_poll_interval_seconds"
      case pollingShare = "polling_share"
      case sharedAPIBudget = "shared_api_budget"
    }

    /// Applies these overrides to `base`.
    public func applied(to base: RateLimits) -> RateLimits {
      var limits = base
      if let liveResponsePerMinute { limits.liveResponsePerMinute = liveResponsePerMinute }
      if let apiPerMinute { limits.apiPerMinute = apiPerMinute }
      if let apiPerHour { limits.apiPerHour = apiPerHour }
      if let concurrentSessions { limits.concurrentSessions = concurrentSessions }
      if let actionsPerDevice { limits.actionsPerDevice = actionsPerDevice }
      if let minimumPollIntervalSeconds {
        limits.minimumPollInterval = .milliseconds(Int64(minimumPollIntervalSeconds * 1000))
      }
      if let pollingShare { limits.pollingShare = pollingShare }
      if let sharedAPIBudget { limits.sharedAPIBudget = sharedAPIBudget }
      return limits
    }
  }

  enum CodingKeys: String, CodingKey {
    case tenantID = "tenant_id"
    case clientID = "client_id"
    case credential
    case clientSecret = "client_secret"
    case certificatePath = "certificate_path"
    case cloud, region
    case apiURL = "api_url"
    case authorityURL = "authority_url"
    case resource
    case tokenEndpoint = "token_endpoint"
    case resultsDir = "results_dir"
    case limits
    case team
    case approvalAbove = "approval_above"
    case highImpact = "high_impact"
  }

  /// An empty profile.
  public init() {}
}

/// The parsed config file: `default_profile` and `[profiles.*]`.
public struct ConfigFile: Sendable, Equatable, Decodable {
  /// The profile used when neither `--profile` nor `LR_PROFILE` names one.
  public var defaultProfile: String?
  /// Profiles by name.
  public var profiles: [String: Profile]
  /// Where the file was read from.
  public var path: String = ""
  /// Whether users other than the owner can read the file.
  public var readableByOthers: Bool = false

  enum CodingKeys: String, CodingKey {
    case defaultProfile = "default_profile"
    case profiles
  }

  /// Decodes the table form.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    defaultProfile = try container.decodeIfPresent(String.self, forKey: .defaultProfile)
    profiles = try container.decodeIfPresent([String: Profile].self, forKey: .profiles) ?? [:]
  }

  /// Parses TOML text.
  ///
  /// - Throws: a configuration error naming the file, line and column.
  public static func parse(_ text: String, path: String) throws(DefenderClientError) -> ConfigFile {
    do {
      var file = try TOMLDecoder(strictDecoding: true).decode(ConfigFile.self, from: text)
      file.path = path
      return file
    } catch let error as TOMLParseError {
      throw .configuration(
        "\(path):\(error.source.begin.line):\(error.source.begin.column): \(error.description)")
    } catch let error as UnexpectedKeysError {
      let keys = error.keys.keys.sorted().joined(separator: ", ")
      throw .configuration("\(path): unknown setting(s): \(keys)")
    } catch {
      throw .configuration("\(path): \(Self.describe(error))")
    }
  }

  /// The default location: `$LR_CONFIG`, else `$XDG_CONFIG_HOME/lr/config.toml`, else
  /// `~/.config/lr/config.toml`.
  public static func defaultPath(environment: [String: String]) -> (path: String, explicit: Bool) {
    if let explicit = environment["LR_CONFIG"], !explicit.isEmpty { return (explicit, true) }
    return (configDirectory(environment: environment) + "/config.toml", false)
  }

  /// `$XDG_CONFIG_HOME/lr` or `~/.config/lr`.
  public static func configDirectory(environment: [String: String]) -> String {
    if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/lr" }
    let home = HomeFolder.path(environment: environment)
    return home + "/.config/lr"
  }

  /// Loads the config file; a missing default file yields `nil`, a missing explicit one an error.
  public static func load(environment: [String: String]) throws(DefenderClientError) -> ConfigFile?
  {
    let (path, explicit) = defaultPath(environment: environment)
    let manager = FileManager.default
    guard manager.fileExists(atPath: path) else {
      if explicit { throw .configuration("config file \(path) (from LR_CONFIG) does not exist") }
      return nil
    }
    guard let data = manager.contents(atPath: path) else {
      throw .configuration("config file \(path) is not readable")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw .configuration("config file \(path) is not UTF-8 text")
    }
    var file = try parse(text, path: path)
    // The permissions of the file itself: through a symlink, of the file the link points to.
    let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    let attributes = try? manager.attributesOfItem(atPath: target)
    if let mode = (attributes?[.posixPermissions] as? NSNumber)?.intValue {
      file.readableByOthers = mode & 0o077 != 0
    }
    return file
  }

  private static func describe(_ error: any Error) -> String {
    switch error {
    case DecodingError.typeMismatch(let type, let context):
      let path = context.codingPath.map(\.stringValue).joined(separator: ".")
      return "\(path): expected a value of type \(type)"
    case DecodingError.keyNotFound(let key, let context):
      // TOMLKit reports a present key of the wrong type as "not found".
      var parts = context.codingPath.map(\.stringValue)
      if parts.last != key.stringValue { parts.append(key.stringValue) }
      let path = parts.joined(separator: ".")
      return "\(path): expected a value of another type (\(context.debugDescription))"
    case DecodingError.valueNotFound(let type, let context):
      let path = context.codingPath.map(\.stringValue).joined(separator: ".")
      return "\(path): expected a value of type \(type)"
    default: break
    }
    return String(describing: error)
  }
}
