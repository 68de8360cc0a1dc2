import Foundation

/// One simulated device in the fleet.
public struct ScenarioMachine: Sendable, Codable {
  /// Machine id (40 hex digits on the real service).
  public var id: String
  /// Fully qualified computer name.
  public var computerDnsName: String
  /// `Windows10`, `Windows11`, `WindowsServer2019`, `Linux`, `macOS`, …
  public var osPlatform: String
  /// OS version.
  public var version: String?
  /// OS build number.
  public var osBuild: Int?
  /// `x64`, `arm64`, …
  public var osProcessor: String
  /// `Active`, `Inactive`, `ImpairedCommunication`, …
  public var healthStatus: String
  /// `None`, `Informational`, `Low`, `Medium`, `High`.
  public var riskScore: String
  /// `None`, `Low`, `Medium`, `High`.
  public var exposureLevel: String
  /// `Normal`, `Low`, `High`.
  public var deviceValue: String
  /// Device group id.
  public var rbacGroupId: Int
  /// Device group name.
  public var rbacGroupName: String
  /// Tags.
  public var machineTags: [String]
  /// Last internal IP address.
  public var lastIpAddress: String?
  /// Last external IP address.
  public var lastExternalIpAddress: String?
  /// Entra device id.
  public var aadDeviceId: String?
  /// When the device is reachable.
  public var online: OnlineSchedule
  /// Virtual seconds between an action's creation and the device picking it up.
  public var checkInLatencySeconds: Double
  /// Whether the device group allows live response (false: `DisallowedOperation`).
  public var liveResponseAllowed: Bool
  /// Files on the device.
  public var files: [FileSpec]
  /// `Onboarded` (default), `CanBeOnboarded`, `Unsupported`, `InsufficientInfo`: a device that is
  /// not onboarded refuses Live Response with `400 ClientVersionNotSupported`.
  public var onboardingStatus: String
  /// Virtual seconds after start before the device reports its platform (`osPlatform` is `null`
  /// until then, as on a newly onboarded device); nil: reported from the start.
  public var platformReportedAfter: Double?
  /// A `Pending` action of another requestor present at start that the device never picks up:
  /// it blocks the device until someone cancels it.
  public var stuckAction: StuckAction?

  /// A machine with sensible defaults for everything not given.
  public init(
    id: String, computerDnsName: String, osPlatform: String, version: String? = nil,
    osBuild: Int? = nil, healthStatus: String = "Active", riskScore: String = "Low",
    exposureLevel: String = "Medium", rbacGroupId: Int = 1, rbacGroupName: String = "Lab",
    machineTags: [String] = [], lastIpAddress: String? = nil, online: OnlineSchedule = .always,
    checkInLatencySeconds: Double = 5, files: [FileSpec] = []
  ) {
    self.id = id
    self.computerDnsName = computerDnsName
    self.osPlatform = osPlatform
    self.version = version
    self.osBuild = osBuild
    self.osProcessor = "x64"
    self.healthStatus = healthStatus
    self.riskScore = riskScore
    self.exposureLevel = exposureLevel
    self.deviceValue = "Normal"
    self.rbacGroupId = rbacGroupId
    self.rbacGroupName = rbacGroupName
    self.machineTags = machineTags
    self.lastIpAddress = lastIpAddress
    self.lastExternalIpAddress = nil
    self.aadDeviceId = nil
    self.online = online
    self.checkInLatencySeconds = checkInLatencySeconds
    self.liveResponseAllowed = true
    self.files = files
    self.onboardingStatus = "Onboarded"
  }

  /// Decodes from JSON; omitted fields take their defaults.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    id = try c.decode(String.self, forKey: .id)
    computerDnsName = try c.decode(String.self, forKey: .computerDnsName)
    osPlatform = try c.decodeIfPresent(String.self, forKey: .osPlatform) ?? "Windows10"
    version = try c.decodeIfPresent(String.self, forKey: .version)
    osBuild = try c.decodeIfPresent(Int.self, forKey: .osBuild)
    osProcessor = try c.decodeIfPresent(String.self, forKey: .osProcessor) ?? "x64"
    healthStatus = try c.decodeIfPresent(String.self, forKey: .healthStatus) ?? "Active"
    riskScore = try c.decodeIfPresent(String.self, forKey: .riskScore) ?? "Low"
    exposureLevel = try c.decodeIfPresent(String.self, forKey: .exposureLevel) ?? "Medium"
    deviceValue = try c.decodeIfPresent(String.self, forKey: .deviceValue) ?? "Normal"
    rbacGroupId = try c.decodeIfPresent(Int.self, forKey: .rbacGroupId) ?? 1
    rbacGroupName = try c.decodeIfPresent(String.self, forKey: .rbacGroupName) ?? "Lab"
    machineTags = try c.decodeIfPresent([String].self, forKey: .machineTags) ?? []
    lastIpAddress = try c.decodeIfPresent(String.self, forKey: .lastIpAddress)
    lastExternalIpAddress = try c.decodeIfPresent(String.self, forKey: .lastExternalIpAddress)
    aadDeviceId = try c.decodeIfPresent(String.self, forKey: .aadDeviceId)
    online = try c.decodeIfPresent(OnlineSchedule.self, forKey: .online) ?? .always
    checkInLatencySeconds =
      try c.decodeIfPresent(Double.self, forKey: .checkInLatencySeconds) ?? 5
    liveResponseAllowed = try c.decodeIfPresent(Bool.self, forKey: .liveResponseAllowed) ?? true
    files = try c.decodeIfPresent([FileSpec].self, forKey: .files) ?? []
    onboardingStatus =
      try c.decodeIfPresent(String.self, forKey: .onboardingStatus) ?? "Onboarded"
    platformReportedAfter = try c.decodeIfPresent(Double.self, forKey: .platformReportedAfter)
    stuckAction = try c.decodeIfPresent(StuckAction.self, forKey: .stuckAction)
  }

  /// The platform the API reports `elapsed` virtual seconds after start (nil: not yet known).
  func reportedPlatform(at elapsed: Double) -> String? {
    if let after = platformReportedAfter, elapsed < after { return nil }
    return osPlatform
  }

  /// Whether paths on this device are case-insensitive (Windows).
  var caseInsensitivePaths: Bool { osPlatform.lowercased().hasPrefix("windows") }
}

