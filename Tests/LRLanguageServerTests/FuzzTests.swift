import Foundation
import PropertyBased
import Testing

@testable import LRLanguageServer

/// Never crash on any input: random bytes into the framing parser, random JSON into the server.
@Suite("Robustness (property tests)")
struct FuzzTests {
  @Test func parserSurvivesRandomBytes() async {
    await propertyCheck(count: 300, input: Gen.uint8(in: 0...255).array(of: 0...200)) { bytes in
      var parser = JSONMessageParser(maximumContentLength: 64, maximumHeaderLength: 64)
      var i = 0
      var step = 1
      while i < bytes.count {
        _ = parser.feed(bytes[i..<min(i + step, bytes.count)])
        i += step
        step = step % 7 + 1
      }
    }
  }

  @Test func parserSurvivesMutatedFraming() async {
    let valid = Array("Content-Length: 2\r\n\r\n{}Content-Length: 5\r\n\r\n[1,2]".utf8)
    await propertyCheck(count: 300, input: Gen.uint8(in: 0...255).array(of: 0...8)) { edits in
      var bytes = valid
      for (k, e) in edits.enumerated() where !bytes.isEmpty {
        bytes[(Int(e) * 7 + k * 13) % bytes.count] = e
      }
      var parser = JSONMessageParser()
      _ = parser.feed(bytes)
    }
  }

  static let methods = [
    "initialize", "initialized", "shutdown", "textDocument/didOpen", "textDocument/didChange",
    "textDocument/didClose", "textDocument/completion", "textDocument/hover",
    "textDocument/definition",
    "textDocument/documentSymbol", "textDocument/semanticTokens/full", "textDocument/formatting",
    "textDocument/codeAction", "$/cancelRequest", "nope",
  ]

  /// Builds a JSON value from bytes: a small deterministic grammar over the entropy.
  struct JSONBuilder {
    var bytes: [UInt8]
    var i = 0
    mutating func next() -> Int {
      defer { i += 1 }
      return bytes.isEmpty ? 0 : Int(bytes[i % bytes.count])
    }
    mutating func value(depth: Int) -> String {
      let n = next()
      switch depth > 3 ? n % 6 : n % 9 {
      case 0: return "null"
      case 1: return n % 2 == 0 ? "true" : "false"
      case 2: return String(next() - 128) + (n % 3 == 0 ? "000000000000000000000" : "")
      case 3:
        return [
          "\"\"", "\"é😀\\n\"", "\"file:///tmp/x.lr\"", "\"on machine X < gte a >\"", "\"\\ud800\"",
        ][n % 5]
      case 4: return "-1.5e300"
      case 5: return ["0", "2147483647", "-9223372036854775808", "1e400"][n % 4]
      case 6:
        return "[" + (0..<(next() % 4)).map { _ in value(depth: depth + 1) }.joined(separator: ",")
          + "]"
      default:
        let keys = [
          "textDocument", "uri", "position", "line", "character", "text", "version", "range",
          "start", "end", "contentChanges", "id", "languageId", "context",
        ]
        return "{"
          + (0..<(next() % 5)).map { _ in
            "\"\(keys[next() % keys.count])\":\(value(depth: depth + 1))"
          }
          .joined(separator: ",") + "}"
      }
    }
  }

  @Test func serverSurvivesRandomMessages() async throws {
    let client = try await TestClient.started(options: LanguageServerOptions(debounce: .zero))
    await client.open("file:///tmp/x.lr", "on machine X < get a >\n😀\n")
    await propertyCheck(count: 400, input: Gen.uint8(in: 0...255).array(of: 1...60)) { bytes in
      var b = JSONBuilder(bytes: bytes)
      let method = FuzzTests.methods[b.next() % FuzzTests.methods.count]
      let id = b.next() % 3 == 0 ? "" : "\"id\":\(b.next()),"
      var params = b.value(depth: 0)
      if b.next() % 2 == 0 {
        // Mostly well-formed document params with random positions.
        let line = [0, 1, -1, 5, Int.max, Int.min][b.next() % 6]
        let character = [0, 1, 3, -7, Int.max][b.next() % 5]
        params = """
          {"textDocument":{"uri":"file:///tmp/x.lr","version":\(b.next())},"position":{"line":\(line),"character":\(character)},\
          "range":{"start":{"line":\(line),"character":\(character)},"end":{"line":0,"character":\(character)}},\
          "contentChanges":[{"range":{"start":{"line":\(line),"character":0},"end":{"line":1,"character":\(character)}},"text":"😀<"}],\
          "context":{"diagnostics":[]}}
          """
      }
      let message = "{\"jsonrpc\":\"2.0\",\(id)\"method\":\"\(method)\",\"params\":\(params)}"
      if method != "shutdown" {
        await client.sendRaw(b.next() % 10 == 0 ? String(message.dropLast(3)) : message)
      }
    }
    // Still answering.
    let symbols = try await client.send(
      DocumentSymbolRequest(textDocument: .init(uri: "file:///tmp/x.lr")))
    #expect(symbols.0.id != nil)
  }

  @Test func serverSurvivesRandomBytesAsBodies() async throws {
    let client = try await TestClient.started(options: LanguageServerOptions(debounce: .zero))
    await propertyCheck(count: 200, input: Gen.uint8(in: 0...255).array(of: 0...100)) { bytes in
      await client.server.handle(bytes)
    }
    let (r, _) = try await client.send(ShutdownRequest())
    #expect(r.error == nil)
  }
}
