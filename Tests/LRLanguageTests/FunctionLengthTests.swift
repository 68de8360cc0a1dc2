import Foundation
import LRTestSupport
import Testing

/// Issue 17 item 4: no function in Sources/ is over 80 lines (from its `func`/`init` line to its
/// closing brace), except the allow-listed ones below, which are being shrunk by their owners.
@Suite struct FunctionLengthTests {
  static let limit = 80

  /// Functions still over the limit, as "path: name". Each entry names one function so that
  /// nothing new slips in; remove an entry as soon as its function is split (a stale entry fails
  /// `allowListHasNoStaleEntries`).
  static let allowed: Set<String> = []

  /// Every function over the limit in Sources/, as "path: name" with its line count.
  static func longFunctions() throws -> [String: Int] {
    let root = LRTestSupport.packageRoot
    let sources = root.appendingPathComponent("Sources")
    guard let walker = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
    else { return [:] }
    var long: [String: Int] = [:]
    for case let url as URL in walker where url.pathExtension == "swift" {
      let text = try String(contentsOf: url, encoding: .utf8)
      let path = String(
        url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
      for function in FunctionLengthScanner.functions(in: text) where function.lineCount > limit {
        let key = "\(path): \(function.name)"
        long[key] = max(long[key] ?? 0, function.lineCount)
      }
    }
    return long
  }

  @Test func noFunctionInSourcesIsOverTheLimit() throws {
    let offenders = try Self.longFunctions().filter { !Self.allowed.contains($0.key) }
      .map { "\($0.key) (\($0.value) lines)" }.sorted()
    #expect(
      offenders.isEmpty, "functions over \(Self.limit) lines: \(offenders.joined(separator: "; "))")
  }

  @Test func allowListHasNoStaleEntries() throws {
    let long = try Self.longFunctions()
    let stale = Self.allowed.filter { long[$0] == nil }.sorted()
    #expect(
      stale.isEmpty, "no longer over \(Self.limit) lines, remove from the allow-list: \(stale)")
  }

  @Test func scannerCountsFromDeclarationToClosingBrace() {
    let text = """
      struct S {
        @MainActor public static func f<T>(_ x: T) -> Int {
          let s = "}}} \\(g("{")) "
          // }
          /* { /* } */ */
          let r = #"}"#
          return 1
        }
        init?(x: Int) { }
        func requirementLike()

        subscript(i: Int) -> Int { i }
      }
      """
    let found = FunctionLengthScanner.functions(in: text)
    #expect(
      found == [
        .init(name: "f", firstLine: 2, lastLine: 8),
        .init(name: "init", firstLine: 9, lastLine: 9),
        .init(name: "subscript", firstLine: 12, lastLine: 12),
      ])
  }

  @Test func multilineStringsAreSkipped() {
    let quotes = "\"\"\""
    let text = "func f() {\n  let s = \(quotes)\n  }\n  \(quotes)\n}\n"
    #expect(
      FunctionLengthScanner.functions(in: text) == [.init(name: "f", firstLine: 1, lastLine: 5)])
  }
}
