/// Where a session writes: results and messages, and errors (diagnostics). The terminal REPL
/// sends both above the prompt; batch mode sends them to standard output and standard error.
public struct ShellOutput: Sendable {
  public var out: @Sendable (String) -> Void
  public var err: @Sendable (String) -> Void

  public init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void)
  {
    self.out = out
    self.err = err
  }
}
