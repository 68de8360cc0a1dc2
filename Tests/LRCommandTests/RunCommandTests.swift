import Foundation
import LRTestSupport
import Testing

/// `lr run`, `lr runs` and `lr audit verify` as a user runs them: the built binary on the lab.
@Suite(.serialized) struct RunCommandTests {
  let root = LRTestSupport.packageRoot

  /// A state folder (journal, audit log) and a results folder of its own, and a fast lab.
  func environment(_ dir: URL) -> [String: String] {
    [
      "XDG_STATE_HOME": dir.appendingPathComponent("state").path,
      "LR_LAB_TIME_SCALE": "600",
      // Runs that name no --results-dir (a refused fan-out) write here, not into the checkout.
      "LR_RESULTS_DIR": dir.appendingPathComponent("results").path,
    ]
  }

  func script(_ text: String, in dir: URL) throws -> String {
    let url = dir.appendingPathComponent("s.lr")
    try Data(text.utf8).write(to: url)
    return url.path
  }

  @Test func seedRunsEndToEndOnTheLab() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let results = dir.appendingPathComponent("results")
    let result = try await LRTestSupport.runLR(
      ["run", "examples/seed.lr", "--lab", "--output", "human", "--results-dir", results.path],
      environment: environment(dir), currentDirectory: root)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("[1] RunScript completed"))
    #expect(result.stdout.contains("[2] GetFile completed"))
    #expect(result.stdout.contains("exit code 0"))
    #expect(result.stdout.contains(#"C:\windows\TEMP\OfficeClickToRun.dmp.zip"#))
    #expect(result.stdout.contains("2-OfficeClickToRun.dmp.zip (53.5 MB, SHA-256 "))
    #expect(!result.stdout.contains("\u{0}"))
    let runs = try await LRTestSupport.runLR(
      ["runs", "--output", "json"], environment: environment(dir))
    let line = try #require(runs.stdout.split(separator: "\n").first)
    let run = try #require(
      try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    #expect(run["state"] as? String == "finished")
    let id = try #require(run["id"] as? String)
    let manifest = results.appendingPathComponent("\(id)/manifest.json")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: manifest)) as? [String: Any])
    let actions = try #require(object["actions"] as? [[String: Any]])
    #expect(actions.first?["status"] as? String == "Succeeded")
    let verify = try await LRTestSupport.runLR(["audit", "verify"], environment: environment(dir))
    #expect(verify.status == 0)
    #expect(verify.stdout.contains("chain intact"))
  }

  @Test func jsonLinesWhenNotATerminal() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = try script("on machine ws-0142 < run Get-Processes.ps1 >\n", in: dir)
    let result = try await LRTestSupport.runLR(
      ["run", path, "--lab", "--results-dir", dir.appendingPathComponent("r").path],
      environment: environment(dir))
    #expect(result.status == 0, "\(result.stderr)")
    let events = try result.stdout.split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
    #expect(events.first?["event"] as? String == "runStarted")
    #expect(
      events.contains { $0["event"] as? String == "resultReady" && $0["exitCode"] as? Int == 0 })
    #expect(events.last?["event"] as? String == "runFinished")
    #expect(events.last?["exitStatus"] as? Int == 0)
  }

  @Test func failingScriptExitsOneAndShowsFailStop() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = try script(
      "on machine ws-broken-09 < run Get-Processes.ps1; get 'C:\\Windows\\System32\\drivers\\etc\\hosts' >\n",
      in: dir)
    let result = try await LRTestSupport.runLR(
      [
        "run", path, "--lab", "--output", "human", "--results-dir",
        dir.appendingPathComponent("r").path,
      ],
      environment: environment(dir))
    #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("[1] RunScript failed"))
    #expect(result.stdout.contains("[2] GetFile not executed"))
  }

  @Test func unknownMachinesExitTwoWithSuggestions() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = try script("on machine ws-0124 < run Get-Processes.ps1 >\n", in: dir)
    let result = try await LRTestSupport.runLR(
      ["run", path, "--lab"], environment: environment(dir))
    #expect(result.status == 2)
    #expect(result.stderr.contains("unknown machine: ws-0124 (did you mean"))
    let runs = try await LRTestSupport.runLR(
      ["runs", "--output", "json"], environment: environment(dir))
    #expect(runs.stdout.isEmpty)
  }

  @Test func runsOnAnEmptyJournalSaysThereAreNone() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let human = try await LRTestSupport.runLR(
      ["runs", "--output", "human"], environment: environment(dir))
    #expect(human.status == 0, "\(human.stderr)")
    #expect(human.stdout.contains("no runs yet"), "\(human.stdout)")
    #expect(human.stdout.contains("lr run"), "\(human.stdout)")
    #expect(!human.stdout.contains("RUN "), "\(human.stdout)")
    let json = try await LRTestSupport.runLR(
      ["runs", "--output", "json"], environment: environment(dir))
    #expect(json.status == 0)
    #expect(json.stdout.isEmpty, "\(json.stdout)")
  }

  /// `lr results` times one run records are on one clock: the lab's service clock runs 600 times
  /// faster, so a command's `finished` on it would be minutes after the run's start.
  @Test func resultTimesShareTheRunsClock() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = try script("on machine ws-0142 < run Get-Processes.ps1 >\n", in: dir)
    let run = try await LRTestSupport.runLR(
      ["run", path, "--lab", "--output", "json"], environment: environment(dir))
    #expect(run.status == 0, "\(run.stderr)")
    let results = try await LRTestSupport.runLR(
      ["results", "--output", "json"], environment: environment(dir))
    let first = try #require(
      try JSONSerialization.jsonObject(
        with: Data((results.stdout.split(separator: "\n").first ?? "").utf8)) as? [String: Any])
    let iso = ISO8601DateFormatter()
    iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    let started = try #require((first["run_started"] as? String).flatMap(iso.date(from:)))
    let finished = try #require((first["finished"] as? String).flatMap(iso.date(from:)))
    let seconds = finished.timeIntervalSince(started)
    #expect(seconds >= 0 && seconds < 60, "run_started \(started), finished \(finished)")
    #expect((first["finished"] as? String)?.hasSuffix("Z") == true)
  }

  @Test func compileErrorsExitTwoBeforeConnecting() async throws {
    let result = try await LRTestSupport.runLR(["run", "-"], stdin: "on machine X < gte 'a' >\n")
    #expect(result.status == 2)
    #expect(result.stderr.contains("unknown command `gte`"))
  }

  @Test func largeFanOutNeedsYes() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = try script("on name \"ws-*\" < run Get-Processes.ps1 >\n", in: dir)
    let refused = try await LRTestSupport.runLR(
      ["run", path, "--lab", "--confirm-above", "2"], environment: environment(dir))
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("pass --yes"))
    let dry = try await LRTestSupport.runLR(
      ["run", path, "--lab", "--dry-run", "--output", "human"], environment: environment(dir))
    #expect(dry.status == 0)
    #expect(dry.stdout.contains("statement 1: 6 machines") || dry.stdout.contains("statement 1: "))
  }

  @Test func auditTamperingIsDetected() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = try script("on machine ws-0143 < run Get-Services.ps1 >\n", in: dir)
    #expect(
      try await LRTestSupport.runLR(
        ["run", path, "--lab", "--results-dir", dir.appendingPathComponent("r").path],
        environment: environment(dir)
      ).status == 0)
    let log = dir.appendingPathComponent("state/lr/audit.jsonl")
    var lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map(String.init)
    lines[1] = lines[1].replacingOccurrences(of: "ws-0143", with: "ws-9999")
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: log)
    let verify = try await LRTestSupport.runLR(["audit", "verify"], environment: environment(dir))
    #expect(verify.status == 1)
    #expect(verify.stdout.contains("audit.jsonl:2: content does not match its hash (edited)"))
  }

  @Test func everyExampleResolvesOnTheLab() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let examples = try FileManager.default.contentsOfDirectory(
      atPath: root.appendingPathComponent("examples").path
    ).filter { $0.hasSuffix(".lr") }.sorted()
    #expect(examples.count >= 5)
    for example in examples {
      let result = try await LRTestSupport.runLR(
        ["run", "examples/" + example, "--lab", "--dry-run", "--yes", "--output", "human"],
        environment: environment(dir), currentDirectory: root)
      #expect(result.status == 0, "\(example): \(result.stdout)\(result.stderr)")
      #expect(!result.stdout.contains("unknown"), "\(example): \(result.stdout)")
    }
  }
}
