import Crypto
import Foundation
import LRTestSupport
import Testing

@Suite(.serialized) struct LibraryCommandTests {
  @Test func uploadListSyncDelete() async throws {
    try await EmulatorFixture.with(timeScale: 60) { emulator in
      let env = emulator.environment()
      let dir = try LRTestSupport.temporaryDirectory()
      defer { try? FileManager.default.removeItem(at: dir) }
      let script = dir.appendingPathComponent("lr-sync-test.ps1")
      try Data("Write-Output 'one'".utf8).write(to: script)
      try Data(
        #"{"description": "sync test", "hasParameters": true, "parametersDescription": "<name>"}"#
          .utf8
      )
      .write(to: dir.appendingPathComponent("lr-sync-test.ps1.json"))

      let dry = try await LRTestSupport.runLR(
        ["library", "sync", dir.path, "--dry-run", "--output", "json"], environment: env)
      #expect(dry.status == 0, "\(dry.stderr)")
      #expect(dry.stdout.contains(#""state":"would be added""#))

      let first = try await LRTestSupport.runLR(
        ["library", "sync", dir.path, "--output", "json"], environment: env)
      #expect(first.status == 0, "\(first.stderr)")
      #expect(first.stdout.contains(#""state":"added""#))
      #expect(!first.stdout.contains("lr-sync-test.ps1.json"))

      let again = try await LRTestSupport.runLR(
        ["library", "sync", dir.path, "--output", "json"], environment: env)
      #expect(again.stdout.contains(#""state":"unchanged""#))

      try Data("Write-Output 'two'".utf8).write(to: script)
      let changed = try await LRTestSupport.runLR(
        ["library", "sync", dir.path, "--output", "json"], environment: env)
      #expect(changed.stdout.contains(#""state":"updated""#))

      let list = try await LRTestSupport.runLR(
        ["library", "list", "--output", "json"], environment: env)
      let entry = try #require(
        list.stdout.split(separator: "\n").first { $0.contains("lr-sync-test.ps1") })
      #expect(entry.contains(#""description":"sync test""#))
      #expect(entry.contains(#""hasParameters":true"#))

      let delete = try await LRTestSupport.runLR(
        ["library", "delete", "lr-sync-test.ps1"], environment: env)
      #expect(delete.status == 0, "\(delete.stderr)")
      let missing = try await LRTestSupport.runLR(
        ["library", "delete", "lr-sync-test.ps1"], environment: env)
      #expect(missing.status == 1)
    }
  }

  @Test func uploadAFileThenListShowsIt() async throws {
    try await EmulatorFixture.with(timeScale: 60) { emulator in
      let env = emulator.environment()
      let dir = try LRTestSupport.temporaryDirectory()
      defer { try? FileManager.default.removeItem(at: dir) }
      let file = dir.appendingPathComponent("Get-LrUploadTest.ps1")
      let content = Data("param($Name)\nWrite-Output \"hello $Name\"\n".utf8)
      try content.write(to: file)
      let upload = try await LRTestSupport.runLR(
        [
          "library", "upload", file.path, "--description", "upload test",
          "--parameters-description", "<name> to greet", "--output", "json",
        ], environment: env)
      #expect(upload.status == 0, "\(upload.stderr)")
      let sha = SHA256.hash(data: content).map { String(format: "%02x", $0) }.joined()
      #expect(upload.stdout.contains(#""fileName":"Get-LrUploadTest.ps1""#))
      let list = try await LRTestSupport.runLR(
        ["library", "list", "--output", "json"], environment: env)
      #expect(list.status == 0, "\(list.stderr)")
      let entry = try #require(
        list.stdout.split(separator: "\n").first {
          $0.contains(#""fileName":"Get-LrUploadTest.ps1""#)
        }
      )
      let object = try #require(
        try JSONSerialization.jsonObject(with: Data(entry.utf8)) as? [String: Any])
      #expect((object["sha256"] as? String)?.lowercased() == sha)
      #expect(object["description"] as? String == "upload test")
      #expect(object["hasParameters"] as? Bool == true)
      #expect(object["parametersDescription"] as? String == "<name> to greet")
      let human = try await LRTestSupport.runLR(
        ["library", "list", "--output", "human"], environment: env)
      #expect(human.stdout.contains("Get-LrUploadTest.ps1"))
      #expect(human.stdout.contains(String(sha.prefix(16))))
      // Uploading the same name again needs --force.
      let again = try await LRTestSupport.runLR(
        ["library", "upload", file.path, "--output", "json"], environment: env)
      #expect(again.status == 1)
      let forced = try await LRTestSupport.runLR(
        ["library", "upload", file.path, "--force", "--output", "json"], environment: env)
      #expect(forced.status == 0, "\(forced.stderr)")
    }
  }

  @Test func badNamesAndTooLargeFilesAreRefusedBeforeSending() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("x.ps1")
    try Data("x".utf8).write(to: file)
    let result = try await LRTestSupport.runLR(
      ["library", "upload", file.path, "--name", "bad;name.ps1", "--lab"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("may contain only"))
  }
}
