import DefenderClient
import Foundation
import LRLanguage

/// Why the service refused to create an action on one machine (HTTP 4xx such as
/// `DisallowedOperation`, a device that stayed busy, an unknown machine id), or why the
/// submission could not be completed. It is that machine's failure; the run goes on.
public struct Refusal: Sendable, Equatable {
  /// The service's sentence (or lr's, when the service sent none), without internal names.
  public var message: String
  /// The service's error code (`DisallowedOperation`, `ActiveRequestAlreadyExists`, …).
  public var code: String?
  /// The HTTP status the service answered, when there was one.
  public var httpStatus: Int?

  public init(message: String, code: String? = nil, httpStatus: Int? = nil) {
    self.message = message
    self.code = code
    self.httpStatus = httpStatus
  }

  /// The refusal an error stands for.
  public init(_ error: any Error) {
    if let error = error as? DefenderClientError {
      self.init(message: error.message, code: error.serviceCode, httpStatus: error.httpStatus)
    } else {
      self.init(message: String(describing: error))
    }
  }
}

/// Why a whole run stopped: its message and the exit status it means.
public struct RunFailure: Sendable, Equatable, Codable {
  /// A sentence saying what stopped the run (sign-in, configuration, the journal, …).
  public var message: String
  /// The process exit status for it: 2 usage, 3 sign-in or configuration, 4 cancelled, else 1.
  public var exitStatus: Int32

  public init(message: String, exitStatus: Int32) {
    self.message = message
    self.exitStatus = exitStatus
  }

  /// The failure an error stands for.
  public init(_ error: any Error) {
    switch error {
    case let error as DefenderClientError:
      self.init(message: error.message, exitStatus: error.exitStatus)
    case let error as Engine.RunError:
      self.init(message: error.description, exitStatus: 2)
    case is CancellationError:
      self.init(message: "cancelled", exitStatus: 4)
    default:
      self.init(message: String(describing: error), exitStatus: 1)
    }
  }
}

extension Engine {
  /// Whether an error stops the whole run rather than failing only the machine it was sent to:
  /// sign-in, configuration, and 403s other than a device's own `DisallowedOperation` (the app
  /// lacks the permission, or Live Response is disabled for the tenant), which every machine
  /// would meet. Errors that are not the service's (the journal, the disk) stop it too.
  static func stopsTheRun(_ error: any Error) -> Bool {
    guard let error = error as? DefenderClientError else { return true }
    switch error.kind {
    case .signIn, .configuration: return true
    case .permissionDenied: return error.serviceCode != "DisallowedOperation"
    default: return false
    }
  }
}
