import Foundation
import LRTestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `lr emulator` as a process: banner lines, options, the request log, serving, clean stop on
/// SIGTERM/SIGINT, flat memory for multi-GiB downloads.
@Suite struct EmulatorCommandTests {
  /// Starts `lr emulator` with `arguments`, returns the first `lines` lines of stdout. Standard
  /// error goes to `stderr` (a file) when given, else nowhere; `quiet` adds `--quiet`.
  static func launch(
    _ arguments: [String], lines: Int, quiet: Bool = true, stderr: URL? = nil
  ) throws -> (Process, [String]) {
    let process = Process()
    process.executableURL = LRTestSupport.lrExecutable
    process.arguments = ["emulator"] + (quiet ? ["--quiet"] : []) + arguments
    let out = Pipe()
    process.standardOutput = out
    if let stderr {
      try #require(FileManager.default.createFile(atPath: stderr.path, contents: nil))
      process.standardError = try FileHandle(forWritingTo: stderr)
    } else {
      process.standardError = FileHandle.nullDevice
    }
    try process.run()
    var text = ""
    let deadline = Date().addingTimeInterval(30)
    while text.split(separator: "\n").count < lines, Date() < deadline {
      let data = out.fileHandleForReading.availableData
      if data.isEmpty { break }
      text += String(decoding: data, as: UTF8.self)
    }
    return (process, text.split(separator: "\n").map(String.init))
  }

  /// The base URL from a `listening on URL` banner line.
  static func base(_ lines: [String]) throws -> String {
    let first = try #require(lines.first)
    #expect(first.hasPrefix("listening on "))
    return String(first.dropFirst("listening on ".count))
  }

  static func stop(_ process: Process) {
    kill(process.processIdentifier, SIGTERM)
    process.waitUntilExit()
  }

  /// One HTTP exchange: status and body.
  static func call(
    _ url: String, method: String = "GET", headers: [String: String] = [:], body: Data? = nil
  ) async throws -> (Int, Data) {
    var request = URLRequest(url: try #require(URL(string: url)))
    request.httpMethod = method
    for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
    request.httpBody = body
    let (data, response) = try await URLSession.shared.data(for: request)
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
  }

  static func json(_ data: Data) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
  }

  /// A client-credentials token from `base` for `tenant`.
  static func token(
    _ base: String, tenant: String = "lab", client: String = "lr-lab",
    secret: String = "lr-lab-secret"
  ) async throws -> (token: String, expiresIn: Int?) {
    let form =
      "grant_type=client_credentials&client_id=\(client)&client_secret=\(secret)"
      + "&scope=https%3A%2F%2Fapi.securitycenter.microsoft.com%2F.default"
    let (status, data) = try await call(
      base + "/\(tenant)/oauth2/v2.0/token", method: "POST",
      headers: ["Content-Type": "application/x-www-form-urlencoded"], body: Data(form.utf8))
    #expect(status == 200, "\(String(decoding: data, as: UTF8.self))")
    let object = json(data)
    return (try #require(object["access_token"] as? String), object["expires_in"] as? Int)
  }

  @Test(arguments: [SIGTERM, SIGINT])
  func printsListeningLineServesAndStopsOnSignal(signal: Int32) async throws {
    let (process, lines) = try Self.launch(["--port", "0"], lines: 1)
    let first = try #require(lines.first)
    #expect(first.hasPrefix("listening on http://127.0.0.1:"))
    let base = String(first.dropFirst("listening on ".count))
    let url = try #require(URL(string: base + "/lab/v2.0/.well-known/openid-configuration"))
    let (data, response) = try await URLSession.shared.data(from: url)
    #expect((response as? HTTPURLResponse)?.statusCode == 200)
    #expect(String(decoding: data, as: UTF8.self).contains("token_endpoint"))
    kill(process.processIdentifier, signal)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
  }

  @Test func tlsPrintsCAPathOnSecondLine() async throws {
    let (process, lines) = try Self.launch(["--tls", "--scenario", "demo"], lines: 2)
    defer { Self.stop(process) }
    #expect(lines.first?.hasPrefix("listening on https://127.0.0.1:") == true)
    let ca = try #require(lines.dropFirst().first)
    #expect(FileManager.default.fileExists(atPath: ca))
    #expect(
      (try? String(contentsOfFile: ca, encoding: .utf8))?.contains("BEGIN CERTIFICATE") == true)
  }

