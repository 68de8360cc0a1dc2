/// An OData collection page: `{"value": [...], "@odata.nextLink": "..."}`.
public struct ODataCollection<Element: Decodable & Sendable>: Decodable, Sendable {
  /// The page's entries.
  public var value: [Element]
  /// The next page's URL, if more results exist.
  public var nextLink: String?

  enum CodingKeys: String, CodingKey {
    case value
    case nextLink = "@odata.nextLink"
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
