/// A Live Response library file (`GET /api/libraryfiles`).
public struct LibraryFile: Sendable, Equatable, Codable {
  /// File name (letters, digits, `-`, `_`, `.`).
  public var fileName: String
  /// SHA-256 of the content (hex).
  public var sha256: String?
  /// Description.
  public var description: String?
  /// Created (ISO 8601 text).
  public var creationTime: String?
  /// Last updated (ISO 8601 text).
  public var lastUpdatedTime: String?
  /// Who uploaded it.
  public var createdBy: String?
  /// Whether the script takes parameters.
  public var hasParameters: Bool?
  /// Description of the parameters.
  public var parametersDescription: String?

  /// Creates an entry (tests).
  public init(fileName: String, sha256: String? = nil) {
    self.fileName = fileName
    self.sha256 = sha256
  }

  enum CodingKeys: String, CodingKey {
    case fileName, sha256, description, creationTime, lastUpdatedTime, createdBy, hasParameters
    case parametersDescription
  }

  /// Decodes tolerantly.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    guard let name = c.lossyString(.fileName) else {
      throw DecodingError.keyNotFound(
        CodingKeys.fileName, .init(codingPath: c.codingPath, debugDescription: "no fileName"))
    }
    fileName = name
    sha256 = c.lossyString(.sha256)
    description = c.lossyString(.description)
    creationTime = c.lossyString(.creationTime)
    lastUpdatedTime = c.lossyString(.lastUpdatedTime)
    createdBy = c.lossyString(.createdBy)
    hasParameters = c.lossyBool(.hasParameters)
    parametersDescription = c.lossyString(.parametersDescription)
  }
}
