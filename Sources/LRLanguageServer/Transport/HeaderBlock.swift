/// A header block of a frame (its lines and the empty line that ends it), and what it announces.
struct HeaderBlock {
  /// Why a header block was refused, and where in it reading resumes.
  struct Failure: Error {
    var text: String
    /// The offset of a later `Content-Length` in the block (a header that garbage preceded), or
    /// the block's end.
    var resumeOffset: Int
  }

  static let lineFeed = UInt8(ascii: "\n")
  static let carriageReturn = UInt8(ascii: "\r")
  /// The header's name, lower-case.
  static let contentLengthName = Array("content-length".utf8)

  /// The bytes of the block, including the empty line.
  var bytes: [UInt8]

  static func isLineBreak(_ byte: UInt8) -> Bool { byte == lineFeed || byte == carriageReturn }

  /// The index in `window` just past the empty line that ends a header block begun with `before`:
  /// a line feed after a line feed, or after a carriage return that follows a line feed.
  static func end(of window: ArraySlice<UInt8>, after before: [UInt8]) -> Int? {
    var previous = before.last
    var beforePrevious = before.count >= 2 ? before[before.count - 2] : nil
    for i in window.indices {
      let byte = window[i]
      if byte == lineFeed,
        previous == lineFeed || (previous == carriageReturn && beforePrevious == lineFeed)
      {
        return i + 1
      }
      beforePrevious = previous
      previous = byte
    }
    return nil
  }

  static func lowercased(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
  }

  /// The offset of the first `content-length` (any case) in `bytes`.
  static func firstContentLength(in bytes: ArraySlice<UInt8>, from start: Int? = nil) -> Int? {
    let name = contentLengthName
    var i = start ?? bytes.startIndex
    while i + name.count <= bytes.endIndex {
      if lowercased(bytes[i]) == name[0] {
        var k = 1
        while k < name.count, lowercased(bytes[i + k]) == name[k] { k += 1 }
        if k == name.count { return i }
      }
      i += 1
    }
    return nil
  }

  /// The body length the block announces, or why there is none.
  var contentLength: Result<Int, Failure> {
    var length: (value: Int, offset: Int)?
    var culprit: Int?
    var problem: String?
    for (offset, line) in lines {
      guard let colon = line.firstIndex(of: ":"), HeaderBlock.isName(line[..<colon].trimmingSpaces)
      else {
        problem = problem ?? "malformed header line: \(line.prefix(80))"
        continue
      }
      guard line[..<colon].trimmingSpaces.lowercased() == "content-length" else { continue }
      let value = line[line.index(after: colon)...].trimmingSpaces
      guard value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let n = Int(value) else {
        problem = problem ?? "invalid Content-Length: \(value.prefix(40))"
        culprit = culprit ?? offset
        continue
      }
      if let length, length.value != n {
        // Read again from the later one: garbage may have ended in a header of its own.
        problem = problem ?? "conflicting Content-Length headers"
        culprit = culprit ?? length.offset
      }
      length = length ?? (n, offset)
    }
    if problem == nil, length == nil { problem = "missing Content-Length header" }
    guard let problem else { return .success(length?.value ?? 0) }
    // A later Content-Length (after garbage, or after the refused one) is read again.
    let resume = HeaderBlock.firstContentLength(in: bytes[...], from: (culprit ?? 0) + 1)
    return .failure(Failure(text: problem, resumeOffset: resume ?? bytes.count))
  }

  /// The block's lines (without their line breaks), each with its offset in the block.
  var lines: [(Int, Substring)] {
    var result: [(Int, Substring)] = []
    var start = 0
    for (i, byte) in bytes.enumerated() where byte == HeaderBlock.lineFeed {
      var end = i
      if end > start, bytes[end - 1] == HeaderBlock.carriageReturn { end -= 1 }
      if end > start {
        result.append((start, Substring(String(decoding: bytes[start..<end], as: UTF8.self))))
      }
      start = i + 1
    }
    return result
  }

  /// Whether a header name is one RFC 9110 token.
  static func isName(_ name: Substring) -> Bool {
    !name.isEmpty && name.utf8.allSatisfy(isTokenByte)
  }

  /// Whether a byte may appear in a header name (an RFC 9110 token character).
  static func isTokenByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
      UInt8(ascii: "A")...UInt8(ascii: "Z"):
      true
    default: Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
    }
  }
}

extension Substring {
  var trimmingSpaces: Substring {
    var s = self
    while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
    while let l = s.last, l == " " || l == "\t" { s.removeLast() }
    return s
  }
}
