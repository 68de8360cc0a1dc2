import LRResults
import Testing

/// RFC 4180 output that a spreadsheet opens without running anything.
@Suite struct CSVWriterTests {
  @Test(arguments: [
    ("plain", "plain"),
    ("a,b", "\"a,b\""),
    ("say \"hi\"", "\"say \"\"hi\"\"\""),
    ("two\nlines", "\"two\nlines\""),
    ("=cmd|' /C calc'!A0", "\"'=cmd|' /C calc'!A0\""),
    ("+1+1", "\"'+1+1\""),
    ("-2+3", "\"'-2+3\""),
    ("@SUM(A1)", "\"'@SUM(A1)\""),
    ("\tindented", "\"'\tindented\""),
    ("\r=1", "\"'\r=1\""),
    ("-1", "-1"),
    ("-0.5e3", "-0.5e3"),
    ("\u{1B}[31mred\u{1B}[0m", "[31mred[0m"),
    ("bell\u{07} nul\u{0} c1\u{9B} \u{202E}txt.exe", "bell nul c1 txt.exe"),
    ("\u{1B}=evil", "\"'=evil\""),
    ("", ""),
  ])
  func cells(input: String, expected: String) {
    #expect(CSVWriter.cell(input) == expected)
  }

  @Test func recordsEndInCRLFAfterTheHeader() {
    var writer = CSVWriter(header: ["machine", "value"])
    writer.append(["ws-1", "=1+1"])
    writer.append(["ws-2", "x,y"])
    #expect(writer.text == "machine,value\r\nws-1,\"'=1+1\"\r\nws-2,\"x,y\"\r\n")
  }
}
