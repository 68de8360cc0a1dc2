import Testing

@testable import LRLanguageServer

@Suite("Content-Length framing")
struct JSONMessageParserTests {
  func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

  func messages(_ outputs: [JSONMessageParser.Output]) -> [String] {
    outputs.compactMap {
      if case .message(let m) = $0 { return String(decoding: m, as: UTF8.self) }
      return nil
    }
  }

  @Test func oneMessageInOneChunk() {
    var parser = JSONMessageParser()
    #expect(messages(parser.feed(bytes("Content-Length: 2\r\n\r\n{}"))) == ["{}"])
    #expect(parser.isIdle)
  }

  @Test func chunksSplitAtAwkwardPlaces() {
    // As swift-tools-protocols' MessageParsingTests: "Content", "-Length: 2\r", "\n", …
    var parser = JSONMessageParser()
    var out: [String] = []
    for chunk in [
      "Content", "-Length: 2\r", "\n", "\r", "\n{", "}Content-Length: 3\r\n\r\n[1", "]",
    ] {
      out += messages(parser.feed(bytes(chunk)))
    }
    #expect(out == ["{}", "[1]"])
    #expect(parser.isIdle)
  }

  @Test(arguments: 1...7)
  func everySplitOfTwoMessages(chunkSize: Int) {
    let body1 = "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":{\"t\":\"é😀\"}}"
    let body2 = "{}"
    let stream =
      bytes(
        "Content-Length: \(body1.utf8.count)\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n"
      )
      + bytes(body1) + bytes("content-length:\(body2.utf8.count)\r\n\r\n") + bytes(body2)
    var parser = JSONMessageParser()
    var out: [String] = []
    var i = 0
    while i < stream.count {
      out += messages(parser.feed(stream[i..<min(i + chunkSize, stream.count)]))
      i += chunkSize
    }
    #expect(out == [body1, body2])
  }

  @Test func manyMessagesInOneChunk() {
    var parser = JSONMessageParser()
    let one = "Content-Length: 2\r\n\r\n{}"
    #expect(messages(parser.feed(bytes(String(repeating: one, count: 50)))).count == 50)
  }

  @Test func invalidLengthIsReportedAndParsingContinues() {
    var parser = JSONMessageParser()
    let out = parser.feed(bytes("Content-Length: abc\r\n\r\nContent-Length: 2\r\n\r\n{}"))
    #expect(out.count == 2)
    if case .framingError(let m) = out[0] {
      #expect(m.contains("Content-Length"))
    } else {
      Issue.record("\(out)")
    }
    #expect(messages(out) == ["{}"])
  }

  @Test func negativeAndOverflowingLengths() {
    var parser = JSONMessageParser()
    let out = parser.feed(
      bytes(
        "Content-Length: -5\r\n\r\nContent-Length: 99999999999999999999999\r\n\r\nContent-Length: 2\r\n\r\n{}"
      ))
    #expect(out.filter { if case .framingError = $0 { true } else { false } }.count == 2)
    #expect(messages(out) == ["{}"])
  }

  @Test func missingLengthAndGarbageHeaderLines() {
    var parser = JSONMessageParser()
    let out = parser.feed(
      bytes("Content-Type: x\r\n\r\ngarbage without colon\r\n\r\nContent-Length: 2\r\n\r\n{}"))
    // The garbage after the refused header is skipped with it: one error, then the message.
    #expect(out.count == 2)
    #expect(messages(out) == ["{}"])
  }

  @Test func overlongHeaderIsDropped() {
    var parser = JSONMessageParser(maximumHeaderLength: 64)
    let out = parser.feed([UInt8](repeating: UInt8(ascii: "x"), count: 200))
    #expect(out.count == 1)
    #expect(messages(parser.feed(bytes("\r\n\r\nContent-Length: 2\r\n\r\n{}"))) == ["{}"])
  }

  @Test func tooLargeBodyIsSkipped() {
    var parser = JSONMessageParser(maximumContentLength: 10)
    var out = parser.feed(bytes("Content-Length: 20\r\n\r\n0123456789"))
    out += parser.feed(bytes("0123456789Content-Length: 2\r\n\r\n{}"))
    #expect(out.count == 2)
    #expect(messages(out) == ["{}"])
  }

  @Test func zeroLengthAndEndOfInputMidMessage() {
    var parser = JSONMessageParser()
    #expect(messages(parser.feed(bytes("Content-Length: 0\r\n\r\n"))) == [""])
    _ = parser.feed(bytes("Content-Length: 10\r\n\r\n{\"a\""))
    #expect(!parser.isIdle)
  }

  @Test func hugeMessage() {
    let body = "{\"text\":\"" + String(repeating: "a", count: 5_000_000) + "\"}"
    var parser = JSONMessageParser()
    let framed = MessageCoding.frame(bytes(body))
    var out: [String] = []
    var i = 0
    while i < framed.count {
      out += messages(parser.feed(framed[i..<min(i + 65536, framed.count)]))
      i += 65536
    }
    #expect(out.count == 1)
    #expect(out.first?.utf8.count == body.utf8.count)
  }
}
