import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A loopback TCP proxy in front of the emulator that can drop the connection *after* the service
/// has answered a `runliveresponse` POST, so the client never sees the answer although the action
/// was created — the case the no-duplicate rule exists for — or *before* forwarding it, so the
/// service never sees the POST at all.
final class KillSwitchProxy: Sendable {
  let port: Int
  private let listener: Int32
  private let killsLeft = Mutex(0)
  private let dropsLeft = Mutex(0)
  private let killed = Mutex(0)

  /// Starts listening on 127.0.0.1 (a free port) and forwarding to `upstreamPort`.
  init(upstreamPort: Int) throws {
    let (fd, port) = try LoopbackSocket.listen()
    self.port = port
    listener = fd
    let upstream = upstreamPort
    Thread.detachNewThread { [self] in self.acceptLoop(upstreamPort: upstream) }
  }

  /// Drops the connection carrying each of the next `count` `runliveresponse` answers.
  func killNextLiveResponses(_ count: Int) { killsLeft.withLock { $0 = count } }

  /// Drops the connection of the next `count` `runliveresponse` POSTs before forwarding them.
  func dropNextLiveResponsesBeforeTheService(_ count: Int) { dropsLeft.withLock { $0 = count } }

  /// How many answers were dropped.
  var killedCount: Int { killed.withLock { $0 } }

  func stop() {
    shutdown(listener, Int32(SHUT_RDWR))
    close(listener)
  }

  private func acceptLoop(upstreamPort: Int) {
    while true {
      let client = accept(listener, nil, nil)
      if client < 0 { return }
      guard let server = LoopbackSocket.connect(port: upstreamPort) else {
        close(client)
        continue
      }
      let state = ConnectionState()
      Thread.detachNewThread { [self] in
        self.pump(from: client, to: server, state: state, upstream: true)
      }
      Thread.detachNewThread { [self] in
        self.pump(from: server, to: client, state: state, upstream: false)
      }
    }
  }

  final class ConnectionState: Sendable {
    let doomed: Mutex<Bool>
    init() { doomed = Mutex(false) }
  }

  private func pump(
    from source: Int32, to destination: Int32, state: ConnectionState, upstream: Bool
  ) {
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = read(source, &buffer, buffer.count)
      if count <= 0 { break }
      if upstream {
        let text = String(decoding: buffer[0..<count], as: UTF8.self)
        if text.hasPrefix("POST "), text.contains("/runliveresponse") {
          let drop = dropsLeft.withLock { left -> Bool in
            guard left > 0 else { return false }
            left -= 1
            return true
          }
          if drop {
            killed.withLock { $0 += 1 }
            break
          }
          let kill = killsLeft.withLock { left -> Bool in
            guard left > 0 else { return false }
            left -= 1
            return true
          }
          if kill { state.doomed.withLock { $0 = true } }
        }
      } else if state.doomed.withLock({ $0 }) {
        killed.withLock { $0 += 1 }
        break
      }
      var offset = 0
      while offset < count {
        let written = buffer.withUnsafeBytes { bytes -> Int in
          guard let base = bytes.baseAddress else { return -1 }
          return write(destination, base + offset, count - offset)
        }
        if written <= 0 { break }
        offset += written
      }
    }
    shutdown(source, Int32(SHUT_RDWR))
    shutdown(destination, Int32(SHUT_RDWR))
    close(source)
  }
}
