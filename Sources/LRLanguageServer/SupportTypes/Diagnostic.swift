/// How serious a diagnostic is (1 error, 2 warning, 3 information, 4 hint).
public struct DiagnosticSeverity: RawRepresentable, Codable, Hashable, Sendable {
  /// The protocol's number.
  public var rawValue: Int
  /// Creates a severity from the protocol's number.
  public init(rawValue: Int) { self.rawValue = rawValue }
  /// An error.
  public static let error = DiagnosticSeverity(rawValue: 1)
  /// A warning.
  public static let warning = DiagnosticSeverity(rawValue: 2)
  /// Information.
  public static let information = DiagnosticSeverity(rawValue: 3)
  /// A hint.
  public static let hint = DiagnosticSeverity(rawValue: 4)
}

/// A message attached to another place (notes).
public struct DiagnosticRelatedInformation: Codable, Hashable, Sendable {
  /// Where.
  public var location: Location
  /// What.
  public var message: String

  /// Creates related information.
  public init(location: Location, message: String) {
    self.location = location
    self.message = message
  }
}

/// A problem in a document, in protocol positions.
public struct LSPDiagnostic: Codable, Hashable, Sendable {
  /// Where.
  public var range: LSPRange
  /// How serious.
  public var severity: DiagnosticSeverity?
  /// The diagnostic's id (`unknownCommand`).
  public var code: String?
  /// Who reports it (`lr`).
  public var source: String?
  /// The message.
  public var message: String
  /// Notes pointing elsewhere.
  public var relatedInformation: [DiagnosticRelatedInformation]?

  /// Creates a diagnostic.
  public init(
    range: LSPRange, severity: DiagnosticSeverity?, code: String? = nil, source: String? = "lr",
    message: String, relatedInformation: [DiagnosticRelatedInformation]? = nil
  ) {
    self.range = range
    self.severity = severity
    self.code = code
    self.source = source
    self.message = message
    self.relatedInformation = relatedInformation
  }
}
