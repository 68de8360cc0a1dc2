/// A machine as `.machines` lists it.
public struct MachineRecord: Sendable, Hashable {
  public var id: String
  public var name: String
  public var osPlatform: String?
  public var healthStatus: String?
  public var tags: [String]
  public init(
    id: String, name: String, osPlatform: String? = nil, healthStatus: String? = nil,
    tags: [String] = []
  ) {
    self.id = id
    self.name = name
    self.osPlatform = osPlatform
    self.healthStatus = healthStatus
    self.tags = tags
  }
}

/// A library file as `.library` lists it.
public struct LibraryRecord: Sendable, Hashable {
  public var fileName: String
  public var description: String?
  public var hasParameters: Bool
  public init(fileName: String, description: String? = nil, hasParameters: Bool = false) {
    self.fileName = fileName
    self.description = description
    self.hasParameters = hasParameters
  }
}

/// A machine action as `.actions` lists it.
public struct ActionRecord: Sendable, Hashable {
  public var id: String
  public var machine: String
  public var status: String
  public var comment: String?
  public var created: String?
  /// Who started it (`requestor`).
  public var requestor: String?
  public init(
    id: String, machine: String, status: String, comment: String? = nil, created: String? = nil,
    requestor: String? = nil
  ) {
    self.id = id
    self.machine = machine
    self.status = status
    self.comment = comment
    self.created = created
    self.requestor = requestor
  }
}
