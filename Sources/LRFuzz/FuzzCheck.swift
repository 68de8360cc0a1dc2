import LRLanguage

/// Runs the checks of one kind on one input, under a time guard.
public enum FuzzCheck {
  /// Nil when the input passes; otherwise what went wrong ("hang" when it outlasted `limit`).
  public static func run(
    _ kind: FuzzKind, _ input: [UInt8], modules: any ModuleProvider, limit: Duration
  ) -> String? {
    let outcome = TimeGuard.run(limit: limit) { () -> String? in
      switch kind {
      case .check: LanguageChecks.check(input, modules: modules)
      case .format:
        LanguageChecks.check(input, modules: modules)
          ?? LanguageChecks.format(input, modules: modules)
      case .framing: FramingCheck.check(input)
      }
    }
    guard let outcome else { return "hang: still running after \(limit)" }
    return outcome
  }
}
