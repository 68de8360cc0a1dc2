import Foundation
import LRTestSupport
import Testing

/// The audit log as several real `lr` processes share it: one chain, one recorded head, and a
/// truncated log that no later run can launder.
@Suite(.serialized) struct AuditChainCommandTests {
  let script = "on machine ws-0142 < run Get-Processes.ps1 >\n"

  /// A shared state folder (journal, audit log), a fast lab, no real home.
  func environment(_ dir: URL) -> [String: String] {
    [
      "HOME": dir.appendingPathComponent("home").path,
      "XDG_STATE_HOME": dir.appendingPathComponent("state").path,
      "LR_LAB_TIME_SCALE": "600",
    ]
  }

  func log(_ dir: URL) -> URL { dir.appendingPathComponent("state/lr/audit.jsonl") }

  func run(_ dir: URL, _ name: String = "s.lr") async throws -> LRTestSupport.ProcessResult {
    let url = dir.appendingPathComponent(name)
    try Data(script.utf8).write(to: url)
    return try await LRTestSupport.runLR(
      ["run", url.path, "--lab", "--results-dir", dir.appendingPathComponent("r").path],
      environment: environment(dir))
  }

  func lines(_ dir: URL) throws -> [String] {
    try String(contentsOf: log(dir), encoding: .utf8).split(separator: "\n").map(String.init)
  }

  @Test func concurrentRunsKeepOneChain() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let first = try await run(dir)
    #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
    let perRun = try lines(dir).count
    #expect(perRun >= 3)
    let statuses = try await withThrowingTaskGroup(of: Int32.self) { group in
      for index in 0..<4 {
        group.addTask {
          let result = try await run(dir, "s\(index).lr")
          return result.status
        }
      }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    #expect(statuses == [0, 0, 0, 0])
    #expect(try lines(dir).count == perRun * 5)
    let verify = try await LRTestSupport.runLR(["audit", "verify"], environment: environment(dir))
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    #expect(verify.stdout.contains("\(perRun * 5) entries, chain intact"), "\(verify.stdout)")
  }

