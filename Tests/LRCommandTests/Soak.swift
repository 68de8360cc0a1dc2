import Crypto
import DefenderEmulator
import Foundation
import LRTestSupport

/// The reliability soak (issue 18): fleet sweeps through a ``LossyProxy`` and `kill -9` trials of
/// `lr run` and `lr resume`, against one emulator (the `large` scenario, time scaled, the stdlib's
/// scripts as `lr emulator` serves them) in the test process, which outlives every `lr` child the
/// soak kills. Each trial is driven by a seed, printed, so a failure can be replayed; each returns
/// the sentences that describe what went wrong (none when the run kept every promise).
final class Soak: @unchecked Sendable {
  /// Real seconds after which an `lr run` or `lr resume` counts as hung.
  static let hangSeconds = 90
  let emulator: EmulatorFixture
  let dir: URL
  let timeScale: Int
  /// Every Windows host of the `large` scenario among the first hundred (always online).
  static let windowsHosts: [String] = (1...100).filter {
    $0 % 6 < 4 && $0 % 89 != 0 && $0 % 97 != 0
  }.map {
    String(format: "host-%05d.large.contoso.com", $0)
  }

  private init(emulator: EmulatorFixture, timeScale: Int) throws {
    self.emulator = emulator
    self.timeScale = timeScale
    dir = try LRTestSupport.temporaryDirectory()
  }

  /// Starts the soak's emulator.
  static func start(timeScale: Int = 60) async throws -> Soak {
    guard let large = Scenario.builtIn("large") else { throw FixtureError("no large scenario") }
    let emulator = try await EmulatorFixture.start(
      large, timeScale: Double(timeScale),
      libraryDirectory: LRTestSupport.packageRoot.appendingPathComponent("stdlib/scripts"))
    return try Soak(emulator: emulator, timeScale: timeScale)
  }

  func close() async {
    await emulator.stop()
    try? FileManager.default.removeItem(at: dir)
  }

  /// A trial's own folder: script, host list, state (journal, audit log), results.
  struct Trial {
    let dir: URL
    let machines: [String]
    var script: URL { dir.appendingPathComponent("sweep.lr") }
    var results: URL { dir.appendingPathComponent("results") }
    var state: URL { dir.appendingPathComponent("state") }

    init(root: URL, name: String, machines: [String]) throws {
      dir = root.appendingPathComponent(name)
      self.machines = machines
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      try Data((machines.joined(separator: "\n") + "\n").utf8).write(
        to: dir.appendingPathComponent("hosts.txt"))
      try Data(
        #"on file "hosts.txt" < run Get-Processes.ps1; get 'C:\Windows\System32\drivers\etc\hosts' >"#
          .appending("\n").utf8
      ).write(to: script)
    }
  }

  /// What a trial did and found.
  struct Outcome: Sendable {
    var failures: [String] = []
    var faults = 0
    var kills = 0
  }

  func environment(_ trial: Trial, apiURL: String? = nil) -> [String: String] {
    var env = emulator.environment()
    if let apiURL { env["LR_API_URL"] = apiURL }
    env["XDG_STATE_HOME"] = trial.state.path
    env["HOME"] = trial.dir.path
    env["LR_TIME_SCALE"] = String(timeScale)
    return env
  }

  // MARK: - Sweeps

