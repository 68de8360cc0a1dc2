import DefenderEmulator
import Foundation
import LRTestSupport
import Synchronization
import Testing

/// A running `lr` child whose stderr can be watched while it runs, and that can be signalled.
final class RunningLR: Sendable {
  private let process: Process
  private let errors = Mutex(Data())
  private let outputs = Mutex(Data())
  /// Pipes (stdout, stderr) read to their end: the child's last bytes are in hand.
  private let drained = Mutex(0)
  private let exited: AsyncStream<Int32>

  /// - Parameter input: the child's standard input (default: none, at end of file at once).
  init(_ arguments: [String], environment: [String: String], input: Pipe? = nil) throws {
    let process = Process()
    process.executableURL = LRTestSupport.lrExecutable
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let stderr = Pipe()
    process.standardError = stderr
    let stdout = Pipe()
    process.standardOutput = stdout
    process.standardInput = input ?? FileHandle.nullDevice
    let (stream, continuation) = AsyncStream<Int32>.makeStream()
    exited = stream
    process.terminationHandler = { finished in
      continuation.yield(finished.terminationStatus)
      continuation.finish()
    }
    self.process = process
    stderr.fileHandleForReading.readabilityHandler = { [self] handle in
      let data = handle.availableData
      errors.withLock { $0.append(data) }
      if data.isEmpty {
        handle.readabilityHandler = nil
        drained.withLock { $0 += 1 }
      }
    }
    stdout.fileHandleForReading.readabilityHandler = { [self] handle in
      let data = handle.availableData
      outputs.withLock { $0.append(data) }
      if data.isEmpty {
        handle.readabilityHandler = nil
        drained.withLock { $0 += 1 }
      }
    }
    try process.run()
  }

  /// What the child wrote to stdout so far.
  var stdout: String { String(decoding: outputs.withLock { $0 }, as: UTF8.self) }

  /// Waits (up to `timeout`) until stdout contains `text`.
  func waitForStdout(containing text: String, timeout: Duration = .seconds(20)) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      if stdout.contains(text) { return true }
      try? await Task.sleep(for: .milliseconds(50))
    }
    return stdout.contains(text)
  }

  /// What the child wrote to stderr so far.
  var stderr: String { String(decoding: errors.withLock { $0 }, as: UTF8.self) }

  /// Waits (up to `timeout`) until stderr contains `text`.
  func waitForStderr(containing text: String, timeout: Duration = .seconds(20)) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      if stderr.contains(text) { return true }
      try? await Task.sleep(for: .milliseconds(50))
    }
    return stderr.contains(text)
  }

  /// Waits (up to `timeout`) until the child has a handler of its own for SIGINT (Linux:
  /// `SigCgt` in `/proc/PID/status`), so that a signal sent now reaches lr's handling rather
  /// than the default action.
  func waitUntilCatchingSIGINT(timeout: Duration = .seconds(20)) async -> Bool {
    let path = "/proc/\(process.processIdentifier)/status"
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      if let status = try? String(contentsOfFile: path, encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigCgt:") }),
        let mask = UInt64(
          line.dropFirst("SigCgt:".count).trimmingCharacters(in: .whitespaces), radix: 16),
        mask & (1 << (UInt64(SIGINT) - 1)) != 0
      {
        return true
      }
      try? await Task.sleep(for: .milliseconds(20))
    }
    return false
  }

  /// Sends SIGINT, as Ctrl-C on a terminal does.
  func interrupt() { kill(process.processIdentifier, SIGINT) }

  /// The exit status, once the child has exited and its stdout and stderr have been read to
  /// their end (the termination can be seen before the pipes' last bytes are).
  func status() async -> Int32? {
    var status: Int32?
    for await value in exited {
      status = value
      break
    }
    let deadline = ContinuousClock.now + .seconds(5)
    while drained.withLock({ $0 }) < 2, ContinuousClock.now < deadline {
      try? await Task.sleep(for: .milliseconds(10))
    }
    return status ?? (process.isRunning ? nil : process.terminationStatus)
  }
}

