import Foundation
import LRTestSupport
import Testing

/// The REPL in a real pseudo-terminal, driven by pexpect (Tests/pty/repl_pty.py), plus piped input.
@Suite struct PseudoTerminalTests {
  @Test(.timeLimit(.minutes(1))) func replInAPseudoTerminal() async throws {
    let root = LRTestSupport.packageRoot
    let script = root.appendingPathComponent("Tests/pty/repl_pty.py").path
    let result = try await LRTestSupport.run(
      URL(fileURLWithPath: "/usr/bin/env"),
      ["python3", script, LRTestSupport.lrExecutable.path, root.path])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
  }

  @Test func labAndProfileSayTheEngineIsMissingAndPreview() async throws {
    let root = LRTestSupport.packageRoot
    let seed = try String(
      contentsOf: root.appendingPathComponent("examples/seed.lr"), encoding: .utf8)
    let lab = try await LRTestSupport.runLR(["--lab"], stdin: seed, currentDirectory: root)
    #expect(lab.status == 0)
    #expect(lab.stderr.contains("the lab arrives with the engine"))
    #expect(lab.stdout.contains(#""event":"preview""#))
    let profile = try await LRTestSupport.runLR(
      ["--profile", "prod", "--output", "human"], stdin: ".machines\n")
    #expect(profile.status == 2)
    #expect(profile.stderr.contains("no service connected"))
    let both = try await LRTestSupport.runLR(["--lab", "--offline"], stdin: "")
    #expect(both.status != 0)
    #expect(both.stderr.contains("exclude each other"))
  }
}
