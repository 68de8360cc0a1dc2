import LiveResponse

/// Reads comma-separated values (RFC 4180: quoted fields may hold commas, `""` and line breaks).
enum CSVParser {
  /// The records of `text`, each a list of fields; a blank line is not a record.
  static func records(_ text: String) -> [[String]] {
    var reader = Reader(bytes: Array(text.utf8))
    var result: [[String]] = []
    while let record = reader.nextRecord() {
      if record.count == 1, record[0].isEmpty { continue }
      result.append(record)
    }
    return result
  }

  /// The rows of a CSV text, or nil when it is not CSV: a header of two or more distinct,
  /// non-empty names and at least one record, every record with the header's field count.
  /// `strict: false` (a declared format) accepts ragged records and a single column.
  static func rows(_ text: String, strict: Bool) -> [JSONValue]? {
    var records = records(text)
    if let first = records.first, first.count == 1, first[0].hasPrefix("#TYPE ") {
      records.removeFirst()
    }
    guard let header = records.first else { return strict ? nil : [] }
    let body = records.dropFirst()
    if strict {
      let names = header.map(\.trimmedSpaces)
      guard header.count >= 2, !body.isEmpty, !names.contains(""),
        Set(names).count == names.count, body.allSatisfy({ $0.count == header.count })
      else { return nil }
    }
    let width = body.reduce(header.count) { max($0, $1.count) }
    let padded = header + (header.count..<width).map { _ in "" }
    let columns = ColumnNames.unique(padded)
    return body.map { ResultRow(columns: columns, values: $0).json }
  }

  /// A byte cursor over the text (the separators are ASCII, so bytes are safe to split on).
  struct Reader {
    let bytes: [UInt8]
    var index = 0

    /// The next record, or nil at the end.
    mutating func nextRecord() -> [String]? {
      guard index < bytes.count else { return nil }
      var fields: [String] = []
      while true {
        let (field, end) = nextField()
        fields.append(field)
        switch end {
        case .comma: continue
        case .lineEnd, .endOfText: return fields
        }
      }
    }

    enum FieldEnd { case comma, lineEnd, endOfText }

    /// One field and what ended it.
    mutating func nextField() -> (String, FieldEnd) {
      var out: [UInt8] = []
      var quoted = false
      while index < bytes.count {
        let byte = bytes[index]
        index += 1
        if quoted {
          if byte == UInt8(ascii: "\"") {
            if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
              out.append(byte)
              index += 1
            } else {
              quoted = false
            }
          } else {
            out.append(byte)
          }
        } else if byte == UInt8(ascii: "\"") && out.allSatisfy({ $0 == 0x20 }) {
          quoted = true
          out.removeAll()
        } else if byte == UInt8(ascii: ",") {
          return (String(decoding: out, as: UTF8.self), .comma)
        } else if byte == 0x0A || byte == 0x0D {
          if byte == 0x0D, index < bytes.count, bytes[index] == 0x0A { index += 1 }
          return (String(decoding: out, as: UTF8.self), .lineEnd)
        } else {
          out.append(byte)
        }
      }
      return (String(decoding: out, as: UTF8.self), .endOfText)
    }
  }
}
