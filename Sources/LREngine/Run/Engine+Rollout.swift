import DefenderClient
import LRLanguage
import LiveResponse

/// Staged rollout: a statement's machines in stages (canary, waves), each stage finished before
/// the next starts, and a failure breaker that pauses the run (issue 15 item 2).
extension Engine {
  /// A statement's rollout: the command line's options, each one it leaves unset taken from the
  /// statement's own (`with canary 10, …`).
  func rolloutPolicy(for statement: PlannedStatement) -> RolloutPolicy {
    (options.rollout ?? RolloutPolicy()).overriding(statement.rollout)
  }

  /// Refuses, before anything is sent, a rollout that cannot apply to the machines a statement
  /// resolved to (a breaker or a canary on one machine, a zero canary, …).
  func validateRollout(_ plan: Plan, resolved: [Int: [MachineRef]]) throws {
    for statement in plan.allStatements {
      let policy = rolloutPolicy(for: statement)
      guard !policy.isEmpty, let machines = resolved[statement.number] else { continue }
      do {
        try policy.validate(machineCount: machines.count)
      } catch {
        throw RunError(
          description: "statement \(statement.number): \(error.description)", unknown: [])
      }
    }
  }

  /// Runs a statement's machines in the stages of its rollout; the outcomes in machine order.
  /// Throws ``RunPause`` when a stage ends with the breaker tripped and machines left.
  func runStaged(_ statement: PlannedStatement, on machines: [MachineRef]) async throws
    -> [MachineOutcome]
  {
    let policy = rolloutPolicy(for: statement)
    guard !policy.isEmpty else {
      // Without a binding nothing reads the outcomes: none is kept while the fan-out runs.
      return try await fanOut(
        statement, on: machines, breaker: nil, keep: statement.binding != nil
      ).compactMap { $0 }
    }
    do {
      try policy.validate(machineCount: machines.count)
    } catch {
      throw RunError(
        description: "statement \(statement.number): \(error.description)", unknown: [])
    }
    let done = Set(
      resumed?.actions.keys.filter { $0.statement == statement.number }.map(\.machineID) ?? [])
    let rollout = Rollout(
      machines, policy: policy, bucket: try await rolloutBuckets(machines), done: done)
    let breaker = RolloutBreaker(
      policy: policy, statement: statement.number, sample: rollout.stages.first?.count ?? 0)
    var outcomes: [String: MachineOutcome] = [:]
    for stage in rollout.stages {
      for case let outcome? in try await fanOut(statement, on: stage, breaker: breaker) {
        outcomes[outcome.machine.id.lowercased()] = outcome
      }
      if let pause = await breaker.pause(remaining: machines.count - outcomes.count) {
        throw pause
      }
    }
    return machines.compactMap { outcomes[$0.id.lowercased()] }
  }

  /// One machine's part of a statement under a breaker: nil when the breaker keeps it from
  /// starting; else its outcome, counted (failed when an action failed or a script exited
  /// non-zero).
  func runMachine(
    _ statement: PlannedStatement, on machine: MachineRef, breaker: RolloutBreaker?
  ) async throws -> MachineOutcome? {
    guard let breaker else { return try await runRequests(statement, on: machine) }
    guard await breaker.admits() else { return nil }
    let outcome = try await runRequests(statement, on: machine)
    await breaker.record(failed: outcome.status != .succeeded || outcome.scriptFailed)
    return outcome
  }

  /// Each machine's (platform, device group) key, by lowercased id, from the machines the
  /// resolver read (looked up 25 ids a call when it has not).
  func rolloutBuckets(_ machines: [MachineRef]) async throws -> [String: String] {
    try await resolver.lookUp(machines.map(\.id))
    var buckets: [String: String] = [:]
    for machine in machines {
      let found = try await resolver.machine(named: machine.id)
      buckets[machine.id.lowercased()] =
        (found?.osPlatform ?? "") + "\u{1F}" + (found?.rbacGroupName ?? "")
    }
    return buckets
  }
}
