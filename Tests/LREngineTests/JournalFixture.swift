import Foundation
import GRDB
import LRTestSupport

@testable import LREngine

/// A journal with one finished run over three machines, written through the journal's own API
/// (runs, targets, actions, commands) and migration v5's tables (results, parsed rows): each
/// machine ran `Get-Processes.ps1` (parsed rows) then a GetFile in a second request.
enum JournalFixture {
  static let runID = "run-fixture"
  static let machines = [("ws-1", "m1"), ("ws-2", "m2"), ("ws-3", "m3")]
  /// The process names each machine printed (`odd.exe` only on ws-3, a formula on ws-2).
  static let processes = [
    "ws-1": ["lsass.exe", "svchost.exe"],
    "ws-2": ["lsass.exe", "svchost.exe", "=cmd|' /C calc'!A0"],
    "ws-3": ["lsass.exe", "svchost.exe", "svchost.exe", "odd.exe"],
  ]

  static func make(at url: URL) throws {
    let journal = try Journal(url: url)
    let created = Date(timeIntervalSince1970: 1_800_000_000)
    try journal.create(
      RunRecord(
        id: runID, createdAt: created, sourcePath: "sweep.lr", sourceText: "…", profile: "lab",
        tenant: "lab", resultsDirectory: "results", who: "analyst"))
    try journal.record(
      machines.enumerated().map {
        TargetRecord(runID: runID, statement: 1, machineID: $1.1, computerName: $1.0, position: $0)
      })
    for (index, (name, id)) in machines.enumerated() {
      try record(machine: name, id: id, sequence: index, journal: journal, at: created)
    }
    try journal.finish(run: runID, state: .finished, at: created.addingTimeInterval(60))
  }

  static func record(
    machine name: String, id: String, sequence: Int, journal: Journal, at time: Date
  ) throws {
    let script = """
      {"Commands":[{"type":"RunScript","params":[{"key":"ScriptName","value":"Get-Processes.ps1"}]}],"Comment":"x"}
      """
    let get = """
      {"Commands":[{"type":"GetFile","params":[{"key":"Path","value":"C:\\\\hosts"}]}],"Comment":"y"}
      """
    for (request, body) in [script, get].enumerated() {
      let action = try journal.plan(
        ActionRecord(
          runID: runID, statement: 1, requestIndex: request, machineID: id, computerName: name,
          token: "tok-\(sequence)-\(request)", body: body, now: time))
      guard let row = action.id else { throw FixtureError("no action row") }
      try journal.update(
        action: row, state: .terminal, actionID: "act-\(name)-\(request)", status: "Succeeded")
      let isScript = request == 0
      try journal.record(
        CommandRecord(
          actionRow: row, commandIndex: 0, type: isScript ? "RunScript" : "GetFile",
          status: "Completed", exitCode: isScript ? (name == "ws-3" ? 1 : 0) : nil,
          resultPath: "results/\(name)/\(request + 1)", resultSize: 10,
          resultSHA256: String(repeating: name == "ws-1" ? "a" : "b", count: 64)))
      try journal.pool.write { db in
        try db.execute(
          sql: """
            INSERT INTO commandResult (actionRow, commandIndex, runID, type, output, errors,
              exitCode, format, finishedAt) VALUES (?, 0, ?, ?, ?, ?, ?, 'table', ?)
            """,
          arguments: [
            row, runID, isScript ? "RunScript" : "GetFile",
            isScript ? "\u{1B}[31mred\u{1B}[0m" : nil,
            "", isScript ? (name == "ws-3" ? 1 : 0) : nil, time,
          ])
        let rows: [String] =
          isScript
          ? (processes[name] ?? []).map { "{\"ProcessName\":\(JSONString($0)),\"Id\":4}" }
          : ["{\"path\":\"C:\\\\hosts\",\"size\":10}"]
        for (n, data) in rows.enumerated() {
          try db.execute(
            sql: """
              INSERT INTO resultRow (runID, actionRow, machineID, computerName, commandIndex, n, data)
              VALUES (?, ?, ?, ?, 0, ?, ?)
              """, arguments: [runID, row, id, name, n, data])
        }
      }
    }
  }

  /// A JSON string literal.
  static func JSONString(_ text: String) -> String {
    "\""
      + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
        of: "\"", with: "\\\"") + "\""
  }
}
