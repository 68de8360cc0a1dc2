import LRLanguage
import LiveResponse

/// What a ``ResultExpression`` evaluates to: a per-machine table (`r`, `r.failed`), parsed rows
/// with their machine (`r.rows`), one value per machine (`r.output` on several machines) or a
/// single value (`r.count`, `r.machines`, `r.output` on one machine).
public enum ResultValue: Sendable, Equatable {
  case machines([MachineResult])
  case rows([MachineRow])
  case perMachine(field: String, [MachineValue])
  case single(JSONValue)

  /// One parsed row and the machine it came from.
  public struct MachineRow: Sendable, Equatable {
    public var machine: String
    public var row: JSONValue
  }

  /// One field's value on one machine.
  public struct MachineValue: Sendable, Equatable {
    public var machine: String
    public var value: JSONValue
  }

  /// Why an expression has no value; `description` is the sentence to print.
  public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
  }

  /// Compiles a `where` condition's text into a test of one machine's result (throws
  /// ``Problem`` when it does not compile).
  public typealias Condition = (String) throws -> (MachineResult) -> Bool

  /// Evaluates `expression` over the machines of its bound result.
  public static func evaluate(
    _ expression: ResultExpression, machines: [MachineResult], condition: Condition? = nil
  ) throws -> ResultValue {
    var current = machines
    for (i, selector) in expression.selectors.enumerated() {
      switch selector {
      case .condition(let text):
        guard let condition else {
          throw Problem("`where` conditions are not available in the REPL yet")
        }
        let matches = try condition(text)
        current = current.filter(matches)
      case .field(ResultField.failed.rawValue): current = current.filter(\.failed)
      case .field(ResultField.succeeded.rawValue): current = current.filter(\.succeeded)
      case .field(let field):
        guard ResultExpression.fields.contains(field) else {
          let close = Suggestions.closest(to: field, in: ResultExpression.fields)
          throw Problem(
            "a result has no field `\(field)`"
              + (close.map { "; did you mean `\($0)`?" } ?? "")
              + " (fields: \(ResultExpression.fields.joined(separator: ", ")))")
        }
        guard i == expression.selectors.count - 1 else {
          let rest = expression.selectors.dropFirst(i + 1)
          if let count = setCount(field, of: current, rest: rest) { return count }
          throw Problem("`\(field)` is a value: nothing can follow it in `\(expression.text)`")
        }
        return value(field, of: current)
      }
    }
    return .machines(current)
  }

  /// `r.rows.count`, `r.failed.machines.count`: how many, as the language's `.count` on a set
  /// says; nil for anything else.
  static func setCount(
    _ field: String, of machines: [MachineResult], rest: ArraySlice<ResultExpression.Selector>
  ) -> ResultValue? {
    guard rest.count == 1, rest.first == .field(ResultField.count.rawValue) else { return nil }
    switch ResultField(rawValue: field) {
    case .rows?: return .single(.number(machines.reduce(0) { $0 + $1.rows.count }))
    case .machines?: return .single(.number(machines.count))
    default: return nil
    }
  }

  /// The value of a field over some machines.
  static func value(_ field: String, of machines: [MachineResult]) -> ResultValue {
    switch ResultField(rawValue: field) {
    case .count?: return .single(.number(machines.count))
    case .machines?: return .single(.array(machines.map { .string($0.machine) }))
    case .rows?:
      return .rows(machines.flatMap { m in m.rows.map { MachineRow(machine: m.machine, row: $0) } })
    default:
      let values = machines.map { MachineValue(machine: $0.machine, value: fieldValue(field, $0)) }
      if values.count == 1, let only = values.first { return .single(only.value) }
      return .perMachine(field: field, values)
    }
  }

  /// One machine's value of a per-machine field (`null` where it has none).
  static func fieldValue(_ field: String, _ m: MachineResult) -> JSONValue {
    switch ResultField(rawValue: field) {
    case .output?: .string(m.output)
    case .errors?: .string(m.errors)
    case .exit_code?: m.exitCode.map { .number($0) } ?? .null
    case .status?: .string(m.status.rawValue)
    case .ok?: .bool(m.succeeded)
    case .file?: m.file.map { .string($0) } ?? .null
    case .machine?: .string(m.machine)
    default: field == "machine_id" ? .string(m.machineID) : .null
    }
  }
}
