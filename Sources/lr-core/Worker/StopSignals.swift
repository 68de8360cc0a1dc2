import ArgumentParser
import Dispatch
import Foundation

/// SIGTERM and SIGINT for a long-running service (`lr worker`): the first one cancels the work
/// so it can stop cleanly (and exit 0); a second SIGINT exits at once, status 4.
enum StopSignals {
  /// Runs `body` in a task that SIGTERM or SIGINT cancels; a cancelled body ends normally.
  static func run(_ body: @escaping @Sendable () async throws -> Void) async throws {
    signal(SIGINT, SIG_IGN)
    signal(SIGTERM, SIG_IGN)
    let task = Task { try await body() }
    let sources = [SIGINT, SIGTERM].map { number in
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler {
        if task.isCancelled, number == SIGINT {
          Terminal.printError("lr: cancelled")
          exit(ExitStatus.cancelled.rawValue)
        }
        task.cancel()
      }
      source.resume()
      return source
    }
    defer {
      for source in sources { source.cancel() }
      signal(SIGINT, SIG_DFL)
      signal(SIGTERM, SIG_DFL)
    }
    do {
      try await task.value
    } catch  where task.isCancelled {
      // Stopped on request: what was running is back in the queue.
    }
  }
}
