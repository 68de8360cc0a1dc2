import Crypto
import Foundation
import LRTestSupport
import Testing

/// `lr resume` after `kill -9`, a timeout, or nothing to do: real `lr` processes against a real
/// emulator in the test process (`lr --lab`'s emulator would die with the killed `lr`).
@Suite(.serialized) struct ResumeCommandTests {
  static let windows = [
    "mymachine1.contoso.com", "ws-0142", "ws-0143", "ws-0150", "srv-dc01", "srv-file01",
    "srv-app02", "ws-hostile-13",
  ]

  /// A state folder (journal, audit log) and a results folder of a test's own.
  struct Workspace {
    let dir: URL
    let emulator: EmulatorFixture
    /// The client's budget clock scale (`LR_TIME_SCALE`).
    let clientScale: Int
    var results: URL { dir.appendingPathComponent("results") }
    var auditLog: URL { dir.appendingPathComponent("state/lr/audit.jsonl") }

    /// Starts an emulator (`timeScale` times real time) for the workspace.
    static func start(timeScale: Int, clientScale: Int? = nil) async throws -> Workspace {
      Workspace(
        dir: try LRTestSupport.temporaryDirectory(),
        emulator: try await EmulatorFixture.start(timeScale: Double(timeScale)),
        clientScale: clientScale ?? timeScale)
    }

    /// Runs `body` with a fresh workspace, always closing it.
    static func with(
      timeScale: Int, clientScale: Int? = nil, _ body: (Workspace) async throws -> Void
    ) async throws {
      let ws = try await start(timeScale: timeScale, clientScale: clientScale)
      do {
        try await body(ws)
        await ws.close()
      } catch {
        await ws.close()
        throw error
      }
    }

    func environment(_ extra: [String: String] = [:]) -> [String: String] {
      var env = emulator.environment()
      env["XDG_STATE_HOME"] = dir.appendingPathComponent("state").path
      // Results stay in the test's folder whatever command runs (a worker, lr resume), never
      // in ./results of the checkout.
      env["LR_RESULTS_DIR"] = results.path
      env["LR_TIME_SCALE"] = String(clientScale)
      for (k, v) in extra { env[k] = v }
      return env
    }

    func script(_ text: String) throws -> String {
      let url = dir.appendingPathComponent("s.lr")
      try Data(text.utf8).write(to: url)
      return url.path
    }

    func lr(_ arguments: [String], _ extra: [String: String] = [:]) async throws
      -> LRTestSupport.ProcessResult
    {
      try await LRTestSupport.runLR(arguments, environment: environment(extra))
    }

    /// `lr run … --output json` as a live child process.
    func start(_ script: String, killOn event: String? = nil, signal: Int32 = SIGKILL) throws
      -> LiveLR
    {
      try LiveLR(
        ["run", script, "--output", "json", "--yes", "--results-dir", results.path],
        environment: environment(), killOn: event, signal: signal)
    }

    /// The emulator's actions on a machine (by its id or name), through `lr actions list`.
    func actions(on machine: String) async throws -> [[String: Any]] {
      let id = try await machineID(machine)
      let listed = try await lr([
        "actions", "list", "--machine", id, "--top", "1000", "--output", "json",
      ])
      #expect(listed.status == 0, "\(listed.stderr)")
      return try jsonLines(listed.stdout)
    }

    func machineID(_ name: String) async throws -> String {
      let listed = try await lr(["machines", name, "--output", "json"])
      let match = try #require(try jsonLines(listed.stdout).first)
      return try #require(match["id"] as? String)
    }

    /// Replaces the emulator's fault settings through its admin endpoint.
    func setFaults(_ json: String) async throws {
      try await emulator.setFaults(json)
    }

    func runs() async throws -> [[String: Any]] {
      let listed = try await lr(["runs", "--output", "json"])
      #expect(listed.status == 0, "\(listed.stdout)\(listed.stderr)")
      return try jsonLines(listed.stdout)
    }

