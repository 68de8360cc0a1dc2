/// One submitted input in a session: what it was, where it stands, and the results it produced.
public struct Job: Sendable {
  /// Where a job stands.
  public enum State: Sendable, Equatable {
    case running
    case finished(ShellEvent.Outcome)
  }

  /// One command's result on one machine.
  public struct Entry: Sendable {
    public var machine: ShellEvent.Machine
    public var command: ShellEvent.Command
    public var result: ShellEvent.CommandResult
  }

  public var id: JobID
  /// The input's first line (shortened), for `.jobs`.
  public var title: String
  public var state: State
  public var started: ContinuousClock.Instant
  public var results: [Entry] = []

  init(id: JobID, input: String) {
    self.id = id
    let first =
      input.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
    self.title = first.count > 60 ? String(first.prefix(59)) + "…" : first
    self.state = .running
    self.started = .now
  }

  /// Whether the job is still running.
  public var isRunning: Bool { state == .running }
}
