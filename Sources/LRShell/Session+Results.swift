import Foundation
import LREngine
import LRLanguage
import LRResults
import LiveResponse

/// Bound results at the prompt: `r`, `r.rows`, `.export r FILE`, `.stack r COLUMN`.
extension Session {
  /// Whether a typed input is a bound result to show rather than statements: a bound name, or a
  /// form no statement has (`$r`, `r.field`, `r where …`).
  func isResultExpression(_ expression: ResultExpression) -> Bool {
    results[expression.name] != nil || expression.dollar || !expression.selectors.isEmpty
  }

  /// Prints an expression's value: a table or the value for people, a `value` event in JSON.
  func showValue(_ expression: ResultExpression) {
    do {
      let value = try value(of: expression)
      switch outputMode {
      case .human:
        output.out(
          ResultValueText.render(value, expression: expression.text, width: configuration.width?()))
      case .json:
        let event = JSONValue.object([
          ("event", .string("value")), ("expression", .string(expression.text)),
          ("value", Self.json(value)),
        ])
        output.out(event.serialized() + "\n")
      }
    } catch {
      _ = fail("\(error)")
    }
  }

  /// The value of an expression over its bound result.
  func value(of expression: ResultExpression) throws -> ResultValue {
    guard let set = results[expression.name] else {
      let names = results.keys.sorted().map { "`\($0)`" }.joined(separator: ", ")
      let running = runningJobs.map { "[\($0.id)]" }.joined(separator: ", ")
      throw ResultValue.Problem(
        "no result is bound to `\(expression.name)`; bind one with "
          + "`let \(expression.name) = on … < … >`"
          + (names.isEmpty ? "" : " (bound: \(names))")
          + (running.isEmpty ? "" : "; \(running) still running: a result is bound when it ends"))
    }
    return try ResultValue.evaluate(
      expression, machines: set.machines, condition: whereCondition)
  }

  /// `r where CONDITION`: the language's condition on each machine's own result (and its rows),
  /// compiled with the session's names; its diagnostics are the error.
  func whereCondition(_ text: String) throws -> (MachineResult) -> Bool {
    let name = "<where>"
    let compiled = Compiler.compileCondition(text, name: name, environment: environment)
    guard let condition = compiled.condition else {
      let sources = [name: SourceFile(name: name, text: text)]
      let formatter = DiagnosticFormatter(sources: sources, colors: configuration.colors)
      throw ResultValue.Problem(
        "the `where` condition does not compile:\n" + formatter.render(compiled.diagnostics))
    }
    let bound = results
    return { $0.matches(condition, results: bound) }
  }

  /// A value as JSON: records as objects (`machine` first), a single value as itself.
  static func json(_ value: ResultValue) -> JSONValue {
    if case .single(let single) = value { return single }
    return .array(ResultTable(value).objects)
  }

  /// `.export r FILE.csv|FILE.json`: written under a temporary name, then renamed.
  func export(_ expression: ResultExpression, to path: String) -> Next {
    let kind = URL(fileURLWithPath: path).pathExtension.lowercased()
    guard kind == "csv" || kind == "json" else {
      return fail(
        "`.export` writes FILE.csv or FILE.json, not '\(Sanitizer.line(path))'")
    }
    let table: ResultTable
    do {
      table = ResultTable(try value(of: expression))
    } catch {
      return fail("\(error)")
    }
    let text = kind == "csv" ? Self.csv(table) : Self.jsonText(table)
    if let problem = Self.saveAtomically(text, to: path) {
      return fail("cannot write \(Sanitizer.line(path)): \(problem)")
    }
    let noun = table.records.count == 1 ? "record" : "records"
    say("wrote \(table.records.count) \(noun) of `\(expression.text)` to \(Sanitizer.line(path))\n")
    return .proceed
  }

