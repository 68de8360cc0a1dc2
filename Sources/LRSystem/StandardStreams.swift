#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one writer of standard output and standard error: plain `write(2)` calls that never trap.
///
/// A reader that goes away (`lr machines | head -3`) closes standard output; the next write fails
/// with `EPIPE` (the networking library ignores `SIGPIPE` process-wide). lr then exits at once
/// with status 141, as a process killed by `SIGPIPE` would, and prints nothing: whatever a run
/// submitted is in the journal, and `lr resume` finishes it. A closed standard error only loses
/// the message.
public enum StandardStreams {
  /// The status of a process that wrote to a closed pipe (128 + SIGPIPE).
  public static let closedPipeStatus: Int32 = 141

  /// Writes text to standard output; exits 141 if its reader has gone, 1 if it cannot be
  /// written otherwise (a full disk), saying so on standard error.
  public static func out(_ text: String) {
    let error = write(text, to: STDOUT_FILENO)
    if error == 0 { return }
    if error == EPIPE { _exit(closedPipeStatus) }
    err("lr: cannot write to standard output: " + String(cString: strerror(error)) + "\n")
    _exit(1)
  }

  /// Writes text to standard error (dropped if standard error cannot be written).
  public static func err(_ text: String) {
    _ = write(text, to: STDERR_FILENO)
  }

  /// Writes every byte of `text` (see ``write(bytes:to:)``); 0, or the `errno` that stopped it.
  @discardableResult
  public static func write(_ text: String, to fd: Int32) -> Int32 {
    var text = text
    return text.withUTF8 { write(bytes: UnsafeRawBufferPointer($0), to: fd) }
  }

  /// Writes every byte, retrying after interruptions, short writes and a full non-blocking
  /// descriptor; 0, or the `errno` that stopped it (`EPIPE`: the reader has gone).
  @discardableResult
  public static func write(bytes: UnsafeRawBufferPointer, to fd: Int32) -> Int32 {
    guard var next = bytes.baseAddress else { return 0 }
    var left = bytes.count
    while left > 0 {
      let written = systemWrite(fd, next, left)
      if written >= 0 {
        next += written
        left -= written
      } else if errno == EINTR {
        continue
      } else if errno == EAGAIN || errno == EWOULDBLOCK {
        var ready = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        _ = poll(&ready, 1, -1)
      } else {
        return errno
      }
    }
    return 0
  }

  private static func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int)
    -> Int
  {
    #if canImport(Glibc)
    Glibc.write(fd, bytes, count)
    #else
    Darwin.write(fd, bytes, count)
    #endif
  }
}
