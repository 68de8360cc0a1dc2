/// A status the service sends as a bare string, read tolerantly: in any case and in each spelling
/// it is known to send, written as the service writes it, an unknown value kept verbatim. The rule
/// exists once, here; ``ActionStatus`` and ``CommandStatus`` conform.
public protocol TolerantStatus: Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible,
  ExpressibleByStringLiteral
where AllCases == [Self] {
  /// The value as the service writes it (`Cancelled`, `TimeOut`, `Completed`, …).
  var rawValue: String { get }
  /// A value this version does not know, as sent.
  static func other(_ text: String) -> Self
  /// Spellings other than ``rawValue`` the service sends (lowercased), and the status each means.
  static var otherSpellings: [String: Self] { get }
}

extension TolerantStatus {
  /// The status a text names (any case, any known spelling); an unknown text kept as sent.
  public init(_ text: String) {
    let key = text.lowercased()
    if let known = Self.allCases.first(where: { $0.rawValue.lowercased() == key }) {
      self = known
    } else {
      self = Self.otherSpellings[key] ?? .other(text)
    }
  }

  /// The status a literal names (`"Succeeded"`).
  public init(stringLiteral text: String) { self.init(text) }

  /// The value as the service writes it.
  public var description: String { rawValue }

  /// Decodes a bare string.
  public init(from decoder: any Decoder) throws {
    self.init(try decoder.singleValueContainer().decode(String.self))
  }

  /// Encodes a bare string.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}
