import Foundation
import LRTestSupport
import Testing

/// What a newcomer meets first: `lr --help` names the lab, the lab is fast by default, and the
/// REPL on the lab accepts the same machine names as targets do.
@Suite(.serialized) struct LabDefaultsTests {
  let root = LRTestSupport.packageRoot

  /// A state folder and a results folder of its own; the lab's time scale left to lr.
  func environment(_ dir: URL) -> [String: String] {
    [
      "XDG_STATE_HOME": dir.appendingPathComponent("state").path,
      "HOME": dir.path,
      "LR_RESULTS_DIR": dir.appendingPathComponent("results").path,
      "LR_LAB_TIME_SCALE": "",
    ]
  }

  @Test func rootHelpListsTheLabAndItsTimeScale() async throws {
    let result = try await LRTestSupport.runLR(["--help"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("--lab"), "\(result.stdout)")
    #expect(result.stdout.contains("LR_LAB_TIME_SCALE"), "\(result.stdout)")
  }

  @Test func theLabRunsFasterThanRealTimeByDefault() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let clock = ContinuousClock()
    let started = clock.now
    // The seed example takes about 22 s of service time (a 12 s dump, then the download).
    let result = try await LRTestSupport.runLR(
      ["run", "examples/seed.lr", "--lab", "--output", "human"], environment: environment(dir),
      currentDirectory: root)
    let elapsed = started.duration(to: clock.now)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(elapsed < .seconds(12), "took \(elapsed)")
  }

  @Test func showAcceptsTheShortNameTargetsAccept() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var env = environment(dir)
    env["LR_LAB_TIME_SCALE"] = "600"
    let input = """
      on machines [ws-0142, ws-0143] < run Get-Processes.ps1 >
      .show 1 1 ws-0143
      .show 1 1 WS-0142
      .show 1 1 WS-0143.CONTOSO.COM
      .show 1 1 ws-01

      """
    let result = try await LRTestSupport.runLR(
      ["--lab", "--output", "human"], stdin: input, environment: env, currentDirectory: root)
    #expect(!result.stderr.contains("has no result #1 on ws-0143"), "\(result.stderr)")
    #expect(!result.stderr.contains("has no result #1 on WS-0142"), "\(result.stderr)")
    #expect(!result.stderr.contains("has no result #1 on WS-0143.CONTOSO.COM"), "\(result.stderr)")
    // A prefix is not a name: ws-01 matches no machine of the job.
    #expect(result.stderr.contains("[1] has no result #1 on ws-01"), "\(result.stderr)")
  }
}
