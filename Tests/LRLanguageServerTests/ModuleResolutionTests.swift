import Foundation
import LRTestSupport
import Testing

@testable import LRLanguageServer

/// `lr check` and an editor (`lr lsp`) resolve `use` the same way: a module next to the file
/// (one shadowing a stdlib module too), the stdlib, and the same suggestion for a missing one.
@Suite("use resolves alike in lr check and lr lsp")
struct ModuleResolutionTests {
  /// One diagnostic as both sides can report it: 1-based line, message, fix-it titles.
  struct Seen: Hashable, CustomStringConvertible {
    var line: Int
    var message: String
    var fixes: [String]
    var description: String { "\(line): \(message) \(fixes)" }
  }

  static let main = """
    use "helpers"
    use "linux"
    use "triage"
    use "mian"
    on machine X < helper-run >
    on machine X < linux-local >
    on machine X < ir-windows-quick >
    on machine X < missing-proc >

    """

  @Test func checkAndLanguageServerAgree() async throws {
    let dir = try LRTestSupport.temporaryDirectory().resolvingSymlinksInPath()
    defer { try? FileManager.default.removeItem(at: dir) }
    let stdlib = LRTestSupport.packageRoot.appendingPathComponent("stdlib")
    try Self.main.write(
      to: dir.appendingPathComponent("main.lr"), atomically: true, encoding: .utf8)
    try "def helper-run() <\n  run helper.ps1\n>\n".write(
      to: dir.appendingPathComponent("helpers.lr"), atomically: true, encoding: .utf8)
    // Shadows the stdlib's linux.lr: only this one defines linux-local.
    try "def linux-local() <\n  run local.sh\n>\n".write(
      to: dir.appendingPathComponent("linux.lr"), atomically: true, encoding: .utf8)

    let check = try await LRTestSupport.runLR(
      ["check", "--format", "json", "main.lr"],
      environment: ["LR_STDLIB": stdlib.path, "HOME": dir.path], currentDirectory: dir)
    let fromCheck = try Self.checkDiagnostics(check.stdout)

    let client = try await TestClient.started(
      options: LanguageServerOptions(debounce: .milliseconds(20), stdlib: stdlib.path))
    let uri = URL(fileURLWithPath: dir.appendingPathComponent("main.lr").path).absoluteString
    await client.open(uri, Self.main)
    var fromEditor: [Seen] = []
    for d in try await client.diagnostics(uri, version: 1) {
      let actions = try await client.request(
        CodeActionRequest(textDocument: .init(uri: uri), range: d.range))
      fromEditor.append(
        Seen(line: d.range.start.line + 1, message: d.message, fixes: actions.map(\.title).sorted())
      )
    }
    // Only the missing module and the missing procedure: every other `use` was found.
    #expect(fromCheck.map(\.line) == [4, 8], "\(fromCheck)")
    #expect(Set(fromCheck) == Set(fromEditor), "lr check: \(fromCheck)\nlr lsp: \(fromEditor)")
  }

  /// The diagnostics of `main.lr` in `lr check --format json`'s output.
  static func checkDiagnostics(_ stdout: String) throws -> [Seen] {
    let array = try #require(
      try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [[String: Any]])
    return array.filter { ($0["file"] as? String) == "main.lr" }.map { d in
      let fixes = (d["fixIts"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
      return Seen(
        line: d["line"] as? Int ?? 0, message: d["message"] as? String ?? "",
        fixes: fixes.sorted())
    }
  }
}
