import Foundation
import LRTestSupport
import NIOHTTP1
import Testing

/// The body POSTed is the body `lr compile` prints (with the run's token appended to the
/// Comment), byte for byte, for every example in `examples/` and `docs/language.md`.
@Suite("the wire body is lr compile's")
struct WireBodyTests {
  /// A script to run: where it comes from (for messages) and its text.
  struct Script {
    var origin: String
    var text: String
  }

  static func scripts() throws -> [Script] {
    let folder = LRTestSupport.packageRoot.appendingPathComponent("examples")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0.hasSuffix(".lr") }.sorted()
    var scripts = try names.map { name in
      Script(
        origin: "examples/\(name)",
        text: try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8))
    }
    for block in try fencedBlocks("docs/language.md", language: "lr") {
      scripts.append(Script(origin: "docs/language.md:\(block.line)", text: block.text))
    }
    return scripts
  }

  @Test(.timeLimit(.minutes(10))) func everyExampleIsPostedAsCompiled() async throws {
    let work = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: work) }
    // A copy of examples/, so scripts find their modules and target files next to them.
    let folder = work.appendingPathComponent("examples")
    try FileManager.default.copyItem(
      at: LRTestSupport.packageRoot.appendingPathComponent("examples"), to: folder)
    // The library `lr emulator` serves: the stdlib's scripts.
    let library = LRTestSupport.packageRoot.appendingPathComponent("stdlib/scripts")
    try await EmulatorFixture.with(timeScale: 600, libraryDirectory: library) { emulator in
      var environment = emulator.environment()
      environment["HOME"] = work.path
      environment["XDG_STATE_HOME"] = work.appendingPathComponent("state").path
      // The client keeps the budget in the emulator's time, and stops waiting for devices that
      // never come online after two hours of it (12 s): the bodies are all sent by then.
      environment["LR_TIME_SCALE"] = "600"
      var seen = 0
      var compared = 0
      for (index, script) in try Self.scripts().enumerated() {
        let file = folder.appendingPathComponent("wire-\(index).lr")
        try script.text.write(to: file, atomically: true, encoding: .utf8)
        let compile = try await LRTestSupport.runLR(
          ["compile", file.path], environment: environment, currentDirectory: folder)
        let compiled = compile.stdout.split(separator: "\n").map(String.init)
          .filter { $0.hasPrefix("{") }
        _ = try await LRTestSupport.runLR(
          [
            "run", "--output", "json", "--yes", "--timeout", "2h", "--results-dir",
            work.appendingPathComponent("results").path, file.path,
          ], environment: environment, currentDirectory: folder)
        let received = try await Self.submissions(emulator)
        for body in received.dropFirst(seen) {
          compared += 1
          #expect(
            compiled.contains { Self.matches(body, compiled: $0) },
            "\(script.origin): the service received\n\(body)\nwhich lr compile did not print:\n\(compiled.joined(separator: "\n"))"
          )
        }
        seen = received.count
      }
      #expect(compared >= 20, "only \(compared) bodies reached the emulator")
    }
  }

  /// The bodies the emulator accepted, oldest first.
  static func submissions(_ emulator: EmulatorFixture) async throws -> [String] {
    let reply = try await emulator.admin(.GET, "submissions")
    let list = try #require(
      try JSONSerialization.jsonObject(with: Data(reply.body)) as? [[String: Any]])
    return list.compactMap { $0["body"] as? String }
  }

  /// Whether a received body is a compiled one with ` [lr:TOKEN]` appended to its Comment; a
  /// `${…}` run-time value in the compiled body matches whatever it was resolved to.
  static func matches(_ body: String, compiled: String) -> Bool {
    guard let tag = body.range(of: #" ?\[lr:[^\]"]+\]"\}$"#, options: .regularExpression)
    else { return false }
    let token = body[tag].trimmingCharacters(in: .whitespaces).dropLast(2)
    guard compiled.hasSuffix("\"}") else { return false }
    let prefix = String(compiled.dropLast(2))
    let separator = prefix.hasSuffix("\"Comment\":\"") ? "" : " "
    let expected = prefix + separator + token + "\"}"
    if expected == body { return true }
    guard expected.contains("${") else { return false }
    // Run-time values: the rest must be equal around them.
    var pattern = "^"
    var rest = Substring(expected)
    while let start = rest.range(of: "${"), let end = rest[start.upperBound...].firstIndex(of: "}")
    {
      pattern += NSRegularExpression.escapedPattern(for: String(rest[..<start.lowerBound])) + ".*?"
      rest = rest[rest.index(after: end)...]
    }
    pattern += NSRegularExpression.escapedPattern(for: String(rest)) + "$"
    return body.range(of: pattern, options: .regularExpression) != nil
  }
}
