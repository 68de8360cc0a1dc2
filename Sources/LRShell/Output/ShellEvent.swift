import LREngine
import LRLanguage
import LiveResponse

/// What happens to a statement while it runs: runners emit these, ``ShellRenderer`` prints them.
///
/// Two kinds: ``engine(_:views:)`` carries an engine event exactly as `lr run` reports it (its
/// JSON line is the engine's own, ``LREngine/EngineEvent/json(context:)``, plus the job) with the
/// shell's *views* of it (text lines, the job's results and actions); the other cases are those
/// views, and the REPL's own events (`submitted`, `preview`, `note`, `finished`). A view prints as
/// text only: in JSON mode the engine event it stands for is the line.
///
/// Text inside events (script output, reasons, machine names) is *untrusted*: it may come from a
/// host or the service. The renderer sanitizes everything before it reaches the terminal, so the
/// engine passes it through unchanged.
public enum ShellEvent: Sendable {
  /// An engine event (the JSON line) and the shell's views of it (the text, the job's records).
  case engine(EngineEvent, views: [ShellEvent])
  /// The statement was accepted by the session and handed to the runner (REPL only).
  case submitted(target: String, requests: Int)
  /// View: the targets resolved to these machines (one action per machine follows).
  case resolved(machines: [Machine])
  /// View: the runner is holding a request back to stay inside the API budget.
  case waitingForBudget(machine: Machine?, reason: String, retryAfterSeconds: Double?)
  /// View: an action (one request body) changed status on one machine.
  case actionStatus(
    machine: Machine, actionID: String, status: ActionStatus, elapsedSeconds: Double)
  /// View: one command completed on one machine and its result was fetched.
  case commandCompleted(
    machine: Machine, command: Command, result: CommandResult, elapsedSeconds: Double)
  /// View: the service refused to create the action on this machine (the reason is the
  /// service's); the other machines go on.
  case refused(machine: Machine, reason: String)
  /// View: a command was not run on a machine (an earlier command failed, the action was
  /// cancelled, …).
  case notExecuted(machine: Machine, command: Command, reason: String)
  /// A request body that would be sent (the offline preview instead of sending it; REPL only).
  case preview(machine: Machine?, request: RequestBody, index: Int, count: Int)
  /// A free-form note from the runner (one line; REPL only).
  case note(String)
  /// The input ended (REPL only).
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
