import LiveResponse

/// Bound results, by binding name (`r` → its ``ResultSet``): what `if`, `${r.output}` and
/// `on $r.failed` read at run time, and what the REPL keeps across inputs.
public typealias ResultValues = [String: ResultSet]

/// A bound statement's result (`let r = on … < … >`): one ``MachineResult`` per machine it ran
/// on, in the order the target resolved, and the fields the language reads from it
/// (`r.output`, `r.failed.count`; see ``value(of:)``).
public struct ResultSet: Sendable, Hashable, ExpressibleByDictionaryLiteral {
  /// Per machine, in the order the statement's target resolved.
  public var machines: [MachineResult]
  /// Field values given explicitly (they win over those computed from ``machines``): a
  /// single row's columns, values computed elsewhere, tests.
  public var fields: [String: PlanValue]

  public init(machines: [MachineResult], fields: [String: PlanValue] = [:]) {
    self.machines = machines
    self.fields = fields
  }

  public init(dictionaryLiteral elements: (String, PlanValue)...) {
    self.init(machines: [], fields: Dictionary(elements) { _, last in last })
  }

  /// A field's value (`output`, `failed.count`); setting it fixes the value.
  public subscript(field: String) -> PlanValue? {
    get { value(of: field) }
    set { fields[field] = newValue }
  }

  /// The machines whose actions succeeded (see ``MachineResult/succeeded``).
  public var succeeded: [MachineResult] { machines.filter(\.succeeded) }
  /// The machines that failed (see ``MachineResult/failed``).
  public var failed: [MachineResult] { machines.filter(\.failed) }

  /// Every row of every machine, each with a `machine` column first.
  public var rows: [JSONValue] {
    machines.flatMap { machine in
      machine.rows.map { row in
        guard case .object(let members) = row else {
          return .object([("machine", .string(machine.machine)), ("value", row)])
        }
        return .object(
          [("machine", .string(machine.machine))] + members.filter { $0.0 != "machine" })
      }
    }
  }

  /// The value of a field path, nil when it has none (it reads as empty text):
  ///
  /// - `status` (the worst), `ok` (all succeeded), `exit_code` (the highest), `output`,
  ///   `errors`, `file` (the first machine's that is not empty), `machine` (the first);
  /// - `count`: the number of machines; `machines`, `succeeded`, `failed`: their computer names,
  ///   joined by `, `; `rows`: the rows as JSON lines, a `machine` column first;
  /// - `machines.count`, `succeeded.count`, `failed.count`, `rows.count`: how many.
  public func value(of path: String) -> PlanValue? {
    if let given = fields[path] { return given }
    let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    if parts.count == 2, parts[1] == ResultField.count.rawValue {
      return list(parts[0]).map { .number($0.count) }
    }
    guard parts.count == 1 else { return nil }
    let field = ResultField(rawValue: path)
    // A set given only as fields (a row's columns, a literal) has no machine aggregates.
    if machines.isEmpty, field.map(ResultField.machineFields.contains) ?? true { return nil }
    switch field {
    case .count?: return .number(machines.count)
    case .rows?: return .string(rows.map { $0.serialized() }.joined(separator: "\n"))
    case .machines?, .succeeded?, .failed?:
      return list(path).map { .string($0.joined(separator: ", ")) }
    case .status?: return .string(worstStatus.rawValue)
    case .ok?: return .bool(!machines.isEmpty && machines.allSatisfy { $0.status == .succeeded })
    case .exit_code?: return machines.compactMap(\.exitCode).max().map { .number($0) }
    case .machine?: return machines.first.map { .string($0.machine) }
    case .output?: return machines.first { !$0.output.isEmpty }.map { .string($0.output) }
    case .errors?: return machines.first { !$0.errors.isEmpty }.map { .string($0.errors) }
    case .file?: return machines.compactMap(\.file).first.map { .string($0) }
    case nil: return nil
    }
  }

  /// The items a list field counts: machine names, or rows (as text).
  func list(_ field: String) -> [String]? {
    switch ResultField(rawValue: field) {
    case .machines?: machines.map(\.machine)
    case .succeeded?: succeeded.map(\.machine)
    case .failed?: failed.map(\.machine)
    case .rows?: rows.map { $0.serialized() }
    default: nil
    }
  }

  /// The worst final status across machines (`Succeeded` when there are none).
  public var worstStatus: ActionStatus {
    machines.map(\.status).max { ResultSet.rank($0) < ResultSet.rank($1) } ?? .succeeded
  }

  /// How bad a final status is, for the worst of several: Succeeded < Cancelled < TimeOut < any
  /// other.
  public static func rank(_ status: ActionStatus) -> Int {
    switch status {
    case .succeeded: 0
    case .cancelled: 1
    case .timeOut: 2
    default: 3
    }
  }
}
