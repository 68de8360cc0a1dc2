import Foundation
import LRFuzz
import LRTestSupport
import Testing

/// Every input `make fuzz` (or a bug report) found failing, kept in Tests/fuzz-corpus/<kind>/ and
/// run through the same checks as the fuzzer's: no crash, no hang, formatting idempotent and
/// meaning-preserving, framing that recovers.
@Suite("Fuzz corpus")
struct FuzzCorpusTests {
  static let corpus = FuzzCorpus(
    folder: LRTestSupport.packageRoot.appendingPathComponent("Tests/fuzz-corpus"))

  static let entries = corpus.entries().map { "\($0.kind.rawValue)/\($0.file.lastPathComponent)" }

  /// Entries that still fail, with why (`Tests/fuzz-corpus/known-failures.txt`).
  static let knownFailures: [String: String] = {
    let file = corpus.folder.appendingPathComponent("known-failures.txt")
    let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
    var known: [String: String] = [:]
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
      let entry = line.prefix { $0 != " " }
      known[String(entry)] = line.dropFirst(entry.count).trimmingCharacters(in: .whitespaces)
    }
    return known
  }()

  @Test func corpusIsThere() {
    for kind in FuzzKind.allCases {
      #expect(FuzzCorpusTests.entries.contains { $0.hasPrefix(kind.rawValue + "/") }, "\(kind)")
    }
  }

  @Test(arguments: entries)
  func replay(_ entry: String) throws {
    let kind = try #require(FuzzKind(rawValue: String(entry.prefix { $0 != "/" })))
    let file = FuzzCorpusTests.corpus.folder.appendingPathComponent(entry)
    let input = try #require(FileManager.default.contents(atPath: file.path))
    let modules = FuzzCorpus.stdlibModules(root: LRTestSupport.packageRoot)
    let failure = FuzzCheck.run(kind, Array(input), modules: modules, limit: .seconds(20))
    if let reason = FuzzCorpusTests.knownFailures[entry] {
      withKnownIssue("\(reason) (still listed in known-failures.txt?)") {
        #expect(failure == nil, "\(entry): \(failure ?? "")")
      }
    } else {
      #expect(failure == nil, "\(entry): \(failure ?? "")")
    }
  }
}
