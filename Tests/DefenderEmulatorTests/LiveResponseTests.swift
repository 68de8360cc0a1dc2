import AsyncHTTPClient
import CompressNIO
import DefenderEmulator
import Foundation
import LRTestSupport
import NIOCore
import NIOHTTP1
import Testing

@Suite struct LiveResponseTests {
  static let exampleBody = """
    {
       "Commands":[
          {"type":"RunScript","params":[{"key":"ScriptName","value":"minidump.ps1"},{"key":"Args","value":"OfficeClickToRun"}]},
          {"type":"GetFile","params":[{"key":"Path","value":"C:\\\\windows\\\\TEMP\\\\OfficeClickToRun.dmp.zip"}]}
       ],
       "Comment":"Testing Live Response API"
    }
    """

  @Test func documentedExampleEndToEnd() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      let created = try await lab.post(
        "/api/machines/\(exampleMachine)/runliveresponse", token: token, json: Self.exampleBody)
      #expect(created.status == 201)
      let o = created.object
      #expect(o["@odata.context"] as? String == lab.base + "/api/$metadata#MachineActions/$entity")
      #expect(o["type"] as? String == "LiveResponse")
      #expect(o["status"] as? String == "Pending")
      #expect(o["requestor"] as? String == "lr-lab")
      #expect(o["requestorComment"] as? String == "Testing Live Response API")
      #expect(o["machineId"] as? String == exampleMachine)
      #expect(o["computerDnsName"] as? String == "mymachine1.contoso.com")
      #expect(o["errorHResult"] as? Int == 0)
      #expect(o["creationDateTimeUtc"] as? String == o["lastUpdateDateTimeUtc"] as? String)
      let commands = try #require(o["commands"] as? [[String: Any]])
      #expect(commands.count == 2)
      #expect(commands.allSatisfy { $0["commandStatus"] as? String == "Created" })
      #expect(commands.allSatisfy { $0["startTime"] is NSNull && $0["endTime"] is NSNull })
      #expect(commands.map { $0["index"] as? Int } == [0, 1])
      let params = (commands[1]["command"] as? [String: Any])?["params"] as? [[String: Any]]
      #expect(params?.first?["value"] as? String == "C:\\windows\\TEMP\\OfficeClickToRun.dmp.zip")
      let id = try #require(o["id"] as? String)

