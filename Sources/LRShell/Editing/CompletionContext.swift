import LRLanguage

/// What completion knows about the session when Tab is pressed: names in scope, the default
/// target and names from the service (machines, library scripts and files).
public struct CompletionContext: Sendable {
  public var environment: Compiler.Environment?
  public var defaultTarget: TargetSelector?
  public var names: CompletionNames

  public init(
    environment: Compiler.Environment? = nil, defaultTarget: TargetSelector? = nil,
    names: CompletionNames = CompletionNames()
  ) {
    self.environment = environment
    self.defaultTarget = defaultTarget
    self.names = names
  }
}
