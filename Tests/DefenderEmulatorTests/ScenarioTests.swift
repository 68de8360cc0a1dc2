import AsyncHTTPClient
import CompressNIO
import DefenderEmulator
import Foundation
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
    let demo = try #require(Scenario.builtIn("demo"))
    let server = try await EmulatorServer.start(scenario: demo, tls: true)
    defer { Task { await server.stop() } }
    #expect(server.baseURL.scheme == "https")
    let caPath = try #require(server.caCertificatePath)
    #expect(FileManager.default.fileExists(atPath: caPath))
    var tls = TLSConfiguration.makeClientConfiguration()
    tls.trustRoots = .file(caPath)
    let client = HTTPClient(
      eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
    do {
      let response = try await client.execute(
        HTTPClientRequest(
          url: server.baseURL.absoluteString + "/lab/v2.0/.well-known/openid-configuration"),
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
    await server.stop()
  }
}

@Suite struct StdlibLocatorTests {
  @Test func environmentAndWalkUp() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("lr-loc-\(UUID())")
    let scripts = root.appendingPathComponent("stdlib/scripts")
    let bin = root.appendingPathComponent(".build/debug")
    try FileManager.default.createDirectory(at: scripts, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    let walked = StdlibLocator.scriptsDirectory(
      environment: [:], executablePath: bin.appendingPathComponent("lr").path)
    #expect(walked?.resolvingSymlinksInPath().path == scripts.resolvingSymlinksInPath().path)
    let fromEnv = StdlibLocator.scriptsDirectory(
      environment: ["LR_STDLIB": root.appendingPathComponent("stdlib").path], executablePath: "/")
    #expect(fromEnv?.path == scripts.path)
    #expect(StdlibLocator.scriptsDirectory(environment: [:], executablePath: "/usr/bin/lr") == nil)
  }

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
