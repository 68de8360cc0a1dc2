import LiveResponse

/// One machine's part of a bound result (`let r = on … < … >`): how its actions ended, what its
/// last script printed, and that output parsed into rows.
public struct MachineResult: Sendable, Hashable {
  /// The machine's computer name (FQDN as the service lists it).
  public var machine: String
  /// The machine's 40-hex id.
  public var machineID: String
  /// The worst final status of the machine's actions in the statement.
  public var status: ActionStatus
  /// The exit code of the last script run, when a script ran.
  public var exitCode: Int?
  /// Standard output of the last script run (empty when none ran).
  public var output: String
  /// Standard error of the last script run (empty when none ran).
  public var errors: String
  /// Local path of the last file fetched.
  public var file: String?
  /// The last script's output parsed into rows: JSON objects, columns in order.
  public var rows: [JSONValue]

  public init(
    machine: String, machineID: String, status: ActionStatus, exitCode: Int? = nil,
    output: String = "", errors: String = "", file: String? = nil, rows: [JSONValue] = []
  ) {
    self.machine = machine
    self.machineID = machineID
    self.status = status
    self.exitCode = exitCode
    self.output = output
    self.errors = errors
    self.file = file
    self.rows = rows
  }

  /// Whether the machine succeeded: its actions ended `Succeeded` and no script exited non-zero.
  public var succeeded: Bool {
    status == .succeeded && (exitCode ?? 0) == 0
  }

  /// Whether the machine failed: an action ended `Failed`, `TimeOut` or `Cancelled` (a result
  /// that could not be downloaded counts as `Failed`), or a script exited non-zero. A machine
  /// whose action is still `Pending` or `InProgress` has neither succeeded nor failed.
  public var failed: Bool {
    if let code = exitCode, code != 0 { return true }
    return status != .succeeded && status != .pending && status != .inProgress
  }

  /// The value of a per-machine field (`output`, `exit_code`, …), as a condition reads it.
  public func value(of field: String) -> PlanValue? {
    switch ResultField(rawValue: field) {
    case .status?: .string(status.rawValue)
    case .ok?: .bool(status == .succeeded)
    case .exit_code?: exitCode.map { .number($0) }
    case .output?: .string(output)
    case .errors?: .string(errors)
    case .file?: .string(file ?? "")
    case .machine?: .string(machine)
    default: nil
    }
  }

  /// A row's columns as condition values (text, integers, booleans; other JSON as its text).
  public static func columns(of row: JSONValue) -> ResultSet {
    guard case .object(let members) = row else { return [:] }
    var fields: [String: PlanValue] = [:]
    for (name, value) in members where fields[name] == nil {
      fields[name] = PlanValue(json: value)
    }
    return ResultSet(machines: [], fields: fields)
  }
}

extension PlanValue {
  /// A JSON value as a condition reads it: strings and integers as themselves, `null` as empty
  /// text, anything else as its JSON text.
  public init(json: JSONValue) {
    switch json {
    case .string(let s): self = .string(s)
    case .number(let n): self = .number(n)
    case .bool(let b): self = .bool(b)
    case .null: self = .string("")
    default: self = .string(json.serialized())
    }
  }
}
