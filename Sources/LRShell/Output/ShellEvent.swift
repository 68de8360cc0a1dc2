import LRLanguage
import LiveResponse

/// What happens to a statement while it runs: the engine emits these, ``ShellRenderer`` prints them.
///
/// Text inside events (script output, reasons, machine names) is *untrusted*: it may come from a
/// host or the service. The renderer sanitizes everything before it reaches the terminal, so the
/// engine passes it through unchanged.
public enum ShellEvent: Sendable {
  /// The statement was accepted by the session and handed to the runner.
  case submitted(target: String, requests: Int)
  /// The targets resolved to these machines (one action per machine follows).
  case resolved(machines: [Machine])
  /// The runner is holding a request back to stay inside the API budget.
  case waitingForBudget(machine: Machine?, reason: String, retryAfterSeconds: Double?)
  /// The action was created on the service but the device is offline: it waits there (up to 3 days).
  case queued(machine: Machine, actionID: String, reason: String)
  /// An action (one request body) changed status on one machine.
  case actionStatus(
    machine: Machine, actionID: String, status: ActionStatus, elapsedSeconds: Double)
  /// One command changed status on one machine.
  case commandStatus(
    machine: Machine, command: Command, status: CommandStatus, elapsedSeconds: Double)
  /// One command completed on one machine and its result was fetched.
  case commandCompleted(
    machine: Machine, command: Command, result: CommandResult, elapsedSeconds: Double)
  /// The service refused to create the action on this machine (the reason is the service's);
  /// the other machines go on.
  case refused(machine: Machine, reason: String)
  /// A command was not run on a machine (an earlier command failed, the action was cancelled, …).
  case notExecuted(machine: Machine, command: Command, reason: String)
  /// A request body that would be sent (the offline preview instead of sending it).
  case preview(machine: Machine?, request: RequestBody, index: Int, count: Int)
  /// A free-form note from the runner (one line).
  case note(String)
  /// The statement ended.
  case finished(Outcome, elapsedSeconds: Double)

  /// A machine as the events name it.
  public struct Machine: Sendable, Hashable {
    /// The computer name (what analysts read).
    public var name: String
    /// The 40-hex machine id, when known.
    public var id: String?
    public init(name: String, id: String? = nil) {
      self.name = name
      self.id = id
    }
  }

  /// One command of a request body.
  public struct Command: Sendable, Hashable {
    /// 0-based position of the command across the statement's request bodies on this machine.
    public var index: Int
    public var type: CommandType
    /// A short description: `run minidump.ps1 OfficeClickToRun`, `get C:\…`.
    public var summary: String
    public init(index: Int, type: CommandType, summary: String) {
      self.index = index
      self.type = type
      self.summary = summary
    }
  }

  /// What a completed command produced. Output bytes are raw (maybe not UTF-8); render sanitizes.
  public enum CommandResult: Sendable, Hashable {
    /// RunScript: exit code, standard output and standard error.
    case script(exitCode: Int, output: [UInt8], errors: [UInt8])
    /// GetFile: where the (decompressed) file was saved, its size and SHA-256 (hex).
    case file(path: String, size: Int64, sha256: String)
    /// PutFile: nothing but success.
    case put
    /// The command failed; the service's reason.
    case failed(reason: String)
  }

  /// How a statement ended.
  public enum Outcome: Sendable, Hashable {
    case succeeded
    case failed(reason: String)
    case cancelled
    /// Still queued on the service (offline devices); `lr resume` or `.actions` picks it up.
    case queued
    /// Nothing was sent (offline preview).
    case previewed
  }
}
