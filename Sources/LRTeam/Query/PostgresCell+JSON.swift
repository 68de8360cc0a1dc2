import Foundation
import LiveResponse
import PostgresNIO

extension PostgresCell {
  /// The cell as a JSON scalar, as the SQLite reader gives it: integers and reals as numbers, a
  /// boolean as 1 or 0 (SQLite has no booleans), a time as ISO 8601 UTC text, `json` and text
  /// as text, `bytea` as base64; any other type as its text (cast it to `text` to be sure).
  var json: JSONValue {
    guard bytes != nil else { return .null }
    switch dataType {
    case .int2, .int4, .int8, .oid:
      return (try? decode(Int.self)).map { .number($0) } ?? .null
    case .float4, .float8:
      return (try? decode(Double.self)).map { .double($0) } ?? .null
    case .numeric:
      guard let decimal = try? decode(Decimal.self) else { return .null }
      let number = NSDecimalNumber(decimal: decimal)
      return decimal == Decimal(number.intValue)
        ? .number(number.intValue) : .double(number.doubleValue)
    case .bool:
      return (try? decode(Bool.self)).map { .number($0 ? 1 : 0) } ?? .null
    case .timestamptz, .timestamp, .date:
      guard let date = try? decode(Date.self) else { return .null }
      return .string(Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date))
    case .bytea:
      return (try? decode(Data.self)).map { .string($0.base64EncodedString()) } ?? .null
    default:
      return (try? decode(String.self)).map { .string($0) } ?? .null
    }
  }
}
