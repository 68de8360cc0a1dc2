/// An OData collection page: `{"value": [...], "@odata.nextLink": "..."}`.
///
/// Entries are decoded one by one: an entry that cannot be read (not an object, no `id`) is
/// skipped and described in ``skipped`` instead of failing the whole page. Callers must surface
/// ``skipped`` (``DefenderAPI`` logs a warning and counts them).
public struct ODataCollection<Element: Decodable & Sendable>: Decodable, Sendable {
  /// The page's readable entries.
  public var value: [Element]
  /// The next page's URL, if more results exist.
  public var nextLink: String?
  /// One line per entry that could not be read: its position, its `id` when it has one, why.
  public var skipped: [String]

  enum CodingKeys: String, CodingKey {
    case value
    case nextLink = "@odata.nextLink"
  }

  /// Decodes the page, entry by entry.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    nextLink = try? c.decodeIfPresent(String.self, forKey: .nextLink)
    value = []
    skipped = []
    guard c.contains(.value), try c.decodeNil(forKey: .value) == false else { return }
    var entries = try c.nestedUnkeyedContainer(forKey: .value)
    while !entries.isAtEnd {
      let position = entries.currentIndex
      do {
        value.append(try entries.decode(Element.self))
      } catch {
        // A failed decode does not advance the container: step over the entry.
        var name: String?
        if try entries.decodeNil() == false { name = try entries.decode(UnreadableEntry.self).id }
        skipped.append(
          "entry \(position)" + (name.map { " (\($0))" } ?? "") + ": " + Self.reason(error))
      }
    }
  }

  private static func reason(_ error: any Error) -> String {
    switch error {
    case DecodingError.keyNotFound(let key, _): return "no \(key.stringValue)"
    case DecodingError.typeMismatch(_, let context): return context.debugDescription
    case DecodingError.valueNotFound(_, let context): return context.debugDescription
    case DecodingError.dataCorrupted(let context): return context.debugDescription
    default: return String(describing: error)
    }
  }
}

/// Any JSON value, read only for the `id` (or `fileName`) it may carry, to name a skipped entry.
private struct UnreadableEntry: Decodable {
  var id: String?
  init(from decoder: any Decoder) throws {
    id = (try? decoder.container(keyedBy: AnyKey.self))?.lossyString(
      AnyKey("id"), AnyKey("fileName"))
  }
}

/// An OData single value: `{"value": "..."}` (result download links).
struct ODataValue<Value: Decodable & Sendable>: Decodable, Sendable {
  var value: Value
}

/// The service's error body: `{"error": {"code", "message", "target"}}`.
struct ServiceErrorBody: Decodable, Sendable {
  struct Inner: Decodable, Sendable {
    var code: String?
    var message: String?
    var target: String?
  }
  var error: Inner
}

/// Entra's token error body: `error`, `error_description`, `error_codes`.
struct EntraErrorBody: Decodable, Sendable {
  var error: String
  var errorDescription: String?
  var errorCodes: [Int]?

  enum CodingKeys: String, CodingKey {
    case error
    case errorDescription = "error_description"
    case errorCodes = "error_codes"
  }
}
