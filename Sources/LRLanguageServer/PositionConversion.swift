import LRLanguage

/// The text of a document as UTF-8 bytes with a line table, converting between the language's
/// byte offsets and the protocol's positions (0-based line, UTF-16 code units).
///
/// Lines end at `\n` (a `\r` before it belongs to the line break). Positions past the end of a
/// line clamp to the line's end; lines past the end clamp to the end of the text; a position in
/// the middle of a surrogate pair, or an offset inside a UTF-8 sequence, rounds down to the start
/// of that character.
public struct DocumentText: Sendable, Hashable {
  /// The UTF-8 bytes.
  public let bytes: [UInt8]
  /// The offset at which each line starts.
  public let lineStarts: [Int]

  /// Creates the line table for some bytes.
  public init(bytes: [UInt8]) {
    self.bytes = bytes
    var starts = [0]
    starts.reserveCapacity(bytes.count / 32 + 1)
    for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") {
      starts.append(i + 1)
    }
    self.lineStarts = starts
  }

  /// Creates the line table for a string.
  public init(_ text: String) { self.init(bytes: Array(text.utf8)) }

  /// The text as a string.
  public var string: String { String(decoding: bytes, as: UTF8.self) }

  /// The position of the end of the text.
  public var endPosition: Position { position(of: bytes.count) }

  /// The end of a 0-based line's content (before `\n` or `\r\n`).
  func lineEnd(_ line: Int) -> Int {
    guard line + 1 < lineStarts.count else { return bytes.count }
    var end = lineStarts[line + 1] - 1
    if end > lineStarts[line], bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
    return end
  }

  /// The 0-based line containing a byte offset.
  func line(containing offset: Int) -> Int {
    var lo = 0
    var hi = lineStarts.count - 1
    while lo < hi {
      let mid = lo + (hi - lo + 1) / 2
      if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
    }
    return lo
  }

  /// The protocol position of a byte offset (clamped into the text).
  public func position(of offset: Int) -> Position {
    var offset = max(0, min(offset, bytes.count))
    let line = line(containing: offset)
    let start = lineStarts[line]
    while offset > start, offset < bytes.count, DocumentText.isContinuation(bytes[offset]) {
      offset -= 1
    }
    var units = 0
    var i = start
    while i < offset {
      units += DocumentText.utf16Width(lead: bytes[i])
      i += 1
    }
    return Position(line: line, character: units)
  }

  /// The byte offset of a protocol position (clamped into the text).
  public func offset(of position: Position) -> Int {
    guard position.line >= 0 else { return 0 }
    guard position.line < lineStarts.count else { return bytes.count }
    let end = lineEnd(position.line)
    var i = lineStarts[position.line]
    var units = 0
    let target = max(0, position.character)
    while i < end, units < target {
      let width = DocumentText.utf16Width(lead: bytes[i])
      if units + width > target { break }
      units += width
      i += 1
      while i < end, DocumentText.isContinuation(bytes[i]) { i += 1 }
    }
    return i
  }

  /// The protocol range of a byte range.
  public func range(of range: ByteRange) -> LSPRange {
    let lo = max(0, min(range.lowerBound, bytes.count))
    let hi = max(lo, min(range.upperBound, bytes.count))
    return LSPRange(start: position(of: lo), end: position(of: hi))
  }

  /// The byte range of a protocol range (start and end ordered, clamped into the text).
  public func byteRange(of range: LSPRange) -> ByteRange {
    let a = offset(of: range.start)
    let b = offset(of: range.end)
    return min(a, b)..<max(a, b)
  }

  /// The text with a protocol range replaced.
  public func applying(_ change: TextDocumentContentChangeEvent) -> DocumentText {
    guard let range = change.range else { return DocumentText(change.text) }
    let bytesRange = byteRange(of: range)
    var new = bytes
    new.replaceSubrange(bytesRange, with: Array(change.text.utf8))
    return DocumentText(bytes: new)
  }

  /// The number of UTF-16 code units in a byte range.
  public func utf16Count(_ range: ByteRange) -> Int {
    let lo = max(0, min(range.lowerBound, bytes.count))
    let hi = max(lo, min(range.upperBound, bytes.count))
    var units = 0
    for i in lo..<hi { units += DocumentText.utf16Width(lead: bytes[i]) }
    return units
  }

  static func isContinuation(_ b: UInt8) -> Bool { b & 0xC0 == 0x80 }

  /// UTF-16 code units of the character a byte starts (0 for a continuation byte).
  static func utf16Width(lead b: UInt8) -> Int {
    if b & 0xC0 == 0x80 { return 0 }
    if b >= 0xF0 && b <= 0xF4 { return 2 }
    return 1
  }
}