    func manifest(_ run: String) throws -> [String: Any] {
      let url = results.appendingPathComponent(run).appendingPathComponent("manifest.json")
      return try #require(
        try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    /// Actions in the journal (read with Debian's sqlite3, read-only, while lr writes it).
    func journaledActions() throws -> Int {
      let journal = dir.appendingPathComponent("state/lr/journal.sqlite")
      guard FileManager.default.fileExists(atPath: journal.path) else { return 0 }
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = ["sqlite3", "-readonly", journal.path, "SELECT count(*) FROM action"]
      let pipe = Pipe()
      process.standardOutput = pipe
      process.standardError = FileHandle.nullDevice
      try process.run()
      let output = try pipe.fileHandleForReading.readToEnd() ?? Data()
      process.waitUntilExit()
      return Int(
        String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        ?? 0
    }

    func auditEntries() throws -> [[String: Any]] {
      try jsonLines(String(contentsOf: auditLog, encoding: .utf8))
    }

    func close() async {
      await emulator.stop()
      try? FileManager.default.removeItem(at: dir)
    }
  }

  /// Every command with a saved file in the manifest has it on disk with that size and SHA-256.
  static func expectResultsIntact(_ manifest: [String: Any], commands expected: Int) throws {
    let actions = try #require(manifest["actions"] as? [[String: Any]])
    var files = 0
    for action in actions {
      #expect(action["status"] as? String == "Succeeded", "\(action)")
      for command in try #require(action["commands"] as? [[String: Any]]) {
        #expect(command["status"] as? String == "Completed", "\(command)")
        let path = try #require(command["file"] as? String)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(Int64(data.count) == (command["size"] as? NSNumber)?.int64Value)
        #expect(sha256(data) == command["sha256"] as? String, "\(path)")
        files += 1
      }
    }
    #expect(files == expected)
  }

  /// `result.saved` audit entries, each (action, index) once: no result was fetched twice.
  static func savedResults(_ entries: [[String: Any]]) -> Int {
    let saved = entries.filter { $0["event"] as? String == "result.saved" }.map {
      "\($0["action"] ?? "")#\($0["index"] ?? "")"
    }
    #expect(Set(saved).count == saved.count, "\(saved)")
    return saved.count
  }

  static func sha256(_ data: Data) -> String {
    SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
  }

  /// The run's actions on the service carrying the token of each journaled action: one apiece.
  static func tokens(_ actions: [[String: Any]], run: String) -> [String] {
    actions.compactMap { $0["requestorComment"] as? String }.compactMap { comment in
      guard let range = comment.range(of: "[lr:\(run):") else { return nil }
      return String(comment[range.lowerBound...])
    }
  }

  // MARK: - Tests

  /// kill -9 while a long script runs; resume follows the submitted action, downloads the
  /// transcript and the file, takes the `if` branch and runs the statement that had not started.
  @Test func killDuringALongScriptThenResume() async throws {
    try await Workspace.with(timeScale: 30) { ws in
      let path = try ws.script(
        """
        let r = on machine mymachine1.contoso.com <
          run sleep.ps1 "90"
          get 'C:\\Users\\analyst\\Downloads\\invoice.pdf.exe'
        >
        if r.ok and r.exit_code == 0 <
          on machine ws-0142 < run Get-Processes.ps1 >
        >

        """)
      // Killed the moment the action is acknowledged, while its 90 s (3 s real) script runs.
      let live = try ws.start(path, killOn: "actionSubmitted")
      var run = ""
      for await event in live.events {
        if event["event"] as? String == "runStarted" { run = event["run"] as? String ?? "" }
      }
      await live.kill()
      #expect(!run.isEmpty)
      #expect(try await ws.runs().first?["state"] as? String == "running")

      let resumed = try await ws.lr(["resume", "--output", "json"])
      #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
      let events = try jsonLines(resumed.stdout)
      #expect(events.first?["run"] as? String == run)
      #expect(events.last?["exitStatus"] as? Int == 0)
      #expect(try await ws.runs().first?["state"] as? String == "finished")
      let manifest = try ws.manifest(run)
      #expect((manifest["actions"] as? [[String: Any]])?.count == 2)
      try Self.expectResultsIntact(manifest, commands: 3)
      let first = try #require(
        (manifest["actions"] as? [[String: Any]])?.first?["commands"] as? [[String: Any]])
      let size = (first[1]["size"] as? NSNumber)?.int64Value
      #expect(size == Int64(2 * 1_048_576))
      for machine in ["mymachine1.contoso.com", "ws-0142"] {
        #expect(Self.tokens(try await ws.actions(on: machine), run: run).count == 1, "\(machine)")
      }
      let verify = try await ws.lr(["audit", "verify"])
      #expect(verify.status == 0, "\(verify.stdout)")
      #expect(try ws.auditEntries().contains { $0["event"] as? String == "run.resumed" })
      #expect(try Self.savedResults(ws.auditEntries()) == 3)
      // Nothing left: a second resume says so, exits 0 and does not contact the service.
      let again = try await ws.lr(
        ["resume", run],
        ["LR_API_URL": "http://127.0.0.1:9", "LR_AUTHORITY_URL": "http://127.0.0.1:9"])
      #expect(again.status == 0)
      #expect(again.stdout.contains("run \(run) already finished; nothing to resume"))
    }
  }

