import DefenderClient
import Foundation
import LRLanguage

/// A live pre-flight of a plan: every statement's targets resolved against the tenant, each
/// machine's ``Eligibility``, and the ``PlanBudget``. Two list calls (machines, and the machine
/// actions pending or in progress); nothing is submitted.
public struct Preflight: Sendable {
  /// One verdict per statement and machine, in plan order.
  public var verdicts: [Eligibility]
  /// Statements whose targets read earlier results: resolved only when the run gets there.
  public var deferred: [Int]
  /// Names that matched no machine, with suggestions.
  public var unknown: [TargetResolver.UnknownName]
  public var budget: PlanBudget

  /// The verdicts that stop `lr run` (or that `--skip-ineligible` skips).
  public var blocked: [Eligibility] { verdicts.filter(\.blocks) }

  /// Resolves and assesses `plan` on the tenant behind `api`.
  public static func check(
    _ plan: Plan, api: DefenderAPI, baseDirectory: URL, now: Date = Date()
  ) async throws -> Preflight {
    let resolver = TargetResolver(api: api, baseDirectory: baseDirectory)
    let fleet = try await resolver.allMachines()
    let active = try await api.machineActions(
      filter: "status in ('Pending','InProgress')", followNextLink: true)
    var byID: [String: Machine] = [:]
    for machine in fleet { byID[machine.id.lowercased()] = machine }
    var verdicts: [Eligibility] = []
    var deferred: [Int] = []
    var unknown: [TargetResolver.UnknownName] = []
    for statement in plan.allStatements {
      guard statement.target.isStatic else {
        deferred.append(statement.number)
        continue
      }
      let found = try await resolver.resolve(statement.target, results: [:])
      unknown += found.unknown
      let script = ScriptPlatform.of(statement)
      for ref in found.machines {
        verdicts.append(
          Eligibility.assess(
            statement: statement.number, ref: ref, machine: byID[ref.id.lowercased()],
            script: script, active: active, fleet: fleet, now: now))
      }
    }
    let budget = PlanBudget.estimate(plan, verdicts: verdicts, limits: api.settings.limits)
    return Preflight(verdicts: verdicts, deferred: deferred, unknown: unknown, budget: budget)
  }
}
