import Foundation
import LRTestSupport

/// The lab sessions the documentation shows: the inputs typed at its prompts, and a way to type them
/// into `lr --lab`.
enum LabTranscript {
  /// The text of `docs/NAME` between `<!-- SECTION:start -->` and `<!-- SECTION:end -->`.
  static func section(_ name: String, _ section: String) throws -> String {
    let url = LRTestSupport.packageRoot.appendingPathComponent("docs/\(name)")
    let text = try String(contentsOf: url, encoding: .utf8)
    guard let start = text.range(of: "<!-- \(section):start -->"),
      let end = text.range(of: "<!-- \(section):end -->"), start.upperBound <= end.lowerBound
    else { throw CocoaError(.fileReadCorruptFile) }
    return String(text[start.upperBound..<end.lowerBound])
  }

  /// The inputs typed at the prompts shown in `text`: `lr(lab)> X`, `lr(lab:M)> X`, `...> X`.
  static func inputs(_ text: String) -> [String] {
    text.split(separator: "\n", omittingEmptySubsequences: false).compactMap { line in
      if let match = line.firstMatch(of: /^lr\(lab(:[^)]*)?\)> (.*)$/) { return String(match.2) }
      if line.hasPrefix("...> ") { return String(line.dropFirst(5)) }
      return nil
    }
  }

  /// Types `inputs` into `lr --lab` (standard input not a terminal: one after another, human
  /// output) with the lab 600 times faster and state, results and history in a temporary folder.
  static func run(_ inputs: [String]) async throws -> LRTestSupport.ProcessResult {
    let state = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    return try await LRTestSupport.runLR(
      ["--lab", "--output", "human"], stdin: inputs.joined(separator: "\n") + "\n",
      environment: [
        "LR_LAB_TIME_SCALE": "600", "XDG_STATE_HOME": state.path, "HOME": state.path,
        "LR_RESULTS_DIR": state.appendingPathComponent("results").path,
      ], currentDirectory: LRTestSupport.packageRoot)
  }
}
