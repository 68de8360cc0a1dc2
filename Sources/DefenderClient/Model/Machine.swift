/// One network interface of a device (`ipAddresses[]` of the Machine entity).
public struct MachineIPAddress: Sendable, Equatable, Codable {
  /// The address (IPv4 or IPv6).
  public var ipAddress: String?
  /// The interface's MAC address.
  public var macAddress: String?
  /// Interface type, e.g. `Ethernet`, `Wireless80211`.
  public var type: String?
  /// `Up`, `Down`, ...
  public var operationalStatus: String?

  /// Creates an entry (tests).
  public init(
    ipAddress: String? = nil, macAddress: String? = nil, type: String? = nil,
    operationalStatus: String? = nil
  ) {
    self.ipAddress = ipAddress
    self.macAddress = macAddress
    self.type = type
    self.operationalStatus = operationalStatus
  }

  enum CodingKeys: String, CodingKey {
    case ipAddress, macAddress, type, operationalStatus
  }

  /// Decodes tolerantly.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    ipAddress = c.lossyString(.ipAddress)
    macAddress = c.lossyString(.macAddress)
    type = c.lossyString(.type)
    operationalStatus = c.lossyString(.operationalStatus)
  }
}

/// A device as `GET /api/machines` returns it: every property of the documented Machine entity,
/// plus a few the service is observed to send. Unknown fields are ignored, odd shapes tolerated.
public struct Machine: Sendable, Equatable, Codable, Identifiable {
  /// 40-hex device id.
  public var id: String
  /// Fully qualified name, e.g. `mymachine1.contoso.com`.
  public var computerDnsName: String?
  /// First seen (ISO 8601 text as sent).
  public var firstSeen: String?
  /// Last full device report (ISO 8601 text as sent).
  public var lastSeen: String?
  /// `Windows10`, `Windows11`, `WindowsServer2022`, `Linux`, `macOS`...
  public var osPlatform: String?
  /// OS version, e.g. `1709`.
  public var version: String?
  /// OS build number.
  public var osBuild: Int?
  /// Deprecated processor field (`x64`).
  public var osProcessor: String?
  /// `32-bit` or `64-bit`.
  public var osArchitecture: String?
  /// Last internal IP address.
  public var lastIpAddress: String?
  /// Last external IP address.
  public var lastExternalIpAddress: String?
  /// `Active`, `Inactive`, `ImpairedCommunication`, `NoSensorData`...
  public var healthStatus: String?
  /// `onboarded`, `CanBeOnboarded`, `Unsupported`, `InsufficientInfo` (both spellings read).
  public var onboardingStatus: String?
  /// RBAC device group id.
  public var rbacGroupId: Int?
  /// RBAC device group name.
  public var rbacGroupName: String?
  /// `None`, `Informational`, `Low`, `Medium`, `High`.
  public var riskScore: String?
  /// `None`, `Low`, `Medium`, `High`.
  public var exposureLevel: String?
  /// `Normal`, `Low`, `High`.
  public var deviceValue: String?
  /// Whether the device is Entra-joined.
  public var isAadJoined: Bool?
  /// Entra device id.
  public var aadDeviceId: String?
  /// Tags.
  public var machineTags: [String]
  /// Network interfaces with their addresses (`ipAddresses[]`).
  public var ipAddresses: [MachineIPAddress]
  /// Observed, undocumented: the device this one was merged into.
  public var mergedIntoMachineId: String?
  /// Observed, undocumented: whether this may be a duplicate device entry.
  public var isPotentialDuplication: Bool?
  /// Observed, undocumented: whether the device is excluded.
  public var isExcluded: Bool?
  /// Observed, undocumented: why it is excluded.
  public var exclusionReason: String?
  /// Observed, undocumented: the sensor (agent) version.
  public var agentVersion: String?
  /// Observed, undocumented: the OS version string.
  public var osVersion: String?
  /// Observed, undocumented: Defender Antivirus status.
  public var defenderAvStatus: String?
  /// Observed, undocumented: what manages the device (`Intune`, `MDE`, ...).
  public var managedBy: String?
  /// Observed, undocumented: the management status.
  public var managedByStatus: String?

  /// Creates a machine (tests, fixtures).
  public init(id: String, computerDnsName: String? = nil, machineTags: [String] = []) {
    self.id = id
    self.computerDnsName = computerDnsName
    self.machineTags = machineTags
    self.ipAddresses = []
  }

  /// The short host name (`mymachine1` for `mymachine1.contoso.com`).
  public var shortName: String? {
    computerDnsName.map { String($0.split(separator: ".", maxSplits: 1).first ?? Substring($0)) }
  }

  enum CodingKeys: String, CodingKey {
    case id, computerDnsName, firstSeen, lastSeen, osPlatform, version, osBuild, osProcessor
    case osArchitecture, lastIpAddress, lastExternalIpAddress, healthStatus, onboardingStatus
    case rbacGroupId, rbacGroupName, riskScore, exposureLevel, deviceValue, isAadJoined
    case aadDeviceId, machineTags, ipAddresses
    case mergedIntoMachineId, isPotentialDuplication, isExcluded, exclusionReason, agentVersion
    case osVersion, defenderAvStatus, managedBy, managedByStatus
    case onboardingstatus
  }

