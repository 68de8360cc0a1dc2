/// Splits a byte stream into JSON-RPC message bodies framed by `Content-Length` headers.
///
/// A small state machine: `.header` collects bytes up to `\r\n\r\n`, reads `Content-Length`
/// (case-insensitive; other headers are ignored), then `.content(remaining)` collects exactly that
/// many bytes. Broken framing never stops the stream: a header block without a valid length is
/// reported and skipped, an over-long header is dropped, and an over-large body is skipped byte for
/// byte so the next message is read normally.
public struct JSONMessageParser: Sendable {
  /// What one step of parsing produced.
  public enum Output: Sendable, Hashable {
    /// A complete message body (the JSON text).
    case message([UInt8])
    /// Framing that could not be understood; parsing continues after it.
    case framingError(String)
  }

  enum State: Sendable, Hashable {
    case header
    case content(remaining: Int)
    case skipping(remaining: Int)
  }

  /// The largest body accepted (larger ones are skipped and reported).
  public var maximumContentLength: Int
  /// The longest header block accepted.
  public var maximumHeaderLength: Int

  var state: State = .header
  var buffer: [UInt8] = []

  /// Creates a parser.
  public init(maximumContentLength: Int = 512 << 20, maximumHeaderLength: Int = 8192) {
    self.maximumContentLength = maximumContentLength
    self.maximumHeaderLength = maximumHeaderLength
  }

  /// Whether the parser is between messages (nothing buffered): EOF here is a clean end.
  public var isIdle: Bool {
    state == .header && buffer.allSatisfy { $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }
  }

  /// Feeds bytes; returns the messages (and framing errors) they complete, in order.
  public mutating func feed(_ chunk: some Collection<UInt8>) -> [Output] {
    var outputs: [Output] = []
    var input = ArraySlice(chunk)
    while true {
      switch state {
      case .skipping(let remaining):
        let n = min(remaining, input.count)
        input = input.dropFirst(n)
        if remaining - n > 0 {
          state = .skipping(remaining: remaining - n)
          return outputs
        }
        state = .header
      case .content(let remaining):
        let n = min(remaining, input.count)
        buffer.append(contentsOf: input.prefix(n))
        input = input.dropFirst(n)
        if remaining - n > 0 {
          state = .content(remaining: remaining - n)
          return outputs
        }
        outputs.append(.message(buffer))
        buffer = []
        state = .header
      case .header:
        if input.isEmpty { return outputs }
        // Append up to the end of the header block, if it is in this chunk.
        let searchStart = max(0, buffer.count - 3)
        buffer.append(contentsOf: input)
        input = []
        guard let end = JSONMessageParser.headerEnd(in: buffer, from: searchStart) else {
          if buffer.count > maximumHeaderLength {
            outputs.append(.framingError("header longer than \(maximumHeaderLength) bytes"))
            buffer = Array(buffer.suffix(3))
          }
          return outputs
        }
        let header = buffer[..<end]
        input = ArraySlice(buffer[(end + 4)...])
        buffer = []
        switch JSONMessageParser.contentLength(in: header) {
        case .success(let length) where length > maximumContentLength:
          outputs.append(
            .framingError("Content-Length \(length) exceeds \(maximumContentLength); skipped"))
          state = .skipping(remaining: length)
        case .success(let length):
          buffer.reserveCapacity(length)
          state = .content(remaining: length)
          if length == 0 {
            outputs.append(.message([]))
            state = .header
          }
        case .failure(let message):
          outputs.append(.framingError(message.text))
        }
      }
    }
  }

  struct HeaderError: Error {
    var text: String
  }

  /// The index of `\r\n\r\n` in the buffer.
  static func headerEnd(in buffer: [UInt8], from start: Int) -> Int? {
    guard buffer.count >= 4 else { return nil }
    var i = start
    while i + 3 < buffer.count {
      if buffer[i] == 13, buffer[i + 1] == 10, buffer[i + 2] == 13, buffer[i + 3] == 10 {
        return i
      }
      i += 1
    }
    return nil
  }

  /// The `Content-Length` of a header block.
  static func contentLength(in header: ArraySlice<UInt8>) -> Result<Int, HeaderError> {
    let text = String(decoding: header, as: UTF8.self)
    var length: Int?
    for rawLine in text.split(separator: "\r\n", omittingEmptySubsequences: true) {
      guard let colon = rawLine.firstIndex(of: ":") else {
        return .failure(HeaderError(text: "malformed header line: \(rawLine.prefix(80))"))
      }
      let name = rawLine[..<colon].trimmingSpaces.lowercased()
      let value = rawLine[rawLine.index(after: colon)...].trimmingSpaces
      if name == "content-length" {
        guard let n = Int(value), n >= 0 else {
          return .failure(HeaderError(text: "invalid Content-Length: \(value.prefix(40))"))
        }
        length = n
      }
    }
    guard let length else { return .failure(HeaderError(text: "missing Content-Length header")) }
    return .success(length)
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
