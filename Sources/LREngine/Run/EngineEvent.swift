import Foundation
import LiveResponse

/// What the engine tells front ends. Renderers (REPL, batch progress, JSON lines) subscribe to
/// these; the engine never prints.
///
/// Command `index`es count from 0 across the statement's requests on one machine (front ends show
/// them from 1); the service's own index within an action is in the journal and the manifest.
public enum EngineEvent: Sendable {
  case runStarted(runID: String, statements: Int)
  /// A statement's target resolved to machines (or to names that were not found); `unmatched` is
  /// the target as written (`tag "x"`) when the target itself matched no machine.
  case machinesResolved(
    statement: Int, machines: [MachineRef], unknown: [String], unmatched: String? = nil)
  /// The action was journaled and sent; the service returned its id.
  case actionSubmitted(statement: Int, machine: MachineRef, request: Int, actionID: String)
  /// The device is offline: the service holds the action for up to 3 days.
  case actionQueued(actionID: String, machine: MachineRef)
  case actionStarted(actionID: String, machine: MachineRef)
  case commandStarted(actionID: String, machine: MachineRef, index: Int, type: String)
  case commandCompleted(
    actionID: String, machine: MachineRef, index: Int, type: String, duration: TimeInterval?)
  case commandFailed(
    actionID: String, machine: MachineRef, index: Int, type: String, errors: [String])
  /// Commands after a failure that the service did not run (`actionID` nil: the request was never
  /// sent, because an earlier action on the machine failed).
  case commandNotExecuted(
    actionID: String?, machine: MachineRef, index: Int, type: String, reason: String)
  case resultReady(actionID: String, machine: MachineRef, index: Int, result: CommandResult)
  /// The action reached a terminal status (`Succeeded`, `Failed`, `TimeOut`, `Cancelled`).
  case actionFinished(actionID: String, machine: MachineRef, status: ActionStatus)
  /// The service refused to create the action on this machine (no action exists): the machine
  /// failed, the run goes on.
  case actionRefused(statement: Int, machine: MachineRef, request: Int, refusal: Refusal)
  /// Waiting for API budget: which limit, and until when.
  case waitingForBudget(reason: String, until: Date)
  case retry(reason: String, attempt: Int, after: TimeInterval)
  /// The failure breaker of a staged rollout tripped: the run stops before the machines not
  /// started, is journaled as paused, and `lr resume` continues it. `runFinished` follows.
  case runPaused(runID: String, pause: RunPause)
  case runFinished(runID: String, summary: RunSummary)
}

/// A machine as shown to the user.
public struct MachineRef: Sendable, Hashable, Codable {
  public var id: String
  public var computerName: String
  public init(id: String, computerName: String) {
    self.id = id
    self.computerName = computerName
  }
}

/// What a completed command produced.
public enum CommandResult: Sendable, Equatable {
  /// RunScript: the transcript, saved at `path`.
  case script(exitCode: Int, output: String, errors: String, path: String)
  /// GetFile: the file, saved (decompressed) at `path`.
  case file(path: String, size: Int64, sha256: String)
}

/// Counts at the end of a run, and the exit status they mean.
public struct RunSummary: Sendable, Equatable, Codable {
  public var succeeded = 0
  public var failed = 0
  public var timedOut = 0
  public var cancelled = 0
  /// Still queued on the service (offline devices) when the run stopped waiting.
  public var pending = 0
  /// The run stopped (`--timeout`) before every statement had run, even if nothing was in flight.
  public var stoppedEarly = false
  /// The user interrupted the run (Ctrl-C): it stopped early, and `lr resume` finishes it.
  public var interrupted = false
  /// What stopped the whole run (sign-in, configuration, …), when something did.
  public var failure: RunFailure?
  /// The staged rollout's breaker paused the run (`lr resume` continues it).
  public var paused: RunPause?
  /// lr stopped before journaling or sending anything (unknown machines, no machine matched, the
  /// pre-flight, …): ``failure`` says why; the run id names no journaled run.
  public var refused = false
  /// `--dry-run`: the targets were resolved and nothing was sent or journaled.
  public var dryRun = false
  public init() {}

  /// The summary of a run lr stopped before journaling or sending anything.
  public static func refusal(_ failure: RunFailure) -> RunSummary {
    var summary = RunSummary()
    summary.refused = true
    summary.failure = failure
    return summary
  }

  /// Counts one finished action by its final status.
  mutating func count(_ status: ActionStatus) {
    switch status {
    case .succeeded: succeeded += 1
    case .timeOut: timedOut += 1
    case .cancelled: cancelled += 1
    default: failed += 1
    }
  }

  /// The failure's status when the run stopped on one; else 5 the breaker paused it; 0 all
  /// succeeded; 1 some failed, timed out, is still pending or never started; 4 cancelled (an
  /// action was cancelled, or the user interrupted the run).
  public var exitStatus: Int32 {
    if let failure { return failure.exitStatus }
    if paused != nil { return 5 }
    if cancelled > 0 || interrupted { return 4 }
    return failed + timedOut + pending > 0 || stoppedEarly ? 1 : 0
  }
}
