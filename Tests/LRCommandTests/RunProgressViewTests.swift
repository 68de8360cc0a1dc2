import Foundation
import LRTestSupport
import Testing

/// `lr run` in a real pseudo-terminal (Tests/pty/run_pty.py, Tests/pty/run_fleet_pty.py): the live
/// view on the screen and in the scrollback.
@Suite struct RunProgressViewTests {
  /// Runs a script of Tests/pty with pexpect and pyte (Tests/pty/python.sh) and the built `lr`.
  static func pty(_ script: String, _ arguments: [String] = []) async throws -> (
    status: Int32, output: String
  ) {
    let root = LRTestSupport.packageRoot
    let result = try await LRTestSupport.run(
      URL(fileURLWithPath: "/bin/bash"),
      [
        root.appendingPathComponent("Tests/pty/python.sh").path,
        root.appendingPathComponent("Tests/pty/\(script)").path,
        LRTestSupport.lrExecutable.path, root.path,
      ] + arguments)
    return (result.status, result.stdout + result.stderr)
  }

  @Test(.timeLimit(.minutes(2))) func liveViewInAPseudoTerminal() async throws {
    let result = try await Self.pty("run_pty.py")
    #expect(result.status == 0, "\(result.output)")
  }

  /// 40 machines on a 30-row terminal: no frame in the scrollback, each result there once,
  /// nothing after the summary, no "ETA 0s" while machines are queued.
  @Test(.timeLimit(.minutes(2))) func fortyMachinesNeverFloodTheScrollback() async throws {
    let result = try await Self.pty("run_fleet_pty.py", ["flood"])
    #expect(result.status == 0, "\(result.output)")
  }

  /// The terminal shrinks from 30 to 20 rows during the run: the next frames fit.
  @Test(.timeLimit(.minutes(2))) func resizingShrinksTheView() async throws {
    let result = try await Self.pty("run_fleet_pty.py", ["resize"])
    #expect(result.status == 0, "\(result.output)")
  }
}
