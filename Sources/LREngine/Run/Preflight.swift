import DefenderClient
import Foundation
import LRLanguage

/// A live pre-flight of a plan: every statement's targets resolved against the tenant, each
/// machine's ``Eligibility``, and the ``PlanBudget``. It reads only what the plan targets: the
/// targets' machines and any sharing their computer names (`computerDnsName eq` queries, for
/// potential duplicates), and the actions pending or in progress on them (`machineId eq`
/// queries, 25 machines a call; above 250 machines, the tenant's active actions in one paged
/// list); nothing is submitted.
public struct Preflight: Sendable {
  /// One verdict per statement and machine, in plan order.
  public var verdicts: [Eligibility]
  /// Statements whose targets read earlier results: resolved only when the run gets there.
  public var deferred: [Int]
  /// Names that matched no machine, with suggestions.
  public var unknown: [TargetResolver.UnknownName]
  public var budget: PlanBudget
  /// The machines each static statement (by number) resolved to, for the engine to reuse
  /// (``Engine/Options/resolvedTargets``) rather than resolve again.
  public var targets: [Int: [MachineRef]] = [:]
  /// Statements (by number) whose target matched no machine, with the target as written
  /// (`tag "x"`): `lr plan` flags them, `lr run` warns (and refuses when none matches).
  public var unmatched: [Int: String] = [:]

  /// The verdicts that stop `lr run` (or that `--skip-ineligible` skips).
  public var blocked: [Eligibility] { verdicts.filter(\.blocks) }

  /// Resolves and assesses `plan` on the tenant behind `api`.
  public static func check(
    _ plan: Plan, api: DefenderAPI, baseDirectory: URL, now: Date = Date()
  ) async throws -> Preflight {
    let resolver = TargetResolver(api: api, baseDirectory: baseDirectory)
    var targets: [Int: [MachineRef]] = [:]
    var deferred: [Int] = []
    var unknown: [TargetResolver.UnknownName] = []
    var refs: [MachineRef] = []
    var unmatched: [Int: String] = [:]
    for statement in plan.allStatements {
      guard statement.target.isStatic else {
        deferred.append(statement.number)
        continue
      }
      let found = try await resolver.resolve(statement.target, results: [:])
      unknown += found.unknown
      if found.machines.isEmpty, found.unknown.isEmpty {
        unmatched[statement.number] = statement.target.summary
      }
      targets[statement.number] = found.machines
      refs += found.machines
    }
    let named = try await resolver.machines(namedLike: refs)
    var ids: [String] = []
    var unique = Set<String>()
    for ref in refs where unique.insert(ref.id.lowercased()).inserted { ids.append(ref.id) }
    let active = try await api.activeMachineActions(machineIDs: ids)
    let verdicts = try Self.verdicts(
      plan, targets: targets, named: named, active: active, now: now)
    let budget = PlanBudget.estimate(plan, verdicts: verdicts, limits: api.settings.limits)
    return Preflight(
      verdicts: verdicts, deferred: deferred, unknown: unknown, budget: budget, targets: targets,
      unmatched: unmatched)
  }

  /// One verdict per statement and machine, in plan order. The machines read and the active
  /// actions are indexed first (by id, by computer name, by machine), so each verdict costs the
  /// same however large the fleet. Throws `CancellationError` once the task is cancelled (Ctrl-C
  /// stops `lr plan` here too, at 100,000 machines).
  static func verdicts(
    _ plan: Plan, targets: [Int: [MachineRef]], named: [Machine], active: [MachineAction],
    now: Date
  ) throws -> [Eligibility] {
    var byID: [String: Machine] = [:]
    var byName: [String: [Machine]] = [:]
    for machine in named {
      byID[machine.id.lowercased()] = machine
      if let name = machine.computerDnsName?.lowercased() {
        byName[name, default: []].append(machine)
      }
    }
    var activeByMachine: [String: [MachineAction]] = [:]
    for action in active {
      if let id = action.machineId?.lowercased() { activeByMachine[id, default: []].append(action) }
    }
    var verdicts: [Eligibility] = []
    for statement in plan.allStatements {
      let script = ScriptPlatform.of(statement)
      for ref in targets[statement.number] ?? [] {
        if verdicts.count % 1_000 == 0 { try Task.checkCancellation() }
        let machine = byID[ref.id.lowercased()]
        let name = (machine?.computerDnsName ?? ref.computerName).lowercased()
        verdicts.append(
          Eligibility.assess(
            statement: statement.number, ref: ref, machine: machine, script: script,
            active: activeByMachine[ref.id.lowercased()] ?? [], fleet: byName[name] ?? [],
            now: now))
      }
    }
    return verdicts
  }
}
