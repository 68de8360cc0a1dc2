import Foundation
import LRTestSupport
import Testing

/// `make install PREFIX=… BUILD_DIR=<debug>` writes the install layout (binary, stdlib, man page,
/// completions) from the debug build, the installed `lr` works from there, and `make uninstall`
/// removes it again. No release build: that is `make dist`'s, outside `make test`.
@Suite struct MakeInstallTests {
  static let subcommands = [
    "repl", "check", "compile", "fmt", "run", "plan", "resume", "rerun", "report", "runs", "audit",
    "query", "stack", "results", "machines", "library", "actions", "login", "logout", "emulator",
    "lsp",
  ]

  /// Runs `make TARGET VARIABLES…` in the package root.
  static func make(_ arguments: [String]) async throws -> LRTestSupport.ProcessResult {
    let debug = LRTestSupport.lrExecutable.deletingLastPathComponent()
    // The generator swift-argument-parser's GenerateManual plugin runs (named either way).
    let tool =
      ["generate-manual-tool", "generate-manual"].map { debug.appendingPathComponent($0) }
      .first { FileManager.default.isExecutableFile(atPath: $0.path) }
      ?? debug.appendingPathComponent("generate-manual")
    return try await LRTestSupport.run(
      URL(fileURLWithPath: "/usr/bin/env"),
      ["make", "--no-print-directory"] + arguments + [
        "BUILD_DIR=\(debug.path)",
        "MANUAL_TOOL=\(tool.path)",
      ],
      currentDirectory: LRTestSupport.packageRoot)
  }

  @Test(.timeLimit(.minutes(3))) func installRunUninstall() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let prefix = dir.appendingPathComponent("prefix")
    let install = try await Self.make(["install", "PREFIX=\(prefix.path)"])
    #expect(install.status == 0, "\(install.stdout)\(install.stderr)")
    try await Self.checkInstalled(prefix, in: dir)

    let uninstall = try await Self.make(["uninstall", "PREFIX=\(prefix.path)"])
    #expect(uninstall.status == 0, "\(uninstall.stdout)\(uninstall.stderr)")
    for path in [
      "bin/lr", "libexec/lr", "share/lr", "share/man/man1/lr.1",
      "share/bash-completion/completions/lr",
    ] {
      #expect(!FileManager.default.fileExists(atPath: prefix.appendingPathComponent(path).path))
    }
  }

  /// The installed `lr` under `prefix` prints its help, runs a `--lab` batch script with the
  /// stdlib, and its man page and completions are in place.
  static func checkInstalled(_ prefix: URL, in dir: URL) async throws {
    let lr = prefix.appendingPathComponent("bin/lr")
    let environment = ["HOME": dir.appendingPathComponent("home").path, "LR_STDLIB": ""]

    let help = try await LRTestSupport.run(lr, ["--help"], environment: environment)
    #expect(help.status == 0 && help.stdout.contains("USAGE"), "\(help.stdout)\(help.stderr)")
    let version = try await LRTestSupport.run(lr, ["--version"], environment: environment)
    #expect(version.stdout.hasPrefix("0."), "\(version.stdout)")
    let core = prefix.appendingPathComponent("libexec/lr/lr-core")
    #expect(FileManager.default.isExecutableFile(atPath: core.path))

    try Data("use \"windows\"\non machine ws-0142 < win-processes >\n".utf8)
      .write(to: dir.appendingPathComponent("x.lr"))
    // The launcher checks a file itself and finds the installed stdlib from bin/.
    let check = try await LRTestSupport.run(
      lr, ["check", "x.lr"], environment: environment, currentDirectory: dir)
    #expect(check.status == 0 && check.stderr.isEmpty, "\(check.stdout)\(check.stderr)")
    let run = try await LRTestSupport.run(
      lr, ["run", "x.lr", "--lab"], environment: environment, currentDirectory: dir)
    #expect(run.status == 0, "\(run.stdout)\(run.stderr)")

    let man = try String(
      contentsOf: prefix.appendingPathComponent("share/man/man1/lr.1"), encoding: .utf8)
    for name in Self.subcommands {
      #expect(man.contains(".It Em \(name)"), "the man page does not describe `lr \(name)`")
    }
    let completion = prefix.appendingPathComponent("share/bash-completion/completions/lr")
    let bash = try await LRTestSupport.run(
      URL(fileURLWithPath: "/bin/bash"), ["-c", "source '\(completion.path)'; complete -p lr"])
    #expect(bash.status == 0 && bash.stdout.contains(" lr"), "\(bash.stdout)\(bash.stderr)")
    for path in ["share/zsh/site-functions/_lr", "share/fish/vendor_completions.d/lr.fish"] {
      #expect(FileManager.default.fileExists(atPath: prefix.appendingPathComponent(path).path))
    }
  }

  @Test(.timeLimit(.minutes(4))) func distArchiveExtractsAndRuns() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("dist")
    let dist = try await Self.make(["dist", "DIST_DIR=\(out.path)"])
    #expect(dist.status == 0, "\(dist.stdout)\(dist.stderr)")
    let archives = try FileManager.default.contentsOfDirectory(atPath: out.path)
    let archive = try #require(archives.first { $0.hasSuffix(".tar.gz") })
    #expect(archive.hasPrefix("lr-") && archive.contains("-linux-"))
    let verify = try await LRTestSupport.run(
      URL(fileURLWithPath: "/usr/bin/env"), ["sha256sum", "-c", archive + ".sha256"],
      currentDirectory: out)
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    let extracted = dir.appendingPathComponent("extracted")
    try FileManager.default.createDirectory(at: extracted, withIntermediateDirectories: true)
    let tar = try await LRTestSupport.run(
      URL(fileURLWithPath: "/usr/bin/env"),
      ["tar", "-xzf", out.appendingPathComponent(archive).path],
      currentDirectory: extracted)
    #expect(tar.status == 0, "\(tar.stderr)")
    let folder = try #require(
      try FileManager.default.contentsOfDirectory(atPath: extracted.path).first)
    #expect(archive.hasPrefix(folder + "-linux-"), "\(folder)")
    try await Self.checkInstalled(extracted.appendingPathComponent(folder), in: dir)
  }
}
