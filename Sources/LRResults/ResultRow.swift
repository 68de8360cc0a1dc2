import LiveResponse

/// One parsed output row: an ordered JSON object, its columns in order.
public struct ResultRow: Sendable, Hashable {
  /// The row's members in order.
  public var members: [(String, JSONValue)]

  /// A row from its members.
  public init(members: [(String, JSONValue)]) {
    self.members = members
  }

  /// A row from a JSON value: an object's members, or any other value as `{"value": …}`.
  public init(json: JSONValue) {
    members = json.objectValue ?? [("value", json)]
  }

  /// A row of string values under column names (missing values are empty strings).
  public init(columns: [String], values: [String]) {
    members = columns.enumerated().map { index, name in
      (name, .string(index < values.count ? values[index] : ""))
    }
  }

  /// The row as an ordered JSON object.
  public var json: JSONValue { .object(members) }

  /// The row as compact JSON text (what the journal stores).
  public var jsonText: String { json.serialized() }

  /// The column names in order.
  public var columns: [String] { members.map(\.0) }

  /// The value of `column` (exact name first, then ignoring case), or nil.
  public subscript(column: String) -> JSONValue? {
    json[column] ?? json.member(ignoringCase: column)
  }

  /// The value of `column` as display text: strings as themselves, other values as JSON.
  public func text(_ column: String) -> String? {
    guard let value = self[column] else { return nil }
    return value.stringValue ?? value.serialized()
  }

  /// Equal when the members are equal in order.
  public static func == (a: ResultRow, b: ResultRow) -> Bool { a.json == b.json }

  /// Hashes the JSON form.
  public func hash(into hasher: inout Hasher) { hasher.combine(json) }
}
