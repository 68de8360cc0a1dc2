import Foundation
import LRTestSupport
import Testing

/// A copied `lr` in an install layout (`PREFIX/bin/lr`, `PREFIX/libexec/lr/lr-core`,
/// `PREFIX/share/lr/stdlib`) finds its stdlib and the lab's library scripts from any folder, with
/// no checkout above it: the launcher for `lr check`, `lr-core` for the rest.
@Suite struct InstallLayoutTests {
  /// `PREFIX/bin/lr` and `PREFIX/libexec/lr/lr-core` (copies of the debug binaries) and
  /// `PREFIX/share/lr/stdlib`, under `dir`.
  static func makePrefix(in dir: URL) throws -> URL {
    let prefix = dir.appendingPathComponent("prefix")
    let bin = prefix.appendingPathComponent("bin")
    let share = prefix.appendingPathComponent("share/lr")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: share, withIntermediateDirectories: true)
    let libexec = prefix.appendingPathComponent("libexec/lr")
    try FileManager.default.createDirectory(at: libexec, withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      at: LRTestSupport.lrExecutable, to: bin.appendingPathComponent("lr"))
    try FileManager.default.copyItem(
      at: LRTestSupport.lrExecutable.deletingLastPathComponent().appendingPathComponent("lr-core"),
      to: libexec.appendingPathComponent("lr-core"))
    try FileManager.default.copyItem(
      at: LRTestSupport.packageRoot.appendingPathComponent("stdlib"),
      to: share.appendingPathComponent("stdlib"))
    return prefix
  }

  @Test(.timeLimit(.minutes(2))) func installedBinaryChecksAndRunsWithTheStdlib() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let prefix = try Self.makePrefix(in: dir)
    let lr = prefix.appendingPathComponent("bin/lr")
    let cwd = dir.appendingPathComponent("elsewhere")
    try FileManager.default.createDirectory(at: cwd, withIntermediateDirectories: true)
    try Data("use \"windows\"\non machine ws-0142 < win-processes >\n".utf8)
      .write(to: cwd.appendingPathComponent("x.lr"))
    let environment = [
      "HOME": dir.appendingPathComponent("home").path, "LR_STDLIB": "",
      "XDG_STATE_HOME": dir.appendingPathComponent("state").path,
    ]
    let check = try await LRTestSupport.run(
      lr, ["check", "x.lr"], environment: environment, currentDirectory: cwd)
    #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    let run = try await LRTestSupport.run(
      lr, ["run", "x.lr", "--lab", "--output", "json"], environment: environment,
      currentDirectory: cwd)
    #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
    #expect(
      run.stdout.contains("\"Succeeded\"") || run.stdout.contains("succeeded"), "\(run.stdout)")
  }
}
