import Foundation
import LRTestSupport
import Testing

/// The walkthrough in docs/repl.md works on the lab as written.
@Suite struct DocumentationWalkthroughTests {
  @Test(.timeLimit(.minutes(2))) func everyInputOfTheWalkthroughWorksOnTheLab() async throws {
    let section = try LabTranscript.section("repl.md", "walkthrough")
    let inputs = LabTranscript.inputs(section)
    #expect(inputs.count >= 12)
    let run = try await LabTranscript.run(inputs)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.isEmpty, "\(run.stderr)")
    // Six statements, each done; nothing failed.
    for job in 1...6 { #expect(run.stdout.contains("[\(job)] done in"), "\(run.stdout)") }
    #expect(!run.stdout.contains("[7]"))
    #expect(!run.stdout.contains("failed"))
    // The figures the walkthrough shows are the lab's: file hashes and the machine listing.
    for hash in section.matches(of: /[0-9a-f]{64}/) {
      #expect(run.stdout.contains(hash.output), "\(hash.output) not in the lab's output")
    }
    for row in section.split(separator: "\n") where row.contains(".contoso.com  Windows") {
      #expect(run.stdout.contains(row), "\(row) not in the lab's output")
    }
  }
}
