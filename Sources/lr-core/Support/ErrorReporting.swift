import ArgumentParser
import DefenderClient
import Foundation
import LRSystem
import LRTeam

/// The one place that turns any error into a message on stderr and an exit status.
enum ErrorReporting {
  /// The exit status for an error (see ExitStatus).
  static func exitCode(for error: any Error) -> ExitCode {
    if let exit = error as? ExitCode { return exit }
    if error is CancellationError { return ExitStatus.cancelled }
    if let error = error as? DefenderClientError { return ExitCode(error.exitStatus) }
    if let error = error as? TeamError { return ExitCode(error.exitStatus) }
    if error is ValidationError || error is UsageError { return ExitStatus.usage }
    return ExitStatus.failure
  }

  /// The sentence printed for an error (sanitized; never contains a secret).
  static func message(for error: any Error) -> String {
    if let error = error as? DefenderClientError {
      var text = error.message
      if let code = error.serviceCode, !text.contains(code) { text += " [\(code)]" }
      if let id = error.correlationID { text += " (correlation id \(id))" }
      if let wait = error.retryAfter, error.kind == .rateLimited {
        text += "; the service asked to wait \(wait.components.seconds)s"
      }
      return Terminal.sanitize(text)
    }
    if error is CancellationError { return "cancelled" }
    if let error = error as? TeamError { return Terminal.sanitize(error.description) }
    if let error = error as? ValidationError { return error.message }
    if let error = error as? UsageError { return Terminal.sanitize(error.description) }
    return Terminal.sanitize(String(describing: error))
  }

  /// Prints `lr: error: …` and returns the exit status to throw.
  ///
  /// After Ctrl-C (see ``Interrupt``) any error is what cancelling produced (a cancelled wait,
  /// a dropped request): it is reported as `lr: cancelled`, status 4.
  static func report(_ error: any Error) -> ExitCode {
    // A run that stopped on Ctrl-C has said so in its summary and returns status 4 itself.
    if Interrupt.requested, let exit = error as? ExitCode, exit == ExitStatus.cancelled {
      return exit
    }
    if Interrupt.requested {
      Terminal.printError("lr: cancelled")
      return ExitStatus.cancelled
    }
    if let exit = error as? ExitCode { return exit }
    Terminal.printError("lr: error: " + message(for: error))
    return exitCode(for: error)
  }

  /// Runs a command body, reporting any error and exiting with its status.
  static func run(_ body: () async throws -> Void) async throws {
    do { try await body() } catch { throw report(error) }
  }
}
