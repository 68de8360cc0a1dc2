import LRLanguage
import Testing

@Suite struct LexerTests {
  func kinds(_ text: String) -> [TokenKind] {
    Lexer(source: SourceFile(name: "t", text: text)).tokenize().map(\.kind)
  }

  @Test func seedLine() {
    #expect(
      kinds(#"on machine WS-0142 < run minidump.ps1 "x"; get 'C:\a' >"#) == [
        .word, .word, .word, .openBlock, .word, .word, .string, .semicolon, .word, .rawString,
        .closeBlock, .endOfFile,
      ])
  }

  @Test func operatorsAndVariables() {
    #expect(
      kinds("if $r.exit_code >= 1 and x <= 2 != 3 == 4 + (a, [b])") == [
        .word, .variable, .greaterEqual, .word, .word, .word, .lessEqual, .word, .notEqual, .word,
        .equalEqual, .word, .plus, .openParen, .word, .comma, .openBracket, .word, .closeBracket,
        .closeParen, .endOfFile,
      ])
  }

  @Test func commentsAndNewlines() {
    #expect(
      kinds("# hi\nrun # x\n") == [.comment, .newline, .word, .comment, .newline, .endOfFile])
  }

  @Test func tokenRangesCoverTheirBytes() {
    let source = SourceFile(name: "t", text: "let é = \"a${b}c\"")
    let tokens = Lexer(source: source).tokenize()
    #expect(source.text(tokens[1].range) == "é")
    #expect(source.text(tokens[3].range) == "\"a${b}c\"")
  }

  @Test(arguments: [#""abc"#, "'abc", #""a\"b"#])
  func unterminatedStringsStopAtTheLineEnd(_ text: String) {
    let tokens = Lexer(source: SourceFile(name: "t", text: text + "\nnext")).tokenize()
    #expect(tokens[0].isTerminated == false)
    #expect(tokens[1].kind == .newline)
    #expect(tokens[2].kind == .word)
  }

  @Test func multiLineStringsAreOneToken() {
    let tokens = Lexer(source: SourceFile(name: "t", text: "\"a\nb\" x")).tokenize()
    #expect(tokens.map(\.kind) == [.string, .word, .endOfFile])
    #expect(tokens[0].isTerminated)
  }

  @Test func rawStringsDoubleQuotes() {
    let tokens = Lexer(source: SourceFile(name: "t", text: "'it''s' x")).tokenize()
    #expect(tokens.map(\.kind) == [.rawString, .word, .endOfFile])
  }

  @Test func locationsAreComputedOnDemand() {
    let source = SourceFile(name: "t", text: "ab\ncdé\nx")
    #expect(source.location(of: 0) == LRLanguage.SourceLocation(line: 1, column: 1))
    #expect(source.location(of: 4) == LRLanguage.SourceLocation(line: 2, column: 2))
    #expect(source.location(of: 8) == LRLanguage.SourceLocation(line: 3, column: 1))
    #expect(source.offset(of: LRLanguage.SourceLocation(line: 2, column: 2)) == 4)
  }

  @Test func invalidUTF8IsFound() {
    #expect(SourceFile(name: "t", bytes: [0x61, 0xFF, 0x62]).firstInvalidUTF8Offset == 1)
    #expect(SourceFile(name: "t", bytes: [0xC3, 0xA9]).firstInvalidUTF8Offset == nil)
    #expect(SourceFile(name: "t", bytes: [0xED, 0xA0, 0x80]).firstInvalidUTF8Offset == 0)
    #expect(SourceFile(name: "t", bytes: [0xE2, 0x82]).firstInvalidUTF8Offset == 0)
  }
}