/// A `Pending` action of another requestor that a device holds from the start and never picks up.
public struct StuckAction: Sendable, Codable, Equatable {
  /// Who started it (the action's `requestor`).
  public var requestor: String
  /// Its `requestorComment`.
  public var comment: String?
  /// The script it runs.
  public var script: String

  /// A stuck action.
  public init(
    requestor: String, comment: String? = nil, script: String = "Collect-Triage.ps1"
  ) {
    self.requestor = requestor
    self.comment = comment
    self.script = script
  }

  /// Decodes from JSON; omitted fields take their defaults.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    requestor = try c.decode(String.self, forKey: .requestor)
    comment = try c.decodeIfPresent(String.self, forKey: .comment)
    script = try c.decodeIfPresent(String.self, forKey: .script) ?? "Collect-Triage.ps1"
  }
}

/// When a device is online, in virtual seconds since the scenario started.
public struct OnlineSchedule: Sendable, Codable, Equatable {
  /// Comes online at this many virtual seconds after start (0: from the start).
  public var after: Double
  /// Goes offline at this many virtual seconds after start (nil: stays online).
  public var until: Double?
  /// Never online.
  public var never: Bool

  /// Online from the start, forever.
  public static let always = OnlineSchedule(after: 0, until: nil, never: false)
  /// Never online.
  public static let offline = OnlineSchedule(after: 0, until: nil, never: true)

  /// A schedule.
  public init(after: Double = 0, until: Double? = nil, never: Bool = false) {
    self.after = after
    self.until = until
    self.never = never
  }

  /// Decodes from JSON; omitted fields take their defaults.
  public init(from decoder: any Decoder) throws {
    if let single = try? decoder.singleValueContainer(), let word = try? single.decode(String.self)
    {
      self = word.lowercased() == "never" ? .offline : .always
      return
    }
    let c = try decoder.container(keyedBy: CodingKeys.self)
    after = try c.decodeIfPresent(Double.self, forKey: .after) ?? 0
    until = try c.decodeIfPresent(Double.self, forKey: .until)
    never = try c.decodeIfPresent(Bool.self, forKey: .never) ?? false
  }

  /// Whether the device is online `t` virtual seconds after start.
  func isOnline(at t: Double) -> Bool {
    if never { return false }
    if t < after { return false }
    if let until, t >= until { return false }
    return true
  }

  /// The first instant ≥ `t` (seconds since start) at which the device is online, if any.
  func firstOnline(atOrAfter t: Double) -> Double? {
    if never { return nil }
    let candidate = max(t, after)
    if let until, candidate >= until { return nil }
    return candidate
  }
}

/// A file on a device: literal text, a host file, or generated deterministic bytes of a size.
public struct FileSpec: Sendable, Codable, Equatable {
  /// Path on the device (placeholders such as `{arg0}` allowed in script behaviours).
  public var path: String
  /// Literal text content.
  public var text: String?
  /// Size in bytes of generated content (supports multi-GB; generated while streaming).
  public var size: Int64?
  /// Seed for generated content.
  public var seed: UInt64?
  /// A file on the emulator's host whose bytes are served (read while streaming).
  public var hostFile: String?
  /// Generated bytes: `text` (compressible lines, default) or `random` (incompressible).
  public var pattern: String?

  /// A file spec.
  public init(
    path: String, text: String? = nil, size: Int64? = nil, seed: UInt64? = nil,
    hostFile: String? = nil, pattern: String? = nil
  ) {
    self.path = path
    self.text = text
    self.size = size
    self.seed = seed
    self.hostFile = hostFile
    self.pattern = pattern
  }

  /// The content size in bytes, when known without reading.
  var byteCount: Int64 {
    if let text { return Int64(text.utf8.count) }
    if let size { return size }
    if let hostFile,
      let attributes = try? FileManager.default.attributesOfItem(atPath: hostFile),
      let n = attributes[.size] as? NSNumber
    {
      return n.int64Value
    }
    return 0
  }
}
