import DefenderClient
import Foundation
import LREngine
import LRLanguage
import LRTestSupport
import Testing

/// The service may spell a cancelled action `Canceled`: the engine counts it cancelled (exit 4),
/// not failed (exit 1).
@Suite struct CanceledSpellingTests {
  @Test(.timeLimit(.minutes(1))) func canceledSpellingCountsAsCancelled() async throws {
    // Every finished action comes back `Canceled`, as the American spelling.
    let summary = try await LabFixture.with(rewrite: { method, target, _, body in
      guard method == "GET", target.lowercased().hasPrefix("/api/machineactions") else {
        return nil
      }
      let text = String(decoding: body, as: UTF8.self)
      guard text.contains(#""status":"Succeeded""#) else { return nil }
      return Array(text.replacing(#""status":"Succeeded""#, with: #""status":"Canceled""#).utf8)
    }) { lab in
      let directory = try LRTestSupport.temporaryDirectory()
      defer { try? FileManager.default.removeItem(at: directory) }
      let journal = try Journal(url: directory.appendingPathComponent("journal.sqlite"))
      let audit = try AuditLog(
        url: directory.appendingPathComponent("audit.jsonl"), journal: journal)
      var options = Engine.Options(
        resultsRoot: directory.appendingPathComponent("results"), scriptDirectory: directory)
      options.tenant = "lab"
      options.confirm = { _, _ in true }
      options.timeout = .seconds(600)
      let engine = Engine(api: lab.api, journal: journal, audit: audit, options: options) { _ in }
      let text = "on machine \(LabFixture.exampleMachine) < run Get-Processes.ps1 >\n"
      let output = Compiler.compile(SourceFile(name: "canceled.lr", text: text))
      #expect(output.diagnostics.isEmpty, "\(output.diagnostics)")
      let summary = try await engine.run(output.plan, sourcePath: "canceled.lr", sourceText: text)
      await lab.api.shutdown()
      return summary
    }
    #expect(summary.cancelled == 1, "\(summary)")
    #expect(summary.failed == 0)
    #expect(summary.exitStatus == 4)
  }
}
