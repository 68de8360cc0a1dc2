import LRLanguage

/// What executes compiled statements for the REPL: the engine (through the Defender client), or
/// ``PlanPreviewRunner`` when no service is connected.
///
/// The session calls ``run(_:context:events:)`` once per input that compiled, on a task of its
/// own, so several inputs may run at once. The runner reports progress only through `events`
/// (never by printing) and returns the result values of the bindings the steps made.
public protocol StatementRunner: Sendable {
  /// Where statements go: offline preview, the lab, or a tenant profile (prompt and banners).
  var kind: RunnerKind { get }

  /// Runs the plan of one input in order (statements and `if` branches).
  /// - Parameters:
  ///   - plan: the input's compiled plan, as the compiler produced it; targets are symbolic, the
  ///     runner resolves them.
  ///   - context: the job id, earlier results (for `if` and `${r.output}`) and sources.
  ///   - events: progress, in order; may be called from any task.
  /// - Returns: the values of results bound by these steps (`let r = on …`), by binding name.
  func run(
    _ plan: Plan, context: RunContext, events: @escaping @Sendable (ShellEvent) -> Void
  ) async throws -> ResultValues

  /// Cancels a running job: cancels its actions through the API. Returns at once; the job's
  /// `run` then ends with ``ShellEvent/Outcome/cancelled``.
  func cancel(job: JobID) async throws

  /// Machines of the fleet, optionally filtered (name glob or prefix).
  func machines(filter: String?) async throws -> [MachineRecord]

  /// Files in the Live Response library (scripts and files for `put`).
  func library() async throws -> [LibraryRecord]

  /// Recent machine actions (including queued ones from earlier sessions).
  func actions() async throws -> [ActionRecord]

  /// One machine action by id (`.cancel ACTION-ID` shows it before asking).
  func action(id: String) async throws -> ActionRecord

  /// Cancels a machine action through the API with `comment`; the action as the service
  /// answered.
  func cancelAction(id: String, comment: String) async throws -> ActionRecord

  /// `.plan`: the live pre-flight of a plan as text (each machine's state, the budget); sends
  /// nothing.
  func preflight(_ plan: Plan) async throws -> String

  /// Where the runner records what it does (journal, audit log, results), for `.profile`.
  var storage: [(label: String, path: String)] { get }
}

extension StatementRunner {
  /// Nothing recorded (the offline preview).
  public var storage: [(label: String, path: String)] { [] }
}

extension StatementRunner {
  /// Runners without a service (the offline preview) have no actions.
  public func action(id: String) async throws -> ActionRecord { throw RunnerError.notConnected }

  /// Runners without a service (the offline preview) cannot check machines.
  public func preflight(_ plan: Plan) async throws -> String { throw RunnerError.notConnected }

  /// Runners without a service (the offline preview) cancel nothing.
  public func cancelAction(id: String, comment: String) async throws -> ActionRecord {
    throw RunnerError.notConnected
  }
}
