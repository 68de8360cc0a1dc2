import Foundation
import LRTestSupport
import Testing

/// `packaging/homebrew/lr.rb` cannot be run here (no macOS, no Homebrew); these cheap checks keep
/// it consistent with `make install`: the same layout script, the same paths, the same version.
@Suite struct HomebrewFormulaTests {
  static func text(_ path: String) throws -> String {
    try String(
      contentsOf: LRTestSupport.packageRoot.appendingPathComponent(path), encoding: .utf8)
  }

  /// The paths `packaging/install-layout.sh`'s header lists (`#   bin/lr   the executable`).
  static func layoutPaths() throws -> [String] {
    try text("packaging/install-layout.sh").split(separator: "\n")
      .filter { $0.hasPrefix("#   ") }
      .compactMap { $0.dropFirst(4).split(separator: " ").first.map(String.init) }
      .map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
  }

  @Test func formulaInstallsWithTheLayoutScript() throws {
    let formula = try Self.text("packaging/homebrew/lr.rb")
    #expect(formula.contains("\"packaging/install-layout.sh\", \"#{built}/lr\", prefix"))
    let paths = try Self.layoutPaths()
    #expect(paths.contains("bin/lr") && paths.contains("share/man/man1/lr.1"), "\(paths)")
    #expect(paths.count == 7 && paths.contains("libexec/lr/lr-core"), "\(paths)")
    for path in paths {
      #expect(formula.contains(path), "the formula does not name \(path)")
    }
  }

  @Test func formulaTagIsTheVersion() async throws {
    let formula = try Self.text("packaging/homebrew/lr.rb")
    let version = try await LRTestSupport.run(LRTestSupport.lrExecutable, ["--version"])
    let number = version.stdout.split(separator: " ").first.map(String.init) ?? ""
    #expect(!number.isEmpty && formula.contains("tag:      \"v\(number)\""), "\(version.stdout)")
  }

  @Test func macOSNotesSayTheyAreUntested() throws {
    let notes = try Self.text("packaging/macos.md")
    #expect(notes.contains("packaging/homebrew/lr.rb"))
    #expect(notes.lowercased().contains("not been tested"))
  }
}
