import Foundation
import LRTestSupport
import Testing

/// Output that never crashes: a reader that closes early, JSON that never carries invisible or
/// direction-changing characters raw, and errors without internal type names.
@Suite(.serialized) struct OutputRobustnessTests {
  let root = LRTestSupport.packageRoot

  /// A state folder (journal, audit log) and a results folder of its own, and a fast lab.
  func environment(_ dir: URL) -> [String: String] {
    [
      "XDG_STATE_HOME": dir.appendingPathComponent("state").path,
      "HOME": dir.path,
      "LR_RESULTS_DIR": dir.appendingPathComponent("results").path,
      "LR_LAB_TIME_SCALE": "600",
    ]
  }

  /// Runs `lr ARGUMENTS | READER` in bash with pipefail: lr's exit status and its stderr.
  func piped(
    _ arguments: [String], into reader: String, environment: [String: String],
    stdin: String? = nil
  ) async throws -> (status: Int32, stderr: String) {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let errors = dir.appendingPathComponent("stderr")
    var env = environment
    env["LR_TEST_STDERR"] = errors.path
    let script = #"set -o pipefail; "$@" 2>"$LR_TEST_STDERR" | "# + reader + " > /dev/null"
    let result = try await LRTestSupport.run(
      URL(fileURLWithPath: "/bin/bash"),
      ["-c", script, "lr", LRTestSupport.lrExecutable.path] + arguments, stdin: stdin,
      environment: env, currentDirectory: root)
    let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
    return (result.status, stderr)
  }

  @Test func machinesIntoAClosedPipeEndQuietly() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    // `head -n 0` exits at once: every write lr makes meets a closed pipe.
    for format in ["json", "human"] {
      let result = try await piped(
        ["machines", "--lab", "--output", format], into: "head -n 0", environment: environment(dir))
      #expect([0, 141].contains(result.status), "\(format): \(result.status) \(result.stderr)")
      #expect(result.stderr.isEmpty, "\(format): \(result.stderr)")
    }
  }

  @Test func runIntoHeadEndsQuietly() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    for format in ["json", "human"] {
      let result = try await piped(
        ["run", "examples/seed.lr", "--lab", "--output", format], into: "head -n 1",
        environment: environment(dir))
      #expect([0, 141].contains(result.status), "\(format): \(result.status) \(result.stderr)")
      #expect(result.stderr.isEmpty, "\(format): \(result.stderr)")
    }
  }

  @Test func compileOfABigFileIntoHeadEndsQuietly() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("big.lr")
    let line = #"on machine WS-0142 < run minidump.ps1 "OfficeClickToRun" >"# + "\n"
    try Data(String(repeating: line, count: 5_000).utf8).write(to: file)
    let result = try await piped(
      ["compile", file.path], into: "head -n 1", environment: environment(dir))
    #expect([0, 141].contains(result.status), "\(result.status) \(result.stderr)")
    #expect(result.stderr.isEmpty, "\(result.stderr)")
  }

  @Test func replIntoAClosedPipeEndsQuietly() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let result = try await piped(
      ["--lab", "--output", "human"], into: "head -n 0", environment: environment(dir),
      stdin: ".machines\n.help\n")
    #expect([0, 141].contains(result.status), "\(result.status) \(result.stderr)")
    #expect(result.stderr.isEmpty, "\(result.stderr)")
  }

  /// Characters that must never reach JSON output raw.
  static func hasRawInvisible(_ text: String) -> Bool {
    text.unicodeScalars.contains { scalar in
      let v = scalar.value
      return v == 0x061C || v == 0x200E || v == 0x200F || (0x202A...0x202E).contains(v)
        || (0x2066...0x2069).contains(v) || (0x200B...0x200D).contains(v) || v == 0x2060
        || v == 0xFEFF || v < 0x20 && v != 0x0A || (0x7F...0x9F).contains(v) || v == 0x2028
        || v == 0x2029
    }
  }

  @Test func checkJSONEscapesBidiAndZeroWidthCharacters() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("evil\u{202E}txt\u{200B}.lr")
    try Data("on machine X < nosuchcommand >\n".utf8).write(to: file)
    let result = try await LRTestSupport.runLR(["check", "--format", "json", file.path])
    #expect(result.status == 2, "\(result.stderr)")
    #expect(!Self.hasRawInvisible(result.stdout), "\(result.stdout.debugDescription)")
    let parsed =
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
    #expect(parsed?.first?["file"] as? String == file.path)
  }

  @Test func runJSONEscapesHostileOutput() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("hostile.lr")
    try Data(
      "comment \"note \u{202E}cod.exe \u{200B}\"\non machine ws-hostile-13 < run Get-Processes.ps1 >\n"
        .utf8
    ).write(to: file)
    let result = try await LRTestSupport.runLR(
      ["run", file.path, "--lab", "--output", "json"], environment: environment(dir))
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.count > 2)
    for line in lines {
      #expect(!Self.hasRawInvisible(String(line)), "\(line.debugDescription)")
      #expect(throws: Never.self) { try JSONSerialization.jsonObject(with: Data(line.utf8)) }
    }
    #expect(result.stdout.contains("\\u202e") || result.stdout.contains("\\u202E"))
  }

  @Test func machinesJSONLinesEscapeInvisibleCharactersToo() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let result = try await LRTestSupport.runLR(
      ["machines", "--lab", "--output", "json"], environment: environment(dir))
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.count >= 10)
    for line in lines {
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
      #expect(object?["id"] is String)
      #expect(!Self.hasRawInvisible(String(line)))
    }
  }

  @Test func permissionErrorsCarryNoTypeNames() async throws {
    try await EmulatorFixture.with(timeScale: 60) { emulator in
      let dir = try LRTestSupport.temporaryDirectory()
      defer { try? FileManager.default.removeItem(at: dir) }
      let file = dir.appendingPathComponent("s.lr")
      try Data("on machine ws-0142 < run Get-Processes.ps1 >\n".utf8).write(to: file)
      var env = emulator.environment(client: "lr-lab-readonly", secret: "lr-lab-readonly-secret")
      env["XDG_STATE_HOME"] = dir.appendingPathComponent("state").path
      env["HOME"] = dir.path
      for format in ["json", "human"] {
        let result = try await LRTestSupport.runLR(
          [
            "run", file.path, "--output", format, "--results-dir",
            dir.appendingPathComponent("r").path,
          ],
          environment: env)
        #expect(result.status != 0)
        let all = result.stdout + result.stderr
        #expect(!all.contains("DefenderClientError"), "\(all)")
        #expect(!all.contains("permissionDenied"), "\(all)")
        #expect(
          all.lowercased().contains("permission") || all.contains("Machine.LiveResponse"), "\(all)")
      }
    }
  }
}
