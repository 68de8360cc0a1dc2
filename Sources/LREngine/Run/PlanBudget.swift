import DefenderClient
import LRLanguage
import LiveResponse

/// What a plan costs against the API budget, on the machines it would run on (blocked ones left
/// out): submissions, the shortest time the per-minute limit allows, and the reads at least.
public struct PlanBudget: Sendable, Equatable, Codable {
  /// `runliveresponse` calls.
  public var submissions: Int
  /// Machine runs counted (statement × machine), blocked ones left out.
  public var machines: Int
  /// Machine runs left out because they are blocked.
  public var blocked: Int
  /// The shortest time the submissions take under the per-minute limit, in seconds.
  public var minimumSeconds: Int
  /// The reads (other API calls) the run costs at least: its pre-flight, the target lists, one
  /// poll round per 50 actions and one result link per RunScript or GetFile command.
  public var reads: Int
  /// The reads this plan itself cost.
  public var planReads: Int
  /// The limits used.
  public var liveResponsePerMinute: Int
  public var apiPerHour: Int

  /// Estimates the budget of `plan` from its verdicts.
  public static func estimate(_ plan: Plan, verdicts: [Eligibility], limits: RateLimits)
    -> PlanBudget
  {
    var submissions = 0
    var results = 0
    var counted = 0
    var blocked = 0
    for statement in plan.allStatements {
      let machines = verdicts.filter { $0.statement == statement.number }
      let runnable = machines.filter { !$0.blocks }.count
      counted += runnable
      blocked += machines.count - runnable
      submissions += runnable * statement.requests.count
      let fetched = statement.requests.flatMap(\.commands).filter {
        $0.type == .runScript || $0.type == .getFile
      }.count
      results += runnable * fetched
    }
    let perMinute = max(1, limits.liveResponsePerMinute)
    let minutes = submissions == 0 ? 0 : (submissions + perMinute - 1) / perMinute - 1
    let polls = (submissions + 49) / 50
    return PlanBudget(
      submissions: submissions, machines: counted, blocked: blocked, minimumSeconds: minutes * 60,
      reads: 2 + 1 + polls + results, planReads: 2, liveResponsePerMinute: perMinute,
      apiPerHour: limits.apiPerHour)
  }
}
