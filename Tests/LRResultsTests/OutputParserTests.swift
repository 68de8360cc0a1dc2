import LRResults
import LiveResponse
import Testing

/// Detection and each format's reading, table-driven.
@Suite struct OutputParserTests {
  /// A row of string values.
  func row(_ pairs: KeyValuePairs<String, String>) -> JSONValue {
    .object(pairs.map { ($0.key, .string($0.value)) })
  }

  @Test func formatTableWithRightAlignedNumbersOverflowingTheirDashes() {
    let text = """
      Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName
      -------  ------    -----      -----     ------     --  -- -----------
          512      28    21500      40212       3.20   4012   1 OfficeClickToRun
         1830      95   112044     160332      61.02   6124   1 explorer

      """
    let parsed = OutputParser.parse(text)
    #expect(parsed.format == .table)
    #expect(parsed.warning == nil)
    #expect(parsed.rows.count == 2)
    #expect(
      parsed.rows.first
        == row([
          "Handles": "512", "NPM(K)": "28", "PM(K)": "21500", "WS(K)": "40212", "CPU(s)": "3.20",
          "Id": "4012", "SI": "1", "ProcessName": "OfficeClickToRun",
        ]))
    #expect(parsed.columns.last == "ProcessName")
  }
}
