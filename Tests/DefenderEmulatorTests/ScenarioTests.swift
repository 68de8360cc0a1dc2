import AsyncHTTPClient
import CompressNIO
import DefenderEmulator
import Foundation
import LRTestSupport
import NIOCore
import NIOHTTP1
import NIOSSL
import Testing

@Suite struct ScenarioTests {
  @Test func demoFleet() throws {
    let demo = try #require(Scenario.builtIn("demo"))
    #expect(demo.machines.count >= 12)
    #expect(demo.tenant == "lab")
    let platforms = Set(demo.machines.map(\.osPlatform))
    for p in ["Windows10", "Windows11", "Linux", "macOS"] { #expect(platforms.contains(p)) }
    #expect(platforms.contains { $0.hasPrefix("WindowsServer") })
    #expect(demo.machines.contains { $0.online.never })
    #expect(demo.machines.contains { $0.online.after > 0 && !$0.online.never })
    let example = try #require(
      demo.machines.first { $0.id == "1e5bc9d7e413ddd7902c2932e418702b84d0cc07" })
    #expect(example.computerDnsName == "mymachine1.contoso.com")
    #expect(Scenario.builtIn("nope") == nil)
    #expect(Scenario.builtIn("large")?.machines.count == 10_000)
  }

  @Test func loadFromFileWithDefaults() async throws {
    let json = """
      {
        "name": "class-1",
        "tenant": "school",
        "apps": [{"clientId": "student", "clientSecret": "s3cret", "roles": ["Machine.Read.All", "Machine.LiveResponse"]}],
        "limits": {"liveResponsePerMinute": 3},
        "machines": [
          {"id": "aaaa", "computerDnsName": "pc1.school.local", "osPlatform": "Windows11",
           "checkInLatencySeconds": 1,
           "files": [{"path": "C:\\\\big.bin", "size": 268435456, "seed": 9},
                     {"path": "C:\\\\note.txt", "text": "hello"}]},
          {"id": "bbbb", "computerDnsName": "pc2.school.local", "online": "never"},
          {"id": "cccc", "computerDnsName": "pc3.school.local", "online": {"after": 60}}
        ],
        "library": [{"fileName": "flag.ps1"}],
        "scripts": [{"script": "flag.ps1", "args": "x*", "output": "FLAG{{arg0}}", "exitCode": 3, "durationSeconds": 1,
                     "creates": [{"path": "C:\\\\flag-{arg0}.txt", "text": "found"}]}]
      }
      """
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "scenario-\(UUID()).json")
    try Data(json.utf8).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    let scenario = try Scenario.load(from: url)
    #expect(scenario.machines.count == 3)
    #expect(scenario.machines[1].online.never)
    #expect(scenario.limits.liveResponsePerMinute == 3)
    #expect(scenario.limits.otherPerMinute == 100)
    try await withLab(scenario) { lab in
      let reply = try await lab.form(
        "/school/oauth2/v2.0/token",
        [
          ("grant_type", "client_credentials"), ("client_id", "student"),
          ("client_secret", "s3cret"),
          ("scope", "https://api.securitycenter.microsoft.com/.default"),
        ])
      let token = try #require(reply.object["access_token"] as? String)
      let run = try await lab.run(
        "pc1.school.local",
        [
          ("RunScript", [("ScriptName", "flag.ps1"), ("Args", "xyz")]),
          ("GetFile", [("Path", "c:\\FLAG-xyz.txt")]), ("GetFile", [("Path", "C:\\big.bin")]),
        ],
        token: token)
      #expect(run.status == 201)
      let id = try #require(run.object["id"] as? String)
      lab.advance(60)
      #expect(try await lab.action(id, token: token)["status"] as? String == "Succeeded")
      let l0 = try await lab.get(
        "/api/machineactions/\(id)/GetLiveResponseResultDownloadLink(index=0)", token: token)
      let t = try await lab.send(.GET, try #require(l0.object["value"] as? String)).object
      #expect(t["script_output"] as? String == "FLAG{xyz}")
      #expect(t["exit_code"] as? Int == 3)
      let l1 = try await lab.get(
        "/api/machineactions/\(id)/GetLiveResponseResultDownloadLink(index=1)", token: token)
      var gz = ByteBuffer(
        bytes: try await lab.send(.GET, try #require(l1.object["value"] as? String)).body)
      #expect(String(buffer: try gz.decompress(with: .gzip)) == "found")
      // A 256 MiB generated file streams through gzip; check size and determinism by streaming.
      let l2 = try await lab.get(
        "/api/machineactions/\(id)/GetLiveResponseResultDownloadLink(index=2)", token: token)
      let url2 = try #require(l2.object["value"] as? String)
      let (size, head) = try await Self.streamedGunzipSize(url2)
      #expect(size == 268_435_456)
      #expect(head.hasPrefix("0000000000000009 0000000000000000 "))
    }
  }

  /// Downloads command `index`'s result of action `id`.
  static func result(_ lab: Lab, _ id: String, _ index: Int, token: String) async throws
    -> Lab.Reply
  {
    let link = try await lab.get(
      "/api/machineactions/\(id)/GetLiveResponseResultDownloadLink(index=\(index))", token: token)
    return try await lab.send(.GET, try #require(link.object["value"] as? String, "\(link.text)"))
  }

  static func gunzip(_ body: [UInt8]) throws -> String {
    var buffer = ByteBuffer(bytes: body)
    return String(buffer: try buffer.decompress(with: .gzip))
  }

  /// A scenario file exercising `removes`, `hostFile`, `online.until` and a script with no rule.
  static func classScenario(hostFile: String) -> String {
    """
    {
      "name": "class-2",
      "apps": [{"clientId": "student", "clientSecret": "s3cret",
                "roles": ["Machine.Read.All", "Machine.LiveResponse", "Library.Manage"]}],
      "machines": [
        {"id": "aaaa", "computerDnsName": "pc1.school.local", "osPlatform": "Windows11",
         "checkInLatencySeconds": 1,
         "files": [{"path": "C:\\\\notes.txt", "text": "hello"},
                   {"path": "C:\\\\evidence.bin", "hostFile": "\(hostFile)"}]},
        {"id": "bbbb", "computerDnsName": "pc2.school.local", "checkInLatencySeconds": 1,
         "online": {"after": 0, "until": 60}},
        {"id": "cccc", "computerDnsName": "pc3.school.local", "osPlatform": "Linux",
         "checkInLatencySeconds": 1}
      ],
      "library": [{"fileName": "cleanup.ps1"}, {"fileName": "mystery.ps1"},
                  {"fileName": "mystery.sh"}],
      "scripts": [{"script": "cleanup.ps1", "output": "removed", "durationSeconds": 1,
                   "removes": ["C:\\\\NOTES.txt"]}]
    }
    """
  }

  /// Loads scenario JSON the way `--scenario FILE` does: from a file.
  static func load(_ json: String) throws -> Scenario {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "scenario-\(UUID()).json")
    try Data(json.utf8).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    return try Scenario.load(from: url)
  }

  static func studentToken(_ lab: Lab) async throws -> String {
    let reply = try await lab.form(
      "/lab/oauth2/v2.0/token",
      [
        ("grant_type", "client_credentials"), ("client_id", "student"),
        ("client_secret", "s3cret"),
        ("scope", "https://api.securitycenter.microsoft.com/.default"),
      ])
    return try #require(reply.object["access_token"] as? String, "\(reply.text)")
  }

  @Test func scriptRemovesAFile() async throws {
    try await withLab(try Self.load(Self.classScenario(hostFile: "/nonexistent"))) { lab in
      let token = try await Self.studentToken(lab)
      // Before: the file is there.
      let before = try await lab.run(
        "pc1.school.local", [("GetFile", [("Path", "C:\\notes.txt")])], token: token)
      let beforeId = try #require(before.object["id"] as? String)
      lab.advance(30)
      #expect(try await lab.action(beforeId, token: token)["status"] as? String == "Succeeded")
      #expect(
        try Self.gunzip(try await Self.result(lab, beforeId, 0, token: token).body) == "hello")
      // The script removes it (the rule names it in another case); a GetFile after it fails.
      let run = try await lab.run(
        "pc1.school.local",
        [("RunScript", [("ScriptName", "cleanup.ps1")]), ("GetFile", [("Path", "C:\\notes.txt")])],
        token: token)
      let id = try #require(run.object["id"] as? String)
      lab.advance(30)
      let a = try await lab.action(id, token: token)
      #expect(a["status"] as? String == "Failed")
      let cmds = try #require(a["commands"] as? [[String: Any]])
      #expect(cmds[0]["commandStatus"] as? String == "Completed")
      #expect(cmds[1]["commandStatus"] as? String == "Failed")
      #expect((cmds[1]["errors"] as? [String])?.first?.contains("not found") == true)
      // And it stays gone for later actions.
      let later = try await lab.run(
        "pc1.school.local", [("GetFile", [("Path", "c:/notes.txt")])], token: token)
      let laterId = try #require(later.object["id"] as? String)
      lab.advance(30)
      #expect(try await lab.action(laterId, token: token)["status"] as? String == "Failed")
    }
  }

  @Test func hostFileIsServedFromTheHost() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let host = dir.appendingPathComponent("evidence.bin")
    let bytes = (0..<700_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    try Data(bytes).write(to: host)
    try await withLab(try Self.load(Self.classScenario(hostFile: host.path))) { lab in
      let token = try await Self.studentToken(lab)
      let run = try await lab.run(
        "pc1.school.local", [("GetFile", [("Path", "C:\\EVIDENCE.bin")])], token: token)
      let id = try #require(run.object["id"] as? String)
      lab.advance(30)
      #expect(try await lab.action(id, token: token)["status"] as? String == "Succeeded")
      let reply = try await Self.result(lab, id, 0, token: token)
      #expect(reply.body.prefix(2) == [0x1F, 0x8B])
      var gz = ByteBuffer(bytes: reply.body)
      let raw = try gz.decompress(with: .gzip)
      #expect(raw.readableBytesView.elementsEqual(bytes))
    }
  }

  @Test func onlineUntilEndsTheDevicesWindow() async throws {
    try await withLab(try Self.load(Self.classScenario(hostFile: "/nonexistent"))) { lab in
      var token = try await Self.studentToken(lab)
      // Inside the window (the first 60 virtual seconds) the device runs actions.
      let early = try await lab.run(
        "pc2.school.local", [("RunScript", [("ScriptName", "mystery.ps1")])], token: token)
      let earlyId = try #require(early.object["id"] as? String)
      lab.advance(20)
      #expect(try await lab.action(earlyId, token: token)["status"] as? String == "Succeeded")
      let machine = try await lab.get("/api/machines/pc2.school.local", token: token)
      let seenEarly = try #require(machine.object["lastSeen"] as? String)
      // After it, actions queue and time out: the device never comes back.
      lab.advance(60)
      let late = try await lab.run(
        "pc2.school.local", [("RunScript", [("ScriptName", "mystery.ps1")])], token: token)
      let lateId = try #require(late.object["id"] as? String)
      lab.advance(86_400)
      token = try await Self.studentToken(lab)
      #expect(try await lab.action(lateId, token: token)["status"] as? String == "Pending")
      let offline = try await lab.get("/api/machines/pc2.school.local", token: token)
      #expect(offline.object["lastSeen"] as? String ?? "" < seenEarly)
      lab.advance(2 * 86_400)
      token = try await Self.studentToken(lab)
      #expect(try await lab.action(lateId, token: token)["status"] as? String == "TimeOut")
    }
  }

  /// A library script no rule describes completes after 3 s with a plausible transcript.
  @Test(arguments: [("pc1.school.local", "mystery.ps1"), ("pc3.school.local", "mystery.sh")])
  func scriptWithoutARuleGetsTheDefaultBehaviour(machine: String, script: String) async throws {
    try await withLab(try Self.load(Self.classScenario(hostFile: "/nonexistent"))) { lab in
      let token = try await Self.studentToken(lab)
      let run = try await lab.run(
        machine, [("RunScript", [("ScriptName", script), ("Args", "-x 1")])], token: token)
      #expect(run.status == 201)
      let id = try #require(run.object["id"] as? String)
      lab.advance(2)
      #expect(try await lab.action(id, token: token)["status"] as? String == "InProgress")
      lab.advance(3)
      let a = try await lab.action(id, token: token)
      #expect(a["status"] as? String == "Succeeded")
      let cmds = try #require(a["commands"] as? [[String: Any]])
      #expect(cmds[0]["commandStatus"] as? String == "Completed")
      #expect((cmds[0]["errors"] as? [String]) == [])
      // It ran for the default 3 seconds.
      let start = try #require((cmds[0]["startTime"] as? String).flatMap(LiveResponseTests.date))
      let end = try #require((cmds[0]["endTime"] as? String).flatMap(LiveResponseTests.date))
      #expect(abs(end.timeIntervalSince(start) - 3) < 0.01)
      let t = try await Self.result(lab, id, 0, token: token).object
      #expect(t["script_name"] as? String == script)
      #expect(t["exit_code"] as? Int == 0)
      #expect(t["script_errors"] as? String == "")
      let output = try #require(t["script_output"] as? String)
      #expect(output.contains("\(script) completed on \(machine)"))
      #expect(output.hasPrefix("Transcript started") == script.hasSuffix(".ps1"))
    }
  }

  /// Streams a gzip download, decompressing chunk by chunk; returns the raw size and first line.
  static func streamedGunzipSize(_ url: String) async throws -> (Int, String) {
    let response = try await HTTPClient.shared.execute(
      HTTPClientRequest(url: url), timeout: .seconds(120))
    let decompressor = try ZlibDecompressor(algorithm: .gzip)
    var total = 0
    var head = ""
    var out = ByteBufferAllocator().buffer(capacity: 1 << 20)
    for try await var chunk in response.body {
      while chunk.readableBytes > 0 {
        out.clear()
        do {
          try decompressor.inflate(from: &chunk, to: &out)
        } catch let error as CompressNIOError where error == .bufferOverflow {
        }
        if head.isEmpty, out.readableBytes >= 64 {
          head = out.getString(at: out.readerIndex, length: 64) ?? ""
        }
        total += out.readableBytes
      }
    }
    return (total, head)
  }

  @Test func tlsServesHTTPSWithGeneratedCA() async throws {
    try await EmulatorFixture.with(tls: true) { lab in
      #expect(lab.server.baseURL.scheme == "https")
      let caPath = try #require(lab.server.caCertificatePath)
      #expect(FileManager.default.fileExists(atPath: caPath))
      var tls = TLSConfiguration.makeClientConfiguration()
      tls.trustRoots = .file(caPath)
      let client = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
      do {
        let response = try await client.execute(
          HTTPClientRequest(url: lab.base + "/lab/v2.0/.well-known/openid-configuration"),
          timeout: .seconds(10))
        #expect(response.status == .ok)
        var body = try await response.body.collect(upTo: 1 << 20)
        let text = body.readString(length: body.readableBytes) ?? ""
        #expect(text.contains("https://127.0.0.1:"))
      } catch {
        try? await client.shutdown()
        throw error
      }
      try await client.shutdown()
    }
  }
}

@Suite struct StdlibScriptsTests {
  @Test func demoScriptsMatchTheStdlibNames() throws {
    let demo = try #require(Scenario.builtIn("demo"))
    let names = Set(demo.library.map(\.fileName))
    for name in [
      "minidump.ps1", "Collect-Triage.ps1", "Export-EventLog.ps1", "Get-Processes.ps1",
      "Get-Services.ps1", "Get-Autoruns.ps1", "Get-FileHash.ps1", "memdump.sh", "triage.sh",
      "export-logs.sh", "processes.sh", "services.sh", "autoruns.sh", "filehash.sh", "sleep.ps1",
    ] {
      #expect(names.contains(name), "\(name)")
      #expect(demo.scripts.contains { $0.script == name }, "\(name) has a behaviour")
    }
  }
}

@Suite struct ShutdownTests {
  @Test func stopDoesNotWaitForDownloadsInFlight() async throws {
    let lab = try await Lab.start(timeScale: 1000)
    let token = try await lab.token()
    let run = try await lab.run(
      "srv-file01", [("GetFile", [("Path", "D:\\Shares\\Finance\\archive-2025.vhdx")])],
      token: token)
    let id = try #require(run.object["id"] as? String)
    lab.advance(120)
    let link = try await lab.get(
      "/api/machineactions/\(id)/GetLiveResponseResultDownloadLink(index=0)", token: token)
    let url = try #require(link.object["value"] as? String)
    let response = try await HTTPClient.shared.execute(
      HTTPClientRequest(url: url), timeout: .seconds(60))
    var iterator = response.body.makeAsyncIterator()
    _ = try await iterator.next()
    let start = ContinuousClock.now
    await lab.stop()
    #expect(ContinuousClock.now - start < .seconds(5))
  }
}
