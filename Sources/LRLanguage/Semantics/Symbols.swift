/// A name the program defines: a procedure, variable, parameter or imported module.
public struct Symbol: Sendable, Hashable {
  public enum Kind: String, Sendable {
    case procedure, variable, result, target, parameter, module
  }
  public var kind: Kind
  public var name: String
  public var file: String
  /// The range of the defining name.
  public var range: ByteRange
  /// The whole definition (for document symbols).
  public var fullRange: ByteRange
  public var documentation: String?
  /// Procedure parameters.
  public var parameters: [String]
  /// A short description of the value (for hover): `"lsass"`, `tag "finance"`, `result of on …`.
  public var detail: String?
}

/// A use of a symbol at some range.
public struct SymbolReference: Sendable, Hashable {
  public var file: String
  public var range: ByteRange
  public var symbol: Symbol
}

/// The fields a bound result has (`r.exit_code`, `r.failed`), with what each holds.
public enum ResultField: String, Sendable, CaseIterable {
  // swift-format-ignore: AlwaysUseLowerCamelCase
  // The field names are the language's (`r.exit_code`, like the transcript's `exit_code`).
  case status, ok, exit_code, output, errors, file, machine
  case count, machines, rows, succeeded, failed

  /// The fields each machine's own result has (what a `where` condition reads).
  public static let machineFields: [ResultField] = [
    .status, .ok, .exit_code, .output, .errors, .file, .machine,
  ]

  /// Whether `.count` may follow the field (`r.failed.count`).
  public var isList: Bool { [.machines, .rows, .succeeded, .failed].contains(self) }

  /// Whether the field is a set of machines, usable as a target (`on $r.failed < … >`).
  public var isMachineSet: Bool { [.machines, .succeeded, .failed].contains(self) }

  public var summary: String {
    switch self {
    case .status: "action status: Succeeded, Failed, TimeOut or Cancelled"
    case .ok: "true when the action succeeded on every machine"
    case .exit_code: "exit code of the last script run (highest across machines)"
    case .output: "standard output of the last script run"
    case .errors: "standard error of the last script run"
    case .file: "local path of the last file fetched"
    case .machine: "the machine's computer name (the first, for several)"
    case .count: "the number of machines the statement ran on"
    case .machines:
      "the machines it ran on (names joined by `, `; a target: `on $r.machines`; `.count`)"
    case .rows: "the rows parsed from each machine's output, a `machine` column first (`.count`)"
    case .succeeded:
      "the machines whose actions succeeded (names; a target: `on $r.succeeded`; `.count`)"
    case .failed:
      "the machines whose action failed, timed out or was cancelled, or whose script exited non-zero (names; a target: `on $r.failed`; `.count`)"
    }
  }
}
