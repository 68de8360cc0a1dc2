import Foundation
import LRSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sends whole frames to a file descriptor, one frame at a time (``StandardStreams/write(bytes:to:)``
/// does the retrying; a failed write ends the frame silently: the client has gone).
final class FileDescriptorWriter: @unchecked Sendable {
  let fd: Int32
  let lock = NSLock()

  init(fd: Int32) { self.fd = fd }

  /// Sends all bytes of one frame before any other frame's.
  func send(_ bytes: [UInt8]) {
    lock.withLock { _ = bytes.withUnsafeBytes { StandardStreams.write(bytes: $0, to: fd) } }
  }
}

/// The language server over a pair of file descriptors (stdin and the real stdout for `lr lsp`):
/// `Content-Length` framing in both directions.
public struct JSONRPCConnection: Sendable {
  /// Where messages are read from.
  public let inputFD: Int32
  /// Where messages are written to.
  public let outputFD: Int32
  /// How long the input may pause inside a frame before the frame counts as broken (a client
  /// writes a frame at once; a `Content-Length` longer than the body would otherwise wait for
  /// bytes that never come).
  public let inputPause: Duration

  /// Creates a connection.
  public init(inputFD: Int32, outputFD: Int32, inputPause: Duration = .seconds(1)) {
    self.inputFD = inputFD
    self.outputFD = outputFD
    self.inputPause = inputPause
  }

  /// Serves until `exit` or the end of the input; returns the process exit status.
  public func run(options: LanguageServerOptions) async -> Int32 {
    let writer = FileDescriptorWriter(fd: outputFD)
    let server = LanguageServer(options: options) { body in
      writer.send(MessageCoding.frame(body))
    }
    var parser = JSONMessageParser()
    for await event in JSONRPCConnection.events(from: inputFD, pause: inputPause) {
      let outputs =
        switch event {
        case .bytes(let chunk): parser.feed(chunk)
        case .paused: parser.inputPaused()
        }
      if let status = await JSONRPCConnection.deliver(outputs, to: server) { return status }
    }
    if !parser.isIdle {
      options.log?("the input ended in the middle of a message")
    }
    // A frame cut short may hold the start of others (a Content-Length longer than its body).
    if let status = await JSONRPCConnection.deliver(parser.inputPaused(), to: server) {
      return status
    }
    // Answer what was asked before the input ended (bounded, so a stuck request cannot hang exit).
    await server.drainInFlight(timeout: .seconds(10))
    return await server.statusAtEndOfInput
  }

  /// Hands parsed messages and framing errors to the server; the exit status once it has one.
  static func deliver(_ outputs: [JSONMessageParser.Output], to server: LanguageServer) async
    -> Int32?
  {
    for output in outputs {
      switch output {
      case .message(let body): await server.handle(body)
      case .framingError(let message): await server.handleFramingError(message)
      }
      if let status = await server.exitStatus { return status }
    }
    return nil
  }
}
