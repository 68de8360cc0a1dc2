import DefenderEmulator
import Foundation
import LRTestSupport
import NIOHTTP1
import Testing

@Suite struct LibraryTests {
  static func multipart(
    fileName: String, content: [UInt8], fields: [(String, String)], fileField: String = "File"
  ) -> (String, [UInt8]) {
    let boundary = "----lrtest\(UUID().uuidString)"
    var body: [UInt8] = []
    for (k, v) in fields {
      body += Array(
        "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8)
    }
    body += Array(
      "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(fileField)\"; filename=\"\(fileName)\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        .utf8)
    body += content
    body += Array("\r\n--\(boundary)--\r\n".utf8)
    return ("multipart/form-data; boundary=\(boundary)", body)
  }

  @Test func listUploadReplaceDelete() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      let list = try await lab.get("/api/libraryfiles", token: token)
      #expect(list.status == 200)
      #expect(list.object["@odata.context"] as? String == lab.base + "/api/$metadata#LibraryFiles")
      let names = list.value.compactMap { $0["fileName"] as? String }
      for script in [
        "minidump.ps1", "Collect-Triage.ps1", "Export-EventLog.ps1", "Get-Processes.ps1",
        "memdump.sh", "triage.sh", "filehash.sh",
      ] {
        #expect(names.contains(script))
      }
      #expect(list.value.first?["sha256"] is String)
      #expect(list.value.first?.keys.contains("parametersDescription") == true)

      let (type, body) = Self.multipart(
        fileName: "Hunt-Thing.ps1", content: Array("Write-Output 'hi'\n".utf8),
        fields: [
          ("Description", "hunts"), ("ParametersDescription", "-Name x"), ("HasParameters", "true"),
        ])
      let uploaded = try await lab.send(
        .POST, "/api/libraryfiles", token: token, body: body, contentType: type)
      #expect(uploaded.status == 200, "\(uploaded.text)")
      #expect(uploaded.object["fileName"] as? String == "Hunt-Thing.ps1")
      #expect(uploaded.object["hasParameters"] as? Bool == true)
      #expect(uploaded.object["description"] as? String == "hunts")
      #expect(uploaded.object["createdBy"] as? String == "lr-lab")

      let duplicate = try await lab.send(
        .POST, "/api/libraryfiles", token: token, body: body, contentType: type)
      #expect(duplicate.status == 400)
      let (type2, body2) = Self.multipart(
        fileName: "Hunt-Thing.ps1", content: Array("v2".utf8),
        fields: [("OverrideIfExists", "true")], fileField: "file")
      let replaced = try await lab.send(
        .POST, "/api/libraryfiles", token: token, body: body2, contentType: type2)
      #expect(replaced.status == 200)
      #expect(replaced.object["sha256"] as? String != uploaded.object["sha256"] as? String)

      // The uploaded script runs (with the default behaviour).
      let run = try await lab.run(
        exampleMachine, [("RunScript", [("ScriptName", "Hunt-Thing.ps1")])], token: token)
      #expect(run.status == 201)

      #expect(
        try await lab.send(.DELETE, "/api/libraryfiles/Hunt-Thing.ps1", token: token).status == 204)
      let again = try await lab.send(.DELETE, "/api/libraryfiles/Hunt-Thing.ps1", token: token)
      #expect(again.status == 404)
      #expect(again.errorCode == "ResourceNotFound")
    }
  }

  /// Names with a path are refused as they are, never reduced to their last component.
  @Test(arguments: [
    "bad name.ps1", "evil;rm.sh", "ünïcode.ps1", "../../x.ps1", "..\\x.ps1", "dir/x.ps1",
    "C:\\Users\\x.ps1", "/etc/x.ps1", ".", "..", "...", "",
  ])
  func invalidNames(name: String) async throws {
    try await withLab { lab in
      let token = try await lab.token()
      let before = try await lab.get("/api/libraryfiles", token: token).value.count
      let (type, body) = Self.multipart(fileName: name, content: [1, 2, 3], fields: [])
      let reply = try await lab.send(
        .POST, "/api/libraryfiles", token: token, body: body, contentType: type)
      #expect(reply.status == 400)
      #expect(reply.errorCode == "InvalidInput", "\(reply.text)")
      let names = try await lab.get("/api/libraryfiles", token: token).value.compactMap {
        $0["fileName"] as? String
      }
      #expect(names.count == before)
      #expect(!names.contains("x.ps1"))
    }
  }

  @Test func filePartWithoutFilename() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      let body = Array(
        "--b\r\nContent-Disposition: form-data; name=\"File\"\r\n\r\nWrite-Output 1\r\n--b--\r\n"
          .utf8)
      let reply = try await lab.send(
        .POST, "/api/libraryfiles", token: token, body: body,
        contentType: "multipart/form-data; boundary=b")
      #expect(reply.status == 400)
      #expect(reply.errorCode == "InvalidInput")
      #expect(reply.text.contains("no filename"))
    }
  }

  @Test func dotsInsideANameAreFine() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      let (type, body) = Self.multipart(fileName: "a..b.v2.ps1", content: [0x41], fields: [])
      let reply = try await lab.send(
        .POST, "/api/libraryfiles", token: token, body: body, contentType: type)
      #expect(reply.status == 200)
      #expect(reply.object["fileName"] as? String == "a..b.v2.ps1")
    }
  }

  @Test func sizeLimitAndMissingFile() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      let big = [UInt8](repeating: 0x41, count: 20 * 1_048_576 + 1)
      let (type, body) = Self.multipart(fileName: "big.ps1", content: big, fields: [])
      let tooBig = try await lab.send(
        .POST, "/api/libraryfiles", token: token, body: body, contentType: type)
      #expect(tooBig.status == 400)
      let exact = [UInt8](repeating: 0x41, count: 20 * 1_048_576)
      let (type2, body2) = Self.multipart(fileName: "exact.ps1", content: exact, fields: [])
      #expect(
        try await lab.send(
          .POST, "/api/libraryfiles", token: token, body: body2, contentType: type2
        ).status == 200)
      let noFile = try await lab.send(
        .POST, "/api/libraryfiles", token: token,
        body: Array(
          "--b\r\nContent-Disposition: form-data; name=\"Description\"\r\n\r\nx\r\n--b--\r\n".utf8),
        contentType: "multipart/form-data; boundary=b")
      #expect(noFile.status == 400)
      #expect(noFile.errorCode == "MissingRequiredParameter")
      let notMultipart = try await lab.post("/api/libraryfiles", token: token, json: "{}")
      #expect(notMultipart.status == 400)
    }
  }

  @Test func seededFromLibraryDirectory() async throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lr-lib-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try Data("param($p)\n# real minidump\n".utf8).write(
      to: dir.appendingPathComponent("minidump.ps1"))
    try Data("echo extra\n".utf8).write(to: dir.appendingPathComponent("extra.sh"))
    try await withLab(libraryDirectory: dir) { lab in
      let token = try await lab.token()
      let files = try await lab.get("/api/libraryfiles", token: token).value
      let minidump = files.first { $0["fileName"] as? String == "minidump.ps1" }
      #expect(minidump?["hasParameters"] as? Bool == true)
      #expect(files.contains { $0["fileName"] as? String == "extra.sh" })
      #expect(files.contains { $0["fileName"] as? String == "Get-Services.ps1" })
    }
  }
}