  /// kill -9 just after a command's result was saved, while the action's next command runs:
  /// resume reports that result from the journal (its file is intact) instead of downloading it
  /// again, so there is one file and one `result.saved` per command, not a `-2` copy.
  @Test func aResultSavedBeforeTheKillIsNotDownloadedAgain() async throws {
    try await Workspace.with(timeScale: 30) { ws in
      let path = try ws.script(
        """
        on machine mymachine1.contoso.com <
          get 'C:\\Users\\analyst\\Downloads\\invoice.pdf.exe'
          run sleep.ps1 "90"
        >

        """)
      let live = try ws.start(path, killOn: "resultReady")
      var run = ""
      for await event in live.events {
        if event["event"] as? String == "runStarted" { run = event["run"] as? String ?? "" }
      }
      await live.kill()
      #expect(try await ws.runs().first?["state"] as? String == "running")
      let resumed = try await ws.lr(["resume", "--output", "json"])
      #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
      try Self.expectResultsIntact(try ws.manifest(run), commands: 2)
      #expect(try Self.savedResults(ws.auditEntries()) == 2)
      let folder = ws.results.appendingPathComponent(run)
      let files = try FileManager.default.subpathsOfDirectory(atPath: folder.path)
        .filter { $0.contains("invoice") }
      #expect(files.count == 1, "\(files)")
    }
  }

  /// Ctrl-C (SIGINT) while a long script runs: the run stops cleanly (exit 4, recorded
  /// `interrupted`, manifest written, the summary says how to finish it) and leaves the action
  /// running on the service; resume follows that action instead of submitting it again and runs
  /// the statement that had not started.
  @Test func ctrlCStopsTheRunAndResumeFinishesIt() async throws {
    try await Workspace.with(timeScale: 30) { ws in
      let path = try ws.script(
        """
        on machine mymachine1.contoso.com < run sleep.ps1 "90" >
        on machine ws-0142 < run Get-Processes.ps1 >

        """)
      let live = try ws.start(path, killOn: "actionSubmitted", signal: SIGINT)
      var events: [[String: Any]] = []
      for await event in live.events { events.append(event.fields) }
      let status = await live.status()
      #expect(status == 4, "\(events)")
      let run = try #require(events.first?["run"] as? String)
      let finished = try #require(events.last)
      #expect(finished["event"] as? String == "runFinished", "\(events)")
      #expect(finished["interrupted"] as? Bool == true)
      #expect(finished["exitStatus"] as? Int == 4)
      #expect(finished["pending"] as? Int == 1)
      #expect(try await ws.runs().first?["state"] as? String == "interrupted")
      #expect(try ws.manifest(run)["state"] as? String == "interrupted")
      // Nothing was cancelled on the service: the script is still running there.
      let onService = try await ws.actions(on: "mymachine1.contoso.com")
      #expect(Self.tokens(onService, run: run).count == 1)
      #expect(onService.allSatisfy { $0["status"] as? String != "Cancelled" })
      #expect(Self.tokens(try await ws.actions(on: "ws-0142"), run: run).isEmpty)

      let resumed = try await ws.lr(["resume", run, "--output", "json"])
      #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
      try Self.expectResultsIntact(try ws.manifest(run), commands: 2)
      for machine in ["mymachine1.contoso.com", "ws-0142"] {
        #expect(Self.tokens(try await ws.actions(on: machine), run: run).count == 1, "\(machine)")
      }
      #expect(try await ws.runs().first?["state"] as? String == "finished")
      #expect(try await ws.lr(["audit", "verify"]).status == 0)
    }
  }

