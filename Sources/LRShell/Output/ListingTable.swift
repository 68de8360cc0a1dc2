import LRLanguage

/// Plain aligned tables for `.machines`, `.library`, `.actions`, `.jobs` and `.results`; every
/// cell sanitized.
enum ListingTable {
  /// Columns padded to their widest cell; the header first.
  static func table(_ header: [String], _ rows: [[String]]) -> String {
    let all = [header] + rows.map { $0.map(Sanitizer.line) }
    var widths = [Int](repeating: 0, count: header.count)
    for row in all {
      for (i, cell) in row.enumerated() where i < widths.count {
        widths[i] = max(widths[i], cell.count)
      }
    }
    var out = ""
    for row in all {
      var line = ""
      for (i, cell) in row.enumerated() {
        line +=
          i == row.count - 1
          ? cell : cell + String(repeating: " ", count: widths[i] - cell.count + 2)
      }
      out += line + "\n"
    }
    return out
  }

  static func machines(_ machines: [MachineRecord]) -> String {
    guard !machines.isEmpty else { return "(no machines)\n" }
    return table(
      ["NAME", "OS", "HEALTH", "TAGS", "ID"],
      machines.map {
        [
          $0.name, $0.osPlatform ?? "", $0.healthStatus ?? "", $0.tags.joined(separator: ","),
          $0.id,
        ]
      })
  }

  static func library(_ files: [LibraryRecord]) -> String {
    guard !files.isEmpty else { return "(the library is empty)\n" }
    return table(
      ["FILE", "PARAMETERS", "DESCRIPTION"],
      files.map { [$0.fileName, $0.hasParameters ? "yes" : "no", $0.description ?? ""] })
  }

  static func actions(_ actions: [ActionRecord]) -> String {
    guard !actions.isEmpty else { return "(no actions)\n" }
    return table(
      ["ACTION", "MACHINE", "STATUS", "CREATED", "COMMENT"],
      actions.map { [$0.id, $0.machine, $0.status, $0.created ?? "", $0.comment ?? ""] })
  }

  static func jobs(_ jobs: [Job]) -> String {
    guard !jobs.isEmpty else { return "(no statements yet)\n" }
    return table(
      ["JOB", "STATE", "RESULTS", "INPUT"],
      jobs.map { ["[\($0.id)]", state($0.state), String($0.results.count), $0.title] })
  }

  static func results(_ job: Job) -> String {
    guard !job.results.isEmpty else {
      return "[\(job.id)] \(state(job.state)): no command results\n"
    }
    return table(
      ["MACHINE", "#", "COMMAND", "RESULT"],
      job.results.map {
        [$0.machine.name, String($0.command.index + 1), $0.command.summary, brief($0.result)]
      })
      + "(`.show \(job.id) N` prints a result in full)\n"
  }

  static func state(_ state: Job.State) -> String {
    switch state {
    case .running: "running"
    case .finished(.succeeded): "done"
    case .finished(.failed): "failed"
    case .finished(.cancelled): "cancelled"
    case .finished(.queued): "queued"
    case .finished(.previewed): "previewed"
    }
  }

  static func brief(_ result: ShellEvent.CommandResult) -> String {
    switch result {
    case .script(let exitCode, let output, _):
      let lines = output.split(separator: UInt8(ascii: "\n")).count
      return "exit \(exitCode), \(lines) output line\(lines == 1 ? "" : "s")"
    case .file(let path, let size, _): return "\(path) (\(size) bytes)"
    case .put: return "put"
    case .failed(let reason): return "failed: \(reason)"
    }
  }
}