  /// Decodes tolerantly.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    guard let id = c.lossyString(.id) else {
      throw DecodingError.keyNotFound(
        CodingKeys.id, .init(codingPath: c.codingPath, debugDescription: "machine without id"))
    }
    self.id = id
    computerDnsName = c.lossyString(.computerDnsName)
    firstSeen = c.lossyString(.firstSeen)
    lastSeen = c.lossyString(.lastSeen)
    osPlatform = c.lossyString(.osPlatform)
    version = c.lossyString(.version)
    osBuild = c.lossyInt(.osBuild)
    osProcessor = c.lossyString(.osProcessor)
    osArchitecture = c.lossyString(.osArchitecture)
    lastIpAddress = c.lossyString(.lastIpAddress)
    lastExternalIpAddress = c.lossyString(.lastExternalIpAddress)
    healthStatus = c.lossyString(.healthStatus)
    onboardingStatus = c.lossyString(.onboardingStatus, .onboardingstatus)
    rbacGroupId = c.lossyInt(.rbacGroupId)
    rbacGroupName = c.lossyString(.rbacGroupName)
    riskScore = c.lossyString(.riskScore)
    exposureLevel = c.lossyString(.exposureLevel)
    deviceValue = c.lossyString(.deviceValue)
    isAadJoined = c.lossyBool(.isAadJoined)
    aadDeviceId = c.lossyString(.aadDeviceId)
    machineTags = c.lossyStrings(.machineTags)
    ipAddresses = (try? c.decodeIfPresent([MachineIPAddress].self, forKey: .ipAddresses)) ?? []
    mergedIntoMachineId = c.lossyString(.mergedIntoMachineId)
    isPotentialDuplication = c.lossyBool(.isPotentialDuplication)
    isExcluded = c.lossyBool(.isExcluded)
    exclusionReason = c.lossyString(.exclusionReason)
    agentVersion = c.lossyString(.agentVersion)
    osVersion = c.lossyString(.osVersion)
    defenderAvStatus = c.lossyString(.defenderAvStatus)
    managedBy = c.lossyString(.managedBy)
    managedByStatus = c.lossyString(.managedByStatus)
  }

  /// Encodes with the documented field names.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(id, forKey: .id)
    try c.encodeIfPresent(computerDnsName, forKey: .computerDnsName)
    try c.encodeIfPresent(firstSeen, forKey: .firstSeen)
    try c.encodeIfPresent(lastSeen, forKey: .lastSeen)
    try c.encodeIfPresent(osPlatform, forKey: .osPlatform)
    try c.encodeIfPresent(version, forKey: .version)
    try c.encodeIfPresent(osBuild, forKey: .osBuild)
    try c.encodeIfPresent(osProcessor, forKey: .osProcessor)
    try c.encodeIfPresent(osArchitecture, forKey: .osArchitecture)
    try c.encodeIfPresent(lastIpAddress, forKey: .lastIpAddress)
    try c.encodeIfPresent(lastExternalIpAddress, forKey: .lastExternalIpAddress)
    try c.encodeIfPresent(healthStatus, forKey: .healthStatus)
    try c.encodeIfPresent(onboardingStatus, forKey: .onboardingStatus)
    try c.encodeIfPresent(rbacGroupId, forKey: .rbacGroupId)
    try c.encodeIfPresent(rbacGroupName, forKey: .rbacGroupName)
    try c.encodeIfPresent(riskScore, forKey: .riskScore)
    try c.encodeIfPresent(exposureLevel, forKey: .exposureLevel)
    try c.encodeIfPresent(deviceValue, forKey: .deviceValue)
    try c.encodeIfPresent(isAadJoined, forKey: .isAadJoined)
    try c.encodeIfPresent(aadDeviceId, forKey: .aadDeviceId)
    try c.encode(machineTags, forKey: .machineTags)
    try c.encode(ipAddresses, forKey: .ipAddresses)
    try c.encodeIfPresent(mergedIntoMachineId, forKey: .mergedIntoMachineId)
    try c.encodeIfPresent(isPotentialDuplication, forKey: .isPotentialDuplication)
    try c.encodeIfPresent(isExcluded, forKey: .isExcluded)
    try c.encodeIfPresent(exclusionReason, forKey: .exclusionReason)
    try c.encodeIfPresent(agentVersion, forKey: .agentVersion)
    try c.encodeIfPresent(osVersion, forKey: .osVersion)
    try c.encodeIfPresent(defenderAvStatus, forKey: .defenderAvStatus)
    try c.encodeIfPresent(managedBy, forKey: .managedBy)
    try c.encodeIfPresent(managedByStatus, forKey: .managedByStatus)
  }
}