/// Ctrl-C in one-shot commands: cancelled cleanly, exit status 4, a short message.
@Suite(.serialized, .timeLimit(.minutes(2))) struct InterruptTests {
  @Test func ctrlCWhileLoginWaitsForTheUserExitsFour() async throws {
    // Time scale 1: the demo approves the code only after 5 real seconds.
    try await EmulatorFixture.with(timeScale: 1) { emulator in
      var env = emulator.environment()
      env["AZURE_CLIENT_SECRET"] = ""
      let login = try RunningLR(["login"], environment: env)
      #expect(await login.waitForStderr(containing: "enter the code"))
      let started = ContinuousClock.now
      login.interrupt()
      let status = await login.status()
      #expect(status == 4, "\(login.stderr)")
      #expect(ContinuousClock.now - started < .seconds(4))
      #expect(login.stderr.hasSuffix("lr: cancelled\n"), "\(login.stderr)")
      // Nothing was cached: the sign-in did not happen.
      #expect(
        !FileManager.default.fileExists(
          atPath: emulator.configHome.path + "/lr/tokens/lab-lr-lab.json"))
    }
  }

  @Test func ctrlCDuringASlowRequestExitsFour() async throws {
    try await EmulatorFixture.with(timeScale: 60) { emulator in
      try await emulator.setFaults(#"{"addedLatencyMilliseconds": 20000}"#)
      let machines = try RunningLR(["machines", "--verbose"], environment: emulator.environment())
      // The sign-in is not slowed down; wait until the machines request is on its way.
      #expect(await machines.waitForStderr(containing: "sign-in answer"))
      try await Task.sleep(for: .milliseconds(300))
      let started = ContinuousClock.now
      machines.interrupt()
      let status = await machines.status()
      #expect(status == 4, "\(machines.stderr)")
      #expect(ContinuousClock.now - started < .seconds(5))
      #expect(machines.stderr.hasSuffix("lr: cancelled\n"), "\(machines.stderr)")
      #expect(!machines.stderr.contains("lr-lab-secret"))
    }
  }

  /// `lr plan` on 10,000 machines, Ctrl-C as soon as its last read (the active actions) is
  /// answered, while it assesses and prints each machine: it stops promptly, status 4. Before,
  /// assessing built a date formatter per machine (about 10 s here, minutes at 100,000) and could
  /// not be cancelled: the plan ran to its end (status 0).
  @Test func ctrlCInAPlanAfterItsReadsExitsFour() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let script = dir.appendingPathComponent("all.lr")
    try Data("on tag \"All\" < run Get-Processes.ps1 >\n".utf8).write(to: script)
    var large = try #require(Scenario.builtIn("large"))
    for i in large.machines.indices {  // every machine assessed to the end (as a sweep's)
      large.machines[i].machineTags.append("All")
      large.machines[i].osPlatform = "Windows11"
    }
    // Reads not paced (as bench/fleet_memory.py --unpaced): no budget wait between them.
    large.limits.otherPerMinute = 10_000_000
    large.limits.otherPerHour = 1_000_000_000
    let config = dir.appendingPathComponent("config.toml")
    try Data(
      ("default_profile = \"default\"\n[profiles.default.limits]\n"
        + "api_per_minute = 10000000\napi_per_hour = 1000000000\n").utf8
    ).write(to: config)
    try await EmulatorFixture.with(large, timeScale: 60) { emulator in
      var env = emulator.environment()
      env["HOME"] = dir.path
      env["XDG_STATE_HOME"] = dir.appendingPathComponent("state").path
      env["LR_CONFIG"] = config.path
      let plan = try RunningLR(
        ["plan", script.path, "--output", "json", "--verbose"], environment: env)
      #expect(await plan.waitForStderr(containing: "/api/machineactions", timeout: .seconds(90)))
      // The reads of the active actions: interrupt once no other has been answered for 0.7 s.
      var reads = 0
      while plan.stderr.components(separatedBy: "/api/machineactions").count != reads {
        reads = plan.stderr.components(separatedBy: "/api/machineactions").count
        try await Task.sleep(for: .milliseconds(700))
      }
      let started = ContinuousClock.now
      plan.interrupt()
      let status = await plan.status()
      #expect(status == 4, "\(plan.stderr.suffix(300))")
      #expect(ContinuousClock.now - started < .seconds(3))
      #expect(plan.stderr.hasSuffix("lr: cancelled\n"), "\(plan.stderr.suffix(300))")
    }
  }

  /// Ctrl-C in a lab run: the lab is gone when lr exits, so the summary says the run cannot be
  /// resumed (rerun it) rather than `lr resume`, and does not call the run finished.
  @Test func ctrlCInALabRunSaysItCannotBeResumed() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let script = dir.appendingPathComponent("sleep.lr")
    try Data("on machine ws-0142 < run sleep.ps1 \"600\" >\n".utf8).write(to: script)
    let env = [
      "HOME": dir.path, "XDG_STATE_HOME": dir.appendingPathComponent("state").path,
      "LR_LAB_TIME_SCALE": "1", "LR_RESULTS_DIR": dir.appendingPathComponent("results").path,
    ]
    let run = try RunningLR(
      ["run", script.path, "--lab", "--output", "human"], environment: env)
    #expect(await run.waitForStdout(containing: "submitted action", timeout: .seconds(60)))
    #expect(await run.waitUntilCatchingSIGINT())
    run.interrupt()
    let status = await run.status()
    #expect(status == 4, "\(run.stdout)\(run.stderr)")
    let summary = run.stdout.split(separator: "\n").last { $0.contains("interrupted") } ?? ""
    #expect(summary.contains("cannot be resumed"), "\(run.stdout)")
    #expect(!summary.contains("lr resume"), "\(run.stdout)")
    #expect(!summary.contains("finished"), "\(run.stdout)")
  }

  /// A local command (no service): `lr fmt -` waiting for its standard input exits 4 at once.
  @Test func ctrlCInALocalCommandExitsFour() async throws {
    let input = Pipe()
    let fmt = try RunningLR(["fmt", "-"], environment: [:], input: input)
    defer { try? input.fileHandleForWriting.close() }
    #expect(await fmt.waitUntilCatchingSIGINT())
    fmt.interrupt()
    let status = await fmt.status()
    #expect(status == 4, "\(fmt.stderr)")
    #expect(fmt.stderr == "lr: cancelled\n")
  }
}