  @Test func unknownScenarioIsAConfigurationError() async throws {
    let result = try await LRTestSupport.runLR([
      "emulator", "--scenario", "/nonexistent/scenario.json",
    ])
    #expect(result.status == 3)
    #expect(result.stderr.contains("cannot load scenario"))
  }

  /// `--host` binds the given address; the banner names one a client can reach (a wildcard
  /// address is announced as 127.0.0.1).
  @Test(arguments: [("127.0.0.1", "http://127.0.0.1:"), ("0.0.0.0", "http://127.0.0.1:")])
  func hostOption(host: String, announced: String) async throws {
    let (process, lines) = try Self.launch(["--host", host, "--port", "0"], lines: 1)
    defer { Self.stop(process) }
    let base = try Self.base(lines)
    #expect(base.hasPrefix(announced))
    let (status, data) = try await Self.call(base + "/")
    #expect(status == 200)
    #expect(Self.json(data)["scenario"] as? String == "demo")
  }

  @Test func invalidOptionsAreUsageErrors() async throws {
    for arguments in [["--time-scale", "0"], ["--port", "70000"]] {
      let result = try await LRTestSupport.runLR(["emulator"] + arguments)
      #expect(result.status != 0, "\(arguments)")
      #expect(!result.stderr.isEmpty)
    }
  }

