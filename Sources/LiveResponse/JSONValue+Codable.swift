extension JSONValue: Codable {
  /// A key of any name (for objects).
  struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  /// Decodes any JSON value. Object members come in key order (a `Decoder` does not keep the
  /// text's order; `JSONValue.parse` does).
  public init(from decoder: any Decoder) throws {
    if let object = try? decoder.container(keyedBy: Key.self) {
      self = .object(
        try object.allKeys.sorted { $0.stringValue < $1.stringValue }.map {
          ($0.stringValue, try object.decode(JSONValue.self, forKey: $0))
        })
      return
    }
    if var array = try? decoder.unkeyedContainer() {
      var items: [JSONValue] = []
      while !array.isAtEnd { items.append(try array.decode(JSONValue.self)) }
      self = .array(items)
      return
    }
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let b = try? container.decode(Bool.self) {
      self = .bool(b)
    } else if let n = try? container.decode(Int.self) {
      self = .number(n)
    } else if let d = try? container.decode(Double.self) {
      self = .double(d)
    } else {
      self = .string(try container.decode(String.self))
    }
  }

  /// Encodes the value (members in order, as far as the encoder keeps order).
  public func encode(to encoder: any Encoder) throws {
    switch self {
    case .array(let items):
      var container = encoder.unkeyedContainer()
      for item in items { try container.encode(item) }
    case .object(let members):
      var container = encoder.container(keyedBy: Key.self)
      for (key, value) in members { try container.encode(value, forKey: Key(stringValue: key)) }
    default:
      var container = encoder.singleValueContainer()
      switch self {
      case .bool(let b): try container.encode(b)
      case .number(let n): try container.encode(n)
      case .double(let d): try container.encode(d)
      case .string(let s): try container.encode(s)
      case .rawBytes(let b): try container.encode(String(decoding: b, as: UTF8.self))
      default: try container.encodeNil()
      }
    }
  }
}
