import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the reader of the connection's input saw.
enum InputEvent: Sendable {
  /// Bytes that arrived.
  case bytes([UInt8])
  /// No byte arrived for the pause time after some did (once per quiet period).
  case paused
}

extension JSONRPCConnection {
  /// Reads chunks on a dedicated thread (a blocking `read` must not hold a task executor), and
  /// reports a pause once when the input has been quiet for `pause` after bytes arrived.
  static func events(from fd: Int32, pause: Duration) -> AsyncStream<InputEvent> {
    let (seconds, attoseconds) = pause.components
    let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    return AsyncStream { continuation in
      let thread = Thread {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var quiet = true
        while true {
          var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
          let ready = poll(&descriptor, 1, milliseconds)
          if ready < 0 {
            if errno == EINTR { continue }
            break
          }
          if ready == 0 {
            if !quiet { continuation.yield(.paused) }
            quiet = true
            continue
          }
          let n = buffer.withUnsafeMutableBytes { raw -> Int in
            guard let base = raw.baseAddress else { return -1 }
            return read(fd, base, raw.count)
          }
          if n > 0 {
            continuation.yield(.bytes(Array(buffer[0..<n])))
            quiet = false
          } else if n < 0 && errno == EINTR {
            continue
          } else {
            break
          }
        }
        continuation.finish()
      }
      thread.stackSize = 1 << 20
      thread.start()
    }
  }
}
