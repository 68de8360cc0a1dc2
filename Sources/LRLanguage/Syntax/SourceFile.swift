/// A half-open range of UTF-8 byte offsets into a ``SourceFile``.
public typealias ByteRange = Range<Int>

/// A 1-based line and column (column counted in UTF-8 bytes), computed only when printing.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
  public var line: Int
  public var column: Int
  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }
  public var description: String { "\(line):\(column)" }
}

/// The text of one `.lr` document: its raw bytes, a name to print, and a lazily built line table.
public struct SourceFile: Sendable {
  /// The name printed in diagnostics (a path, `<repl>`, `<stdin>`).
  public let name: String
  /// The raw bytes exactly as read; every range in the syntax tree indexes these.
  public let bytes: [UInt8]
  /// Offsets at which each line starts.
  public let lineStarts: [Int]
  /// The offset of the first byte that is not valid UTF-8, if any.
  public let firstInvalidUTF8Offset: Int?

  public init(name: String, bytes: [UInt8]) {
    self.name = name
    self.bytes = bytes
    var starts = [0]
    starts.reserveCapacity(bytes.count / 24 + 1)
    for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") {
      starts.append(i + 1)
    }
    self.lineStarts = starts
    self.firstInvalidUTF8Offset = SourceFile.firstInvalidUTF8(in: bytes)
  }

  public init(name: String, text: String) {
    self.init(name: name, bytes: Array(text.utf8))
  }

  /// The line and column of a byte offset (clamped into the file).
  public func location(of offset: Int) -> SourceLocation {
    let offset = max(0, min(offset, bytes.count))
    var lo = 0
    var hi = lineStarts.count - 1
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
    }
    return SourceLocation(line: lo + 1, column: offset - lineStarts[lo] + 1)
  }

  /// The byte offset of a 1-based line and column, clamped into the file.
  public func offset(of location: SourceLocation) -> Int {
    let lineIndex = max(0, min(location.line - 1, lineStarts.count - 1))
    let start = lineStarts[lineIndex]
    let end = lineIndex + 1 < lineStarts.count ? lineStarts[lineIndex + 1] - 1 : bytes.count
    return min(start + max(0, location.column - 1), end)
  }

  /// The bytes of a 1-based line, without its line break.
  public func lineBytes(_ line: Int) -> ArraySlice<UInt8> {
    guard line >= 1, line <= lineStarts.count else { return [] }
    let start = lineStarts[line - 1]
    var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
    if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
    return bytes[start..<max(start, end)]
  }

  /// The text of a range, decoded leniently (invalid UTF-8 becomes U+FFFD).
  public func text(_ range: ByteRange) -> String {
    let lo = max(0, min(range.lowerBound, bytes.count))
    let hi = max(lo, min(range.upperBound, bytes.count))
    return String(decoding: bytes[lo..<hi], as: UTF8.self)
  }

  static func firstInvalidUTF8(in bytes: [UInt8]) -> Int? {
    var i = 0
    let n = bytes.count
    while i < n {
      let b = bytes[i]
      if b < 0x80 {
        i += 1
        continue
      }
      let length: Int
      var minimum: UInt32
      var scalar: UInt32
      switch b {
      case 0xC2...0xDF: length = 2; minimum = 0x80; scalar = UInt32(b & 0x1F)
      case 0xE0...0xEF: length = 3; minimum = 0x800; scalar = UInt32(b & 0x0F)
      case 0xF0...0xF4: length = 4; minimum = 0x10000; scalar = UInt32(b & 0x07)
      default: return i
      }
      if i + length > n { return i }
      for k in 1..<length {
        let c = bytes[i + k]
        if c & 0xC0 != 0x80 { return i }
        scalar = scalar << 6 | UInt32(c & 0x3F)
      }
      if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return i }
      minimum = 0
      i += length
    }
    return nil
  }
}
