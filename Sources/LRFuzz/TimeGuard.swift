import Foundation

/// Runs work on its own thread with a deadline, so an input that hangs is reported, not waited on.
public enum TimeGuard {
  /// The result of `body`, or nil when it did not finish within `limit` (its thread keeps running:
  /// a caller that saw a hang should report it and exit).
  public static func run<T: Sendable>(limit: Duration, _ body: @escaping @Sendable () -> T) -> T? {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
      box.set(body())
      done.signal()
    }
    thread.stackSize = 8 << 20
    thread.start()
    let (seconds, attoseconds) = limit.components
    let wait = Double(seconds) + Double(attoseconds) * 1e-18
    guard done.wait(timeout: .now() + wait) == .success else { return nil }
    return box.get()
  }
}

/// A value handed from the guarded thread to the waiting one.
final class ResultBox<T: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var value: T?

  func set(_ newValue: T) {
    lock.lock()
    value = newValue
    lock.unlock()
  }

  func get() -> T? {
    lock.lock()
    defer { lock.unlock() }
    return value
  }
}
