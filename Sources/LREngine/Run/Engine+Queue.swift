import Foundation
import LRLanguage
import LiveResponse

/// What `lr run --detach` queued: the run as journaled, its machines and the actions it plans.
public struct QueuedRun: Sendable {
  /// The run, journaled `queued` with its source text and modules.
  public var record: RunRecord
  /// How many machines its resolved statements target (a machine in two statements counts twice).
  public var machines: Int
  /// How many actions its resolved statements plan (statements that read results resolve later).
  public var actions: Int
}

extension Engine {
  /// Journals a run for a worker to execute (`lr run --detach`): its targets resolved, its source
  /// and modules kept, the state `queued`, audited (`run.queued`); nothing is sent. A worker
  /// executes it as `lr resume` would (``resume(_:run:settle:)``).
  public func enqueue(
    _ plan: Plan, sourcePath: String, sourceText: String, modules: [String: String] = [:]
  ) async throws -> QueuedRun {
    runID = RunToken.newRunID()
    startedAt = Date()
    let resolved = try await resolveStaticTargets(plan)
    try validateRollout(plan, resolved: resolved)
    for statement in plan.allStatements {
      try await checkFanOut(statement, machines: resolved[statement.number]?.count ?? 0)
    }
    let record = RunRecord(
      id: runID, createdAt: startedAt, sourcePath: sourcePath, sourceText: sourceText,
      modules: modules, profile: options.profile, tenant: options.tenant,
      resultsDirectory: options.resultsRoot.path, state: .queued, parentRun: options.parentRun,
      rollout: options.rollout)
    try journal.create(record)
    for (statement, machines) in resolved {
      try recordTargets(statement: statement, machines: machines)
    }
    try audit.append(
      event: "run.queued",
      fields: [
        ("run", .string(runID)), ("source", .string(sourcePath)),
        ("tenant", .string(options.tenant)),
      ])
    var machines = 0
    var actions = 0
    for statement in plan.allStatements {
      guard let targets = resolved[statement.number] else { continue }
      machines += targets.count
      actions += targets.count * statement.requests.count
    }
    return QueuedRun(record: record, machines: machines, actions: actions)
  }

  /// `--max-machines` and `--confirm-above`, asked when the run is queued (a worker does not ask).
  func checkFanOut(_ statement: PlannedStatement, machines count: Int) async throws {
    if let limit = options.maxMachines, count > limit {
      throw RunError(
        description:
          "statement \(statement.number) would touch \(count) machines; --max-machines is \(limit)",
        unknown: [])
    }
    guard count > options.confirmAbove else { return }
    guard await options.confirm?(statement.number, count) ?? false else {
      throw RunError(
        description:
          "statement \(statement.number) would touch \(count) machines (more than "
          + "\(options.confirmAbove)); confirm on a terminal or pass --yes",
        unknown: [])
    }
  }
}
