/// Tolerant decoding helpers: the service's JSON varies (numbers as strings, two spellings).
extension KeyedDecodingContainer {
  /// A string, or a number/bool rendered as text, or nil when absent, null or another shape.
  func lossyString(_ keys: Key...) -> String? {
    for key in keys where contains(key) {
      if let value = try? decodeIfPresent(String.self, forKey: key) { return value }
      if let value = try? decodeIfPresent(Int.self, forKey: key) { return String(value) }
      if let value = try? decodeIfPresent(Double.self, forKey: key) { return String(value) }
      if let value = try? decodeIfPresent(Bool.self, forKey: key) { return String(value) }
    }
    return nil
  }

  /// An integer, or a string holding one, or nil.
  func lossyInt(_ keys: Key...) -> Int? {
    for key in keys where contains(key) {
      if let value = try? decodeIfPresent(Int.self, forKey: key) { return value }
      if let text = try? decodeIfPresent(String.self, forKey: key), let value = Int(text) {
        return value
      }
      if let value = try? decodeIfPresent(Double.self, forKey: key) { return Int(value) }
    }
    return nil
  }

  /// A boolean, or a string `true`/`false`, or nil.
  func lossyBool(_ keys: Key...) -> Bool? {
    for key in keys where contains(key) {
      if let value = try? decodeIfPresent(Bool.self, forKey: key) { return value }
      if let text = try? decodeIfPresent(String.self, forKey: key) {
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default: continue
        }
      }
    }
    return nil
  }

  /// An array of strings; objects and numbers inside are rendered as text; nil becomes empty.
  func lossyStrings(_ key: Key) -> [String] {
    if let values = try? decodeIfPresent([String].self, forKey: key) { return values }
    if let values = try? decodeIfPresent([LossyText].self, forKey: key) {
      return values.map(\.text)
    }
    return []
  }
}

/// Any JSON value rendered as text (used for `errors[]` entries whose shape is undocumented).
struct LossyText: Decodable {
  var text: String
  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let string = try? container.decode(String.self) {
      text = string
    } else if let int = try? container.decode(Int.self) {
      text = String(int)
    } else if let object = try? container.decode([String: LossyText].self) {
      text = object.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.text)" }.joined(
        separator: ", ")
    } else {
      text = ""
    }
  }
}

/// A coding key made from any string (for decoding both spellings of a field).
struct AnyKey: CodingKey {
  var stringValue: String
  var intValue: Int? { nil }
  init(_ string: String) { stringValue = string }
  init?(stringValue: String) { self.stringValue = stringValue }
  init?(intValue: Int) { nil }
}
