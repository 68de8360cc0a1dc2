import Foundation
import LRTestSupport
import Testing

/// `lr` is a small launcher that answers `--version` and `lr check FILE…` itself and replaces
/// itself with `lr-core` for everything else (start-up, issue 16.3): it links no Foundation, finds
/// `lr-core` through symbolic links, and says clearly when `lr-core` is missing.
@Suite struct LauncherTests {
  /// The `lr-core` beside the debug `lr`.
  static var core: URL {
    LRTestSupport.lrExecutable.deletingLastPathComponent().appendingPathComponent("lr-core")
  }

  @Test func theVersionIsTheCoresVersion() async throws {
    let launcher = try await LRTestSupport.runLR(["--version"])
    let core = try await LRTestSupport.run(Self.core, ["--version"])
    #expect(launcher.status == 0 && core.status == 0)
    #expect(launcher.stdout == core.stdout && launcher.stdout.hasPrefix("0."), "\(launcher)")
  }

  /// On Linux the launcher is one static executable: no dynamic loader, no shared library (its
  /// start-up is the kernel's exec and lr's own code), and no Foundation linked in, unlike
  /// `lr-core` (the debug build links the core's runtime dynamically, so `ldd` shows it).
  @Test func theLauncherIsStaticAndLinksNoFoundation() async throws {
    let ldd = URL(fileURLWithPath: "/usr/bin/ldd")
    let launcher = try await LRTestSupport.run(ldd, [LRTestSupport.lrExecutable.path])
    let core = try await LRTestSupport.run(ldd, [Self.core.path])
    #expect(
      launcher.status != 0
        && (launcher.stdout + launcher.stderr).contains("not a dynamic executable"),
      "\(launcher)")
    #expect(core.stdout.contains("libFoundation"), "the comparison is meaningless: \(core.stdout)")
    // Foundation's mangled symbols all begin with `$s10Foundation`.
    let foundation = Data("$s10Foundation".utf8)
    let binary = try Data(contentsOf: LRTestSupport.lrExecutable)
    let coreBinary = try Data(contentsOf: Self.core)
    #expect(binary.range(of: foundation) == nil, "the launcher links Foundation")
    #expect(coreBinary.range(of: foundation) != nil, "the comparison is meaningless")
  }

  /// Run through a symbolic link (`~/bin/lr -> PREFIX/bin/lr`), the launcher still finds its
  /// `lr-core` and the commands it hands over behave as before.
  @Test func aSymbolicLinkFindsTheCore() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let link = dir.appendingPathComponent("lr")
    try FileManager.default.createSymbolicLink(
      at: link, withDestinationURL: LRTestSupport.lrExecutable)
    let help = try await LRTestSupport.run(link, ["--help"], environment: ["HOME": dir.path])
    #expect(help.status == 0 && help.stdout.contains("USAGE"), "\(help.stderr)")
    let repl = try await LRTestSupport.run(
      link, ["--offline"], stdin: "on machine ws-0142 < run Get-Processes.ps1 >\n",
      environment: ["HOME": dir.path])
    #expect(repl.status == 0 && repl.stdout.contains("Get-Processes.ps1"), "\(repl)")
  }

  /// A launcher copied without its `lr-core` still answers what it answers itself; anything else
  /// exits 3 (a configuration problem) naming where it looked, and prints nothing on stdout.
  @Test func aLauncherWithoutItsCoreSaysSo() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let alone = dir.appendingPathComponent("bin/lr")
    try FileManager.default.createDirectory(
      at: alone.deletingLastPathComponent(), withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: LRTestSupport.lrExecutable, to: alone)
    let file = dir.appendingPathComponent("x.lr")
    try Data("on machine ws-0142 < run Get-Processes.ps1 >\n".utf8).write(to: file)
    let environment = ["HOME": dir.path]

    let version = try await LRTestSupport.run(alone, ["--version"], environment: environment)
    #expect(version.status == 0 && version.stdout.hasPrefix("0."))
    let check = try await LRTestSupport.run(alone, ["check", file.path], environment: environment)
    #expect(check.status == 0 && check.stderr.isEmpty, "\(check.stderr)")
    for arguments in [["run", file.path, "--lab"], [], ["check", "--help"]] {
      let result = try await LRTestSupport.run(
        alone, arguments, stdin: "", environment: environment)
      #expect(result.status == 3, "\(arguments): \(result.stderr)")
      #expect(result.stdout.isEmpty)
      #expect(result.stderr.contains("lr-core is missing"), "\(result.stderr)")
      #expect(result.stderr.contains(dir.appendingPathComponent("bin/lr-core").path))
      #expect(result.stderr.contains(dir.appendingPathComponent("libexec/lr/lr-core").path))
    }
  }
}
