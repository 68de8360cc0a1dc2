import Foundation
import LRTestSupport
import Testing

@testable import LRLanguageServer

/// Broken frames, each as a client could send it: after one, the parser finds the next header.
enum MalformedFrames {
  /// A request body that a broken frame carries (never answered unless the frame is accepted).
  static let body = Array(#"{"jsonrpc":"2.0","id":"broken","method":"shutdown"}"#.utf8)

  /// Each case: its name, its bytes, and whether the frame is accepted (its body delivered).
  static let cases: [(name: String, bytes: [UInt8], accepted: Bool)] = [
    ("non-numeric-length", Array("Content-Length: abc\r\n\r\n".utf8) + body, false),
    ("short-length", Array("Content-Length: 12\r\n\r\n".utf8) + body, false),
    ("long-length", Array("Content-Length: \(body.count + 15)\r\n\r\n".utf8) + body, false),
    ("lf-only-header", Array("Content-Length: \(body.count)\n\n".utf8) + body, true),
    (
      "header-over-8k",
      Array(
        "Content-Length: \(body.count)\r\nX-Padding: \(String(repeating: "a", count: 9000))\r\n\r\n"
          .utf8)
        + body, false
    ),
    ("body-not-json", MessageCoding.frame(Array("this is not JSON".utf8)), false),
    ("json-not-json-rpc", MessageCoding.frame(Array(#"{"hello":"world"}"#.utf8)), false),
    ("garbage-before-header", Array("}}garbage without a header".utf8), false),
  ]

  /// A valid request body with a recognisable id.
  static func request(_ id: String) -> [UInt8] {
    Array(
      #"{"jsonrpc":"2.0","id":"\#(id)","method":"textDocument/documentSymbol","params":{"textDocument":{"uri":"file:///tmp/f.lr"}}}"#
        .utf8)
  }
}

@Suite("Framing recovery")
struct FramingRecoveryTests {
  /// Feeds bytes in chunks of `size` (0: all at once).
  func feed(_ parser: inout JSONMessageParser, _ bytes: [UInt8], size: Int) -> [JSONMessageParser
    .Output]
  {
    guard size > 0 else { return parser.feed(bytes) }
    var out: [JSONMessageParser.Output] = []
    var i = 0
    while i < bytes.count {
      out += parser.feed(bytes[i..<min(i + size, bytes.count)])
      i += size
    }
    return out
  }

  @Test(arguments: MalformedFrames.cases.indices, [0, 1, 7, 100])
  func parserResynchronises(index: Int, chunk: Int) {
    let broken = MalformedFrames.cases[index]
    let valid = (0..<20).map { MalformedFrames.request("v\($0)") }
    var parser = JSONMessageParser()
    var out = feed(&parser, broken.bytes + valid.flatMap { MessageCoding.frame($0) }, size: chunk)
    out += parser.inputPaused()
    let messages = out.compactMap { if case .message(let m) = $0 { m } else { nil } }
    let errors = out.filter { if case .framingError = $0 { true } else { false } }
    #expect(Array(messages.suffix(20)) == valid, "\(broken.name): \(out.count) outputs")
    let extra = messages.dropLast(20)
    if broken.accepted {
      #expect(errors.isEmpty && Array(extra) == [MalformedFrames.body], "\(broken.name)")
    } else {
      // Answered once: one framing error, or one body the server answers with an error.
      #expect(errors.count + extra.count == 1, "\(broken.name): \(out)")
    }
  }

  @Test func longLengthThenPauseReportsAndResumes() {
    var parser = JSONMessageParser()
    let broken = MalformedFrames.cases[2].bytes
    #expect(parser.feed(broken).isEmpty)
    let paused = parser.inputPaused()
    #expect(paused.count == 1)
    #expect(parser.inputPaused().isEmpty)
    let next = parser.feed(MessageCoding.frame(MalformedFrames.request("after")))
    #expect(next == [.message(MalformedFrames.request("after"))])
  }

  @Test func swallowedHeaderIsRecovered() {
    // The long length swallows the next frame's header and part of its body.
    var parser = JSONMessageParser()
    let next = MalformedFrames.request("next")
    let stream =
      Array("Content-Length: \(MalformedFrames.body.count + 30)\r\n\r\n".utf8)
      + MalformedFrames.body + MessageCoding.frame(next)
    let out = parser.feed(stream)
    #expect(out.last == .message(next))
    #expect(out.count == 2)
  }

  /// Runs `lr lsp` writing `parts` to its standard input with `pause` between them.
  /// Before the last part, waits (up to 30 s) until every id in `awaiting` was answered.
  func runLSP(_ parts: [[UInt8]], pause: Duration, awaiting: [String] = []) async throws -> (
    Int32, [String], String
  ) {
    let process = Process()
    process.executableURL = LRTestSupport.lrExecutable
    process.arguments = ["lsp", "--debounce", "0", "--verbose"]
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var env = ProcessInfo.processInfo.environment
    env["HOME"] = dir.path
    env["XDG_STATE_HOME"] = dir.path
    process.environment = env
    let out = dir.appendingPathComponent("out")
    let err = dir.appendingPathComponent("err")
    try #require(FileManager.default.createFile(atPath: out.path, contents: nil))
    try #require(FileManager.default.createFile(atPath: err.path, contents: nil))
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    let input = Pipe()
    process.standardInput = input
    try process.run()
    for (k, part) in parts.enumerated() {
      if k > 0 { try await Task.sleep(for: pause) }
      if k > 0, k == parts.count - 1 {
        // The last part shuts down, cancelling requests still running: wait for their answers.
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
          let text = String(decoding: (try? Data(contentsOf: out)) ?? Data(), as: UTF8.self)
          if awaiting.allSatisfy({ text.contains("\"id\":\"\($0)\"") }) { break }
          try await Task.sleep(for: .milliseconds(50))
        }
      }
      input.fileHandleForWriting.write(Data(part))
    }
    try input.fileHandleForWriting.close()
    while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
    var parser = JSONMessageParser()
    let bodies = parser.feed(Array(try Data(contentsOf: out))).compactMap {
      if case .message(let m) = $0 { String(decoding: m, as: UTF8.self) } else { nil }
    }
    let stderr = String(decoding: try Data(contentsOf: err), as: UTF8.self)
    return (process.terminationStatus, bodies, stderr)
  }

  var opening: [UInt8] {
    MessageCoding.frame(MessageCoding.request(InitializeRequest(), id: .number(1)))
      + MessageCoding.frame(MessageCoding.notification(InitializedNotification()))
      + MessageCoding.frame(
        MessageCoding.notification(
          DidOpenTextDocumentNotification(
            textDocument: TextDocumentItem(
              uri: "file:///tmp/f.lr", version: 1, text: "let a = 1\n"))))
  }

  var closing: [UInt8] {
    MessageCoding.frame(MessageCoding.request(ShutdownRequest(), id: .number(2)))
      + MessageCoding.frame(MessageCoding.notification(ExitNotification()))
  }

  @Test func lspProcessAnswersEveryRequestAfterEachMalformedFrame() async throws {
    try #require(FileManager.default.isExecutableFile(atPath: LRTestSupport.lrExecutable.path))
    var stream = opening
    var ids: [String] = []
    for (k, broken) in MalformedFrames.cases.enumerated() {
      stream += broken.bytes
      for i in 0..<20 {
        ids.append("c\(k)-\(i)")
        stream += MessageCoding.frame(MalformedFrames.request("c\(k)-\(i)"))
      }
    }
    let (status, bodies, stderr) = try await runLSP(
      [stream, closing], pause: .milliseconds(100), awaiting: ids)
    #expect(status == 0, "\(stderr)")
    let unanswered = ids.filter { id in !bodies.contains { $0.contains("\"id\":\"\(id)\"") } }
    #expect(unanswered.isEmpty, "\(unanswered.count) of \(ids.count) unanswered\n\(stderr)")
    let nullErrors = bodies.filter { $0.contains("\"id\":null") && $0.contains("\"error\"") }
    let brokenCount = MalformedFrames.cases.filter { !$0.accepted }.count
    #expect(nullErrors.count == brokenCount, "\(nullErrors)")
  }

  @Test func lspProcessRecoversFromALongLengthAfterAPause() async throws {
    try #require(FileManager.default.isExecutableFile(atPath: LRTestSupport.lrExecutable.path))
    let broken = MalformedFrames.cases[2].bytes
    let valid = (0..<20).flatMap { MessageCoding.frame(MalformedFrames.request("p\($0)")) }
    let (status, bodies, stderr) = try await runLSP(
      [opening + broken, valid, closing], pause: .seconds(2), awaiting: (0..<20).map { "p\($0)" })
    #expect(status == 0, "\(stderr)")
    for i in 0..<20 {
      #expect(bodies.contains { $0.contains("\"id\":\"p\(i)\"") }, "p\(i)\n\(stderr)")
    }
    #expect(bodies.filter { $0.contains("\"id\":null") }.count == 1)
  }
}
