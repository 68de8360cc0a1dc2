import LRResults
import LiveResponse
import Testing

/// A row of string values.
func row(_ pairs: KeyValuePairs<String, String>) -> JSONValue {
  .object(pairs.map { ($0.key, .string($0.value)) })
}

/// Each format read, table-driven: Format-Table, Format-List, CSV, JSON, text.
@Suite struct OutputParserTests {
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

  @Test func formatTableLeftAlignedValuesWithSpacesAndALastColumnTakingTheRest() {
    let text = """

      ProcessName   Id Path                                    Company
      -----------   -- ----                                    -------
      lsass.exe    868 C:\\Windows\\System32\\lsass.exe           Microsoft Corporation
      lsass.exe   4242 C:\\Users\\Public\\Program Files\\lsass.exe Unknown, Inc. (copy)
      short
      svchost.exe 1204 C:\\Windows\\System32\\svchost.exe         Microsoft   Corporation   extra

      ProcessName   Id Path                                    Company
      -----------   -- ----                                    -------
      chrome.exe  7344 C:\\Program Files\\Google\\chrome.exe      Google LLC
      """
    let parsed = OutputParser.parse(text)
    #expect(parsed.format == .table)
    let rows = parsed.resultRows
    #expect(rows.count == 5)
    #expect(rows[0].text("Path") == "C:\\Windows\\System32\\lsass.exe")
    #expect(rows[1].text("Id") == "4242")
    #expect(rows[1].text("Path") == "C:\\Users\\Public\\Program Files\\lsass.exe")
    #expect(rows[1].text("Company") == "Unknown, Inc. (copy)")
    #expect(rows[2] == ResultRow(columns: rows[0].columns, values: ["short", "", "", ""]))
    #expect(rows[3].text("Company") == "Microsoft   Corporation   extra")
    #expect(rows[4].text("ProcessName") == "chrome.exe")
    #expect(rows[0].columns == ["ProcessName", "Id", "Path", "Company"])
  }

