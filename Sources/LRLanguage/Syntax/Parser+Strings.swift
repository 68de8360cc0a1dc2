extension Parser {
  /// Decodes the current string token (double-quoted or raw) into literal parts.
  mutating func parseStringLiteral() -> StringLiteral {
    let token = current
    advance()
    let isRaw = token.kind == .rawString
    if !token.isTerminated {
      let quote = isRaw ? "'" : "\""
      report(
        .unterminatedString, token.range.lowerBound..<(token.range.lowerBound + 1),
        notes: [Note("the string starts here and runs to the end of the line")],
        fixIts: [.insert(quote, at: token.range.upperBound, "insert the closing \(quote)")])
    }
    let contentStart = token.range.lowerBound + 1
    let contentEnd = token.isTerminated ? token.range.upperBound - 1 : token.range.upperBound
    if isRaw { return rawStringLiteral(token, contentStart: contentStart, contentEnd: contentEnd) }
    return quotedStringLiteral(token, contentStart: contentStart, contentEnd: contentEnd)
  }

  /// A raw string's one text part: its bytes with `''` read as `'`.
  func rawStringLiteral(_ token: Token, contentStart: Int, contentEnd: Int) -> StringLiteral {
    let bytes = source.bytes
    var text: [UInt8] = []
    var i = contentStart
    while i < contentEnd {
      if bytes[i] == UInt8(ascii: "'"), i + 1 < contentEnd, bytes[i + 1] == UInt8(ascii: "'") {
        text.append(UInt8(ascii: "'"))
        i += 2
      } else {
        text.append(bytes[i])
        i += 1
      }
    }
    let part = StringLiteral.Part.text(
      String(decoding: text, as: UTF8.self), contentStart..<max(contentStart, contentEnd))
    return StringLiteral(
      parts: [part], isRaw: true, isTerminated: token.isTerminated, range: token.range)
  }

  /// A double-quoted string's parts: texts with their escapes decoded, and `${…}`
  /// interpolations.
  mutating func quotedStringLiteral(_ token: Token, contentStart: Int, contentEnd: Int)
    -> StringLiteral
  {
    let bytes = source.bytes
    var parts: [StringLiteral.Part] = []
    var text: [UInt8] = []
    var textStart = contentStart
    var reportedEscape = false
    func flush(_ end: Int) {
      if !text.isEmpty || parts.isEmpty {
        parts.append(.text(String(decoding: text, as: UTF8.self), textStart..<max(textStart, end)))
      }
      text = []
    }
    var i = contentStart
    while i < contentEnd {
      let b = bytes[i]
      if b == UInt8(ascii: "\\"), i + 1 < contentEnd {
        i = decodeEscape(
          at: i, in: token, contentStart: contentStart, contentEnd: contentEnd, into: &text,
          reported: &reportedEscape)
        continue
      }
      if b == UInt8(ascii: "$"), i + 1 < contentEnd, bytes[i + 1] == UInt8(ascii: "{") {
        flush(i)
        guard let (reference, next) = interpolation(at: i, contentEnd: contentEnd) else {
          i = contentEnd
          textStart = i
          break
        }
        parts.append(.interpolation(reference))
        i = next
        textStart = i
        continue
      }
      text.append(b)
      i += 1
    }
    flush(contentEnd)
    return StringLiteral(
      parts: parts, isRaw: false, isTerminated: token.isTerminated, range: token.range)
  }

  /// The `${…}` interpolation at `i` and the offset after it; nil (reported) when it has no `}`.
  mutating func interpolation(at i: Int, contentEnd: Int) -> (VariableReference, Int)? {
    let bytes = source.bytes
    var j = i + 2
    while j < contentEnd, bytes[j] != UInt8(ascii: "}") { j += 1 }
    if j >= contentEnd {
      report(.unterminatedInterpolation, i..<(i + 2))
      return nil
    }
    let reference = variableReference(
      text: source.text((i + 2)..<j), at: i + 2, range: i..<(j + 1))
    return (reference, j + 1)
  }

  /// Decodes the escape at `i` (a backslash and at least one byte) into `text`; returns the
  /// offset after it. The first unknown escape of a string is reported (`reported`).
  mutating func decodeEscape(
    at i: Int, in token: Token, contentStart: Int, contentEnd: Int, into text: inout [UInt8],
    reported: inout Bool
  ) -> Int {
    let bytes = source.bytes
    let e = bytes[i + 1]
    switch e {
    case UInt8(ascii: "\\"): text.append(UInt8(ascii: "\\"))
    case UInt8(ascii: "\""): text.append(UInt8(ascii: "\""))
    case UInt8(ascii: "'"): text.append(UInt8(ascii: "'"))
    case UInt8(ascii: "$"): text.append(UInt8(ascii: "$"))
    case UInt8(ascii: "n"): text.append(UInt8(ascii: "\n"))
    case UInt8(ascii: "t"): text.append(UInt8(ascii: "\t"))
    case UInt8(ascii: "r"): text.append(UInt8(ascii: "\r"))
    case UInt8(ascii: "0"): text.append(0)
    case UInt8(ascii: "u") where i + 2 < contentEnd && bytes[i + 2] == UInt8(ascii: "{"):
      var j = i + 3
      while j < contentEnd, bytes[j] != UInt8(ascii: "}") { j += 1 }
      let hex = source.text((i + 3)..<j)
      if j < contentEnd, let value = UInt32(hex, radix: 16), hex.count <= 8,
        let scalar = Unicode.Scalar(value)
      {
        text.append(contentsOf: Array(String(Character(scalar)).utf8))
      } else {
        report(.invalidUnicodeEscape(hex), i..<min(j + 1, contentEnd))
      }
      return min(j + 1, contentEnd)
    default:
      text.append(UInt8(ascii: "\\"))
      text.append(e)
      if !reported {
        reported = true
        reportInvalidEscape(at: i, in: token, contentStart: contentStart, contentEnd: contentEnd)
      }
    }
    return i + 2
  }

  /// Reports an unknown escape, offering a raw string when the string allows one.
  mutating func reportInvalidEscape(at i: Int, in token: Token, contentStart: Int, contentEnd: Int)
  {
    let escape = source.text(i..<(i + 2))
    var fixIts: [FixIt] = []
    let whole = source.text(token.range)
    if token.isTerminated, !whole.contains("'"), !whole.contains("${") {
      let raw = "'" + source.text(contentStart..<contentEnd) + "'"
      fixIts.append(.replace(token.range, with: raw, "use a raw string: \(raw)"))
    }
    fixIts.append(.replace(i..<(i + 1), with: "\\\\", "escape the backslash"))
    report(.invalidEscape(escape), i..<(i + 2), fixIts: fixIts)
  }

  /// Parses the current `$name.field` / `${name}` token.
  mutating func parseVariableToken() -> VariableReference {
    let token = current
    advance()
    let raw = source.text(token.range)
    var body = raw.dropFirst()
    var offset = token.range.lowerBound + 1
    if body.first == "{" {
      body = body.dropFirst()
      offset += 1
      if body.last == "}" { body = body.dropLast() }
    }
    return variableReference(text: String(body), at: offset, range: token.range)
  }

  /// Builds a reference from `name.field.field` text that starts at `offset`.
  mutating func variableReference(text: String, at offset: Int, range: ByteRange)
    -> VariableReference
  {
    var names: [Name] = []
    var cursor = offset
    let trimmedLeading = text.prefix { $0 == " " }.utf8.count
    cursor += trimmedLeading
    let body = text.trimmingSpaces()
    for piece in body.split(separator: ".", omittingEmptySubsequences: false) {
      names.append(Name(String(piece), range: cursor..<(cursor + piece.utf8.count)))
      cursor += piece.utf8.count + 1
    }
    if names.isEmpty || names.contains(where: { !$0.text.isIdentifier }) {
      report(.expected("a variable name", found: "`\(text)`"), range)
    }
    let first = names.first ?? Name("", range: range)
    return VariableReference(name: first, fields: Array(names.dropFirst()), range: range)
  }
}

extension String {
  /// Whether the text is a valid variable or field name.
  var isIdentifier: Bool { isName(dashes: false) }

  /// Whether the text is a valid procedure name: a name that may also contain `-`.
  var isProcedureName: Bool { isName(dashes: true) }

  /// A letter or `_` (or `-`, with `dashes`), then name bytes (or `-`). Bytes, not the
  /// generic string algorithms: this runs for every procedure of every `use`d module, and their
  /// first use costs a cold `lr check` more than the whole test (start-up, issue 16.3).
  private func isName(dashes: Bool) -> Bool {
    let dash = UInt8(ascii: "-")
    guard let first = utf8.first,
      first == UInt8(ascii: "_") || (dashes && first == dash)
        || (first | 0x20) >= UInt8(ascii: "a") && (first | 0x20) <= UInt8(ascii: "z")
    else {
      return false
    }
    return utf8.allSatisfy { Lexer.isNameByte($0) || (dashes && $0 == dash) }
  }

  func trimmingSpaces() -> String {
    var s = Substring(self)
    while s.first == " " { s = s.dropFirst() }
    while s.last == " " { s = s.dropLast() }
    return String(s)
  }
}