  /// kill -9 while submissions wait for budget (journaled, never POSTed): resume finds no action
  /// with their tokens after the settle time and submits each exactly once; the ones the
  /// service had are followed, not resubmitted. (The client's budget minute is 15 s here, so
  /// the wait is long enough to kill in.)
  @Test func killWhileWaitingForBudgetResubmitsOnlyWhatNeverArrived() async throws {
    try await Workspace.with(timeScale: 60, clientScale: 4) { ws in
      let machines = Self.windows.joined(separator: ", ")
      let path = try ws.script(
        """
        on machines [\(machines)] < run Get-Processes.ps1 >
        on machines [\(machines)] < run Get-Services.ps1 >

        """)
      let live = try ws.start(path)
      var run = ""
      var submitted = 0
      var waiting = false
      for await event in live.events {
        if event["event"] as? String == "runStarted" { run = event["run"] as? String ?? "" }
        if event["event"] as? String == "actionSubmitted" { submitted += 1 }
        if event["event"] as? String == "waitingForBudget" { waiting = true }
        // The eleventh submission in a minute waits for budget, journaled but not sent.
        if submitted == 10, waiting { break }
      }
      try await Task.sleep(for: .milliseconds(300))
      await live.kill()
      #expect(submitted == 10)

      let resumed = try await ws.lr(["resume", run, "--settle", "2s", "--output", "json"])
      #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
      try Self.expectResultsIntact(try ws.manifest(run), commands: 16)
      for machine in Self.windows {
        let tokens = Self.tokens(try await ws.actions(on: machine), run: run)
        #expect(tokens.count == 2, "\(machine): \(tokens)")
        #expect(Set(tokens).count == tokens.count, "\(machine): \(tokens)")
      }
      #expect(try Self.savedResults(ws.auditEntries()) == 16)
      let reconciled = try ws.auditEntries().compactMap { $0["reconciled"] as? String }
      #expect(reconciled.count == 6)
      #expect(reconciled.allSatisfy { $0 == "resubmitted" })
      #expect(try await ws.lr(["audit", "verify"]).status == 0)
    }
  }

  /// kill -9 while the POST is on its way (the emulator holds every API request 5 s before
  /// handling it): the journal has the action without an id, and resume's first search finds
  /// nothing because the POST has not been handled yet. Resume waits out the settle time instead
  /// of resubmitting, then finds the action that POST created, by its token, and adopts it.
  @Test func killDuringTheSubmissionAdoptsTheActionTheServiceCreated() async throws {
    try await Workspace.with(timeScale: 60) { ws in
      let path = try ws.script("on machine ws-0143 < run Get-Processes.ps1 >\n")
      try await ws.setFaults(#"{"addedLatencyMilliseconds": 5000}"#)
      let live = try ws.start(path)
      var run = ""
      for await event in live.events {
        if event["event"] as? String == "runStarted" { run = event["run"] as? String ?? "" }
        if event["event"] as? String == "machinesResolved" { break }
      }
      // Wait until the action is journaled (after the pre-submission reads, each also held 5 s);
      // its POST is then on its way and held by the emulator.
      let deadline = ContinuousClock.now + .seconds(60)
      while try ws.journaledActions() == 0, ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(100))
      }
      try await Task.sleep(for: .milliseconds(800))
      await live.kill()
      try await ws.setFaults("{}")

      let resumed = try await ws.lr(["resume", "--settle", "8s", "--output", "json"])
      #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
      #expect(
        try jsonLines(resumed.stdout).contains {
          ($0["reason"] as? String)?.contains("may still reach the service") == true
        }, "\(resumed.stdout)")
      #expect(Self.tokens(try await ws.actions(on: "ws-0143"), run: run) == ["[lr:\(run):1]"])
      let reconciled = try ws.auditEntries().compactMap { $0["reconciled"] as? String }
      #expect(reconciled == ["adopted"])
      try Self.expectResultsIntact(try ws.manifest(run), commands: 1)
      #expect(try await ws.lr(["audit", "verify"]).status == 0)
    }
  }

  /// An action queued for an offline laptop outlives `lr run --timeout`; `lr resume` keeps
  /// polling until the laptop comes online (180 s of emulator time) and fetches the result.
  /// Wrong credentials exit 3 and change nothing; an unknown run id exits 2.
  @Test func resumeFollowsAnActionQueuedForAnOfflineMachine() async throws {
    try await Workspace.with(timeScale: 30) { ws in
      let path = try ws.script("on machine laptop-travel-07 < run Get-Processes.ps1 >\n")
      // 30 s of service time is one real second: long enough for the submission to be answered
      // (queued) however loaded the machine, and well before the laptop comes online.
      let first = try await ws.lr([
        "run", path, "--timeout", "30s", "--output", "json", "--results-dir", ws.results.path,
      ])
      #expect(first.status == 1, "\(first.stdout)\(first.stderr)")
      let events = try jsonLines(first.stdout)
      #expect(
        events.contains { $0["event"] as? String == "actionQueued" },
        "\(first.stdout)\(first.stderr)")
      #expect(events.last?["pending"] as? Int == 1)
      let run = try #require(events.first?["run"] as? String)
      #expect(try await ws.runs().first?["state"] as? String == "interrupted")

      let listed = try await ws.lr(["resume", "--list", "--output", "json"])
      #expect(try jsonLines(listed.stdout).map { $0["id"] as? String } == [run])

      let unknown = try await ws.lr(["resume", "20200101T000000-000000"])
      #expect(unknown.status == 2)
      #expect(unknown.stderr.contains("no run 20200101T000000-000000 in the journal"))

      let denied = try await ws.lr(["resume", run], ["AZURE_CLIENT_SECRET": "wrong-secret"])
      #expect(denied.status == 3, "\(denied.stderr)")
      #expect(try await ws.runs().first?["state"] as? String == "interrupted")

      let resumed = try await ws.lr(["resume", run, "--output", "json"])
      #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
      #expect(try jsonLines(resumed.stdout).contains { $0["event"] as? String == "resultReady" })
      #expect(Self.tokens(try await ws.actions(on: "laptop-travel-07"), run: run).count == 1)
      try Self.expectResultsIntact(try ws.manifest(run), commands: 1)
      #expect(try await ws.runs().first?["state"] as? String == "finished")
      #expect(try await ws.lr(["audit", "verify"]).status == 0)
    }
  }
}