  /// A scenario file from the command line: its tenant, apps, fleet and scripts are served.
  @Test func scenarioFileFromTheCommandLine() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("class.json")
    try Data(
      """
      {"name": "class-3", "tenant": "school",
       "apps": [{"clientId": "student", "clientSecret": "s3cret",
                 "roles": ["Machine.Read.All", "Machine.LiveResponse"]}],
       "machines": [{"id": "abcd", "computerDnsName": "pc1.school.local", "osPlatform": "Windows11"},
                    {"id": "bcde", "computerDnsName": "pc2.school.local", "online": "never"}],
       "library": [{"fileName": "flag.ps1"}],
       "scripts": [{"script": "flag.ps1", "output": "FLAG{x}", "durationSeconds": 1}]}
      """.utf8
    ).write(to: file)
    let (process, lines) = try Self.launch(["--scenario", file.path], lines: 1)
    defer { Self.stop(process) }
    let base = try Self.base(lines)
    let (_, info) = try await Self.call(base + "/")
    #expect(Self.json(info)["scenario"] as? String == "class-3")
    #expect(Self.json(info)["tenant"] as? String == "school")
    let token = try await Self.token(base, tenant: "school", client: "student", secret: "s3cret")
    let (status, data) = try await Self.call(
      base + "/api/machines", headers: ["Authorization": "Bearer \(token.token)"])
    #expect(status == 200)
    let names = (Self.json(data)["value"] as? [[String: Any]])?.compactMap {
      $0["computerDnsName"] as? String
    }
    #expect(names == ["pc1.school.local", "pc2.school.local"])
    // The demo's apps are not there.
    let (demoStatus, _) = try await Self.call(
      base + "/school/oauth2/v2.0/token", method: "POST",
      headers: ["Content-Type": "application/x-www-form-urlencoded"],
      body: Data("grant_type=client_credentials&client_id=lr-lab&client_secret=lr-lab-secret".utf8))
    #expect(demoStatus == 400)
  }

  /// `--time-scale` reaches the server: the clock reports it, and waits are in real seconds.
  @Test func timeScaleFromTheCommandLine() async throws {
    let (process, lines) = try Self.launch(
      ["--time-scale", "60", "--admin-key", "k3y"], lines: 1)
    defer { Self.stop(process) }
    let base = try Self.base(lines)
    let (status, data) = try await Self.call(
      base + "/_emulator/clock", headers: ["X-Emulator-Admin-Key": "k3y"])
    #expect(status == 200)
    #expect(Self.json(data)["timeScale"] as? Double == 60)
    let token = try await Self.token(base)
    #expect(token.expiresIn == 59)
    // A real second after start, the virtual clock is (at least) a minute on.
    try await Task.sleep(for: .seconds(1))
    let (_, later) = try await Self.call(
      base + "/_emulator/clock", headers: ["X-Emulator-Admin-Key": "k3y"])
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    let now = try #require((Self.json(later)["now"] as? String).flatMap(formatter.date(from:)))
    let start = try #require((Self.json(later)["start"] as? String).flatMap(formatter.date(from:)))
    #expect(now.timeIntervalSince(start) >= 60)
  }

  /// Without `--quiet` every request is logged to standard error — method, path, status — even
  /// the ones that end in an error or a dropped connection, and no credential is ever logged.
  @Test func logsEveryRequestAndNoSecrets() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let log = dir.appendingPathComponent("stderr.log")
    let (process, lines) = try Self.launch(
      ["--time-scale", "600", "--admin-key", "adm1n"], lines: 1, quiet: false, stderr: log)
    let base = try Self.base(lines)
    // A secret in the body, and one (wrongly) in the query.
    let form =
      "grant_type=client_credentials&client_id=lr-lab&client_secret=lr-lab-secret"
      + "&scope=https%3A%2F%2Fapi.securitycenter.microsoft.com%2F.default"
    let (tokenStatus, tokenData) = try await Self.call(
      base + "/lab/oauth2/v2.0/token?client_secret=query-secret-123", method: "POST",
      headers: ["Content-Type": "application/x-www-form-urlencoded"], body: Data(form.utf8))
    #expect(tokenStatus == 200)
    let token = try #require(Self.json(tokenData)["access_token"] as? String)
    let bearer = ["Authorization": "Bearer \(token)"]
    let (machines, _) = try await Self.call(
      base + "/api/machines?$filter=startswith(computerDnsName,'ws-')", headers: bearer)
    #expect(machines == 200)
    // An action and its result through a signed link.
    let body =
      #"{"Commands":[{"type":"RunScript","params":[{"key":"ScriptName","value":"Get-Processes.ps1"}]}],"Comment":"log test"}"#
    let (created, action) = try await Self.call(
      base + "/api/machines/ws-0142/runliveresponse", method: "POST",
      headers: bearer.merging(["Content-Type": "application/json"]) { a, _ in a },
      body: Data(body.utf8))
    #expect(created == 201)
    let id = try #require(Self.json(action)["id"] as? String)
    var linkValue: String?
    for _ in 0..<50 where linkValue == nil {
      try await Task.sleep(for: .milliseconds(100))
      let (status, data) = try await Self.call(
        base + "/api/machineactions/\(id)/GetLiveResponseResultDownloadLink(index=0)",
        headers: bearer)
      if status == 200 { linkValue = Self.json(data)["value"] as? String }
    }
    let link = try #require(linkValue)
    let signature = try #require(
      URLComponents(string: link)?.queryItems?.first { $0.name == "sig" }?.value)
    #expect(try await Self.call(link).0 == 200)
    // A refused path, an over-size body (not an EmulatorError inside: the body reader's), and a
    // connection the server drops.
    #expect(try await Self.call(base + "/api/nothing", headers: bearer).0 == 404)
    let big = Data(repeating: 0x20, count: 1_200_000)
    let (oversize, _) = try await Self.call(
      base + "/api/machineactions/\(id)/cancel", method: "POST",
      headers: bearer.merging(["Content-Type": "application/json"]) { a, _ in a }, body: big)
    #expect(oversize == 400)
    let admin = ["X-Emulator-Admin-Key": "adm1n", "Content-Type": "application/json"]
    _ = try await Self.call(
      base + "/_emulator/faults", method: "PUT", headers: admin,
      body: Data(#"{"connectionResetRate": 1}"#.utf8))
    await #expect(throws: (any Error).self) {
      _ = try await Self.call(base + "/api/libraryfiles", headers: bearer)
    }
    Self.stop(process)

    let text = try String(contentsOf: log, encoding: .utf8)
    let logLines = text.split(separator: "\n").map(String.init)
    func logged(_ fragment: String) -> Bool { logLines.contains { $0.contains(fragment) } }
    #expect(logged("POST /lab/oauth2/v2.0/token?client_secret=REDACTED -> 200"), "\(text)")
    #expect(logged("GET /api/machines?$filter=startswith(computerDnsName,'ws-') -> 200"))
    #expect(logged("POST /api/machines/ws-0142/runliveresponse -> 201"))
    #expect(logged("GET /api/machineactions/\(id)/GetLiveResponseResultDownloadLink(index=0) -> "))
    let blobLine = logLines.first {
      $0.contains("GET /blob/investigation-actions-data/\(id)/CustomPlaybookCommandOutput/0?se=")
    }
    #expect(blobLine?.contains("sig=REDACTED") == true && blobLine?.contains("-> 200") == true)
    #expect(logged("GET /api/nothing -> 404"))
    #expect(logged("POST /api/machineactions/\(id)/cancel -> 400"))
    #expect(logged("PUT /_emulator/faults -> 200"))
    #expect(logged("GET /api/libraryfiles -> connection reset"))
    // No secret, token or signature, in any encoding.
    let encodedSignature =
      signature.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? signature
    for secret in [
      "lr-lab-secret", "query-secret-123", token, String(token.prefix(40)), signature,
      encodedSignature, "Bearer ",
    ] {
      #expect(!text.contains(secret), "the log contains \(secret.prefix(20))…")
    }
  }

  #if os(Linux)
  /// The peak resident memory (VmHWM) of process `pid`, in bytes.
  static func peakResident(_ pid: Int32) throws -> Int {
    let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
    let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") })
    let kilobytes = try #require(Int(line.split(separator: " ").dropFirst().first ?? ""))
    return kilobytes * 1024
  }

  /// A 2 GiB generated file streams through gzip with flat memory in the server process.
  @Test(.timeLimit(.minutes(2))) func multiGigabyteGetFileKeepsServerMemoryFlat() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("big.json")
    let size = 2 * 1_073_741_824
    try Data(
      """
      {"name": "big", "limits": {"tokenLifetimeSeconds": 864000},
       "apps": [{"clientId": "a", "clientSecret": "s",
                 "roles": ["Machine.Read.All", "Machine.LiveResponse"]}],
       "machines": [{"id": "abcd", "computerDnsName": "big.lab", "checkInLatencySeconds": 1,
                     "files": [{"path": "C:\\\\big.bin", "size": \(size), "seed": 5}]}]}
      """.utf8
    ).write(to: file)
    let (process, lines) = try Self.launch(
      ["--scenario", file.path, "--time-scale", "1000"], lines: 1)
    defer { Self.stop(process) }
    let base = try Self.base(lines)
    let token = try await Self.token(base, client: "a", secret: "s").token
    let bearer = ["Authorization": "Bearer \(token)"]
    let body = #"{"Commands":[{"type":"GetFile","params":[{"key":"Path","value":"C:\\big.bin"}]}]}"#
    let (created, action) = try await Self.call(
      base + "/api/machines/abcd/runliveresponse", method: "POST",
      headers: bearer.merging(["Content-Type": "application/json"]) { a, _ in a },
      body: Data(body.utf8))
    #expect(created == 201)
    let id = try #require(Self.json(action)["id"] as? String)
    var linkValue: String?
    for _ in 0..<100 where linkValue == nil {
      try await Task.sleep(for: .milliseconds(100))
      let (status, data) = try await Self.call(
        base + "/api/machineactions/\(id)/GetLiveResponseResultDownloadLink(index=0)",
        headers: bearer)
      if status == 200 { linkValue = Self.json(data)["value"] as? String }
    }
    let link = try #require(linkValue)
    let before = try Self.peakResident(process.processIdentifier)
    let (downloaded, _) = try await URLSession.shared.download(
      from: try #require(URL(string: link)))
    defer { try? FileManager.default.removeItem(at: downloaded) }
    let after = try Self.peakResident(process.processIdentifier)
    // The gzip stream is whole: header, and a trailer whose ISIZE is the size mod 2^32.
    let handle = try FileHandle(forReadingFrom: downloaded)
    defer { try? handle.close() }
    let head = try handle.read(upToCount: 2) ?? Data()
    #expect(Array(head) == [0x1F, 0x8B])
    let end = try handle.seekToEnd()
    #expect(end > 10_000_000)
    try handle.seek(toOffset: end - 4)
    let trailer = Array(try handle.read(upToCount: 4) ?? Data())
    let isize = trailer.reversed().reduce(0) { $0 << 8 | Int($1) }
    #expect(isize == size % (1 << 32))
    // Flat: the server's peak grew by far less than the compressed stream (tens of MB), let
    // alone the file.
    #expect(after - before < 48 * 1_048_576, "peak grew by \((after - before) / 1_048_576) MiB")
  }
  #endif
}
