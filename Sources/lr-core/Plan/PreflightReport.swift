import Foundation
import LREngine
import LiveResponse

/// Prints a ``Preflight``: a table of verdicts and the budget for people, JSON lines for programs
/// (`{"plan":"machine",…}`, `{"plan":"deferred",…}`, `{"plan":"budget",…}`).
enum PreflightReport {
  /// One machine's verdict as a JSON line; `skipped` when `lr run --skip-ineligible` left it out.
  struct MachineLine: Encodable {
    var plan = "machine"
    var verdict: Eligibility
    var skipped: Bool?

    func encode(to encoder: any Encoder) throws {
      try verdict.encode(to: encoder)
      var c = encoder.container(keyedBy: Key.self)
      try c.encode(plan, forKey: .plan)
      try c.encodeIfPresent(skipped, forKey: .skipped)
    }
  }

  /// A statement resolved only at run time.
  struct DeferredLine: Encodable {
    var plan = "deferred"
    var statement: Int
  }

  /// A statement whose target matched no machine (`{"plan":"noMachine","statement":1,"target":…}`).
  static func noMachineLine(_ statement: Int, _ target: String) -> String {
    JSONValue.object([
      ("plan", .string("noMachine")), ("statement", .number(statement)),
      ("target", .string(target)),
    ]).serialized()
  }

  /// `statement 1: tag "x" matches no machine; nothing runs there`.
  static func noMachineText(_ statement: Int, _ target: String) -> String {
    "statement \(statement): \(Terminal.sanitize(target)) matches no machine; nothing runs there"
  }

  /// The budget line.
  struct BudgetLine: Encodable {
    var plan = "budget"
    var budget: PlanBudget

    func encode(to encoder: any Encoder) throws {
      try budget.encode(to: encoder)
      var c = encoder.container(keyedBy: Key.self)
      try c.encode(plan, forKey: .plan)
    }
  }

  enum Key: String, CodingKey { case plan, skipped }

  /// Prints the whole pre-flight (`lr plan`).
  static func print(_ preflight: Preflight, format: OutputFormat) throws {
    switch format {
    case .json:
      for (i, verdict) in preflight.verdicts.enumerated() {
        if i % 1_000 == 0 { try Task.checkCancellation() }
        try JSONLines.print(MachineLine(verdict: verdict))
      }
      for statement in preflight.deferred {
        try JSONLines.print(DeferredLine(statement: statement))
      }
      for (statement, target) in preflight.unmatched.sorted(by: { $0.key < $1.key }) {
        Terminal.line(noMachineLine(statement, target))
      }
      try JSONLines.print(BudgetLine(budget: preflight.budget))
    case .human:
      Terminal.out(table(preflight.verdicts))
      for statement in preflight.deferred {
        Terminal.line(
          "statement \(statement): its targets read earlier results; resolved when the run gets there"
        )
      }
      for (statement, target) in preflight.unmatched.sorted(by: { $0.key < $1.key }) {
        Terminal.line(noMachineText(statement, target))
      }
      Terminal.line(budgetText(preflight.budget))
      Terminal.line("nothing was sent")
    }
  }

  /// The pre-flight as text (the REPL's `.plan`): the table, deferred statements, the budget.
  static func text(_ preflight: Preflight) -> String {
    var text = table(preflight.verdicts)
    for statement in preflight.deferred {
      text += "statement \(statement): its targets read earlier results; resolved when it runs\n"
    }
    for (statement, target) in preflight.unmatched.sorted(by: { $0.key < $1.key }) {
      text += noMachineText(statement, target) + "\n"
    }
    if !preflight.unknown.isEmpty {
      text += "unknown: " + preflight.unknown.map(\.name).joined(separator: ", ") + "\n"
    }
    return text + budgetText(preflight.budget) + "\nnothing was sent\n"
  }

  /// The verdicts as an aligned table.
  static func table(_ verdicts: [Eligibility]) -> String {
    Table(
      headers: ["STATEMENT", "MACHINE", "PLATFORM", "STATE", "DETAIL"],
      rows: verdicts.map { v in
        [
          String(v.statement), v.machine.computerName, v.platform ?? "unknown", v.state.rawValue,
          v.state == .ok ? "" : v.explanation,
        ]
      }
    ).render()
  }

  /// `budget: 12 submissions on 12 machine runs (2 blocked left out); at least 1 min …`.
  static func budgetText(_ b: PlanBudget) -> String {
    let time =
      b.minimumSeconds == 0
      ? "no wait for the submission limit"
      : "at least \(b.minimumSeconds / 60) min at \(b.liveResponsePerMinute) submissions per minute"
    let blocked = b.blocked == 0 ? "" : " (\(b.blocked) blocked left out)"
    return "budget: \(b.submissions) submission\(b.submissions == 1 ? "" : "s") on "
      + "\(b.machines) machine run\(b.machines == 1 ? "" : "s")\(blocked); \(time); "
      + "at least \(b.reads) reads of \(b.apiPerHour) per hour (this plan: \(b.planReads))"
  }
}

extension PreflightReport {
  /// A machine `lr run` refused or skipped before sending anything (`machineIneligible`): `event`
  /// first, then `statement`, like every run event.
  static func ineligibleEvent(_ verdict: Eligibility, skipped: Bool) throws -> JSONValue {
    guard case .object(let members) = try JSONValue(encoding: verdict) else {
      return .object([("event", .string("machineIneligible"))])
    }
    let first = members.filter { $0.0 == "statement" }
    let rest = members.filter { $0.0 != "statement" }
    return .object(
      [("event", .string("machineIneligible"))] + first + rest + [("skipped", .bool(skipped))])
  }

  /// Lists the machines `lr run` refuses (or, with `--skip-ineligible`, skips).
  static func printIneligible(_ blocked: [Eligibility], skipped: Bool, format: OutputFormat)
    throws
  {
    switch format {
    case .json:
      for verdict in blocked {
        Terminal.out(try ineligibleEvent(verdict, skipped: skipped).serialized() + "\n")
      }
    case .human:
      let count = "\(blocked.count) machine\(blocked.count == 1 ? "" : "s")"
      Terminal.err(
        skipped
          ? "lr: skipping \(count) that cannot run this script:\n"
          : "lr: error: \(count) cannot run this script; nothing was sent "
            + "(--skip-ineligible runs the others):\n")
      Terminal.err(table(blocked))
    }
  }
}