  /// One fleet sweep (`RunScript` + `GetFile` per machine) through a lossy proxy.
  func sweep(seed: UInt64, machines: Int) async throws -> Outcome {
    var dice = SeededDice(seed: seed)
    let hosts = Array(Soak.windowsHosts.shuffled(using: &dice).prefix(machines))
    let trial = try Trial(root: dir, name: "sweep-\(seed)", machines: hosts)
    defer { try? FileManager.default.removeItem(at: trial.dir) }
    var faults = LossyProxy.Faults()
    faults.seed = seed
    faults.lostSubmissionAnswerRate = 0.25
    faults.lostAnswerRate = 0.03
    faults.resetRate = 0.03
    faults.serverErrorRate = 0.04
    faults.gatewayErrorRate = 0.02
    faults.maxLatencyMilliseconds = 20
    let port = emulator.server.baseURL.port ?? 0
    let proxy = try LossyProxy(upstreamPort: port, faults: faults)
    defer { proxy.stop() }
    let before = try await actionsCreated()
    Soak.log("sweep \(seed): \(hosts.count) machines through the proxy on \(proxy.port)")
    let live = try LiveLR(
      [
        "run", trial.script.path, "--output", "json", "--yes", "--results-dir",
        trial.results.path,
      ], environment: environment(trial, apiURL: proxy.baseURL))
    let (status, events, hung) = await Soak.toTheEnd(live)
    var outcome = Outcome(faults: proxy.counts.faults)
    let run = events.first { $0["event"] as? String == "runStarted" }?["run"] as? String ?? ""
    if hung {
      outcome.failures.append("lr run hung (stopped after \(Soak.hangSeconds) s)")
    } else if status != 0 {
      outcome.failures.append(
        "lr run exited \(status): \(events.suffix(2).map { "\($0)" }.joined(separator: " ")); "
          + "stderr: \(live.stderr)")
    }
    outcome.failures += try await check(trial, run: run, actionsBefore: before)
    return outcome
  }

  // MARK: - kill -9 trials

  /// `kill -9` of `lr run`, then of `lr resume` (at random moments), then `lr resume` until it
  /// finishes the run.
  func killTrial(seed: UInt64, machines: Int) async throws -> Outcome {
    var dice = SeededDice(seed: seed)
    let hosts = Array(Soak.windowsHosts.shuffled(using: &dice).prefix(machines))
    let trial = try Trial(root: dir, name: "kill-\(seed)", machines: hosts)
    defer { try? FileManager.default.removeItem(at: trial.dir) }
    let before = try await actionsCreated()
    var outcome = Outcome()
    let runTime = 1500 + 40 * machines  // real milliseconds a run roughly takes here
    let run = try LiveLR(
      [
        "run", trial.script.path, "--output", "json", "--yes", "--results-dir",
        trial.results.path,
      ], environment: environment(trial))
    let delay = dice.below(runTime)
    Soak.log("kill \(seed): lr run on \(hosts.count) machines, kill -9 after \(delay) ms")
    try await Task.sleep(for: .milliseconds(delay))
    await run.kill()
    outcome.kills += 1
    var finished = false
    for attempt in 0..<8 {
      let resume = try LiveLR(
        ["resume", "--output", "json", "--yes", "--settle", "3s"], environment: environment(trial))
      if attempt < 2, dice.unit() < 0.5 {
        let delay = dice.below(runTime)
        Soak.log("kill \(seed): lr resume \(attempt + 1), kill -9 after \(delay) ms")
        try await Task.sleep(for: .milliseconds(delay))
        await resume.kill()
        outcome.kills += 1
        continue
      }
      Soak.log("kill \(seed): lr resume \(attempt + 1) runs to the end")
      let (status, events, hung) = await Soak.toTheEnd(resume)
      let last = events.suffix(6).map { "\($0["event"] ?? "?")" }.joined(separator: ",")
      if hung {
        outcome.failures.append(
          "lr resume hung (stopped after \(Soak.hangSeconds) s; last events \(last))")
        break
      }
      if status != 0 {
        outcome.failures.append(
          "lr resume exited \(status) (last events \(last)); stderr: \(resume.stderr)")
        break
      }
      finished = true
      break
    }
    if !finished, outcome.failures.isEmpty {
      outcome.failures.append("lr resume never finished the run")
    }
    let runs = try await runsJournaled(trial)
    guard let first = runs.first, let id = first["id"] as? String ?? first["run"] as? String else {
      // Killed before the run was journaled: nothing may have been sent.
      let created = try await actionsCreated() - before
      if created != 0 {
        outcome.failures.append("no run journaled, yet \(created) actions created")
      }
      return outcome
    }
    outcome.failures += try await check(trial, run: id, actionsBefore: before)
    return outcome
  }

