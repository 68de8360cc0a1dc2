import Foundation
import LiveResponse

/// One command's state inside a machine action (`commands[]`).
public struct ActionCommand: Sendable, Equatable, Codable {
  /// 0-based index (the `index=` of the result link).
  public var index: Int
  /// When the command started on the device.
  public var startTime: String?
  /// When it ended.
  public var endTime: String?
  /// `Created`, `Completed` or `Failed`.
  public var commandStatus: CommandStatus
  /// Error texts.
  public var errors: [String]
  /// The command as submitted.
  public var command: LiveResponseCommand

  /// Whether the command completed and its result can be fetched.
  public var isCompleted: Bool { commandStatus == .completed }
  /// Whether the command failed.
  public var isFailed: Bool { commandStatus == .failed }

  /// Creates a command state (tests).
  public init(
    index: Int, commandStatus: CommandStatus, command: LiveResponseCommand, errors: [String] = [],
    startTime: String? = nil, endTime: String? = nil
  ) {
    self.index = index
    self.commandStatus = commandStatus
    self.command = command
    self.errors = errors
    self.startTime = startTime
    self.endTime = endTime
  }

  enum CodingKeys: String, CodingKey {
    case index, startTime, endTime, commandStatus, errors, command
  }

  /// Decodes tolerantly.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    index = c.lossyInt(.index) ?? 0
    startTime = c.lossyString(.startTime)
    endTime = c.lossyString(.endTime)
    commandStatus = CommandStatus(c.lossyString(.commandStatus) ?? "Created")
    errors = c.lossyStrings(.errors)
    command =
      (try? c.decodeIfPresent(LiveResponseCommand.self, forKey: .command))
      ?? LiveResponseCommand(type: "", params: [])
  }
}

/// The file an action is about (`relatedFileInfo`, e.g. for StopAndQuarantineFile).
public struct RelatedFileInfo: Sendable, Equatable, Codable {
  /// The file's hash.
  public var fileIdentifier: String?
  /// `Sha1`, `Sha256` or `Md5`.
  public var fileIdentifierType: String?

  /// Creates file info (tests).
  public init(fileIdentifier: String? = nil, fileIdentifierType: String? = nil) {
    self.fileIdentifier = fileIdentifier
    self.fileIdentifierType = fileIdentifierType
  }

  enum CodingKeys: String, CodingKey {
    case fileIdentifier, fileIdentifierType
  }

  /// Decodes tolerantly.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    fileIdentifier = c.lossyString(.fileIdentifier)
    fileIdentifierType = c.lossyString(.fileIdentifierType)
  }
}

/// A machine action as the API returns it (`runliveresponse`, `machineactions`, cancel): every
/// property of the documented MachineAction entity, plus `errorHResult` and `troubleshootInfo`.
public struct MachineAction: Sendable, Equatable, Codable, Identifiable {
  /// Action id (GUID).
  public var id: String
  /// `LiveResponse`, `Isolate`, ...
  public var type: String?
  /// `Full`/`Selective`/`Quick` for other action types.
  public var scope: String?
  /// Who submitted (for apps: the app's display name).
  public var requestor: String?
  /// The comment given at submission (carries lr's submission token).
  public var requestorComment: String?
  /// The status.
  public var status: ActionStatus
  /// Target device id.
  public var machineId: String?
  /// Target device name.
  public var computerDnsName: String?
  /// Created (ISO 8601 text).
  public var creationDateTimeUtc: String?
  /// Last update (ISO 8601 text; list responses may spell it `lastUpdateTimeUtc`).
  public var lastUpdateDateTimeUtc: String?
  /// Who cancelled it.
  public var cancellationRequestor: String?
  /// Cancellation comment.
  public var cancellationComment: String?
  /// When it was cancelled.
  public var cancellationDateTimeUtc: String?
  /// HRESULT of a failure (0 when fine).
  public var errorHResult: Int?
  /// Customer correlation id.
  public var externalId: String?
  /// `PublicApi`, ...
  public var requestSource: String?
  /// Title.
  public var title: String?
  /// The file the action is about (hash and hash type), for file actions.
  public var relatedFileInfo: RelatedFileInfo?
  /// Troubleshooting details (undocumented shape, null in every sample; kept as text).
  public var troubleshootInfo: String?
  /// Live Response commands with their states.
  public var commands: [ActionCommand]

