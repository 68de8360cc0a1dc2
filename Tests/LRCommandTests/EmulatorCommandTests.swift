import Foundation
import LRTestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `lr emulator` as a process: banner lines, serving, clean stop on SIGTERM/SIGINT.
@Suite struct EmulatorCommandTests {
  /// Starts `lr emulator` with `arguments`, returns the first `lines` lines of stdout.
  static func launch(_ arguments: [String], lines: Int) throws -> (Process, [String]) {
    let process = Process()
    process.executableURL = LRTestSupport.lrExecutable
    process.arguments = ["emulator", "--quiet"] + arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
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
    defer {
      kill(process.processIdentifier, SIGTERM)
      process.waitUntilExit()
    }
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
}
