import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A loopback TCP proxy in front of an HTTP/1.1 server (the emulator) that injects faults per
/// request: added latency, a reset or a 5xx before the request reaches the server, and, after the
/// server has processed it, a lost answer (the connection closes before the client reads a byte)
/// or a 502 in its place. A `runliveresponse` POST whose answer is lost created an action the
/// client never heard of: the case lr's no-duplicate rule exists for.
///
/// Faults are decided per request by a closure, or by seeded dice (``Faults``) so a failing
/// soak can be replayed from its seed. Each request line is read at the start of a read from the
/// client, which holds for clients that wait for each answer before the next request.
public final class LossyProxy: Sendable {
  /// What happens to one request.
  public enum Fault: Sendable, Equatable {
    /// Forwarded unchanged.
    case none
    /// The connection is closed before the request is forwarded.
    case resetBeforeForwarding
    /// Answered by the proxy with this status; the server never sees the request.
    case serverErrorBeforeForwarding(status: Int)
    /// Forwarded; the connection is closed when the server's answer arrives.
    case loseAnswer
    /// Forwarded; the server's answer is replaced by this status (a failing gateway).
    case serverErrorAfterForwarding(status: Int)
  }

  /// A request as the proxy sees it: its method and target (path and query).
  public struct Request: Sendable {
    public var method: String
    public var target: String
    /// Whether it is a `POST …/runliveresponse`.
    public var isSubmission: Bool {
      method == "POST" && target.lowercased().contains("/runliveresponse")
    }
  }

  /// The fault for a request and the real milliseconds to wait before applying it.
  public typealias Decide = @Sendable (Request) -> (fault: Fault, delayMilliseconds: Int)

  /// Fault rates for seeded dice, applied to `/api` and result-blob requests only (sign-in
  /// requests pass untouched).
  public struct Faults: Sendable, CustomStringConvertible {
    /// Fraction of `runliveresponse` answers lost after the service created the action.
    public var lostSubmissionAnswerRate = 0.0
    /// Fraction of other answers lost after the service processed the request.
    public var lostAnswerRate = 0.0
    /// Fraction of requests reset before they reach the service.
    public var resetRate = 0.0
    /// Fraction answered 503 by the proxy before the service sees them.
    public var serverErrorRate = 0.0
    /// Fraction whose answer is replaced by a 502 after the service processed them.
    public var gatewayErrorRate = 0.0
    /// Real milliseconds added to each faulted-path request, drawn from 0…this.
    public var maxLatencyMilliseconds = 0
    /// Seed of the dice.
    public var seed: UInt64 = 1

    public init() {}

    public var description: String {
      "seed=\(seed) lostSubmission=\(lostSubmissionAnswerRate) lost=\(lostAnswerRate) "
        + "reset=\(resetRate) 5xx=\(serverErrorRate) 502=\(gatewayErrorRate) "
        + "latency≤\(maxLatencyMilliseconds)ms"
    }
  }

  /// What the proxy did so far.
  public struct Counts: Sendable, Equatable, CustomStringConvertible {
    public var requests = 0
    public var resets = 0
    public var serverErrors = 0
    public var lostAnswers = 0
    public var lostSubmissionAnswers = 0
    public var gatewayErrors = 0
    public var delayed = 0
    public init() {}
    /// Every fault injected.
    public var faults: Int { resets + serverErrors + lostAnswers + gatewayErrors }
    public var description: String {
      "requests=\(requests) lostSubmissionAnswers=\(lostSubmissionAnswers) "
        + "lostAnswers=\(lostAnswers) resets=\(resets) 5xx=\(serverErrors) "
        + "502=\(gatewayErrors) delayed=\(delayed)"
    }
  }

  /// The port it listens on (127.0.0.1).
  public let port: Int
  private let listener: Int32
  private let decide: Decide
  private let tally = Mutex(Counts())

  /// Starts listening on a free port of 127.0.0.1, forwarding to `upstreamPort`.
  public init(upstreamPort: Int, decide: @escaping Decide) throws {
    self.decide = decide
    let (fd, port) = try LoopbackSocket.listen()
    self.port = port
    listener = fd
    Thread.detachNewThread { [self] in self.acceptLoop(upstreamPort: upstreamPort) }
  }

  /// A proxy whose faults are drawn from seeded dice.
  public convenience init(upstreamPort: Int, faults: Faults) throws {
    let dice = Shared(SeededDice(seed: faults.seed))
    try self.init(upstreamPort: upstreamPort) { request in
      dice.value.withLock { LossyProxy.draw(request, faults: faults, dice: &$0) }
    }
  }

  /// The base URL to give a client.
  public var baseURL: String { "http://127.0.0.1:\(port)" }

  /// What was injected so far.
  public var counts: Counts { tally.withLock { $0 } }

  /// Stops accepting connections (open ones finish by themselves).
  public func stop() {
    shutdown(listener, Int32(SHUT_RDWR))
    close(listener)
  }

  static func draw(_ request: Request, faults: Faults, dice: inout SeededDice) -> (Fault, Int) {
    let path = request.target.lowercased()
    guard path.hasPrefix("/api") || path.hasPrefix("/blob") else { return (.none, 0) }
    let delay =
      dice.below(faults.maxLatencyMilliseconds + 1)
    let roll = dice.unit()
    var edge = faults.resetRate
    if roll < edge { return (.resetBeforeForwarding, delay) }
    edge += faults.serverErrorRate
    if roll < edge { return (.serverErrorBeforeForwarding(status: 503), delay) }
    edge += faults.gatewayErrorRate
    if roll < edge { return (.serverErrorAfterForwarding(status: 502), delay) }
    edge += request.isSubmission ? faults.lostSubmissionAnswerRate : faults.lostAnswerRate
    if roll < edge { return (.loseAnswer, delay) }
    return (.none, delay)
  }

