import Foundation

extension RunReport {
  /// The report as one self-contained HTML page: inline CSS and SVG, no scripts, no external
  /// resources; every string from a host or the journal escaped (``HTMLText``).
  public func html() -> String {
    let title = "lr run \(HTMLText.escape(run.id))"
    return """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
      <title>\(title)</title>
      <style>\(RunReport.css)</style>
      </head>
      <body>
      <h1>\(title)</h1>
      \(summaryHTML())
      <h2>Machines</h2>
      \(machinesHTML())
      <h2>Timeline</h2>
      \(timelineSVG())
      <h2>Stacked values</h2>
      \(stacksHTML())
      </body>
      </html>

      """
  }

  static let css = """
    body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
    table{border-collapse:collapse;margin:.5em 0 1.5em}
    th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
    th{background:#f3f3f3}
    td.mono,code{font-family:ui-monospace,monospace;font-size:12px;white-space:pre-wrap;word-break:break-all}
    tr.failed td{background:#fff1f0}
    .Succeeded{color:#1a7f37}.Failed,.refused,.TimeOut,.Cancelled{color:#cf222e}
    dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:600}
    """

  func summaryHTML() -> String {
    let failed = machines.filter { $0.failure != nil }.count
    let format = ISO8601DateFormatter()
    var items: [(String, String)] = [
      ("Source", run.sourcePath),
      ("Who", (run.who.map { "\($0), " } ?? "") + "profile \(run.profile), tenant \(run.tenant)"),
      ("Started", format.string(from: run.createdAt)),
      ("Finished", run.finishedAt.map { format.string(from: $0) } ?? "not finished"),
      ("State", run.state.rawValue),
      ("Machines", "\(machines.count) (\(machines.count - failed) ok, \(failed) failed)"),
      ("Actions", "\(finishedCount) of \(actionCount) finished"),
    ]
    if let parent = run.parentRun { items.append(("Rerun of", parent)) }
    let rows = items.map { "<dt>\($0.0)</dt><dd>\(HTMLText.escape($0.1))</dd>" }
    return "<dl class=\"summary\">" + rows.joined(separator: "\n") + "</dl>"
  }

  func machinesHTML() -> String {
    var html = """
      <table class="machines"><thead><tr><th>Machine</th><th>Status</th><th>Exit code</th>\
      <th>Failure</th><th>Output (first line)</th><th>Saved files (SHA-256)</th></tr></thead><tbody>

      """
    for machine in machines {
      let files = machine.files.map { file in
        let size = file.size.map { " (\($0) bytes)" } ?? ""
        return "<code>\(HTMLText.escape(file.path))\(size)<br>\(file.sha256 ?? "")</code>"
      }.joined(separator: "<br>")
      html += """
        <tr class="machine\(machine.failure == nil ? "" : " failed")">\
        <td>\(HTMLText.escape(machine.computerName))</td>\
        <td class="\(HTMLText.escape(machine.status))">\(HTMLText.escape(machine.status))</td>\
        <td>\(machine.exitCodes.map(String.init).joined(separator: ", "))</td>\
        <td class="mono">\(HTMLText.escape(machine.failure ?? ""))</td>\
        <td class="mono">\(HTMLText.escape(machine.firstLine))</td><td>\(files)</td></tr>

        """
    }
    return html + "</tbody></table>"
  }

  /// How many values of a column the page lists (the least frequent).
  static let stackLimit = 25

  func stacksHTML() -> String {
    guard !stacks.isEmpty else { return "<p>No parsed rows in this run.</p>" }
    return stacks.map { stack in
      var rows = stack.values.prefix(RunReport.stackLimit).map { entry in
        "<tr><td>\(entry.count)</td><td class=\"mono\">\(HTMLText.escape(entry.value))</td>"
          + "<td>\(HTMLText.escape(entry.machines.joined(separator: ", ")))</td></tr>"
      }
      if stack.values.count > RunReport.stackLimit {
        rows.append(
          "<tr class=\"more\"><td colspan=\"3\">and \(stack.values.count - RunReport.stackLimit) "
            + "more values (`lr stack` lists them all)</td></tr>")
      }
      return "<h3>\(HTMLText.escape(stack.column))</h3>\n<table class=\"stack\"><thead><tr>"
        + "<th>Machines</th><th>Value</th><th>Which</th></tr></thead><tbody>\n"
        + rows.joined(separator: "\n") + "\n</tbody></table>"
    }.joined(separator: "\n")
  }
}
