import Foundation
import LRLanguage
import LRShell

/// A runner whose engine is still starting: `lr --lab` on a terminal shows its prompt at once and
/// starts the lab (emulator, client, journal) on a background task (start-up, issue 16.3). Each
/// call waits for the engine; a lab that could not start fails each call with its error.
final class DeferredRunner: StatementRunner, @unchecked Sendable {
  let kind: RunnerKind
  private let task: Task<EngineRunner, any Error>
  /// Guards `started`.
  private let lock = NSLock()
  /// The engine's storage once it has started (``storage`` is synchronous and cannot wait).
  private var started: [(label: String, path: String)]?

  /// Starts `start` on a task of its own now.
  init(kind: RunnerKind, start: @escaping @Sendable () async throws -> EngineRunner) {
    self.kind = kind
    let task = Task { try await start() }
    self.task = task
    Task { [weak self] in
      guard let engine = try? await task.value, let self else { return }
      self.lock.withLock { self.started = engine.storage }
    }
  }

  /// The engine, once started.
  private func engine() async throws -> EngineRunner { try await task.value }

  /// Where the engine records, once it has started; until then, that the lab is starting.
  var storage: [(label: String, path: String)] {
    lock.withLock { started } ?? [("lab", "starting")]
  }

  func run(
    _ plan: Plan, context: RunContext, events: @escaping @Sendable (ShellEvent) -> Void
  ) async throws -> ResultValues {
    try await engine().run(plan, context: context, events: events)
  }

  func cancel(job: JobID) async throws { try await engine().cancel(job: job) }

  func machines(filter: String?) async throws -> [MachineRecord] {
    try await engine().machines(filter: filter)
  }

  func library() async throws -> [LibraryRecord] { try await engine().library() }

  func actions() async throws -> [ActionRecord] { try await engine().actions() }

  func action(id: String) async throws -> ActionRecord { try await engine().action(id: id) }

  func cancelAction(id: String, comment: String) async throws -> ActionRecord {
    try await engine().cancelAction(id: id, comment: comment)
  }

  func preflight(_ plan: Plan) async throws -> String { try await engine().preflight(plan) }

  /// Closes the engine (and the lab) once it has started.
  func close() async {
    await (try? task.value)?.close()
  }
}
