import LRLanguage

/// What completion knows about the session when Tab is pressed: names in scope, the default
/// target, names from the service (machines, library scripts and files) and bound results.
public struct CompletionContext: Sendable {
  public var environment: Compiler.Environment?
  public var defaultTarget: TargetSelector?
  public var names: CompletionNames
  /// Bound results (`let r = on …`) by name, with what `.stack` counts: row columns, then fields.
  public var results: [String: [String]]

  public init(
    environment: Compiler.Environment? = nil, defaultTarget: TargetSelector? = nil,
    names: CompletionNames = CompletionNames(), results: [String: [String]] = [:]
  ) {
    self.environment = environment
    self.defaultTarget = defaultTarget
    self.names = names
    self.results = results
  }
}
