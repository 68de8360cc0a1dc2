import LRLanguageServer

/// The check of byte streams through the language server's framing parser.
public enum FramingCheck {
  /// A frame every parser must read after any input and a pause.
  static let marker = Array(#"{"jsonrpc":"2.0","id":"marker","method":"shutdown"}"#.utf8)

  /// Feeds `bytes` whole and in chunks (sizes derived from the bytes, so a replay is exact): the
  /// outputs must agree; then, after a pause, a valid frame must be read. Nil when all is well.
  public static func check(_ bytes: [UInt8]) -> String? {
    var whole = JSONMessageParser(maximumContentLength: 1 << 20, maximumHeaderLength: 256)
    var chunked = whole
    let expected = whole.feed(bytes)
    var outputs: [JSONMessageParser.Output] = []
    var i = 0
    var size = 1
    while i < bytes.count {
      let end = min(i + size, bytes.count)
      outputs += chunked.feed(bytes[i..<end])
      size = (size * 31 + Int(bytes[end - 1])) % 97 + 1
      i = end
    }
    guard outputs == expected else {
      return "chunked input gave \(outputs.count) outputs, whole input \(expected.count)"
    }
    _ = whole.inputPaused()
    let after = whole.feed(MessageCoding.frame(marker))
    guard after == [.message(marker)] else {
      return "a valid frame after the input and a pause was not read: \(after)"
    }
    guard whole.isIdle else { return "the parser is not idle after a whole frame" }
    return nil
  }
}
