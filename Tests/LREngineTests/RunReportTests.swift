import Foundation
import LiveResponse
import Testing

@testable import LREngine

/// `lr report`'s page: every string a host or the journal provides is escaped, nothing external
/// is referenced, one table row per machine and one timeline bar per action.
@Suite struct RunReportTests {
  static let hostile =
    "<script>alert(1)</script>\u{1B}[31m\u{202E}exe.txt \"quoted\" 'single' &amp;"

  static func report() -> RunReport {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let run = RunRecord(
      id: "20270115T080000-abc123", createdAt: start, sourcePath: "sweep<1>.lr",
      sourceText: "", profile: "lab", tenant: "t\"enant", resultsDirectory: "/tmp",
      state: .finished, finishedAt: start.addingTimeInterval(300), parentRun: "parent<run>")
    let machines = [
      RunReport.MachineRow(
        computerName: "ws-1" + hostile, machineID: "a", status: "Succeeded", exitCodes: [0],
        failure: nil, firstLine: hostile,
        files: [RunReport.SavedFile(path: "/r/" + hostile, size: 3, sha256: "ab")]),
      RunReport.MachineRow(
        computerName: "ws-2", machineID: "b", status: "Failed", exitCodes: [], failure: hostile,
        firstLine: "", files: []),
    ]
    let bars = (0..<3).map { i in
      RunReport.Bar(
        computerName: i == 0 ? hostile : "ws-\(i)", actionID: "id\(i)", status: "Succeeded",
        submitted: start.addingTimeInterval(Double(i) * 40),
        started: start.addingTimeInterval(Double(i) * 40 + 10),
        finished: start.addingTimeInterval(Double(i) * 40 + 30))
    }
    let stacks = [
      RunReport.Stack(
        column: "Process" + hostile,
        values: [
          Stacking.Value(value: hostile, count: 1, occurrences: 1, machines: ["ws-1" + hostile]),
          Stacking.Value(
            value: "svchost.exe", count: 2, occurrences: 9, machines: ["ws-1", "ws-2"]),
        ])
    ]
    return RunReport(
      run: run, machines: machines, bars: bars, stacks: stacks, submissionsPerMinute: 10,
      actionCount: 3, finishedCount: 3)
  }

  @Test func everyHostStringIsEscaped() {
    let html = Self.report().html()
    #expect(!html.contains("<script"))
    #expect(!html.contains("\u{1B}"))
    #expect(!html.contains("\u{202E}"))
    #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;\\u{1b}[31m\\u{202e}exe.txt"))
    #expect(html.contains("&quot;quoted&quot; &#39;single&#39; &amp;amp;"))
    #expect(html.contains("sweep&lt;1&gt;.lr"))
    #expect(html.contains("parent&lt;run&gt;"))
    // Nothing is fetched and nothing runs.
    for needle in ["src=", "href=", "url(", "@import", "<script", "javascript:"] {
      #expect(!html.lowercased().contains(needle), "\(needle)")
    }
  }

  @Test func oneRowPerMachineOneBarPerActionRareValuesFirst() throws {
    let html = Self.report().html()
    #expect(html.components(separatedBy: "<tr class=\"machine").count - 1 == 2)
    #expect(html.components(separatedBy: "<g class=\"action\"").count - 1 == 3)
    #expect(html.contains("class=\"budget-limit\""))
    let rare = try #require(html.range(of: "exe.txt &quot;quoted"))
    let common = try #require(html.range(of: "svchost.exe"))
    #expect(rare.lowerBound < common.lowerBound)
  }

  @Test func aColumnListsItsRarestValuesOnly() {
    var report = Self.report()
    report.stacks = [
      RunReport.Stack(
        column: "Id",
        values: (1...40).map {
          Stacking.Value(value: "v\($0)", count: $0, occurrences: $0, machines: ["ws-1"])
        })
    ]
    let html = report.html()
    #expect(html.contains(">v25<"))
    #expect(!html.contains(">v26<"))
    #expect(html.contains("and 15 more values"))
  }

  @Test func htmlTextEscapesControlsAndBidi() {
    #expect(HTMLText.escape("a<b>&\"'") == "a&lt;b&gt;&amp;&quot;&#39;")
    #expect(
      HTMLText.escape("x\u{0}\u{7}\u{9B}\u{200B}\u{2066}\u{FEFF}y")
        == "x\\u{0}\\u{7}\\u{9b}\\u{200b}\\u{2066}\\u{feff}y")
    #expect(HTMLText.escape("line\nnext\tcell é 漢") == "line\nnext\tcell é 漢")
  }
}