  private func acceptLoop(upstreamPort: Int) {
    while true {
      let client = accept(listener, nil, nil)
      if client < 0 { return }
      guard let server = LoopbackSocket.connect(port: upstreamPort) else {
        close(client)
        continue
      }
      let doom = Doom()
      Thread.detachNewThread { [self] in self.forwardRequests(from: client, to: server, doom: doom)
      }
      Thread.detachNewThread { [self] in self.forwardAnswers(from: server, to: client, doom: doom) }
    }
  }

  /// Client to server: decides each request's fault at its request line.
  private func forwardRequests(from client: Int32, to server: Int32, doom: Doom) {
    var buffer = [UInt8](repeating: 0, count: 65536)
    loop: while true {
      let count = read(client, &buffer, buffer.count)
      if count <= 0 { break }
      if let request = Self.requestLine(buffer[0..<count]) {
        let (fault, delay) = decide(request)
        tally.withLock {
          $0.requests += 1
          if delay > 0 { $0.delayed += 1 }
        }
        if delay > 0 { usleep(useconds_t(delay * 1000)) }
        switch fault {
        case .none:
          doom.fault.withLock { $0 = .none }
        case .resetBeforeForwarding:
          tally.withLock { $0.resets += 1 }
          break loop
        case .serverErrorBeforeForwarding(let status):
          tally.withLock { $0.serverErrors += 1 }
          Self.writeAll(client, Self.errorAnswer(status))
          break loop
        case .loseAnswer:
          tally.withLock {
            if request.isSubmission { $0.lostSubmissionAnswers += 1 } else { $0.lostAnswers += 1 }
          }
          doom.fault.withLock { $0 = fault }
        case .serverErrorAfterForwarding:
          tally.withLock { $0.gatewayErrors += 1 }
          doom.fault.withLock { $0 = fault }
        }
      }
      if !Self.writeAll(server, Array(buffer[0..<count])) { break }
    }
    Self.closeBoth(client, server)
  }

  /// Server to client: drops or replaces the answer of a doomed request.
  private func forwardAnswers(from server: Int32, to client: Int32, doom: Doom) {
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = read(server, &buffer, buffer.count)
      if count <= 0 { break }
      let fault = doom.fault.withLock { $0 }
      if fault == .loseAnswer { break }
      if case .serverErrorAfterForwarding(let status) = fault {
        Self.writeAll(client, Self.errorAnswer(status))
        break
      }
      if !Self.writeAll(client, Array(buffer[0..<count])) { break }
    }
    Self.closeBoth(server, client)
  }

  /// A value behind a lock that closures can share.
  public final class Shared<Value: Sendable>: Sendable {
    public let value: Mutex<Value>
    public init(_ value: Value) { self.value = Mutex(value) }
  }

  /// The fault pending on a connection's current request, shared by its two directions.
  final class Doom: Sendable {
    let fault = Mutex<Fault>(.none)
  }

  /// The request line at the start of a read (`METHOD target HTTP/1.x`), if there is one.
  static func requestLine(_ bytes: ArraySlice<UInt8>) -> Request? {
    guard let end = bytes.firstIndex(of: 13) ?? bytes.firstIndex(of: 10) else { return nil }
    let parts = String(decoding: bytes[bytes.startIndex..<end], as: UTF8.self).split(separator: " ")
    let methods: Set<String> = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"]
    guard parts.count == 3, methods.contains(String(parts[0])), parts[2].hasPrefix("HTTP/1.")
    else { return nil }
    return Request(method: String(parts[0]), target: String(parts[1]))
  }

  /// An answer in the service's error shape, closing the connection (a 429 with `Retry-After: 1`).
  static func errorAnswer(_ status: Int) -> [UInt8] {
    let body =
      #"{"error":{"code":"ServiceUnavailable","message":"injected by the proxy","target":""}}"#
    let reason =
      status == 502 ? "Bad Gateway" : status == 429 ? "Too Many Requests" : "Service Unavailable"
    // A 429 asks for one second (`Retry-After: 1`), as the service and Entra ID do.
    let retryAfter = status == 429 ? "Retry-After: 1\r\n" : ""
    return Array(
      ("HTTP/1.1 \(status) \(reason)\r\nContent-Type: application/json\r\n" + retryAfter
        + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body).utf8)
  }

  @discardableResult
  static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeBytes { raw -> Int in
        guard let base = raw.baseAddress else { return -1 }
        // send without SIGPIPE: a peer that already closed must not kill the test process.
        return send(fd, base + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
      }
      if written <= 0 { return false }
      offset += written
    }
    return true
  }

  static func closeBoth(_ own: Int32, _ other: Int32) {
    shutdown(own, Int32(SHUT_RDWR))
    shutdown(other, Int32(SHUT_RDWR))
    close(own)
  }
}

/// SplitMix64: small, seedable dice for replayable faults and kill times.
public struct SeededDice: RandomNumberGenerator, Sendable {
  private var state: UInt64

  public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A number in 0..<n (0 when n is not positive).
  public mutating func below(_ n: Int) -> Int { n > 0 ? Int(next() % UInt64(n)) : 0 }

  /// A number in 0..<1.
  public mutating func unit() -> Double { Double(below(1_000_000)) / 1_000_000 }
}
