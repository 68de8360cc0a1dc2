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
    #expect(walked == scripts.resolvingSymlinksInPath().path)
    let fromEnv = StdlibLocator.scriptsDirectory(
      environment: ["LR_STDLIB": root.appendingPathComponent("stdlib").path], executablePath: "/")
    #expect(fromEnv == scripts.path)
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
    #expect(walked == root.appendingPathComponent("stdlib").resolvingSymlinksInPath().path)
    let env = StdlibLocator.modulesDirectory(
      environment: ["LR_STDLIB": "/opt/lr/stdlib"], executablePath: "/")
    #expect(env == "/opt/lr/stdlib")
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
    #expect(found == installed.resolvingSymlinksInPath().path)
    let modules = StdlibLocator.modulesDirectory(environment: [:], executablePath: lr)
    #expect(modules == installed.deletingLastPathComponent().resolvingSymlinksInPath().path)
    let env = StdlibLocator.modulesDirectory(
      environment: ["LR_STDLIB": "/opt/lr/stdlib"], executablePath: lr)
    #expect(env == "/opt/lr/stdlib")
  }

  /// `PREFIX/libexec/lr/lr-core` (what the `lr` launcher starts) finds the same
  /// `PREFIX/share/lr/stdlib` as `PREFIX/bin/lr`.
  @Test func theCoreInLibexecFindsTheInstalledStdlib() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("lr-loc-\(UUID())")
    let installed = root.appendingPathComponent("share/lr/stdlib/scripts")
    try FileManager.default.createDirectory(at: installed, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    let core = root.appendingPathComponent("libexec/lr/lr-core").path
    let found = StdlibLocator.scriptsDirectory(environment: [:], executablePath: core)
    #expect(found == installed.resolvingSymlinksInPath().path)
  }
}
