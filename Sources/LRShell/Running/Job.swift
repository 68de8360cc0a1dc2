import LiveResponse

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

  /// One action of the job as last reported (a statement makes one action per machine).
  public struct Action: Sendable, Equatable {
    public var machine: String
    public var status: ActionStatus
  }

  public var id: JobID
  /// The input's first line (shortened), for `.jobs`.
  public var title: String
  public var state: State
  public var started: ContinuousClock.Instant
  public var results: [Entry] = []
  /// The job's actions by action id, with their latest status.
  public var actions: [String: Action] = [:]

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

  /// Machines where an action of this job is running on the device (`InProgress`), sorted.
  public var runningOnDevice: [String] {
    Set(actions.values.filter { $0.status == .inProgress }.map(\.machine)).sorted()
  }
}
