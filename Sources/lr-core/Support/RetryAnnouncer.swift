import Foundation
import LREngine
import LRSystem

/// Prints the retry notice on stderr (`lr: cannot reach HOST (connection refused); retrying for
/// up to 60 s (Ctrl-C stops)`), once per outage, whoever reports the retry: the client's budget
/// events (``Connection``) and a run's `retry` events share one announcer, so a retry both report
/// is announced once.
final class RetryAnnouncer: @unchecked Sendable {
  private let lock = NSLock()
  private var notice: RetryNotice

  /// An announcer naming the window `LR_RETRY_WINDOW` sets (60 s by default).
  init(window: Duration = RetryWindowSetting.window(ProcessInfo.processInfo.environment)) {
    notice = RetryNotice(window: window)
  }

  /// Announces a retry after `cause`, unless this outage was announced already.
  func announce(cause: String) {
    guard let line = lock.withLock({ notice.line(cause: cause) }) else { return }
    StandardStreams.err("lr: " + Terminal.sanitize(line) + "\n")
  }
}