  // MARK: - Checks

  /// Exactly one action per machine on the service, every result saved intact, the run
  /// journaled finished and its manifest true.
  func check(_ trial: Trial, run: String, actionsBefore: Int) async throws -> [String] {
    var failures: [String] = []
    let created = try await actionsCreated() - actionsBefore
    if created != trial.machines.count {
      failures.append("\(created) actions created for \(trial.machines.count) machines")
    }
    let state = try await runsJournaled(trial).first?["state"] as? String
    if state != "finished" { failures.append("run \(run) journaled \(state ?? "nowhere")") }
    let url = trial.results.appendingPathComponent(run).appendingPathComponent("manifest.json")
    guard let data = try? Data(contentsOf: url),
      let manifest = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let actions = manifest["actions"] as? [[String: Any]]
    else { return failures + ["run \(run): no manifest"] }
    let machines = Set(actions.compactMap { ($0["computerName"] as? String)?.lowercased() })
    if actions.count != trial.machines.count || machines.count != trial.machines.count {
      failures.append("manifest lists \(actions.count) actions on \(machines.count) machines")
    }
    for action in actions {
      let name = action["computerName"] as? String ?? "?"
      if action["status"] as? String != "Succeeded" {
        failures.append("\(name): action \(action["status"] ?? "nil")")
      }
      for command in action["commands"] as? [[String: Any]] ?? [] {
        failures += Self.checkSaved(command, machine: name)
      }
    }
    return failures
  }

  /// A manifest command completed with its file on disk, of its size and SHA-256.
  static func checkSaved(_ command: [String: Any], machine: String) -> [String] {
    let index = command["index"] ?? "?"
    guard command["status"] as? String == "Completed" else {
      return ["\(machine) command \(index): \(command["status"] ?? "nil")"]
    }
    guard let path = command["file"] as? String,
      let data = try? Data(contentsOf: URL(fileURLWithPath: path))
    else { return ["\(machine) command \(index): result not saved"] }
    let sha = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    guard sha == command["sha256"] as? String,
      Int64(data.count) == (command["size"] as? NSNumber)?.int64Value
    else { return ["\(machine) command \(index): saved file differs from the manifest"] }
    return []
  }

  func runsJournaled(_ trial: Trial) async throws -> [[String: Any]] {
    let listed = try await LRTestSupport.runLR(
      ["runs", "--output", "json"], environment: environment(trial))
    return (try? jsonLines(listed.stdout)) ?? []
  }

  /// The emulator's `actionsCreated` counter.
  func actionsCreated() async throws -> Int {
    try await emulator.stats().actionsCreated
  }

  /// A progress line on standard error (seeds first, so a failure can be replayed).
  static func log(_ line: String) {
    if ProcessInfo.processInfo.environment["LR_SOAK_VERBOSE"] != nil {
      FileHandle.standardError.write(Data(("soak: " + line + "\n").utf8))
    }
  }

  /// Follows a live `lr` to its end (killed if it hangs): exit status, JSON events, whether it
  /// hung.
  static func toTheEnd(_ live: LiveLR) async -> (Int32, [[String: Any]], Bool) {
    let watchdog = Task {
      try await Task.sleep(for: .seconds(Soak.hangSeconds))
      Foundation.kill(live.process.processIdentifier, SIGKILL)
    }
    var events: [[String: Any]] = []
    for await event in live.events { events.append(event.fields) }
    watchdog.cancel()
    let status = await live.status()
    return (status, events, live.process.terminationReason == .uncaughtSignal)
  }

  static func tail(_ text: String) -> String {
    String(text.split(separator: "\n").suffix(3).joined(separator: " | "))
  }
}
