import Foundation
import LRTestSupport
import Testing

/// Bound results in `lr --lab` in a real pseudo-terminal (Tests/pty/repl_results_pty.py).
@Suite struct BoundResultPseudoTerminalTests {
  /// `let r = on tag … < run Get-Processes.ps1 >`, then `r`, `r.rows`, `.stack r ProcessName`,
  /// completion and `.export`.
  @Test(.timeLimit(.minutes(3))) func boundResultsInThePseudoTerminal() async throws {
    let root = LRTestSupport.packageRoot
    let result = try await LRTestSupport.run(
      URL(fileURLWithPath: "/usr/bin/env"),
      [
        "bash", root.appendingPathComponent("Tests/pty/python.sh").path,
        root.appendingPathComponent("Tests/pty/repl_results_pty.py").path,
        LRTestSupport.lrExecutable.path, root.path,
      ])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
  }
}
