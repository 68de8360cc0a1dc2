import Foundation
import LRTestSupport
import Testing

@Suite("TextMate grammar (editors/lr.tmLanguage.json)")
struct GrammarTests {
  func load() throws -> [String: Any] {
    let url = LRTestSupport.packageRoot.appendingPathComponent("editors/lr.tmLanguage.json")
    let data = try #require(FileManager.default.contents(atPath: url.path))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  /// Every `match`/`begin`/`end` regex under a grammar node.
  func regexes(_ node: Any) -> [String] {
    var out: [String] = []
    if let dict = node as? [String: Any] {
      for key in ["match", "begin", "end"] { if let r = dict[key] as? String { out.append(r) } }
      for (key, value) in dict where key != "match" && key != "begin" && key != "end" {
        out += regexes(value)
      }
    } else if let array = node as? [Any] {
      for value in array { out += regexes(value) }
    }
    return out
  }

  @Test func isValidJSONWithEveryScope() throws {
    let grammar = try load()
    #expect(grammar["scopeName"] as? String == "source.lr")
    let repository = try #require(grammar["repository"] as? [String: Any])
    for scope in [
      "comment", "string-double", "string-raw", "keyword", "command", "variable", "number",
      "operator", "definition",
    ] {
      let node = try #require(repository[scope], "missing \(scope)")
      #expect(!regexes(node).isEmpty, "no regex for \(scope)")
    }
    // Every pattern the top level includes exists.
    for include in (grammar["patterns"] as? [[String: String]] ?? []).compactMap({ $0["include"] })
    {
      #expect(repository[String(include.dropFirst())] != nil, "\(include)")
    }
  }

  @Test func regexesCompileAndMatchSamples() throws {
    let grammar = try load()
    for pattern in regexes(grammar) {
      #expect(
        (try? NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines])) != nil,
        "\(pattern)")
    }
    let repository = try #require(grammar["repository"] as? [String: Any])
    func matches(_ scope: String, _ sample: String) -> Bool {
      regexes(repository[scope] as Any).contains { pattern in
        guard let re = try? NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines])
        else { return false }
        return re.firstMatch(in: sample, range: NSRange(sample.startIndex..., in: sample)) != nil
      }
    }
    #expect(matches("comment", "# a comment"))
    #expect(matches("keyword", "on machine X"))
    #expect(matches("command", "on machine X < run x.ps1 >"))
    #expect(matches("variable", "$proc"))
    #expect(matches("number", "if r.exit_code == 0"))
    #expect(matches("operator", "=="))
    #expect(matches("string-double", "\"a ${proc} \\n\""))
  }
}
