import Foundation
import LRTestSupport
import Testing

/// The bound-results session in docs/repl.md works on the lab as written.
@Suite struct BoundResultDocumentationTests {
  @Test(.timeLimit(.minutes(2))) func theDocumentedSessionPrintsWhatItShows() async throws {
    let section = try LabTranscript.section("repl.md", "results")
    let inputs = LabTranscript.inputs(section)
    #expect(inputs.count == 5)
    // In a temporary folder: `.export` writes there.
    let folder = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let run = try await LRTestSupport.runLR(
      ["--lab", "--output", "human"], stdin: inputs.joined(separator: "\n") + "\n",
      environment: [
        "LR_LAB_TIME_SCALE": "600", "XDG_STATE_HOME": folder.path, "HOME": folder.path,
        "LR_RESULTS_DIR": folder.appendingPathComponent("results").path,
      ], currentDirectory: folder)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.isEmpty, "\(run.stderr)")
    // The per-machine table, the row count, the stacked paths and the export, as shown.
    let shown = section.split(separator: "\n").map(String.init).filter {
      $0.contains("  Succeeded  ") || $0.hasPrefix("C:\\") || $0.hasPrefix("(")
        || $0.hasPrefix("wrote ")
    }
    #expect(shown.count >= 10)
    for line in shown { #expect(run.stdout.contains(line + "\n"), "\(line)\n\(run.stdout)") }
    let csv = try String(
      contentsOf: folder.appendingPathComponent("processes.csv"), encoding: .utf8)
    #expect(csv.hasPrefix("machine,Id,ParentId,Parent,ProcessName,"))
  }
}
