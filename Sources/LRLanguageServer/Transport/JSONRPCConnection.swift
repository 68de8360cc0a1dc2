import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes whole buffers to a file descriptor, one writer at a time.
final class FileDescriptorWriter: @unchecked Sendable {
  let fd: Int32
  let lock = NSLock()

  init(fd: Int32) { self.fd = fd }

  /// Writes all bytes (retrying partial writes and interrupts); errors end the write silently.
  func write(_ bytes: [UInt8]) {
    lock.lock()
    defer { lock.unlock() }
    bytes.withUnsafeBytes { raw in
      guard var pointer = raw.baseAddress else { return }
      var remaining = raw.count
      while remaining > 0 {
        #if canImport(Glibc)
        let n = Glibc.write(fd, pointer, remaining)
        #else
        let n = Darwin.write(fd, pointer, remaining)
        #endif
        if n < 0 {
          if errno == EINTR { continue }
          return
        }
        pointer += n
        remaining -= n
      }
    }
  }
}

/// The language server over a pair of file descriptors (stdin and the real stdout for `lr lsp`):
/// `Content-Length` framing in both directions.
public struct JSONRPCConnection: Sendable {
  /// Where messages are read from.
  public let inputFD: Int32
  /// Where messages are written to.
  public let outputFD: Int32

  /// Creates a connection.
  public init(inputFD: Int32, outputFD: Int32) {
    self.inputFD = inputFD
    self.outputFD = outputFD
  }

  /// Reads chunks on a dedicated thread (a blocking `read` must not hold a task executor).
  static func chunks(from fd: Int32) -> AsyncStream<[UInt8]> {
    AsyncStream { continuation in
      let thread = Thread {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
          let n = buffer.withUnsafeMutableBytes { raw -> Int in
            guard let base = raw.baseAddress else { return -1 }
            return read(fd, base, raw.count)
          }
          if n > 0 {
            continuation.yield(Array(buffer[0..<n]))
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

  /// Serves until `exit` or the end of the input; returns the process exit status.
  public func run(options: LanguageServerOptions) async -> Int32 {
    let writer = FileDescriptorWriter(fd: outputFD)
    let server = LanguageServer(options: options) { body in
      writer.write(MessageCoding.frame(body))
    }
    var parser = JSONMessageParser()
    for await chunk in JSONRPCConnection.chunks(from: inputFD) {
      for output in parser.feed(chunk) {
        switch output {
        case .message(let body): await server.handle(body)
        case .framingError(let message): await server.handleFramingError(message)
        }
        if let status = await server.exitStatus { return status }
      }
    }
    if !parser.isIdle {
      options.log?("the input ended in the middle of a message")
    }
    // Answer what was asked before the input ended (bounded, so a stuck request cannot hang exit).
    await server.drainInFlight(timeout: .seconds(10))
    return await server.statusAtEndOfInput
  }
}
