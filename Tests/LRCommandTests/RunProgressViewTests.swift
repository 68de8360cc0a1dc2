import Foundation
import LRTestSupport
import Testing

/// `lr run --lab` in a real pseudo-terminal (Tests/pty/run_pty.py): the live view on the screen.
@Suite struct RunProgressViewTests {
  @Test(.timeLimit(.minutes(2))) func liveViewInAPseudoTerminal() async throws {
    let root = LRTestSupport.packageRoot
    let script = root.appendingPathComponent("Tests/pty/run_pty.py").path
    // Tests/pty/python.sh runs it with pexpect from the project's own virtual environment.
    let result = try await LRTestSupport.run(
      URL(fileURLWithPath: "/bin/bash"),
      [
        root.appendingPathComponent("Tests/pty/python.sh").path, script,
        LRTestSupport.lrExecutable.path, root.path,
      ])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
  }
}
