import LiveResponse

/// Reads JSON output: one object, an array (one row per element), or one JSON value per line.
enum JSONOutputParser {
  /// The rows, or nil when the text is not JSON.
  static func rows(_ text: String) -> [JSONValue]? {
    if let value = JSONValue.parse(text) { return rows(of: value) }
    let lines = text.split(whereSeparator: \.isNewline).filter { !$0.isBlank }
    guard lines.count > 1 else { return nil }
    var result: [JSONValue] = []
    for line in lines {
      guard let value = JSONValue.parse(String(line)) else { return nil }
      result += rows(of: value)
    }
    return result
  }

  /// An array's elements as rows, anything else as one row; non-objects as `{"value": …}`.
  static func rows(of value: JSONValue) -> [JSONValue] {
    let elements = value.arrayValue ?? [value]
    return elements.map { ResultRow(json: $0).json }
  }

  /// Whether the text starts like a JSON object or array.
  static func looksLikeJSON(_ text: String) -> Bool {
    guard let first = text.first(where: { !$0.isWhitespace }) else { return false }
    return first == "{" || first == "["
  }
}
