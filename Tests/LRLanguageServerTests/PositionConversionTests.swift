import PropertyBased
import Testing

@testable import LRLanguageServer

@Suite("UTF-8 offsets ⇄ LSP positions (UTF-16)")
struct PositionConversionTests {
  @Test func ascii() {
    let t = DocumentText("ab\ncd\n")
    #expect(t.position(of: 0) == Position(line: 0, character: 0))
    #expect(t.position(of: 2) == Position(line: 0, character: 2))
    #expect(t.position(of: 3) == Position(line: 1, character: 0))
    #expect(t.position(of: 6) == Position(line: 2, character: 0))
    #expect(t.offset(of: Position(line: 1, character: 1)) == 4)
  }

  @Test func nonASCIIIncludingAstralPlane() {
    // é: 2 bytes, 1 unit; €: 3 bytes, 1 unit; 😀: 4 bytes, 2 units (a surrogate pair).
    let t = DocumentText("é€😀x\n😀")
    #expect(t.position(of: 2) == Position(line: 0, character: 1))
    #expect(t.position(of: 5) == Position(line: 0, character: 2))
    #expect(t.position(of: 9) == Position(line: 0, character: 4))
    #expect(t.position(of: 10) == Position(line: 0, character: 5))
    #expect(t.offset(of: Position(line: 0, character: 4)) == 9)
    #expect(t.offset(of: Position(line: 0, character: 5)) == 10)
    #expect(t.offset(of: Position(line: 1, character: 2)) == 15)
    // Inside a surrogate pair or a UTF-8 sequence: round down to the character's start.
    #expect(t.offset(of: Position(line: 0, character: 3)) == 5)
    #expect(t.position(of: 7) == Position(line: 0, character: 2))
    #expect(t.utf16Count(0..<t.bytes.count) == "é€😀x\n😀".utf16.count)
  }

  @Test func clampsOutOfRange() {
    let t = DocumentText("abc\r\nde")
    #expect(t.offset(of: Position(line: 0, character: 99)) == 3)  // before \r\n
    #expect(t.offset(of: Position(line: 9, character: 0)) == t.bytes.count)
    #expect(t.offset(of: Position(line: -1, character: -4)) == 0)
    #expect(t.offset(of: Position(line: Int.max, character: Int.max)) == t.bytes.count)
    #expect(t.offset(of: Position(line: 1, character: Int.min)) == 5)
    #expect(t.position(of: 1000) == Position(line: 1, character: 2))
    #expect(t.position(of: -3) == Position(line: 0, character: 0))
    #expect(
      t.byteRange(
        of: LSPRange(start: Position(line: 1, character: 1), end: Position(line: 0, character: 1)))
        == 1..<6)
  }

  @Test func incrementalEdits() {
    var t = DocumentText("on machine X < get 'C:\\a' >\n")
    t = t.applying(
      TextDocumentContentChangeEvent(
        range: LSPRange(
          start: Position(line: 0, character: 15), end: Position(line: 0, character: 18)),
        text: "run"))
    #expect(t.string == "on machine X < run 'C:\\a' >\n")
    t = t.applying(
      TextDocumentContentChangeEvent(
        range: LSPRange(at: Position(line: 0, character: 0)), text: "# 😀é\n"))
    // Insert after the emoji (2 units) and é (1 unit): character 5 on line 0.
    t = t.applying(
      TextDocumentContentChangeEvent(
        range: LSPRange(at: Position(line: 0, character: 5)), text: "!"))
    #expect(t.string == "# 😀é!\non machine X < run 'C:\\a' >\n")
    t = t.applying(TextDocumentContentChangeEvent(text: "whole"))
    #expect(t.string == "whole")
  }

  @Test func roundTripsEveryCharacterBoundary() async {
    let alphabet: [String] = ["a", "é", "€", "😀", "\n", "\r\n", " ", "👩‍👩‍👧"]
    await propertyCheck(count: 200, input: Gen.int(in: 0..<alphabet.count).array(of: 0...40)) {
      picks in
      let string = picks.map { alphabet[$0] }.joined()
      let t = DocumentText(string)
      // Each scalar boundary maps to a position and back to the same offset (except inside \r\n).
      var offset = 0
      for scalar in string.unicodeScalars {
        let p = t.position(of: offset)
        let back = t.offset(of: p)
        if !(offset > 0 && t.bytes[offset - 1] == 13 && scalar == "\n") {
          #expect(back == offset, "offset \(offset) in \(Array(string.utf8))")
        }
        offset += String(scalar).utf8.count
      }
    }
  }
}
