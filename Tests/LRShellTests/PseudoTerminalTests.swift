import Foundation
import LRTestSupport
import Testing

/// The REPL in a real pseudo-terminal, driven by pexpect (Tests/pty/repl_pty.py), plus piped input.
@Suite struct PseudoTerminalTests {
  @Test(.timeLimit(.minutes(1))) func replInAPseudoTerminal() throws {
    let root = LRTestSupport.packageRoot
    let script = root.appendingPathComponent("Tests/pty/repl_pty.py").path
    let result = try LRTestSupport.run(
      URL(fileURLWithPath: "/usr/bin/env"),
      ["python3", script, LRTestSupport.lrExecutable.path, root.path])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
  }
}
