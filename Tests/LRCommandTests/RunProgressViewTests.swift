import Foundation
import LRTestSupport
import Testing

/// `lr run --lab` in a real pseudo-terminal (Tests/pty/run_pty.py): the live view on the screen.
@Suite struct RunProgressViewTests {
  @Test(.timeLimit(.minutes(2))) func liveViewInAPseudoTerminal() async throws {
    let root = LRTestSupport.packageRoot
    let script = root.appendingPathComponent("Tests/pty/run_pty.py").path
    let result = try await LRTestSupport.run(
      URL(fileURLWithPath: "/usr/bin/env"),
      ["python3", script, LRTestSupport.lrExecutable.path, root.path])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
  }
}
