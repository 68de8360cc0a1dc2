import Foundation

extension RunReport {
  /// The run's timeline as inline SVG: per minute, the actions submitted against the
  /// per-minute submission limit (a band above the limit), then one bar per action from
  /// submitted (queued, light) through started to finished (coloured by its status).
  func timelineSVG() -> String {
    guard let start = bars.map(\.submitted).min() else {
      return "<p>No action of this run reached the service.</p>"
    }
    let end = bars.map { $0.finished ?? $0.started ?? $0.submitted }.max() ?? start
    // At least a minute wide, so that a minute of the submission budget fits.
    let scale = TimelineScale(
      start: start, end: max(end, start.addingTimeInterval(60)), left: 230, width: 640)
    let budgetHeight = 70.0
    let rowHeight = 16.0
    let top = 30.0 + budgetHeight + 20
    let height = top + Double(bars.count) * rowHeight + 10
    var svg = """
      <svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="\(scale.left + scale.width + 20)" \
      height="\(Int(height))" role="img" aria-label="timeline of the run's actions">

      """
    svg += budgetStrip(scale: scale, top: 20, height: budgetHeight)
    svg += axis(scale: scale, top: top - 6, bottom: height - 6)
    for (index, bar) in bars.enumerated() {
      svg += barSVG(bar, scale: scale, y: top + Double(index) * rowHeight, height: rowHeight - 4)
    }
    return svg + "</svg>"
  }

  /// Submissions per minute as columns, the limit as a line with a band above it.
  func budgetStrip(scale: TimelineScale, top: Double, height: Double) -> String {
    let minutes = max(1, Int((scale.span / 60).rounded(.up)))
    var counts = [Int](repeating: 0, count: minutes)
    for bar in bars {
      let minute = min(minutes - 1, Int(bar.submitted.timeIntervalSince(scale.start) / 60))
      counts[minute] += 1
    }
    let ceiling = Double(max(submissionsPerMinute, counts.max() ?? 0, 1)) * 1.25
    let limitY = top + height - height * Double(submissionsPerMinute) / ceiling
    var svg = """
      <text x="4" y="\(Int(top + height))" font-size="11">submitted per minute</text>
      <rect class="budget-band" x="\(scale.left)" y="\(top)" width="\(scale.width)" \
      height="\(limitY - top)" fill="#cf222e" fill-opacity="0.08"/>
      <line class="budget-limit" x1="\(scale.left)" x2="\(scale.left + scale.width)" \
      y1="\(limitY)" y2="\(limitY)" stroke="#cf222e" stroke-dasharray="4 3"/>
      <text x="4" y="\(Int(limitY + 4))" font-size="11" fill="#cf222e">limit \(submissionsPerMinute)/min</text>

      """
    for (minute, count) in counts.enumerated() where count > 0 {
      let x = scale.x(scale.start.addingTimeInterval(Double(minute) * 60))
      let x2 = scale.x(scale.start.addingTimeInterval(Double(minute + 1) * 60))
      let h = height * Double(count) / ceiling
      svg += """
        <rect class="submitted-minute" x="\(x)" y="\(top + height - h)" \
        width="\(max(1, x2 - x - 1))" height="\(h)" fill="#0969da" fill-opacity="0.6">\
        <title>minute \(minute + 1): \(count) submitted</title></rect>

        """
    }
    return svg
  }

  /// Minute ticks down the chart.
  func axis(scale: TimelineScale, top: Double, bottom: Double) -> String {
    let minutes = Int(scale.span / 60)
    let step = max(1, minutes / 10)
    var svg = ""
    for minute in stride(from: 0, through: minutes, by: step) {
      let x = scale.x(scale.start.addingTimeInterval(Double(minute) * 60))
      svg += """
        <line x1="\(x)" x2="\(x)" y1="\(top)" y2="\(bottom)" stroke="#ddd"/>\
        <text x="\(x + 2)" y="\(top)" font-size="10" fill="#666">+\(minute)m</text>

        """
    }
    return svg
  }

  /// One action: its machine's name, a queued segment and a running segment.
  func barSVG(_ bar: Bar, scale: TimelineScale, y: Double, height: Double) -> String {
    let colour =
      switch bar.status {
      case "Succeeded": "#1a7f37"
      case "Pending", "InProgress": "#9a6700"
      default: "#cf222e"
      }
    let submitted = scale.x(bar.submitted)
    let started = bar.started.map(scale.x) ?? submitted
    let finished = max(started + 2, scale.x(bar.finished ?? bar.started ?? bar.submitted))
    let name = HTMLText.escape(bar.computerName)
    let format = ISO8601DateFormatter()
    let times = [
      ("submitted", bar.submitted), ("started", bar.started), ("finished", bar.finished),
    ]
    .compactMap { label, date in date.map { "\(label) \(format.string(from: $0))" } }
    return """
      <g class="action" data-status="\(HTMLText.escape(bar.status))">\
      <title>\(name) \(HTMLText.escape(bar.actionID ?? "")) \(HTMLText.escape(bar.status)): \
      \(times.joined(separator: ", "))</title>\
      <text x="4" y="\(y + height - 2)" font-size="11">\(name)</text>\
      <rect class="queued" x="\(submitted)" y="\(y)" width="\(max(0, started - submitted))" \
      height="\(height)" fill="#bbb"/>\
      <rect class="running" x="\(started)" y="\(y)" width="\(finished - started)" \
      height="\(height)" fill="\(colour)"/></g>

      """
  }
}

/// Maps the run's times onto the chart's x axis.
struct TimelineScale {
  var start: Date
  var span: TimeInterval
  var left: Double
  var width: Double

  init(start: Date, end: Date, left: Double, width: Double) {
    self.start = start
    self.span = max(end.timeIntervalSince(start), 1)
    self.left = left
    self.width = width
  }

  /// The x of a time, rounded to a tenth of a pixel.
  func x(_ date: Date) -> Double {
    ((left + width * date.timeIntervalSince(start) / span) * 10).rounded() / 10
  }
}
