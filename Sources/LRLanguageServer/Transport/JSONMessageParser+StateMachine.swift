/// Splits a byte stream into JSON-RPC message bodies framed by `Content-Length` headers, and finds
/// its way back to the next header after broken framing.
///
/// A small state machine. `.header` collects a header block up to its empty line (`\r\n\r\n`, or
/// `\n\n` from clients that write bare line feeds) and reads `Content-Length` (case-insensitive;
/// other headers are ignored); `.content(remaining)` collects exactly that many bytes; `.resync`
/// drops bytes, silently, up to the next `Content-Length` (matched anywhere, case-insensitively).
/// Each broken frame yields one `.framingError` and then `.resync`, so garbage that follows it (the
/// rest of a body, a body whose header was refused) is never reported twice. A frame is broken when
/// its header has no valid length, is over ``maximumHeaderLength`` or announces more than
/// ``maximumContentLength``; when its body does not start like JSON, ends inside a JSON object or
/// array (the length was too short), or goes on after one (too long: the body swallowed the start
/// of the next frame, which is read again from there); or when the input pauses inside it
/// (``inputPaused()``).
public struct JSONMessageParser: Sendable {
  /// What one step of parsing produced.
  public enum Output: Sendable, Hashable {
    /// A complete message body (the JSON text).
    case message([UInt8])
    /// Framing that could not be understood; parsing continues at the next header.
    case framingError(String)
  }

  enum State: Sendable, Hashable {
    case header
    case content(remaining: Int)
    case resync
  }

  /// The largest body accepted (larger ones are reported and skipped).
  public var maximumContentLength: Int
  /// The longest header block accepted.
  public var maximumHeaderLength: Int

  var state: State = .header
  /// The header or body read so far, or in `.resync` the bytes that may begin a header.
  var buffer: [UInt8] = []

  /// Creates a parser.
  public init(maximumContentLength: Int = 512 << 20, maximumHeaderLength: Int = 8192) {
    self.maximumContentLength = maximumContentLength
    self.maximumHeaderLength = maximumHeaderLength
  }

  /// Whether the parser is between messages (no frame begun): EOF here is a clean end.
  public var isIdle: Bool {
    switch state {
    case .header: buffer.isEmpty
    case .resync: true
    case .content: false
    }
  }

  /// Feeds bytes; returns the messages (and framing errors) they complete, in order.
  public mutating func feed(_ chunk: some Collection<UInt8>) -> [Output] {
    var outputs: [Output] = []
    var input = ArraySlice(chunk)
    while !input.isEmpty {
      switch state {
      case .header: readHeader(&input, &outputs)
      case .content(let remaining): readBody(remaining, &input, &outputs)
      case .resync: skipToHeader(&input)
      }
    }
    return outputs
  }

  /// The input paused (or ended) inside a frame: reports it, and reads what was buffered again
  /// from the next header in it. Does nothing between frames.
  public mutating func inputPaused() -> [Output] {
    var outputs: [Output] = []
    while true {
      let pending: ArraySlice<UInt8>
      switch state {
      case .content(let remaining):
        outputs.append(.framingError("the input paused with \(remaining) bytes of a body to come"))
        pending = buffer[...]
      case .header where !buffer.isEmpty:
        outputs.append(.framingError("the input paused inside a header"))
        pending = buffer.dropFirst()
      default:
        return outputs
      }
      buffer = []
      state = .resync
      outputs += feed(pending)
    }
  }

  /// Collects a header block; at its end, starts its body (or reports it and resynchronises).
  mutating func readHeader(_ input: inout ArraySlice<UInt8>, _ outputs: inout [Output]) {
    if buffer.isEmpty {
      input = input.drop(while: HeaderBlock.isLineBreak)
      if input.isEmpty { return }
    }
    // The empty line may end a few bytes past the limit.
    let limit = maximumHeaderLength + 4
    let window = input.prefix(max(0, limit - buffer.count))
    guard let end = HeaderBlock.end(of: window, after: buffer) else {
      buffer.append(contentsOf: window)
      input = input.dropFirst(window.count)
      if buffer.count >= limit {
        outputs.append(.framingError("header longer than \(maximumHeaderLength) bytes"))
        resync(from: buffer.dropFirst(), &input)
      }
      return
    }
    buffer.append(contentsOf: input[..<end])
    input = input[end...]
    let header = HeaderBlock(bytes: buffer)
    buffer = []
    switch header.contentLength {
    case .success(let length) where length > maximumContentLength:
      outputs.append(
        .framingError("Content-Length \(length) exceeds \(maximumContentLength); skipped"))
      resync(from: [], &input)
    case .success(let length):
      state = .content(remaining: length)
      if length == 0 { finishBody(&input, &outputs) }
    case .failure(let error):
      outputs.append(.framingError(error.text))
      resync(from: header.bytes[error.resumeOffset...], &input)
    }
  }

  /// Collects body bytes; checks the body once complete.
  mutating func readBody(
    _ remaining: Int, _ input: inout ArraySlice<UInt8>, _ outputs: inout [Output]
  ) {
    let n = min(remaining, input.count)
    buffer.append(contentsOf: input.prefix(n))
    input = input.dropFirst(n)
    if remaining > n {
      state = .content(remaining: remaining - n)
      return
    }
    finishBody(&input, &outputs)
  }

  /// Delivers a complete body, or reports it and reads on from where the next frame may start.
  mutating func finishBody(_ input: inout ArraySlice<UInt8>, _ outputs: inout [Output]) {
    let body = buffer
    buffer = []
    state = .header
    switch BodyShape(body) {
    case .whole:
      outputs.append(.message(body))
    case .notJSON:
      outputs.append(.framingError("the body is not JSON"))
      resync(from: body[...], &input)
    case .truncated:
      outputs.append(
        .framingError("the body ends inside its JSON value (Content-Length too short?)"))
      resync(from: body[...], &input)
    case .trailing(let offset):
      outputs.append(.framingError("bytes after the body's JSON value (Content-Length too long?)"))
      resync(from: body[offset...], &input)
    }
  }

  /// Drops bytes up to the next `Content-Length`, keeping a tail that may begin one.
  mutating func skipToHeader(_ input: inout ArraySlice<UInt8>) {
    buffer.append(contentsOf: input)
    input = []
    if let start = HeaderBlock.firstContentLength(in: buffer[...]) {
      input = buffer[start...]
      buffer = []
      state = .header
    } else {
      buffer = Array(buffer.suffix(HeaderBlock.contentLengthName.count - 1))
    }
  }

  /// Enters `.resync` with `bytes` in front of the rest of the input.
  mutating func resync(from bytes: ArraySlice<UInt8>, _ input: inout ArraySlice<UInt8>) {
    state = .resync
    buffer = []
    if !bytes.isEmpty { input = bytes + input }
  }
}
