#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ctrl-C for the local commands (`lr check`, `lr compile`, `lr fmt`): SIGINT exits at once,
/// status 4 (cancelled), saying `lr: cancelled`. They only read files and rewrite them
/// atomically, so there is nothing to stop cleanly.
public enum ImmediateInterrupt {
  /// Installs the handler (and unblocks SIGINT, which a parent may have blocked).
  public static func install() {
    _ = cancelledMessage.count  // initialised now, not inside the handler
    var unblocked = sigset_t()
    sigemptyset(&unblocked)
    sigaddset(&unblocked, SIGINT)
    pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
    signal(SIGINT) { _ in
      cancelledMessage.withUnsafeBytes { bytes in
        _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count)
      }
      _exit(4)  // ExitStatus.cancelled
    }
  }
}

/// What the handler writes (bytes ready before any signal, since a signal handler may not
/// allocate).
private let cancelledMessage: [UInt8] = Array("lr: cancelled\n".utf8)
