import ArgumentParser
import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
import LRSystem
#endif

/// A command that SIGINT (Ctrl-C) cancels, exiting with status 4 ("cancelled").
///
/// The one-shot commands (`lr machines`, `lr library …`, `lr actions …`, `lr login`, `lr logout`,
/// `lr runs`, `lr audit verify`) have nothing to save. `lr run` and `lr resume` stop the run:
/// nothing more is submitted, actions the service accepted keep running there and stay in the
/// journal, the run is recorded `interrupted` with its manifest, and `lr resume` finishes it.
/// The REPL handles Ctrl-C itself (it cancels the running action through the API), `lr emulator`
/// stops its server cleanly, `lr lsp` is stopped by its editor (`shutdown`, `exit`), and the
/// synchronous local commands exit at once (``ImmediateInterrupt``).
///
/// Such a command is `Sendable` (its options are plain values), so ``Interrupt/run(_:)`` can hand
/// it to the task that the signal cancels.
protocol CancelsOnInterrupt: AsyncParsableCommand, Sendable {}

/// SIGINT handling for ``CancelsOnInterrupt`` commands.
enum Interrupt {
  /// Set once the first SIGINT arrived.
  private static let state = InterruptState()

  /// Whether the user pressed Ctrl-C (sent SIGINT) during the command.
  static var requested: Bool { state.count > 0 }

  /// Runs `command` in a task that the first SIGINT cancels (the command then fails with
  /// whatever cancellation produced, and ``ErrorReporting`` reports "cancelled", status 4). A
  /// second SIGINT exits at once, also with status 4.
  static func run(_ command: any CancelsOnInterrupt) async throws {
    signal(SIGINT, SIG_IGN)
    let task = Task {
      var command = command
      try await command.run()
    }
    let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    source.setEventHandler {
      if state.increment() == 1 {
        task.cancel()
      } else {
        Terminal.printError("lr: cancelled")
        exit(ExitStatus.cancelled.rawValue)
      }
    }
    source.resume()
    defer {
      source.cancel()
      signal(SIGINT, SIG_DFL)
    }
    try await task.value
  }
}

/// How many SIGINTs arrived (a lock, as `Atomic` needs macOS 15).
private final class InterruptState: @unchecked Sendable {
  private let lock = NSLock()
  private var value = 0

  var count: Int {
    lock.lock()
    defer { lock.unlock() }
    return value
  }

  /// Counts one more signal; returns the new count.
  func increment() -> Int {
    lock.lock()
    defer { lock.unlock() }
    value += 1
    return value
  }
}
