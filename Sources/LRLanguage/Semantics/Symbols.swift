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

/// The fields a bound result has (`r.exit_code`), with what each holds.
public enum ResultField: String, Sendable, CaseIterable {
  // swift-format-ignore: AlwaysUseLowerCamelCase
  // The field names are the language's (`r.exit_code`, like the transcript's `exit_code`).
  case status, ok, exit_code, output, errors, file, machine

  public var summary: String {
    switch self {
    case .status: "action status: Succeeded, Failed, TimeOut or Cancelled"
    case .ok: "true when the action succeeded on every machine"
    case .exit_code: "exit code of the last script run (highest across machines)"
    case .output: "standard output of the last script run"
    case .errors: "standard error of the last script run"
    case .file: "local path of the last file fetched"
    case .machine: "the machine's computer name"
    }
  }
}