  /// Creates an action (tests).
  public init(
    id: String, status: ActionStatus, machineId: String? = nil, commands: [ActionCommand] = []
  ) {
    self.id = id
    self.status = status
    self.machineId = machineId
    self.commands = commands
  }

  enum CodingKeys: String, CodingKey {
    case id, type, scope, requestor, requestorComment, status, machineId, computerDnsName
    case creationDateTimeUtc, lastUpdateDateTimeUtc, cancellationRequestor, cancellationComment
    case cancellationDateTimeUtc, errorHResult, externalId, requestSource, title, commands
    case relatedFileInfo, troubleshootInfo
    case lastUpdateTimeUtc, externalID
  }

  /// Decodes tolerantly (both spellings of last-update and external id).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    guard let id = c.lossyString(.id) else {
      throw DecodingError.keyNotFound(
        CodingKeys.id, .init(codingPath: c.codingPath, debugDescription: "action without id"))
    }
    self.id = id
    type = c.lossyString(.type)
    scope = c.lossyString(.scope)
    requestor = c.lossyString(.requestor)
    requestorComment = c.lossyString(.requestorComment)
    status = ActionStatus(c.lossyString(.status) ?? "Pending")
    machineId = c.lossyString(.machineId)
    computerDnsName = c.lossyString(.computerDnsName)
    creationDateTimeUtc = c.lossyString(.creationDateTimeUtc)
    lastUpdateDateTimeUtc = c.lossyString(.lastUpdateDateTimeUtc, .lastUpdateTimeUtc)
    cancellationRequestor = c.lossyString(.cancellationRequestor)
    cancellationComment = c.lossyString(.cancellationComment)
    cancellationDateTimeUtc = c.lossyString(.cancellationDateTimeUtc)
    errorHResult = c.lossyInt(.errorHResult)
    externalId = c.lossyString(.externalId, .externalID)
    requestSource = c.lossyString(.requestSource)
    title = c.lossyString(.title)
    relatedFileInfo = try? c.decodeIfPresent(RelatedFileInfo.self, forKey: .relatedFileInfo)
    troubleshootInfo =
      c.lossyString(.troubleshootInfo)
      ?? (try? c.decodeIfPresent(LossyText.self, forKey: .troubleshootInfo))?.text
    commands = (try? c.decodeIfPresent([ActionCommand].self, forKey: .commands)) ?? []
  }

  /// Encodes with the documented field names.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(id, forKey: .id)
    try c.encodeIfPresent(type, forKey: .type)
    try c.encodeIfPresent(scope, forKey: .scope)
    try c.encodeIfPresent(requestor, forKey: .requestor)
    try c.encodeIfPresent(requestorComment, forKey: .requestorComment)
    try c.encode(status, forKey: .status)
    try c.encodeIfPresent(machineId, forKey: .machineId)
    try c.encodeIfPresent(computerDnsName, forKey: .computerDnsName)
    try c.encodeIfPresent(creationDateTimeUtc, forKey: .creationDateTimeUtc)
    try c.encodeIfPresent(lastUpdateDateTimeUtc, forKey: .lastUpdateDateTimeUtc)
    try c.encodeIfPresent(cancellationRequestor, forKey: .cancellationRequestor)
    try c.encodeIfPresent(cancellationComment, forKey: .cancellationComment)
    try c.encodeIfPresent(cancellationDateTimeUtc, forKey: .cancellationDateTimeUtc)
    try c.encodeIfPresent(errorHResult, forKey: .errorHResult)
    try c.encodeIfPresent(externalId, forKey: .externalId)
    try c.encodeIfPresent(requestSource, forKey: .requestSource)
    try c.encodeIfPresent(title, forKey: .title)
    try c.encodeIfPresent(relatedFileInfo, forKey: .relatedFileInfo)
    try c.encodeIfPresent(troubleshootInfo, forKey: .troubleshootInfo)
    try c.encode(commands, forKey: .commands)
  }
}
