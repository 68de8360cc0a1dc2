import Foundation
import LRLanguage
import LRTestSupport
import Testing

/// Modules from a folder of the repository (the stdlib), for tests that compile real files.
struct DirectoryModules: ModuleProvider {
  var folders: [URL]
  func lookup(module name: String, from importer: String) -> ModuleLookup {
    for folder in folders {
      let url = folder.appendingPathComponent(name + ".lr")
      if let data = FileManager.default.contents(atPath: url.path) {
        return .found(SourceFile(name: url.path, bytes: Array(data)))
      }
    }
    return .notFound(searched: folders.map(\.path))
  }
}

let repository = LRTestSupport.packageRoot
let stdlibModules = DirectoryModules(folders: [
  repository.appendingPathComponent("examples"), repository.appendingPathComponent("stdlib"),
])

/// The fenced blocks of a Markdown file with the given info string.
func fencedBlocks(_ path: String, language: String) throws -> [(line: Int, text: String)] {
  let text = try String(contentsOf: repository.appendingPathComponent(path), encoding: .utf8)
  var blocks: [(Int, String)] = []
  var current: [String]?
  var start = 0
  for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
    if current == nil, line == "```\(language)" {
      current = []
      start = number + 2
    } else if current != nil, line == "```" {
      blocks.append((start, (current ?? []).joined(separator: "\n")))
      current = nil
    } else if current != nil {
      current?.append(String(line))
    }
  }
  return blocks
}

@Suite struct DocumentationTests {
  @Test func everyLanguageExampleCompiles() throws {
    let blocks = try fencedBlocks("docs/language.md", language: "lr")
    #expect(blocks.count >= 8)
    for block in blocks {
      let output = Compiler.compile(
        SourceFile(name: "docs/language.md:\(block.line)", text: block.text), modules: stdlibModules
      )
      let errors = output.diagnostics.filter { $0.severity == .error }
      #expect(errors.isEmpty, "docs/language.md:\(block.line): \(errors.map(\.message))")
      #expect(!output.plan.allStatements.isEmpty, "docs/language.md:\(block.line) sends nothing")
    }
  }

  @Test func documentedBodyMatchesTheFirstExample() throws {
    let lr = try #require(try fencedBlocks("docs/language.md", language: "lr").first)
    let json = try #require(try fencedBlocks("docs/language.md", language: "json").first)
    #expect(bodies(compile(lr.text)) == [json.text])
    #expect(json.text == documentedSeedBody)
  }

  @Test func documentedGrammarNamesEveryDiagnostic() throws {
    let text = try String(
      contentsOf: repository.appendingPathComponent("docs/language.md"), encoding: .utf8)
    for id in [
      "unterminatedString", "unterminatedBlock", "strayCloseBlock", "unknownCommand", "wrongArity",
      "undefinedName", "duplicateDefinition", "importCycle", "moduleNotFound", "invalidUTF8",
    ] {
      #expect(text.contains("`\(id)`"), "docs/language.md does not mention \(id)")
    }
  }

  @Test(arguments: ["examples", "stdlib"])
  func shippedFilesCompileClean(_ folder: String) throws {
    let urls = try FileManager.default.contentsOfDirectory(
      at: repository.appendingPathComponent(folder), includingPropertiesForKeys: nil
    ).filter { $0.pathExtension == "lr" }
    #expect(!urls.isEmpty)
    for url in urls {
      let source = SourceFile(name: url.lastPathComponent, bytes: Array(try Data(contentsOf: url)))
      let output = Compiler.compile(source, modules: stdlibModules)
      #expect(
        output.diagnostics.isEmpty,
        "\(url.lastPathComponent): \(output.diagnostics.map { "\($0.id) \($0.message)" })")
      #expect(Formatter.format(source) != nil)
    }
  }
}
