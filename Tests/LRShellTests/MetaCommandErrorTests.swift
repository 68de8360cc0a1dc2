import Testing

@testable import LRShell

/// Meta-command argument errors are plain sentences, never the argument parser's own text.
@Suite struct MetaCommandErrorTests {
  /// Text of the argument parser that must not reach users.
  static let internalText = ["Error:", "--help", "See '", "<id>", "<index>", "is invalid for"]

  func error(_ input: String) -> String? {
    if case .failure(let error) = MetaCommand.parse(input) { return error.description }
    return nil
  }

  @Test func aJobThatIsNotANumber() throws {
    let message = try #require(error(".results r"))
    #expect(message.contains("no job 'r'"), "\(message)")
    #expect(message.contains(".jobs"), "\(message)")
    for text in Self.internalText { #expect(!message.contains(text), "\(message)") }
  }

  @Test func everyBadArgumentIsASentence() throws {
    let inputs = [
      ".results r", ".cancel x", ".show", ".show 1", ".show x 1", ".show 1 y", ".show 1 2 a b",
      ".history many", ".connect", ".connect a b", ".output xml", ".jobs now", ".results 1 2",
      ".quit --force", ".disconnect WS-1",
    ]
    for input in inputs {
      let message = try #require(error(input), "\(input) parsed")
      for text in Self.internalText {
        #expect(!message.contains(text), "\(input): \(message)")
      }
      #expect(!message.contains("\n"), "\(input): \(message)")
    }
  }

  @Test func goodArgumentsStillParse() throws {
    #expect(try MetaCommand.parse(".results 2").get() == .results(JobID(2)))
    #expect(
      try MetaCommand.parse(".show 3 1 ws-0143").get()
        == .show(JobID(3), index: 1, machine: "ws-0143"))
    #expect(try MetaCommand.parse(".history 5").get() == .history(count: 5))
    #expect(try MetaCommand.parse(".output json").get() == .output(.json))
    #expect(try MetaCommand.parse(".cancel").get() == .cancel(nil))
  }

  @Test func helpForRunNamesTheLanguageFields() throws {
    let text = try #require(HelpText.topic("run"))
    #expect(text.contains("output"))
    #expect(!text.contains("script_output"), "\(text)")
    #expect(!text.contains("script_errors"), "\(text)")
  }
}
