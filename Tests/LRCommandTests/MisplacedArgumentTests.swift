import Foundation
import LRTestSupport
import Testing

/// What a newcomer types before knowing where things go: `lr --lab run FILE`, `lr FILE`, a
/// mistyped command. Each gets a sentence that says what to type instead (exit status 2).
@Suite struct MisplacedArgumentTests {
  func run(_ arguments: [String]) async throws -> LRTestSupport.ProcessResult {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    return try await LRTestSupport.runLR(
      arguments, stdin: "",
      environment: ["XDG_STATE_HOME": dir.appendingPathComponent("state").path, "HOME": dir.path],
      currentDirectory: LRTestSupport.packageRoot)
  }

  @Test func optionsBeforeTheCommand() async throws {
    let result = try await run(["--lab", "run", "examples/seed.lr"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("`lr run examples/seed.lr --lab`"), "\(result.stderr)")
  }

  @Test func aScriptWithoutRun() async throws {
    let result = try await run(["examples/seed.lr"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("`lr run examples/seed.lr --lab`"), "\(result.stderr)")
  }

  @Test func noTenantConfiguredPointsToTheLab() async throws {
    let result = try await run(["machines"])
    #expect(result.status == 3)
    #expect(result.stderr.contains("no tenant"), "\(result.stderr)")
    #expect(result.stderr.contains("--lab"), "\(result.stderr)")
  }

  @Test func aScriptNamedWithoutItsExtension() async throws {
    let result = try await run(["run", "examples/seed", "--lab"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("did you mean examples/seed.lr?"), "\(result.stderr)")
  }

  @Test func aFolderInsteadOfItsScripts() async throws {
    for command in ["check", "run"] {
      let result = try await run([command, "examples"])
      #expect(result.status == 2)
      #expect(result.stderr.contains("examples/*.lr"), "\(command): \(result.stderr)")
    }
  }

  @Test func aMistypedCommand() async throws {
    let result = try await run(["runn", "examples/seed.lr"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("did you mean `run`?"), "\(result.stderr)")
  }
}
