import Foundation
import LRModules
import Testing

@Suite struct StdlibLocatorTests {
  @Test func environmentAndWalkUp() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("lr-loc-\(UUID())")
    let scripts = root.appendingPathComponent("stdlib/scripts")
    let bin = root.appendingPathComponent(".build/debug")
    try FileManager.default.createDirectory(at: scripts, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    let walked = StdlibLocator.scriptsDirectory(
      environment: [:], executablePath: bin.appendingPathComponent("lr").path)
    #expect(walked?.resolvingSymlinksInPath().path == scripts.resolvingSymlinksInPath().path)
    let fromEnv = StdlibLocator.scriptsDirectory(
      environment: ["LR_STDLIB": root.appendingPathComponent("stdlib").path], executablePath: "/")
    #expect(fromEnv?.path == scripts.path)
    #expect(StdlibLocator.scriptsDirectory(environment: [:], executablePath: "/usr/bin/lr") == nil)
  }

  @Test func modulesFolderIsTheScriptsParentOrTheEnvironment() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("lr-loc-\(UUID())")
    let scripts = root.appendingPathComponent("stdlib/scripts")
    let bin = root.appendingPathComponent(".build/debug")
    try FileManager.default.createDirectory(at: scripts, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    let walked = StdlibLocator.modulesDirectory(
      environment: [:], executablePath: bin.appendingPathComponent("lr").path)
    #expect(
      walked?.resolvingSymlinksInPath().path
        == root.appendingPathComponent("stdlib").resolvingSymlinksInPath().path)
    let env = StdlibLocator.modulesDirectory(
      environment: ["LR_STDLIB": "/opt/lr/stdlib"], executablePath: "/")
    #expect(env?.path == "/opt/lr/stdlib")
  }

  /// `PREFIX/bin/lr` finds `PREFIX/share/lr/stdlib` before a checkout's `stdlib/` further up;
  /// `LR_STDLIB` still wins.
  @Test func installLayoutComesAfterTheEnvironmentAndBeforeTheWalkUp() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("lr-loc-\(UUID())")
    let prefix = root.appendingPathComponent("prefix")
    let installed = prefix.appendingPathComponent("share/lr/stdlib/scripts")
    for dir in [installed, root.appendingPathComponent("stdlib/scripts")] {
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    defer { try? FileManager.default.removeItem(at: root) }
    let lr = prefix.appendingPathComponent("bin/lr").path
    let found = StdlibLocator.scriptsDirectory(environment: [:], executablePath: lr)
    #expect(found?.standardizedFileURL.path == installed.standardizedFileURL.path)
    let modules = StdlibLocator.modulesDirectory(environment: [:], executablePath: lr)
    #expect(modules?.standardizedFileURL.path == installed.deletingLastPathComponent().path)
    let env = StdlibLocator.modulesDirectory(
      environment: ["LR_STDLIB": "/opt/lr/stdlib"], executablePath: lr)
    #expect(env?.path == "/opt/lr/stdlib")
  }
}