  /// Writes the whole file under a temporary name, then renames it (nothing half-written is
  /// left); the reason as a sentence when it cannot.
  static func saveAtomically(_ text: String, to path: String) -> String? {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent().path
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) else {
      return "there is no folder \(Sanitizer.line(folder))"
    }
    guard isFolder.boolValue else { return "\(Sanitizer.line(folder)) is not a folder" }
    guard FileManager.default.isWritableFile(atPath: folder) else {
      return "the folder \(Sanitizer.line(folder)) is not writable"
    }
    do {
      try Data(text.utf8).write(to: url, options: .atomic)
    } catch {
      return Sanitizer.line(error.localizedDescription)
    }
    return nil
  }

  /// The table as CSV (through the one formula-safe writer), a header line first.
  static func csv(_ table: ResultTable) -> String {
    var writer = CSVWriter(header: table.columns)
    for record in table.records { writer.append(record.map(ResultTable.text)) }
    return writer.text
  }

  /// The table as a JSON array of objects, one a line.
  static func jsonText(_ table: ResultTable) -> String {
    let objects = table.objects.map { "  " + $0.serialized() }
    return objects.isEmpty ? "[]\n" : "[\n" + objects.joined(separator: ",\n") + "\n]\n"
  }

  /// `.stack r COLUMN`: each value of a row column (or a per-machine field) with how many
  /// machines have it, least frequent first.
  func stack(_ expression: ResultExpression, column: String) -> Next {
    let machines: [MachineResult]
    do {
      guard case .machines(let found) = try value(of: expression) else {
        return fail(
          "`.stack` counts over a result's machines (`r`, `r.succeeded`), not `\(expression.text)`")
      }
      machines = found
    } catch {
      return fail("\(error)")
    }
    guard let pairs = Self.stackPairs(machines, column: column) else {
      let known = Self.stackColumns(machines)
      return fail(
        "`\(Sanitizer.line(column))` is not a column of `\(expression.text)`; "
          + "columns: \(known.map(Sanitizer.line).joined(separator: ", "))")
    }
    let values = Stacking.count(values: pairs)
    switch outputMode {
    case .human:
      say(StackText.render(values, column: column, width: configuration.width?()))
    case .json:
      let event = JSONValue.object([
        ("event", .string("value")), ("expression", .string(".stack \(expression.text) \(column)")),
        ("value", StackText.json(values)),
      ])
      output.out(event.serialized() + "\n")
    }
    return .proceed
  }

  /// The per-machine fields `.stack` counts besides row columns.
  static let stackFields: [ResultField] = [.exit_code, .status, .ok, .output, .errors, .file]

  /// (machine, value) of a row column (exact name, else ignoring case) or a per-machine field.
  static func stackPairs(_ machines: [MachineResult], column: String)
    -> [(machine: String, value: JSONValue)]?
  {
    let rowColumns = ResultTable(
      .rows(
        machines.flatMap { m in
          m.rows.map { ResultValue.MachineRow(machine: m.machine, row: $0) }
        })
    ).columns.dropFirst()
    let name =
      rowColumns.first { $0 == column }
      ?? rowColumns.first { $0.lowercased() == column.lowercased() }
    if let name {
      return machines.flatMap { m in
        m.rows.compactMap { row in row[name].map { (m.machine, $0) } }
      }
    }
    guard let field = ResultField(rawValue: column.lowercased()), stackFields.contains(field)
    else { return nil }
    return machines.map { ($0.machine, ResultValue.fieldValue(field.rawValue, $0)) }
  }

  /// What `.stack` can count for these machines: row columns, then per-machine fields.
  static func stackColumns(_ machines: [MachineResult]) -> [String] {
    var seen = Set<String>()
    var names: [String] = []
    for m in machines {
      for row in m.rows {
        for (key, _) in row.objectValue ?? [] where seen.insert(key).inserted { names.append(key) }
      }
    }
    return names + stackFields.map(\.rawValue)
  }

  /// Bound names and their row columns, for completion.
  var boundColumns: [String: [String]] {
    results.mapValues { Self.stackColumns($0.machines) }
  }
}
