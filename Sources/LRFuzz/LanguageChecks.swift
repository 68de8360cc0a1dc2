import LRLanguage
import LiveResponse

/// The checks of `.lr` inputs: compile (and everything after it a front end does), and format.
public enum LanguageChecks {
  /// Parses, checks and compiles `bytes` and renders the plan and diagnostics; nil when all is well.
  public static func check(_ bytes: [UInt8], modules: any ModuleProvider) -> String? {
    let source = SourceFile(name: "fuzz.lr", bytes: bytes)
    let output = Compiler.compile(source, modules: modules)
    _ = DiagnosticFormatter(sources: output.sources).render(output.diagnostics)
    _ = output.plan.json(sources: output.sources).serialized()
    return nil
  }

  /// Formats `bytes` twice: the second pass changes nothing, and when the text has no errors its
  /// plan (and diagnostics) are those of the formatted text. Nil when all is well.
  public static func format(_ bytes: [UInt8], modules: any ModuleProvider) -> String? {
    let source = SourceFile(name: "fuzz.lr", bytes: bytes)
    guard let once = Formatter.format(source) else { return nil }
    let twice = Formatter.format(SourceFile(name: "fuzz.lr", text: once))
    guard let twice else {
      return "the formatted text has syntax errors: \(once.prefix(200).debugDescription)"
    }
    guard twice == once else {
      return
        "formatting is not idempotent: a second pass gives \(twice.prefix(200).debugDescription)"
    }
    let before = Compiler.compile(source, modules: modules)
    guard !before.diagnostics.hasErrors else { return nil }
    let after = Compiler.compile(SourceFile(name: "fuzz.lr", text: once), modules: modules)
    let (a, b) = (meaning(before), meaning(after))
    guard a == b else {
      let first = zip(a, b).first { $0 != $1 }.map { "\($0.0) became \($0.1)" }
      return "formatting changed the plan: \(first ?? "\(a.count) lines became \(b.count)")"
    }
    return nil
  }

  /// What a compilation means, without positions: every statement's target, request bodies,
  /// binding and rollout options, every branch with its condition and steps, and the diagnostics' ids.
  public static func meaning(_ output: Compiler.Output) -> [String] {
    func walk(_ steps: [PlanStep], _ indent: String) -> [String] {
      steps.flatMap { step -> [String] in
        switch step {
        case .statement(let s):
          return [
            indent + s.target.json.serialized() + " "
              + s.requests.map { $0.json().serialized() }.joined(separator: " ")
              + " bind=\(s.binding ?? "")"
              + (s.rollout.map { " rollout=" + $0.json.serialized() } ?? "")
          ]
        case .branch(let b):
          return [indent + "if \(b.condition)"] + walk(b.thenSteps, indent + "  ")
            + [indent + "else"] + walk(b.elseSteps, indent + "  ") + [indent + "end"]
        }
      }
    }
    return walk(output.plan.steps, "") + output.diagnostics.map { "diagnostic \($0.id)" }
  }
}
