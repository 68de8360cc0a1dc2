import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A raw loopback TCP proxy (any protocol: PostgreSQL here) that can lose the network: relay
/// nothing more while keeping the connections open (``blackhole()``, until ``relayAgain()``), or
/// forward one message and close the connection before its answer comes back
/// (``loseAnswer(after:)``).
public final class TCPProxy: @unchecked Sendable {
  /// The port clients connect to.
  public let port: Int
  private let target: Int
  private let listener: Int32
  private let lock = NSLock()
  private var blackholed = false
  private var marker: [UInt8]?
  private var sockets: [Int32] = []
  private var stopped = false

  /// Listens on a free loopback port and relays each connection to `target` on 127.0.0.1.
  public init(to target: Int) throws {
    self.target = target
    (listener, port) = try LoopbackSocket.listen()
    Thread.detachNewThread { [self] in acceptLoop() }
  }

  /// From now on nothing is relayed either way, and no connection closes (a network gone quiet).
  public func blackhole() {
    lock.withLock { blackholed = true }
  }

  /// From now on bytes are relayed again (those dropped while quiet are lost: a connection that
  /// was open then is of no more use, a new one works).
  public func relayAgain() {
    lock.withLock { blackholed = false }
  }

  /// The next client message containing `text` is forwarded; its connection then closes (after
  /// the server had time to act on it) without a byte of the answer reaching the client.
  public func loseAnswer(after text: String) {
    lock.withLock { marker = Array(text.utf8) }
  }

  /// Closes the listener and every relayed connection.
  public func stop() {
    let open: [Int32]? = lock.withLock {
      guard !stopped else { return nil }
      stopped = true
      return sockets
    }
    guard let open else { return }
    for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
    shutdown(listener, Int32(SHUT_RDWR))
    close(listener)
  }

  deinit { stop() }

  private func acceptLoop() {
    while true {
      let client = accept(listener, nil, nil)
      guard client >= 0 else { return }
      guard let server = LoopbackSocket.connect(port: target) else {
        close(client)
        continue
      }
      let tracked = lock.withLock {
        guard !stopped else { return false }
        sockets += [client, server]
        return true
      }
      guard tracked else {
        close(client)
        close(server)
        return
      }
      let pair = Pair(client: client, server: server)
      Thread.detachNewThread { [self] in relay(pair, upstream: true) }
      Thread.detachNewThread { [self] in relay(pair, upstream: false) }
    }
  }

  /// A relayed connection: the client's socket and the server's.
  private final class Pair: @unchecked Sendable {
    let client: Int32
    let server: Int32
    /// Set once the marked message went up: nothing more comes down.
    var cutting = false
    /// How many of its two relays have ended (the second closes both sockets).
    var ended = 0
    init(client: Int32, server: Int32) {
      self.client = client
      self.server = server
    }
  }

  /// Copies one direction until either side closes.
  private func relay(_ pair: Pair, upstream: Bool) {
    let from = upstream ? pair.client : pair.server
    let to = upstream ? pair.server : pair.client
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = read(from, &buffer, buffer.count)
      guard count > 0 else { break }
      let chunk = Array(buffer[0..<count])
      let (forward, cut) = decide(chunk, pair: pair, upstream: upstream)
      if forward { sendAll(chunk, to: to) }
      if cut {
        Thread.sleep(forTimeInterval: 0.5)
        break
      }
    }
    shutdown(pair.client, Int32(SHUT_RDWR))
    shutdown(pair.server, Int32(SHUT_RDWR))
    let last = lock.withLock {
      pair.ended += 1
      guard pair.ended == 2 else { return false }
      sockets.removeAll { $0 == pair.client || $0 == pair.server }
      return true
    }
    if last {
      close(pair.client)
      close(pair.server)
    }
  }

  /// Whether `chunk` is forwarded, and whether its connection is cut after it.
  private func decide(_ chunk: [UInt8], pair: Pair, upstream: Bool) -> (Bool, Bool) {
    lock.withLock {
      if blackholed || pair.cutting { return (false, false) }
      guard upstream, let marker, Self.contains(chunk, marker) else { return (true, false) }
      self.marker = nil
      pair.cutting = true
      return (true, true)
    }
  }

  private func sendAll(_ bytes: [UInt8], to fd: Int32) {
    var offset = 0
    while offset < bytes.count {
      let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
      guard sent > 0 else { return }
      offset += sent
    }
  }

  private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty, haystack.count >= needle.count else { return false }
    for start in 0...(haystack.count - needle.count)
    where haystack[start..<start + needle.count].elementsEqual(needle) {
      return true
    }
    return false
  }
}
