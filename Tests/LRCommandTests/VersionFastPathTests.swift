import Foundation
import LRTestSupport
import Testing

/// `lr --version` alone is answered before the argument parser runs (start-up, issue 16.3); it
/// prints exactly what the parser prints for --version elsewhere on the command line.
@Suite struct VersionFastPathTests {
  @Test func fastPathPrintsWhatTheParserPrints() async throws {
    let fast = try await LRTestSupport.run(LRTestSupport.lrExecutable, ["--version"])
    let parsed = try await LRTestSupport.run(LRTestSupport.lrExecutable, ["repl", "--version"])
    #expect(fast.status == 0 && parsed.status == 0, "\(fast.stderr)\(parsed.stderr)")
    #expect(fast.stdout == parsed.stdout && fast.stdout.hasPrefix("0."), "\(fast.stdout)")
    #expect(fast.stderr.isEmpty)
  }
}
