import Foundation
import LRLanguage
import LiveResponse

/// The four-eyes policy of a team profile (docs/team.md, "Approvals"): a run that touches more
/// than ``above`` machines, or runs a script whose name matches a ``highImpact`` glob, waits for
/// a second person's `lr approve`.
public struct ApprovalPolicy: Sendable, Equatable {
  /// More machines than this need approval (nil: no limit).
  public var above: Int?
  /// Library script names (case-insensitive `*`/`?` globs) that always need approval.
  public var highImpact: [String]

  public init(above: Int? = nil, highImpact: [String] = []) {
    self.above = above
    self.highImpact = highImpact
  }

  /// Whether the policy asks anything at all.
  public var isActive: Bool { above != nil || !highImpact.isEmpty }

  /// The profile's keys, overridden by `LR_TEAM_APPROVAL_ABOVE` and `LR_TEAM_HIGH_IMPACT`
  /// (comma-separated globs); an empty environment value turns that part off.
  public static func resolve(
    above: Int?, highImpact: [String]?, environment: [String: String]
  ) -> ApprovalPolicy {
    var policy = ApprovalPolicy(above: above, highImpact: highImpact ?? [])
    if let text = environment["LR_TEAM_APPROVAL_ABOVE"] {
      policy.above = Int(text.trimmingCharacters(in: .whitespaces))
    }
    if let text = environment["LR_TEAM_HIGH_IMPACT"] {
      policy.highImpact = text.split(separator: ",").map {
        $0.trimmingCharacters(in: .whitespaces)
      }.filter { !$0.isEmpty }
    }
    return policy
  }

  /// Why a run of `plan` on `machines` distinct machines needs approval (empty: it does not).
  public func reasons(for plan: Plan, machines: Int) -> [String] {
    var reasons: [String] = []
    if let above, machines > above {
      reasons.append("it touches \(machines) machines (approval needed above \(above))")
    }
    for script in Self.scripts(of: plan)
    where highImpact.contains(where: { Glob.matches($0, script) }) {
      reasons.append("it runs \(script), marked high-impact")
    }
    return reasons
  }

  /// The library scripts `plan` runs, each once, in order.
  static func scripts(of plan: Plan) -> [String] {
    var names: [String] = []
    for statement in plan.allStatements {
      for request in statement.requests {
        for command in request.commands where command.type == .runScript {
          guard let name = command.param("ScriptName")?.description else { continue }
          if !names.contains(name) { names.append(name) }
        }
      }
    }
    return names
  }
}
