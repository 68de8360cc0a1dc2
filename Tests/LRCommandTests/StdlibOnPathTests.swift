import Foundation
import LRTestSupport
import Testing

/// `lr` found through `PATH` (a symlink to the binary, started by bare name) finds its stdlib.
@Suite struct StdlibOnPathTests {
  @Test func checkFindsTheStdlibWhenStartedFromPath() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let bin = dir.appendingPathComponent("bin")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      at: bin.appendingPathComponent("lr"), withDestinationURL: LRTestSupport.lrExecutable)
    let file = dir.appendingPathComponent("t.lr")
    try Data("use \"windows\"\non machine X < win-autoruns-nonms >\n".utf8).write(to: file)
    let result = try await LRTestSupport.run(
      URL(fileURLWithPath: "/usr/bin/env"), ["lr", "check", file.path],
      environment: ["PATH": bin.path + ":/usr/bin:/bin", "LR_STDLIB": ""],
      currentDirectory: dir)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(!result.stderr.contains("not found"), "\(result.stderr)")
  }
}