  /// A row whose later columns are empty ends inside a gap: what overflows the last non-empty
  /// column's dashes (a date and a time) stays that column's value.
  @Test func aRowEndingInAGapKeepsTheOverflowInItsColumn() {
    let text = """

      ProcessName  Id StartedUtc           Path
      -----------  -- ----------           ----
      System        4 2026-01-05 07:58:01Z
      lsass.exe   868 2026-01-05 07:58:03Z C:\\Windows\\System32\\lsass.exe

      """
    let parsed = OutputParser.parse(text)
    #expect(parsed.format == .table)
    #expect(
      parsed.rows.first
        == row([
          "ProcessName": "System", "Id": "4", "StartedUtc": "2026-01-05 07:58:01Z", "Path": "",
        ]))
    #expect(
      parsed.rows.last
        == row([
          "ProcessName": "lsass.exe", "Id": "868", "StartedUtc": "2026-01-05 07:58:03Z",
          "Path": "C:\\Windows\\System32\\lsass.exe",
        ]))
  }

  @Test func formatListBlocksWithContinuationLines() {
    let text = """

      Algorithm : SHA256
      Hash      : 0A1B
      Path      : C:\\Users\\Public\\evil.exe

      Name        : Updater
      Command     : C:\\Users\\Public\\updater.exe --run
                    --hidden
      Empty       :
      """
    let parsed = OutputParser.parse(text)
    #expect(parsed.format == .list)
    #expect(
      parsed.rows == [
        row(["Algorithm": "SHA256", "Hash": "0A1B", "Path": "C:\\Users\\Public\\evil.exe"]),
        row([
          "Name": "Updater", "Command": "C:\\Users\\Public\\updater.exe --run\n--hidden",
          "Empty": "",
        ]),
      ])
    #expect(parsed.columns == ["Algorithm", "Hash", "Path", "Name", "Command", "Empty"])
  }

  @Test func csvWithQuotedCommasQuotesAndLineBreaks() {
    let text =
      "#TYPE System.Diagnostics.Process\r\n\"Name\",\"Id\",\"Note\"\r\n"
      + "\"a,b\",\"1\",\"say \"\"hi\"\"\"\r\n\"multi\",\"2\",\"line one\nline two\"\r\nplain,3,\r\n"
    let parsed = OutputParser.parse(text)
    #expect(parsed.format == .csv)
    #expect(
      parsed.rows == [
        row(["Name": "a,b", "Id": "1", "Note": "say \"hi\""]),
        row(["Name": "multi", "Id": "2", "Note": "line one\nline two"]),
        row(["Name": "plain", "Id": "3", "Note": ""]),
      ])
  }

  @Test func raggedCSVIsTextUnlessDeclared() {
    let text = "location,name\n/etc/cron.d/backup,backup,extra\n/etc/rc.local\n"
    #expect(OutputParser.parse(text) == .text())
    let declared = OutputParser.parse(text, declared: .csv)
    #expect(declared.format == .csv)
    #expect(
      declared.rows == [
        row(["location": "/etc/cron.d/backup", "name": "backup", "Column3": "extra"]),
        row(["location": "/etc/rc.local", "name": "", "Column3": ""]),
      ])
  }

  @Test func jsonKeepsItsTypesAndOrder() {
    let array = OutputParser.parse(#"[{"b": 1, "a": true, "c": null}, {"b": 2.5, "d": [1]}, 7]"#)
    #expect(array.format == .json)
    #expect(
      array.rows == [
        .object([("b", .number(1)), ("a", .bool(true)), ("c", .null)]),
        .object([("b", .double(2.5)), ("d", .array([.number(1)]))]),
        .object([("value", .number(7))]),
      ])
    #expect(array.columns == ["b", "a", "c", "d", "value"])
    let object = OutputParser.parse("  {\"Name\": \"x\"}\n\u{0}\u{0}")
    #expect(object.rows == [row(["Name": "x"])])
    let lines = OutputParser.parse("{\"n\": 1}\n\n{\"n\": 2}\n")
    #expect(lines.format == .json)
    #expect(lines.rows == [.object([("n", .number(1))]), .object([("n", .number(2))])])
  }

  @Test(arguments: [
    ("{\"Name\": \"x\", ", OutputFormat?.none, true),
    ("{ not json at all }", nil, true),
    ("[+] found 3 items\n[+] done", nil, false),
    ("[1, 2", OutputFormat.json, true),
    ("hello, world", OutputFormat.json, true),
    ("plain text, nothing else\nsecond line", nil, false),
  ])
  func outputThatIsNotJSONStaysText(text: String, declared: OutputFormat?, warns: Bool) {
    let parsed = OutputParser.parse(text, declared: declared)
    #expect(parsed.format == .text)
    #expect(parsed.rows.isEmpty)
    #expect((parsed.warning != nil) == warns)
  }

  @Test func declaredFormatWinsOverDetection() {
    let list = "Name : a\nId   : 1\n"
    #expect(OutputParser.parse(list, declared: .text) == .text())
    #expect(OutputParser.parse(list).format == .list)
    let table = OutputParser.parse("not a table\n", declared: .table)
    #expect(table.format == .text)
    #expect(table.warning == "the output is declared table but is not table; kept as text")
    #expect(OutputParser.parse("", declared: .csv) == ParsedOutput(format: .csv, rows: []))
    #expect(OutputParser.parse("\n\n") == .text())
  }

  @Test func repeatedAndBlankColumnNamesAreMadeUnique() {
    let parsed = OutputParser.parse("a,a,\n1,2,3\n", declared: .csv)
    #expect(parsed.rows == [row(["a": "1", "a_2": "2", "Column3": "3"])])
  }
}

/// A script's summary line before its table or list, and a declared format the output lacks.
@Suite struct PreambleAndFallbackTests {
  @Test func aSummaryLineBeforeATableOrAListIsSkipped() {
    let table = """
      3 of 140 processes on WS-0142 at 2026-01-01 12:00:00Z

         Id ProcessName
         -- -----------
          4 System
      """
    let parsed = OutputParser.parse(table)
    #expect(parsed.format == .table)
    #expect(parsed.rows == [row(["Id": "4", "ProcessName": "System"])])
    let list =
      "1 file hashed on WS-0142\n\nPath : C:\\x.exe\nSize : 12\n\nPath : C:\\y.exe\nSize : 1\n"
    let listed = OutputParser.parse(list, declared: .list)
    #expect(listed.format == .list)
    #expect(listed.warning == nil)
    #expect(listed.rows.count == 2)
  }

  @Test func aDeclaredFormatTheOutputLacksFallsBackToDetectionWithAWarning() {
    let csv = OutputParser.parse("\"Name\",\"Id\"\n\"lsass.exe\",\"868\"\n", declared: .table)
    #expect(csv.format == .csv)
    #expect(csv.rows == [row(["Name": "lsass.exe", "Id": "868"])])
    #expect(csv.warning == "the output is declared table but reads as csv")
  }
}
