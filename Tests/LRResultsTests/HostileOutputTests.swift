import Foundation
import LRResults
import LiveResponse
import PropertyBased
import Testing

/// Output is data: escape sequences, invalid UTF-8, huge and random input are read, never fatal.
@Suite struct HostileOutputTests {
  @Test func escapeSequencesSurviveAsData() {
    let esc = "\u{1B}"
    let text = """
      Name          Value
      ----          -----
      \(esc)[31mred\(esc)[0m  \u{202E}txt.exe\u{07}
      """
    let parsed = OutputParser.parse(text)
    #expect(parsed.format == .table)
    #expect(parsed.resultRows.first?.text("Name") == "\(esc)[31mred\(esc)[0m")
    #expect(parsed.resultRows.first?.text("Value") == "\u{202E}txt.exe\u{07}")
    #expect(parsed.resultRows.first?.jsonText.contains("\\u001b[31m") == true)
  }

  @Test func invalidUTF8IsReadAsReplacementCharacters() {
    var bytes = Array("Name,Path\n".utf8)
    bytes += [0xFF, 0xFE, 0x2C, 0xC3, 0x28, 0x0A]
    let parsed = OutputParser.parse(String(decoding: bytes, as: UTF8.self))
    #expect(parsed.format == .csv)
    #expect(parsed.rows == [row(["Name": "\u{FFFD}\u{FFFD}", "Path": "\u{FFFD}("])])
  }

  @Test func hugeTableIsReadQuickly() {
    var text = "ProcessName      Id Path\n-----------      -- ----\n"
    for i in 0..<50_000 {
      text += "process\(i % 97).exe \(i) C:\\Program Files\\Vendor \(i % 13)\\bin\\p.exe\n"
    }
    let start = Date()
    let parsed = OutputParser.parse(text)
    #expect(parsed.rows.count == 50_000)
    #expect(parsed.resultRows.last?.text("Id") == "49999")
    #expect(Date().timeIntervalSince(start) < 20)
    let oneLine = String(repeating: "x,", count: 200_000)
    #expect(OutputParser.parse(oneLine).rows.isEmpty)
  }

  @Test func randomBytesNeverCrashAnyFormat() async {
    await propertyCheck(count: 300, input: Gen.uint8(in: 0...255).array(of: 0...300)) { bytes in
      let alphabet: [String] = [
        "a", "b", " ", ",", "\"", "\n", "\r\n", ":", " : ", "-", "--- ", "{", "}", "[", "]",
        "\u{0}",
        "\u{1B}[", "é", "\t", "1",
      ]
      let text = bytes.map { alphabet[Int($0) % alphabet.count] }.joined()
      for format in [nil] + OutputFormat.allCases.map(Optional.some) {
        let parsed = OutputParser.parse(text, declared: format)
        #expect(parsed.format == .text ? parsed.rows.isEmpty : true)
      }
      _ = TranscriptCleaner.clean(text)
      _ = OutputDeclaration.format(inScript: text)
    }
  }

  @Test func csvRoundTrips() async {
    await propertyCheck(count: 200, input: Gen.uint8(in: 0...255).array(of: 2...120)) { bytes in
      let pieces = ["x", "y", " ", ",", "\"", "\n", "\r\n", "é", "\u{1B}", "=1+2"]
      let columns = 2 + Int(bytes[0]) % 4
      let fields = bytes.dropFirst().map { pieces[Int($0) % pieces.count] }
      let header = (1...columns).map { "c\($0)" }
      var records: [[String]] = []
      var chunk = fields[...]
      while !chunk.isEmpty {
        let values = (0..<columns).map { i -> String in
          let start = chunk.startIndex
          let take = i < chunk.count ? 1 + (i % 2) : 0
          return chunk[start..<min(start + take, chunk.endIndex)].joined()
        }
        chunk = chunk.dropFirst(columns + columns / 2)
        records.append(values)
      }
      func quoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
      }
      let text = ([header] + records).map { $0.map(quoted).joined(separator: ",") }
        .joined(separator: "\r\n")
      let parsed = OutputParser.parse(text, declared: .csv)
      #expect(parsed.format == .csv)
      #expect(parsed.rows == records.map { ResultRow(columns: header, values: $0).json })
    }
  }

  @Test func formatTableRoundTrips() async {
    await propertyCheck(count: 200, input: Gen.uint8(in: 0...255).array(of: 3...90)) { bytes in
      let words = ["lsass.exe", "C:\\Program Files\\x y", "a", "Microsoft Corporation", "", "é"]
      let columns = 2 + Int(bytes[0]) % 3
      let header = (1...columns).map { "Col\($0)" }
      var rows: [[String]] = []
      for chunk in stride(from: 1, to: bytes.count - columns + 1, by: columns) {
        var values = (0..<columns).map { words[Int(bytes[chunk + $0]) % words.count] }
        if values[0].isEmpty { values[0] = "first" }
        rows.append(values)
      }
      let widths = (0..<columns).map { c in
        ([header[c]] + rows.map { $0[c] }).map(\.count).max() ?? 0
      }
      func line(_ cells: [String]) -> String {
        cells.enumerated().map { c, cell in
          c == columns - 1 ? cell : cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
        }.joined(separator: " ")
      }
      let dashes = header.map { String(repeating: "-", count: $0.count) }
      let text = ([line(header), line(dashes)] + rows.map(line)).joined(separator: "\n")
      let parsed = OutputParser.parse(text)
      #expect(parsed.format == (rows.isEmpty ? .table : .table))
      #expect(parsed.rows == rows.map { ResultRow(columns: header, values: $0).json })
    }
  }
}
