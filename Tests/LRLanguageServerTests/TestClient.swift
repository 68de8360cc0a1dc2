import Foundation
import LRLanguage
import Testing

@testable import LRLanguageServer

/// Messages the server sent, collected for assertions.
final class Inbox: @unchecked Sendable {
  private let lock = NSLock()
  private var messages: [Data] = []

  func append(_ body: [UInt8]) {
    lock.lock()
    messages.append(Data(body))
    lock.unlock()
  }

  var all: [Data] {
    lock.lock()
    defer { lock.unlock() }
    return messages
  }
}

/// A decoded message from the server.
struct Received: Decodable {
  var id: RequestID?
  var method: String?
  var error: ResponseError?
  var hasResult: Bool

  enum CodingKeys: String, CodingKey { case id, method, error, result }

  init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    id = try c.decodeIfPresent(RequestID.self, forKey: .id)
    method = try c.decodeIfPresent(String.self, forKey: .method)
    error = try c.decodeIfPresent(ResponseError.self, forKey: .error)
    hasResult = c.contains(.result)
  }
}

struct ResultEnvelope<R: Decodable>: Decodable { var result: R }
struct ParamsOf<P: Decodable>: Decodable { var params: P }

struct TestFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// Drives a ``LanguageServer`` in process: sends bodies, waits for answers and notifications.
struct TestClient {
  let server: LanguageServer
  let inbox = Inbox()
  let ids = Counter()

  init(options: LanguageServerOptions = LanguageServerOptions(debounce: .milliseconds(20))) {
    let inbox = self.inbox
    server = LanguageServer(options: options) { inbox.append($0) }
  }

  /// Starts a client that has initialized the server.
  static func started(
    options: LanguageServerOptions = LanguageServerOptions(debounce: .milliseconds(20))
  ) async throws -> TestClient {
    let client = TestClient(options: options)
    _ = try await client.request(InitializeRequest(processId: 1, rootUri: nil))
    await client.notify(InitializedNotification())
    return client
  }

  func sendRaw(_ text: String) async { await server.handle(Array(text.utf8)) }

  func notify<N: NotificationType>(_ notification: N) async {
    await server.handle(MessageCoding.notification(notification))
  }

  /// Sends a request and returns the raw answer.
  func send<R: RequestType>(_ request: R) async throws -> (Received, Data) {
    let id = RequestID.number(ids.next())
    await server.handle(MessageCoding.request(request, id: id))
    return try await waitForMessage { $0.id == id && $0.method == nil }
  }

  /// Sends a request and decodes its result (throws on an error answer).
  func request<R: RequestType>(_ request: R) async throws -> R.Response {
    let (received, data) = try await send(request)
    if let error = received.error { throw error }
    return try JSONDecoder().decode(ResultEnvelope<R.Response>.self, from: data).result
  }

  /// Waits for the first message matching a predicate.
  func waitForMessage(
    timeout: Duration = .seconds(10), _ predicate: (Received) -> Bool
  ) async throws -> (Received, Data) {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      for data in inbox.all {
        if let r = try? JSONDecoder().decode(Received.self, from: data), predicate(r) {
          return (r, data)
        }
      }
      try await Task.sleep(for: .milliseconds(2))
    }
    throw TestFailure("timed out waiting for a message")
  }

  /// Every publishDiagnostics the server sent for a URI, in order.
  func published(_ uri: String) -> [PublishDiagnosticsNotification] {
    inbox.all.compactMap { data in
      guard let r = try? JSONDecoder().decode(Received.self, from: data),
        r.method == PublishDiagnosticsNotification.method,
        let p = try? JSONDecoder().decode(ParamsOf<PublishDiagnosticsNotification>.self, from: data)
      else { return nil }
      return p.params.uri == uri ? p.params : nil
    }
  }

  /// Waits for diagnostics of a given version.
  func diagnostics(_ uri: String, version: Int, timeout: Duration = .seconds(10)) async throws
    -> [LSPDiagnostic]
  {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      if let p = published(uri).last(where: { $0.version == version }) { return p.diagnostics }
      try await Task.sleep(for: .milliseconds(2))
    }
    throw TestFailure("no diagnostics for \(uri) version \(version)")
  }

  /// Waits until the latest diagnostics published for a URI satisfy a predicate.
  func waitForDiagnostics(
    _ uri: String, timeout: Duration = .seconds(10), _ predicate: ([LSPDiagnostic]) -> Bool
  ) async throws -> PublishDiagnosticsNotification {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      if let p = published(uri).last, predicate(p.diagnostics) { return p }
      try await Task.sleep(for: .milliseconds(2))
    }
    throw TestFailure("diagnostics for \(uri) never matched")
  }

  func open(_ uri: String, _ text: String, version: Int = 1) async {
    await notify(
      DidOpenTextDocumentNotification(
        textDocument: TextDocumentItem(uri: uri, version: version, text: text)))
  }
}

final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var value = 0
  func next() -> Int {
    lock.lock()
    defer { lock.unlock() }
    value += 1
    return value
  }
}