  @Test func aTruncatedLogIsNotLaunderedByTheNextRun() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    #expect(try await run(dir).status == 0)
    var kept = try lines(dir)
    let total = kept.count
    kept.removeLast(2)
    try Data((kept.joined(separator: "\n") + "\n").utf8).write(to: log(dir))
    let before = try await LRTestSupport.runLR(["audit", "verify"], environment: environment(dir))
    #expect(before.status == 1)
    #expect(before.stdout.contains("missing"), "\(before.stdout)")
    let refused = try await run(dir)
    #expect(refused.status == 1 || refused.status == 3, "\(refused.stdout)\(refused.stderr)")
    #expect(
      refused.stderr.contains("entries \(total - 1)–\(total) are missing"), "\(refused.stderr)")
    #expect(try lines(dir).count == total - 2)
    let runs = try await LRTestSupport.runLR(
      ["runs", "--output", "json"], environment: environment(dir))
    #expect(runs.stdout.split(separator: "\n").count == 1, "the refused run was not started")
    let after = try await LRTestSupport.runLR(["audit", "verify"], environment: environment(dir))
    #expect(after.status == 1)
    #expect(!after.stdout.contains("chain intact"))
  }

  @Test func rotateKeepsADamagedLogAsEvidenceAndStartsANewOne() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    #expect(try await run(dir).status == 0)
    try Data((try lines(dir).dropLast().joined(separator: "\n") + "\n").utf8).write(to: log(dir))
    #expect(try await run(dir).status != 0)
    let rotate = try await LRTestSupport.runLR(["audit", "rotate"], environment: environment(dir))
    #expect(rotate.status == 0, "\(rotate.stdout)\(rotate.stderr)")
    let archive = try #require(
      try FileManager.default.contentsOfDirectory(
        atPath: dir.appendingPathComponent("state/lr").path
      ).first { $0.hasPrefix("audit-") })
    #expect(try await run(dir).status == 0)
    let fresh = try await LRTestSupport.runLR(["audit", "verify"], environment: environment(dir))
    #expect(fresh.status == 0, "\(fresh.stdout)")
    let kept = try await LRTestSupport.runLR(
      ["audit", "verify", dir.appendingPathComponent("state/lr/\(archive)").path],
      environment: environment(dir))
    #expect(kept.status == 1)
    #expect(kept.stdout.contains("is missing (truncated)"), "\(kept.stdout)")
  }

  @Test func theREPLRefusesStatementsOnATruncatedLogWithoutJournalingARun() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    #expect(try await run(dir).status == 0)
    try Data((try lines(dir).dropLast().joined(separator: "\n") + "\n").utf8).write(to: log(dir))
    let repl = try await LRTestSupport.runLR(
      ["--lab"], stdin: script, environment: environment(dir), currentDirectory: dir)
    #expect((repl.stdout + repl.stderr).contains("is missing (truncated)"), "\(repl.stdout)")
    let runs = try await LRTestSupport.runLR(
      ["runs", "--output", "json"], environment: environment(dir))
    #expect(runs.stdout.split(separator: "\n").count == 1, "\(runs.stdout)")
  }

  @Test func verifyWithoutTheJournalsHeadSaysItCannotCheckTruncation() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    #expect(try await run(dir).status == 0)
    for suffix in ["", "-wal", "-shm"] {
      try? FileManager.default.removeItem(
        at: dir.appendingPathComponent("state/lr/journal.sqlite\(suffix)"))
    }
    let verify = try await LRTestSupport.runLR(["audit", "verify"], environment: environment(dir))
    #expect(verify.status == 1, "\(verify.stdout)")
    #expect(verify.stdout.contains("cannot check for truncation"), "\(verify.stdout)")
  }

  @Test func aCopyIsCheckedAgainstTheHeadOfItsOriginal() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    #expect(try await run(dir).status == 0)
    let copy = dir.appendingPathComponent("copy.jsonl")
    try FileManager.default.copyItem(at: log(dir), to: copy)
    let intact = try await LRTestSupport.runLR(
      ["audit", "verify", copy.path], environment: environment(dir))
    #expect(intact.status == 0, "\(intact.stdout)")
    var kept = try lines(dir)
    kept.removeLast()
    try Data((kept.joined(separator: "\n") + "\n").utf8).write(to: copy)
    let cut = try await LRTestSupport.runLR(
      ["audit", "verify", copy.path], environment: environment(dir))
    #expect(cut.status == 1)
    #expect(cut.stdout.contains("missing"), "\(cut.stdout)")
  }

  @Test func stateFollowsHomeWhenXDGStateHomeIsUnset() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var env = environment(dir)
    env["XDG_STATE_HOME"] = ""
    let verify = try await LRTestSupport.runLR(["audit", "verify"], environment: env)
    let expected = dir.appendingPathComponent("home/.local/state/lr/audit.jsonl").path
    #expect(verify.stderr.contains(expected), "\(verify.stderr)")
  }

  @Test func childProcessesGetATemporaryHomeByDefault() async throws {
    let verify = try await LRTestSupport.runLR(["audit", "verify"])
    let home = FileManager.default.homeDirectoryForCurrentUser.path
    #expect(!verify.stderr.contains(home + "/.local"), "\(verify.stderr)")
    #expect(verify.stderr.contains("/.local/state/lr/audit.jsonl"), "\(verify.stderr)")
  }

  @Test func runsAndProfileShowWhereStateLives() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    #expect(try await run(dir).status == 0)
    let state = dir.appendingPathComponent("state/lr").path
    let runs = try await LRTestSupport.runLR(
      ["runs", "--output", "human"], environment: environment(dir))
    #expect(runs.stdout.contains("journal: \(state)/journal.sqlite"), "\(runs.stdout)")
    #expect(runs.stdout.contains("audit log: \(state)/audit.jsonl"), "\(runs.stdout)")
    #expect(runs.stdout.contains("results: \(dir.appendingPathComponent("r").path)"))
    let repl = try await LRTestSupport.runLR(
      ["--lab"], stdin: ".profile\n", environment: environment(dir), currentDirectory: dir)
    #expect(repl.stdout.contains("journal: \(state)/journal.sqlite"), "\(repl.stdout)")
    #expect(repl.stdout.contains("audit log: \(state)/audit.jsonl"), "\(repl.stdout)")
    #expect(repl.stdout.contains("results: "), "\(repl.stdout)")
  }
}
