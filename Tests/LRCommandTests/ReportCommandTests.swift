import Foundation
import LRTestSupport
import Testing

/// `lr report` on a real run in the lab (a refused device, a failing script and the hostile
/// host's terminal escapes), loaded in a real headless browser (Debian's `chromium`): the page
/// loads without a console message, its table has one row per machine and its timeline one bar
/// per action; the screenshot is kept in `.build/test-artifacts/`.
@Suite(.serialized) struct ReportCommandTests {
  static let statement =
    "on machines [ws-0142, srv-legacy03, ws-broken-09, ws-0143, ws-hostile-13] < run Get-Processes.ps1 >"

  static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }

  func environment(_ dir: URL) -> [String: String] {
    [
      "XDG_STATE_HOME": dir.appendingPathComponent("state").path, "HOME": dir.path,
      "LR_LAB_TIME_SCALE": "600", "LR_RESULTS_DIR": dir.appendingPathComponent("results").path,
    ]
  }

  /// Runs the fan-out and writes its report; returns the report's text and file.
  func writeReport(in dir: URL) async throws -> (html: String, file: URL) {
    let script = dir.appendingPathComponent("fan.lr")
    try Data((Self.statement + "\n").utf8).write(to: script)
    let run = try await LRTestSupport.runLR(
      ["run", script.path, "--lab", "--output", "json"], environment: environment(dir))
    #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
    let file = dir.appendingPathComponent("report.html")
    let report = try await LRTestSupport.runLR(
      ["report", "-o", file.path], environment: environment(dir))
    #expect(report.status == 0, "\(report.stdout)\(report.stderr)")
    #expect(report.stdout.contains("5 machines, 4 actions"), "\(report.stdout)")
    return (try String(contentsOf: file, encoding: .utf8), file)
  }

  @Test(.timeLimit(.minutes(3))) func oneMachineIsCountedInTheSingular() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let script = dir.appendingPathComponent("one.lr")
    try Data("on machine ws-0142 < run Get-Processes.ps1 >\n".utf8).write(to: script)
    let run = try await LRTestSupport.runLR(
      ["run", script.path, "--lab", "--output", "json"], environment: environment(dir))
    #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
    let report = try await LRTestSupport.runLR(
      ["report", "-o", dir.appendingPathComponent("one.html").path],
      environment: environment(dir))
    #expect(report.stdout.hasSuffix(", 1 machine, 1 action\n"), "\(report.stdout)")
  }

  @Test(.timeLimit(.minutes(3))) func reportContentIsEscapedAndComplete() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let (html, _) = try await writeReport(in: dir)
    // The hostile host's escapes and bidi override are shown, never sent raw.
    #expect(!html.contains("\u{1B}"))
    #expect(!html.contains("\u{202E}"))
    #expect(!html.contains("\u{7}"))
    #expect(html.contains("\\u{1b}[31;1mALERT"), "\(html)")
    #expect(html.contains("refused: "))
    // Get-Processes.ps1's table, parsed into rows, stacked per column.
    #expect(html.contains("<h3>ProcessName</h3>"), "\(html)")
    #expect(html.components(separatedBy: "<tr class=\"machine").count - 1 == 5)
    #expect(html.components(separatedBy: "<g class=\"action\"").count - 1 == 4)
    for needle in ["src=", "href=", "url(", "<script"] {
      #expect(!html.lowercased().contains(needle), "\(needle)")
    }
    let unknown = try await LRTestSupport.runLR(
      ["report", "no-such-run", "-o", dir.appendingPathComponent("x.html").path],
      environment: environment(dir))
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("no run no-such-run"), "\(unknown.stderr)")
  }

  @Test(.timeLimit(.minutes(3))) func reportLoadsInHeadlessChromium() async throws {
    guard let chromium = Self.chromium else {
      Issue.record(
        "chromium is not installed: `make deps` installs it (apt-get install chromium)")
      return
    }
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let (_, file) = try await writeReport(in: dir)
    let browser = URL(fileURLWithPath: chromium)
    let common = [
      "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
      "--user-data-dir=" + dir.appendingPathComponent("chromium").path,
      "--enable-logging=stderr", "--v=0",
    ]
    let environment = ["HOME": dir.path]
    let dom = try await LRTestSupport.run(
      browser, common + ["--dump-dom", file.absoluteString], environment: environment)
    #expect(dom.status == 0, "\(dom.stderr)")
    // Console messages (a blocked resource, a script error) are logged as CONSOLE lines.
    let console = dom.stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") }
    #expect(console.isEmpty, "\(console.joined(separator: "\n"))")
    #expect(dom.stdout.components(separatedBy: "<tr class=\"machine").count - 1 == 5)
    #expect(dom.stdout.components(separatedBy: "<g class=\"action\"").count - 1 == 4)
    #expect(dom.stdout.contains("<svg class=\"timeline\""))

    let artifacts = LRTestSupport.packageRoot.appendingPathComponent(".build/test-artifacts")
    try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
    let screenshot = artifacts.appendingPathComponent("run-report.png")
    try? FileManager.default.removeItem(at: screenshot)
    let shot = try await LRTestSupport.run(
      browser,
      common + ["--window-size=1280,1600", "--screenshot=" + screenshot.path, file.absoluteString],
      environment: environment)
    #expect(shot.status == 0, "\(shot.stderr)")
    let png = try Data(contentsOf: screenshot)
    #expect(png.count > 10_000)
    #expect(png.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
  }
}