/// JSON objects, one per line.
func jsonLines(_ text: String) throws -> [[String: Any]] {
  try text.split(separator: "\n").map {
    let object = try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    return try #require(object, "not a JSON object: \($0)")
  }
}

/// A running `lr` whose JSON-lines stdout is read as it comes, to `kill -9` it at a chosen event.
final class LiveLR: @unchecked Sendable {
  let process = Process()
  /// One JSON object printed by `lr` (immutable once parsed).
  struct Event: @unchecked Sendable {
    let fields: [String: Any]
    subscript(key: String) -> Any? { fields[key] }
  }

  /// The events printed so far and to come.
  let events: AsyncStream<Event>
  /// Where the process's stderr goes (read by ``stderr``, for failure messages).
  let errorFile: URL
  /// What the process wrote to stderr so far (its last 600 characters).
  var stderr: String {
    String((try? String(contentsOf: errorFile, encoding: .utf8))?.suffix(600) ?? "")
  }

  deinit { try? FileManager.default.removeItem(at: errorFile) }
  private let exited: AsyncStream<Void>

  /// - Parameters:
  ///   - killOn: an event name; the process gets `signal` as soon as it prints it, from the
  ///     reading handler, without waiting for the test's task to be scheduled.
  ///   - signal: SIGKILL (`kill -9`), or SIGINT (Ctrl-C).
  init(
    _ arguments: [String], environment: [String: String], killOn: String? = nil,
    signal: Int32 = SIGKILL
  ) throws {
    process.executableURL = LRTestSupport.lrExecutable
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let output = Pipe()
    process.standardOutput = output
    errorFile = FileManager.default.temporaryDirectory.appendingPathComponent(
      "lr-live-\(UUID().uuidString).err")
    _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
    process.standardError = try FileHandle(forWritingTo: errorFile)
    process.standardInput = FileHandle.nullDevice
    let (events, continuation) = AsyncStream<Event>.makeStream()
    self.events = events
    let buffer = LineBuffer()
    let reading = output.fileHandleForReading
    // A thread of its own with blocking reads, not a readabilityHandler: the soak saw that
    // dispatch-source reader miss a quick process's end (a hang) and crash libdispatch's manager.
    let reader = Thread {
      while true {
        let data = reading.availableData
        if data.isEmpty {
          continuation.finish()
          return
        }
        for line in buffer.append(data) {
          if let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any] {
            if let killOn, object["event"] as? String == killOn, let pid = buffer.pid {
              Foundation.kill(pid, signal)
            }
            continuation.yield(Event(fields: object))
          }
        }
      }
    }
    let (exited, done) = AsyncStream<Void>.makeStream()
    self.exited = exited
    process.terminationHandler = { _ in
      done.yield()
      done.finish()
    }
    try process.run()
    buffer.pid = process.processIdentifier
    reader.start()
  }

  /// `kill -9`, then waits for the process to be gone.
  func kill() async {
    Foundation.kill(process.processIdentifier, SIGKILL)
    for await _ in exited { break }
  }

  /// Waits for the process to exit by itself; its exit status.
  func status() async -> Int32 {
    for await _ in exited { break }
    process.waitUntilExit()
    return process.terminationStatus
  }
}

/// Splits bytes into lines across reads.
final class LineBuffer: @unchecked Sendable {
  private var data = Data()
  private var processID: Int32?
  private let lock = NSLock()

  /// The process writing the lines (set once it runs).
  var pid: Int32? {
    get { lock.withLock { processID } }
    set { lock.withLock { processID = newValue } }
  }

  func append(_ chunk: Data) -> [Data] {
    lock.lock()
    defer { lock.unlock() }
    data.append(chunk)
    var lines: [Data] = []
    while let newline = data.firstIndex(of: 10) {
      lines.append(Data(data[data.startIndex..<newline]))
      data.removeSubrange(data.startIndex...newline)
    }
    return lines
  }
}
