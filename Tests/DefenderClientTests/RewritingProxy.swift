import Foundation
import LRTestSupport
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A loopback HTTP/1.1 proxy in front of the emulator that can rewrite answers: it forwards each
/// request unchanged, reads the whole answer, and lets a test replace its body (a mangled 201, a
/// next-page link to another host, an entry the client cannot read, a token answer without a
/// refresh token). Every exchange is recorded.
///
/// It understands `Content-Length` and chunked bodies, which is all the emulator sends for API
/// and token answers; keep large result downloads off it.
final class RewritingProxy: Sendable {
  /// One request and the status of its answer.
  struct Exchange: Sendable {
    var method: String
    /// The request target as sent (path and query, percent-encoded).
    var target: String
    var status: Int
    /// Whether the answer's body was replaced.
    var rewritten: Bool
  }

  /// Returns a new body for an answer, or nil to pass it on unchanged.
  typealias Rewrite =
    @Sendable (_ method: String, _ target: String, _ status: Int, _ body: [UInt8]) -> [UInt8]?

  let port: Int
  private let listener: Int32
  private let rewrite: Rewrite
  private let log = Mutex<[Exchange]>([])

  /// Starts listening on 127.0.0.1 (a free port), forwarding to `upstreamPort`.
  init(upstreamPort: Int, rewrite: @escaping Rewrite = { _, _, _, _ in nil }) throws {
    self.rewrite = rewrite
    let (fd, port) = try LoopbackSocket.listen()
    self.port = port
    listener = fd
    Thread.detachNewThread { [self] in self.acceptLoop(upstreamPort: upstreamPort) }
  }

  /// The base URL to give a client.
  var baseURL: String { "http://127.0.0.1:\(port)" }

  /// Every exchange so far, in order.
  var exchanges: [Exchange] { log.withLock { $0 } }

  func stop() {
    shutdown(listener, Int32(SHUT_RDWR))
    close(listener)
  }

  private func acceptLoop(upstreamPort: Int) {
    while true {
      let client = accept(listener, nil, nil)
      if client < 0 { return }
      Thread.detachNewThread { [self] in self.serve(client, upstreamPort: upstreamPort) }
    }
  }

  private func serve(_ client: Int32, upstreamPort: Int) {
    defer {
      shutdown(client, Int32(SHUT_RDWR))
      close(client)
    }
    guard let server = LoopbackSocket.connect(port: upstreamPort) else { return }
    defer { close(server) }
    var fromClient = Reader(fd: client)
    var fromServer = Reader(fd: server)
    while true {
      guard let request = fromClient.message(isResponse: false, requestMethod: "") else { return }
      let requestLine = request.head.first ?? ""
      let parts = requestLine.split(separator: " ")
      let method = parts.first.map(String.init) ?? ""
      let target = parts.count > 1 ? String(parts[1]) : ""
      guard send(server, request.raw) else { return }
      guard let answer = fromServer.message(isResponse: true, requestMethod: method) else { return }
      let statusParts = (answer.head.first ?? "").split(separator: " ")
      let status = statusParts.count > 1 ? Int(statusParts[1]) ?? 0 : 0
      let replaced = rewrite(method, target, status, answer.body)
      log.withLock {
        $0.append(
          Exchange(method: method, target: target, status: status, rewritten: replaced != nil))
      }
      let body = replaced ?? answer.body
      var head = answer.head.filter {
        let lower = $0.lowercased()
        return !lower.hasPrefix("content-length:") && !lower.hasPrefix("transfer-encoding:")
      }
      head.append("Content-Length: \(body.count)")
      let bytes = Array((head.joined(separator: "\r\n") + "\r\n\r\n").utf8) + body
      guard send(client, bytes) else { return }
    }
  }

  private func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeBytes { raw -> Int in
        guard let base = raw.baseAddress else { return -1 }
        return write(fd, base + offset, bytes.count - offset)
      }
      if written <= 0 { return false }
      offset += written
    }
    return true
  }

  /// Reads HTTP/1.1 messages from a socket.
  private struct Reader {
    let fd: Int32
    var buffer: [UInt8] = []

    struct Message {
      /// The start line and header lines.
      var head: [String]
      /// The message exactly as received (requests are forwarded as is).
      var raw: [UInt8]
      /// The body, de-chunked.
      var body: [UInt8]
    }

    init(fd: Int32) { self.fd = fd }

    /// Reads more bytes; false at the end of the stream.
    mutating func fill() -> Bool {
      var chunk = [UInt8](repeating: 0, count: 65536)
      let count = read(fd, &chunk, chunk.count)
      if count <= 0 { return false }
      buffer += chunk[0..<count]
      return true
    }

    mutating func message(isResponse: Bool, requestMethod: String) -> Message? {
      let separator: [UInt8] = [13, 10, 13, 10]
      var headEnd: Int?
      while headEnd == nil {
        if buffer.count >= 4 {
          headEnd = (0...(buffer.count - 4)).first { Array(buffer[$0..<$0 + 4]) == separator }
        }
        if headEnd == nil, !fill() { return nil }
      }
      guard let end = headEnd else { return nil }
      let head = String(decoding: buffer[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
      var consumed = end + 4
      func header(_ name: String) -> String? {
        head.dropFirst().first { $0.lowercased().hasPrefix(name + ":") }.map {
          String($0.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces)
        }
      }
      let status = isResponse ? Int(head.first?.split(separator: " ").dropFirst().first ?? "") : nil
      var body: [UInt8] = []
      if isResponse && (requestMethod == "HEAD" || status == 204 || status == 304) {
        body = []
      } else if header("transfer-encoding")?.lowercased().contains("chunked") == true {
        while true {
          var lineEnd: Int?
          while lineEnd == nil {
            lineEnd = (consumed..<max(consumed, buffer.count - 1)).first {
              buffer[$0] == 13 && buffer[$0 + 1] == 10
            }
            if lineEnd == nil, !fill() { return nil }
          }
          guard let sizeEnd = lineEnd else { return nil }
          let sizeText =
            String(decoding: buffer[consumed..<sizeEnd], as: UTF8.self)
            .split(separator: ";").first.map(String.init) ?? "0"
          let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) ?? 0
          consumed = sizeEnd + 2
          while buffer.count < consumed + size + 2 { if !fill() { return nil } }
          body += buffer[consumed..<consumed + size]
          consumed += size + 2
          if size == 0 { break }
        }
      } else if let length = header("content-length").flatMap({ Int($0) }) {
        while buffer.count < consumed + length { if !fill() { return nil } }
        body = Array(buffer[consumed..<consumed + length])
        consumed += length
      } else if isResponse {
        while fill() {}
        body = Array(buffer[consumed...])
        consumed = buffer.count
      }
      let raw = Array(buffer[0..<consumed])
      buffer.removeFirst(consumed)
      return Message(head: head, raw: raw, body: body)
    }
  }
}
