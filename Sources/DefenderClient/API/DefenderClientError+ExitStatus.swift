extension DefenderClientError {
  /// The process exit status this error means, shared by every command and by runs that stop on
  /// it: 3 sign-in or configuration (including a 403 for a missing app permission), 4 cancelled,
  /// 2 bad input from the caller, 1 anything the service refused or failed.
  public var exitStatus: Int32 {
    switch kind {
    case .configuration, .signIn: return 3
    case .permissionDenied:
      // A device's own refusal is that machine's failure, not a configuration problem.
      return serviceCode == "DisallowedOperation" ? 1 : 3
    case .cancelled: return 4
    case .invalidInput: return 2
    default: return 1
    }
  }
}