      // Device checks in after 3 s; the script runs 12 s.
      lab.advance(5)
      var a = try await lab.action(id, token: token)
      #expect(a["status"] as? String == "InProgress")
      var cmds = try #require(a["commands"] as? [[String: Any]])
      #expect(cmds[0]["startTime"] is String)
      #expect(cmds[0]["commandStatus"] as? String == "Created")
      // Result links only exist for completed commands.
      #expect(
        try await lab.get(
          "/api/machineactions/\(id)/GetLiveResponseResultDownloadLink(index=0)", token: token
        ).status == 404)
      lab.advance(11)
      a = try await lab.action(id, token: token)
      cmds = try #require(a["commands"] as? [[String: Any]])
      #expect(cmds[0]["commandStatus"] as? String == "Completed")
      #expect(cmds[0]["endTime"] is String)
      #expect(a["status"] as? String == "InProgress")
      lab.advance(60)
      a = try await lab.action(id, token: token)
      #expect(a["status"] as? String == "Succeeded")
      cmds = try #require(a["commands"] as? [[String: Any]])
      #expect(cmds[1]["commandStatus"] as? String == "Completed")

      // RunScript result: the documented transcript.
      let link0 = try await lab.get(
        "/api/machineactions/\(id)/GetLiveResponseResultDownloadLink(index=0)", token: token)
      #expect(link0.status == 200)
      #expect(link0.object["@odata.context"] as? String == lab.base + "/api/$metadata#Edm.String")
      let url0 = try #require(link0.object["value"] as? String)
      #expect(url0.contains("se=") && url0.contains("sig=") && url0.contains("sp=r"))
      let transcript = try await lab.send(.GET, url0)
      #expect(transcript.status == 200)
      let t = transcript.object
      #expect(t["script_name"] as? String == "minidump.ps1")
      #expect(t["exit_code"] as? Int == 0)
      #expect(t["script_output"] as? String == Scenario.exampleTranscriptOutput)
      #expect(t["script_errors"] as? String == "")

      // GetFile result: the 51 MB file, gzip-compressed, streamed.
      let link1 = try await lab.get(
        "/api/machineactions/\(id)/GetLiveResponseResultDownloadLink(index=1)", token: token)
      let url1 = try #require(link1.object["value"] as? String)
      let file = try await lab.send(.GET, url1)
      #expect(file.status == 200)
      #expect(file.body.prefix(2) == [0x1F, 0x8B])
      var compressed = ByteBuffer(bytes: file.body)
      let raw = try compressed.decompress(with: .gzip)
      #expect(raw.readableBytes == 51 * 1_048_576)
    }
  }

  @Test func oneActionPerDevice() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      let first = try await lab.run(
        exampleMachine, [("RunScript", [("ScriptName", "Get-Processes.ps1")])], token: token)
      #expect(first.status == 201)
      let second = try await lab.run(
        exampleMachine, [("RunScript", [("ScriptName", "Get-Services.ps1")])], token: token)
      #expect(second.status == 400)
      #expect(second.errorCode == "ActiveRequestAlreadyExists")
      lab.advance(60)
      let third = try await lab.run(
        exampleMachine, [("RunScript", [("ScriptName", "Get-Services.ps1")])], token: token)
      #expect(third.status == 201)
    }
  }

  struct BodyCase: Sendable, CustomStringConvertible {
    var description: String
    var body: String
    var code: String
  }

  static let badBodies: [BodyCase] = [
    BodyCase(description: "not JSON", body: "Commands: yes", code: "InvalidRequestBody"),
    BodyCase(description: "JSON array", body: "[]", code: "InvalidRequestBody"),
    BodyCase(
      description: "lower-case commands",
      body: #"{"commands":[{"type":"GetFile","params":[{"key":"Path","value":"x"}]}]}"#,
      code: "MissingRequiredParameter"),
    BodyCase(description: "empty commands", body: #"{"Commands":[]}"#, code: "InvalidRequestBody"),
    BodyCase(
      description: "unknown type", body: #"{"Commands":[{"type":"Isolate","params":[]}]}"#,
      code: "InvalidRequestBody"),
    BodyCase(
      description: "missing ScriptName",
      body: #"{"Commands":[{"type":"RunScript","params":[{"key":"Args","value":"x"}]}]}"#,
      code: "MissingRequiredParameter"),
    BodyCase(
      description: "wrong-case Path key",
      body: #"{"Commands":[{"type":"GetFile","params":[{"key":"path","value":"x"}]}]}"#,
      code: "MissingRequiredParameter"),
    BodyCase(
      description: "wrong order",
      body:
        #"{"Commands":[{"type":"GetFile","params":[{"key":"Path","value":"x"}]},{"type":"RunScript","params":[{"key":"ScriptName","value":"a.ps1"}]}]}"#,
      code: "InvalidRequestBody"),
    BodyCase(
      description: "PutFile after RunScript",
      body:
        #"{"Commands":[{"type":"RunScript","params":[{"key":"ScriptName","value":"a.ps1"}]},{"type":"PutFile","params":[{"key":"FileName","value":"a.ps1"}]}]}"#,
      code: "InvalidRequestBody"),
  ]

  @Test(arguments: badBodies)
  func invalidBodies(_ c: BodyCase) async throws {
    try await withLab { lab in
      let token = try await lab.token()
      let reply = try await lab.post(
        "/api/machines/\(exampleMachine)/runliveresponse", token: token, json: c.body)
      #expect(reply.status == 400)
      #expect(reply.errorCode == c.code, "\(reply.text)")
    }
  }

  @Test func unknownMachineAndDisallowedGroup() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      let missing = try await lab.run("0000", [("GetFile", [("Path", "x")])], token: token)
      #expect(missing.status == 404)
      #expect(missing.errorCode == "ResourceNotFound")
      let legacy = try await lab.run(
        "srv-legacy03.contoso.com", [("GetFile", [("Path", "x")])], token: token)
      #expect(legacy.status == 403)
      #expect(legacy.errorCode == "DisallowedOperation")
    }
  }

  @Test func failedCommandStopsTheRest() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      let run = try await lab.run(
        "ws-broken-09.contoso.com",
        [
          ("RunScript", [("ScriptName", "Collect-Triage.ps1")]),
          ("GetFile", [("Path", "C:\\windows\\TEMP\\triage.zip")]),
        ],
        token: token)
      #expect(run.status == 201)
      let id = try #require(run.object["id"] as? String)
      lab.advance(120)
      let a = try await lab.action(id, token: token)
      #expect(a["status"] as? String == "Failed")
      let cmds = try #require(a["commands"] as? [[String: Any]])
      #expect(cmds[0]["commandStatus"] as? String == "Failed")
      #expect((cmds[0]["errors"] as? [String])?.isEmpty == false)
      #expect(cmds[1]["commandStatus"] as? String == "Created")
      #expect(cmds[1]["startTime"] is NSNull)
    }
  }

  @Test func missingFileAndUnknownScriptFail() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      let get = try await lab.run(
        "ws-0143", [("GetFile", [("Path", "C:\\nope.txt")])], token: token)
      let getId = try #require(get.object["id"] as? String)
      let script = try await lab.run(
        "ws-0150", [("RunScript", [("ScriptName", "not-in-library.ps1")])], token: token)
      let scriptId = try #require(script.object["id"] as? String)
      lab.advance(60)
      for (id, error) in [
        (getId, "File C:\\nope.txt was not found on the device"),
        (scriptId, "Script not-in-library.ps1 was not found in the library"),
      ] {
        let a = try await lab.action(id, token: token)
        #expect(a["status"] as? String == "Failed")
        let cmds = try #require(a["commands"] as? [[String: Any]])
        #expect(cmds[0]["commandStatus"] as? String == "Failed")
        #expect(cmds[0]["errors"] as? [String] == [error])
        // A failed command leaves no result.
        let link = try await lab.get(
          "/api/machineactions/\(id)/GetLiveResponseResultDownloadLink(index=0)", token: token)
        #expect(link.status == 404)
      }
    }
  }

  @Test func runScriptTimesOutAfterTenMinutes() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      let run = try await lab.run(
        "ws-0143", [("RunScript", [("ScriptName", "sleep.ps1"), ("Args", "700")])], token: token)
      let id = try #require(run.object["id"] as? String)
      lab.advance(300)
      #expect(try await lab.action(id, token: token)["status"] as? String == "InProgress")
      lab.advance(320)
      let a = try await lab.action(id, token: token)
      #expect(a["status"] as? String == "Failed")
      let cmds = try #require(a["commands"] as? [[String: Any]])
      #expect(cmds[0]["commandStatus"] as? String == "Failed")
      let error = try #require((cmds[0]["errors"] as? [String])?.first)
      #expect(error.contains("timed out after 10 minutes"), "\(error)")
      // The command ran for exactly the timeout.
      let start = try #require((cmds[0]["startTime"] as? String).flatMap(Self.date))
      let end = try #require((cmds[0]["endTime"] as? String).flatMap(Self.date))
      #expect(abs(end.timeIntervalSince(start) - 600) < 0.01)
      // A shorter sleep completes.
      let short = try await lab.run(
        "ws-0143", [("RunScript", [("ScriptName", "sleep.ps1"), ("Args", "30")])], token: token)
      let shortId = try #require(short.object["id"] as? String)
      lab.advance(60)
      #expect(try await lab.action(shortId, token: token)["status"] as? String == "Succeeded")
    }
  }

  @Test func offlineDeviceQueuesThenTimesOut() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      let run = try await lab.run(
        "kiosk-lobby-02", [("RunScript", [("ScriptName", "Get-Processes.ps1")])], token: token)
      let id = try #require(run.object["id"] as? String)
      lab.advance(2 * 86_400)
      // Tokens expire on the virtual clock too: fetch fresh ones after each jump.
      var fresh = try await lab.token()
      #expect(try await lab.action(id, token: fresh)["status"] as? String == "Pending")
      lab.advance(86_400 + 1)
      fresh = try await lab.token()
      let a = try await lab.action(id, token: fresh)
      #expect(a["status"] as? String == "TimeOut")
      #expect(a["lastUpdateDateTimeUtc"] as? String != a["creationDateTimeUtc"] as? String)
      // A timed-out action no longer blocks the device.
      let again = try await lab.run(
        "kiosk-lobby-02", [("RunScript", [("ScriptName", "Get-Processes.ps1")])], token: fresh)
      #expect(again.status == 201)
    }
  }

  @Test func deviceThatComesOnlineLater() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      let run = try await lab.run(
        "laptop-travel-07", [("RunScript", [("ScriptName", "Get-Processes.ps1")])], token: token)
      let id = try #require(run.object["id"] as? String)
      lab.advance(120)
      #expect(try await lab.action(id, token: token)["status"] as? String == "Pending")
      lab.advance(120)
      #expect(try await lab.action(id, token: token)["status"] as? String == "Succeeded")
    }
  }

  @Test func cancel() async throws {
    try await withLab { lab in
      let first = try await lab.token()
      let run = try await lab.run(
        "kiosk-lobby-02", [("RunScript", [("ScriptName", "Get-Processes.ps1")])], token: first)
      let id = try #require(run.object["id"] as? String)
      var token = first
      let noComment = try await lab.post(
        "/api/machineactions/\(id)/cancel", token: token, json: "{}")
      #expect(noComment.status == 400)
      #expect(noComment.errorCode == "MissingRequiredParameter")
      let cancelled = try await lab.post(
        "/api/machineactions/\(id)/cancel", token: token,
        json: #"{"Comment":"Machine action was canceled by automation"}"#)
      #expect(cancelled.status == 200)
      #expect(cancelled.object["status"] as? String == "Cancelled")
      #expect(cancelled.object["cancellationRequestor"] as? String == "lr-lab")
      #expect(
        cancelled.object["cancellationComment"] as? String
          == "Machine action was canceled by automation")
      #expect(cancelled.object["cancellationDateTimeUtc"] is String)
      lab.advance(4 * 86_400)
      token = try await lab.token()
      #expect(try await lab.action(id, token: token)["status"] as? String == "Cancelled")
      let again = try await lab.post(
        "/api/machineactions/\(id)/cancel", token: token, json: #"{"Comment":"x"}"#)
      #expect(again.status == 400)
      let unknown = try await lab.post(
        "/api/machineactions/\(UUID())/cancel", token: token, json: #"{"Comment":"x"}"#)
      #expect(unknown.status == 404)
      // Cancelling a running action stops the remaining commands and their effects.
      let running = try await lab.run(
        "ws-0143",
        [
          ("RunScript", [("ScriptName", "sleep.ps1"), ("Args", "100")]),
          ("GetFile", [("Path", "C:\\Windows\\System32\\drivers\\etc\\hosts")]),
        ], token: token)
      let runningId = try #require(running.object["id"] as? String)
      lab.advance(20)
      let c = try await lab.post(
        "/api/machineactions/\(runningId)/cancel", token: token, json: #"{"Comment":"stop"}"#)
      #expect(c.object["status"] as? String == "Cancelled")
      lab.advance(600)
      let a = try await lab.action(runningId, token: token)
      #expect(a["status"] as? String == "Cancelled")
      let cmds = try #require(a["commands"] as? [[String: Any]])
      #expect(cmds[1]["commandStatus"] as? String == "Created")
    }
  }

  @Test func listActionsWithOData() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      _ = try await lab.run(
        exampleMachine, [("RunScript", [("ScriptName", "Get-Processes.ps1")])], token: token)
      lab.advance(1)
      _ = try await lab.run(
        "ws-0143", [("RunScript", [("ScriptName", "Get-Processes.ps1")])], token: token)
      _ = try await lab.run(
        "kiosk-lobby-02", [("RunScript", [("ScriptName", "Get-Processes.ps1")])], token: token)
      lab.advance(30)
      let all = try await lab.get("/api/machineactions", token: token)
      #expect(all.status == 200)
      #expect(all.object["@odata.context"] as? String == lab.base + "/api/$metadata#MachineActions")
      #expect(all.value.count == 3)
      let one = try await lab.get(
        "/api/machineactions?$filter=machineId%20eq%20'\(exampleMachine)'&$top=2", token: token)
      #expect(one.value.count == 1)
      let pending = try await lab.get(
        "/api/machineactions?$filter=status%20eq%20'Pending'", token: token)
      #expect(
        pending.value.compactMap { $0["computerDnsName"] as? String } == [
          "kiosk-lobby-02.contoso.com"
        ])
      // What lr's pre-flight sends: the actions pending or in progress on its targets only.
      let kiosk = try #require(pending.value.first?["machineId"] as? String)
      let active =
        "(status eq 'Pending' or status eq 'InProgress') and (machineId eq '\(exampleMachine)' "
        + "or machineId eq '\(kiosk)')"
      let targeted = try await lab.get(
        "/api/machineactions?$filter="
          + (active.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? active),
        token: token)
      #expect(
        targeted.value.compactMap { $0["computerDnsName"] as? String } == [
          "kiosk-lobby-02.contoso.com"
        ], "\(targeted.text)")
      let ordered = try await lab.get(
        "/api/machineactions?$orderby=CreationDateTimeUtc%20desc", token: token)
      #expect(ordered.value.first?["computerDnsName"] as? String != "mymachine1.contoso.com")
      let recent = try await lab.get(
        "/api/machineactions?$filter=CreationDateTimeUtc%20ge%202024-01-01T00:00:00Z%20and%20type%20eq%20'LiveResponse'&$count=true",
        token: token)
      #expect(recent.object["@odata.count"] as? Int == 3)
      let bad = try await lab.get(
        "/api/machineactions?$filter=computerDnsName%20eq%20'x'", token: token)
      #expect(bad.status == 400)
      #expect(try await lab.get("/api/machineactions/\(UUID())", token: token).status == 404)
    }
  }

  @Test func resultLinksAreSignedAndExpire() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      let run = try await lab.run(
        "web-01", [("RunScript", [("ScriptName", "processes.sh")])], token: token)
      let id = try #require(run.object["id"] as? String)
      lab.advance(60)
      let link = try await lab.get(
        "/api/machineactions/\(id)/GetLiveResponseResultDownloadLink(index=0)", token: token)
      let url = try #require(link.object["value"] as? String)
      #expect(try await lab.send(.GET, url).status == 200)
      let tampered = url.replacingOccurrences(of: "/0?", with: "/1?")
      let t = try await lab.send(.GET, tampered)
      #expect(t.status == 403)
      #expect(t.text.contains("AuthenticationFailed"))
      let badSig = try await lab.send(.GET, url.replacingOccurrences(of: "sig=", with: "sig=AA"))
      #expect(badSig.status == 403)
      lab.advance(29 * 60)
      #expect(try await lab.send(.GET, url).status == 200)
      lab.advance(2 * 60)
      #expect(try await lab.send(.GET, url).status == 403)
      // A fresh link works again without running anything.
      let fresh = try await lab.get(
        "/api/machineactions/\(id)/GetLiveResponseResultDownloadLink(index=0)",
        token: try await lab.token())
      #expect(
        try await lab.send(.GET, try #require(fresh.object["value"] as? String)).status == 200)
      // Bad indexes.
      #expect(
        try await lab.get(
          "/api/machineactions/\(id)/GetLiveResponseResultDownloadLink(index=5)",
          token: try await lab.token()
        ).status == 400)
      #expect(
        try await lab.get(
          "/api/machineactions/\(UUID())/GetLiveResponseResultDownloadLink(index=0)",
          token: try await lab.token()
        ).status == 404)
    }
  }

  @Test func putFileThenScriptThenGetCreatedFile() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      let run = try await lab.run(
        "web-01",
        [
          ("PutFile", [("FileName", "triage.sh")]), ("RunScript", [("ScriptName", "triage.sh")]),
          ("GetFile", [("Path", "/tmp/triage.tar.gz")]),
        ],
        token: token)
      #expect(run.status == 201)
      let id = try #require(run.object["id"] as? String)
      lab.advance(120)
      let a = try await lab.action(id, token: token)
      #expect(a["status"] as? String == "Succeeded")
      // PutFile has no result.
      #expect(
        try await lab.get(
          "/api/machineactions/\(id)/GetLiveResponseResultDownloadLink(index=0)", token: token
        ).status == 404)
      // Files persist on the device for later actions; the bash script sees its argument.
      let later = try await lab.run(
        "web-01",
        [
          ("RunScript", [("ScriptName", "memdump.sh"), ("Args", "nginx")]),
          ("GetFile", [("Path", "/tmp/nginx.core.gz")]),
          ("GetFile", [("Path", "/tmp/triage.tar.gz")]),
        ], token: token)
      let laterId = try #require(later.object["id"] as? String)
      lab.advance(120)
      #expect(try await lab.action(laterId, token: token)["status"] as? String == "Succeeded")
      let link = try await lab.get(
        "/api/machineactions/\(laterId)/GetLiveResponseResultDownloadLink(index=0)", token: token)
      let transcript = try await lab.send(.GET, try #require(link.object["value"] as? String))
      #expect(
        (transcript.object["script_output"] as? String)?.contains("/tmp/nginx.core.gz") == true)
    }
  }

  @Test func manyArgumentsAndQuotes() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      let args = (1...14).map { "a\($0)" }.joined(separator: " ") + " \"quoted words\""
      let run = try await lab.run(
        "ws-0143", [("RunScript", [("ScriptName", "Get-FileHash.ps1"), ("Args", args)])],
        token: token)
      let id = try #require(run.object["id"] as? String)
      lab.advance(30)
      #expect(try await lab.action(id, token: token)["status"] as? String == "Succeeded")
    }
  }

  @Test func hostileOutputOnTheHostileMachine() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      let run = try await lab.run(
        "ws-hostile-13", [("RunScript", [("ScriptName", "Get-Processes.ps1")])], token: token)
      let id = try #require(run.object["id"] as? String)
      lab.advance(30)
      let link = try await lab.get(
        "/api/machineactions/\(id)/GetLiveResponseResultDownloadLink(index=0)", token: token)
      let t = try await lab.send(.GET, try #require(link.object["value"] as? String))
      let output = try #require(t.object["script_output"] as? String)
      #expect(output.contains("\u{1B}["))
      #expect(output.contains("\u{07}"))
      let raw = try await lab.run(
        "ws-hostile-13", [("RunScript", [("ScriptName", "processes.sh")])], token: token)
      let rawId = try #require(raw.object["id"] as? String)
      lab.advance(30)
      let rawLink = try await lab.get(
        "/api/machineactions/\(rawId)/GetLiveResponseResultDownloadLink(index=0)", token: token)
      let bytes = try await lab.send(.GET, try #require(rawLink.object["value"] as? String)).body
      #expect(bytes.contains(0xFF))
      #expect(String(validating: bytes, as: UTF8.self) == nil)
    }
  }

  static func date(_ text: String) -> Date? {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.date(from: text)
  }

  @Test func configuredTimeoutIsNamedInTheError() async throws {
    var scenario = try #require(Scenario.builtIn("demo"))
    scenario.limits.runScriptTimeoutSeconds = 30
    try await withLab(scenario) { lab in
      let token = try await lab.token()
      let run = try await lab.run(
        "ws-0143", [("RunScript", [("ScriptName", "sleep.ps1"), ("Args", "31")])], token: token)
      let id = try #require(run.object["id"] as? String)
      lab.advance(60)
      let a = try await lab.action(id, token: token)
      #expect(a["status"] as? String == "Failed")
      let cmds = try #require(a["commands"] as? [[String: Any]])
      let error = (cmds[0]["errors"] as? [String])?.first ?? ""
      #expect(error.contains("timed out after 30 seconds"), "\(error)")
    }
  }

  /// The reference's URL template spells the path `/API/machines/{id}/runliveresponse`.
  @Test(arguments: ["/API/machines", "/API/v1.0/Machines", "/api/MACHINES"])
  func runLiveResponseUnderTheDocumentedCapitalPath(prefix: String) async throws {
    try await withLab { lab in
      let token = try await lab.token()
      let created = try await lab.post(
        "\(prefix)/\(exampleMachine)/runliveresponse", token: token, json: Self.exampleBody)
      #expect(created.status == 201, "\(created.text)")
      #expect(created.object["status"] as? String == "Pending")
      #expect(created.object["machineId"] as? String == exampleMachine)
      let id = try #require(created.object["id"] as? String)
      #expect(try await lab.action(id, token: token)["id"] as? String == id)
    }
  }

  @Test func machineActionsPageWithSkipAndNextLink() async throws {
    var scenario = try #require(Scenario.builtIn("demo"))
    scenario.limits.maxPageSize = 2
    try await withLab(scenario) { lab in
      let token = try await lab.token()
      var created: [String] = []
      for machine in ["ws-0142", "ws-0143", "ws-0150", "web-01", "db-02"] {
        let reply = try await lab.run(
          machine, [("RunScript", [("ScriptName", "Get-Processes.ps1")])], token: token)
        created.append(try #require(reply.object["id"] as? String))
        lab.advance(1)
      }
      // Server-driven paging: pages of two, following @odata.nextLink to the end.
      var url: String? = lab.base + "/api/machineactions?$orderby=creationDateTimeUtc"
      var seen: [String] = []
      var pages = 0
      while let next = url {
        let reply = try await lab.get(next, token: token)
        #expect(reply.status == 200, "\(reply.text)")
        #expect(reply.value.count <= 2)
        seen += reply.value.compactMap { $0["id"] as? String }
        url = reply.object["@odata.nextLink"] as? String
        if let url { #expect(url.hasPrefix(lab.base + "/api/machineactions?")) }
        pages += 1
      }
      #expect(pages == 3)
      #expect(seen == created)
      // Client-driven: $skip and $top.
      let skipped = try await lab.get(
        "/api/machineactions?$orderby=creationDateTimeUtc&$skip=3&$top=2", token: token)
      #expect(skipped.value.compactMap { $0["id"] as? String } == Array(created[3...4]))
      #expect(skipped.object["@odata.nextLink"] == nil)
      let past = try await lab.get("/api/machineactions?$skip=10", token: token)
      #expect(past.status == 200)
      #expect(past.value.isEmpty)
      // The filter survives into the next link.
      let filtered = try await lab.get(
        "/api/machineactions?$filter=type%20eq%20'LiveResponse'&$orderby=creationDateTimeUtc",
        token: token)
      let next = try #require(filtered.object["@odata.nextLink"] as? String)
      #expect(next.contains("filter"))
      let second = try await lab.get(next, token: token)
      #expect(second.value.compactMap { $0["id"] as? String } == Array(created[2...3]))
    }
  }
}
