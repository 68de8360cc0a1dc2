import Foundation
import LRTestSupport
import Testing

/// The examples as a new analyst meets them: the command each one's header shows, and their
/// outcome on the lab's demo fleet.
@Suite(.serialized) struct ExamplesOnTheLabTests {
  let root = LRTestSupport.packageRoot

  /// A state folder and a results folder of their own, and a fast lab.
  func environment(_ dir: URL) -> [String: String] {
    [
      "XDG_STATE_HOME": dir.appendingPathComponent("state").path,
      "LR_LAB_TIME_SCALE": "600",
      "LR_RESULTS_DIR": dir.appendingPathComponent("results").path,
    ]
  }

  /// The `#   lr …` command lines of every example's header comment, as words, without a
  /// redirection.
  func headerCommands() throws -> [(example: String, words: [String])] {
    let folder = root.appendingPathComponent("examples")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0.hasSuffix(".lr") }.sorted()
    return try names.flatMap { name in
      let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
      return text.split(separator: "\n").compactMap { line -> (String, [String])? in
        let words = line.split(separator: " ").map(String.init)
        guard words.count > 2, words[0] == "#", words[1] == "lr" else { return nil }
        return (name, Array(words.dropFirst(2).prefix { $0 != ">" }))
      }
    }
  }

  @Test func everyHeaderCommandIsAccepted() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let commands = try headerCommands()
    #expect(commands.count >= 5)
    for (example, words) in commands {
      let lab = words.contains("--lab") ? [] : ["--lab"]
      let result = try await LRTestSupport.runLR(
        words + lab + ["--dry-run", "--yes", "--output", "human"],
        environment: environment(dir), currentDirectory: root)
      #expect(result.status == 0, "\(example): lr \(words): \(result.stdout)\(result.stderr)")
    }
  }

  @Test(arguments: ["hash-then-fetch.lr", "linux-fleet.lr", "mac-investigation.lr"])
  func investigationFetchesTheFilesItNames(example: String) async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let result = try await LRTestSupport.runLR(
      ["run", "examples/" + example, "--lab", "--output", "human"],
      environment: environment(dir), currentDirectory: root)
    #expect(result.status == 0, "\(example): \(result.stdout)\(result.stderr)")
    #expect(!result.stdout.contains("was not found on the device"), "\(result.stdout)")
  }

  @Test func theTimeoutExampleTakesItsTimeoutBranch() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let result = try await LRTestSupport.runLR(
      ["run", "examples/timeout-and-cancel.lr", "--lab", "--output", "human"],
      environment: environment(dir), currentDirectory: root)
    #expect(result.stdout.contains("Script execution timed out"), "\(result.stdout)")
    #expect(result.stdout.contains("statement 2: 1 machine"), "\(result.stdout)")
    #expect(result.stdout.contains("slept 5 seconds"), "\(result.stdout)")
  }
}
