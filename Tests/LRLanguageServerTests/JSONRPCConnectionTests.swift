import Foundation
import Testing

@testable import LRLanguageServer

/// The server over real pipes: framing in both directions, chunks split at awkward places.
@Suite("JSON-RPC over pipes")
struct JSONRPCConnectionTests {
  func pipePair() throws -> (read: Int32, write: Int32) {
    var fds: [Int32] = [0, 0]
    try #require(pipe(&fds) == 0)
    return (fds[0], fds[1])
  }

  func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
    bytes.withUnsafeBytes { raw in
      guard let base = raw.baseAddress else { return }
      var offset = 0
      while offset < raw.count {
        let n = write(fd, base + offset, raw.count - offset)
        if n <= 0 { return }
        offset += n
      }
    }
  }

  func readAll(_ fd: Int32) -> [UInt8] {
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let n = read(fd, &buffer, buffer.count)
      if n <= 0 { break }
      out += buffer[0..<n]
    }
    return out
  }

  @Test func framedSessionEndsWithExitStatusZero() async throws {
    let input = try pipePair()
    let output = try pipePair()
    let uri = "file:///tmp/lr-pipe/a.lr"
    var stream: [UInt8] = []
    stream += MessageCoding.frame(MessageCoding.request(InitializeRequest(), id: .number(1)))
    stream += MessageCoding.frame(MessageCoding.notification(InitializedNotification()))
    stream += MessageCoding.frame(Array("{oops".utf8))
    stream += Array("Content-Length: nope\r\n\r\n".utf8)
    stream += MessageCoding.frame(
      MessageCoding.notification(
        DidOpenTextDocumentNotification(
          textDocument: TextDocumentItem(uri: uri, version: 1, text: "on machine X < gte 'é😀' >\n"))
      ))
    stream += MessageCoding.frame(
      MessageCoding.request(
        HoverRequest(textDocument: .init(uri: uri), position: .init(line: 0, character: 16)),
        id: .string("h")))
    stream += MessageCoding.frame(MessageCoding.request(ShutdownRequest(), id: .number(2)))
    stream += MessageCoding.frame(MessageCoding.notification(ExitNotification()))

    let connection = JSONRPCConnection(inputFD: input.read, outputFD: output.write)
    let server = Task { await connection.run(options: LanguageServerOptions(debounce: .zero)) }
    // Write in chunks of 7 bytes, slowly enough that the server sees many partial reads.
    var i = 0
    while i < stream.count {
      writeAll(input.write, Array(stream[i..<min(i + 7, stream.count)]))
      i += 7
      if i % 700 == 0 { try await Task.sleep(for: .milliseconds(1)) }
    }
    let status = await server.value
    #expect(status == 0)
    // Late answers of cancelled requests may still arrive: read what is there without blocking,
    // and leave the descriptors open (closing them could let a late write hit a reused fd).
    try await Task.sleep(for: .milliseconds(200))
    _ = fcntl(output.read, F_SETFL, fcntl(output.read, F_GETFL) | O_NONBLOCK)
    let bytes = readAll(output.read)
    var parser = JSONMessageParser()
    let bodies = parser.feed(bytes).compactMap { out -> String? in
      if case .message(let m) = out { return String(decoding: m, as: UTF8.self) }
      return nil
    }
    #expect(parser.isIdle)
    #expect(bodies.contains { $0.contains("\"id\":1") && $0.contains("capabilities") })
    #expect(bodies.filter { $0.contains("-32700") }.count == 2)  // bad JSON, bad header
    #expect(bodies.contains { $0.contains("\"id\":2") && $0.contains("\"result\":null") })
  }

  @Test func endOfInputWithoutExit() async throws {
    let input = try pipePair()
    let output = try pipePair()
    let connection = JSONRPCConnection(inputFD: input.read, outputFD: output.write)
    let server = Task { await connection.run(options: LanguageServerOptions()) }
    writeAll(input.write, Array("Content-Length: 100\r\n\r\n{\"jsonrpc\"".utf8))
    close(input.write)
    #expect(await server.value == 1)
  }
}
