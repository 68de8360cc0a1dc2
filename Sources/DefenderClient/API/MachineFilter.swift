import Foundation

/// The `$filter` texts lr sends to `GET /api/machines` to read only the machines a run targets,
/// in the properties and functions the service documents for it (`computerDnsName`, `id`,
/// `startswith`, `eq`, `or`).
public enum MachineFilter {
  /// The machines a list of names may denote: by FQDN, by short name (the FQDN's first label:
  /// `startswith(computerDnsName,'ws-0142.')`) and, for 40-hex names, by id.
  public static func names(_ names: [String]) -> String {
    names.map { name in
      let lower = name.lowercased()
      var terms = ["computerDnsName eq \(quoted(lower))"]
      if !lower.contains(".") { terms.append("startswith(computerDnsName,\(quoted(lower + ".")))") }
      if isMachineID(lower) { terms.append("id eq \(quoted(lower))") }
      return terms.joined(separator: " or ")
    }.joined(separator: " or ")
  }

  /// The machines with one of these computer names (a potential duplicate device shares one).
  public static func computerNames(_ names: [String]) -> String {
    names.map { "computerDnsName eq \(quoted($0.lowercased()))" }.joined(separator: " or ")
  }

  /// The machines with one of these ids.
  public static func ids(_ ids: [String]) -> String {
    ids.map { "id eq \(quoted($0.lowercased()))" }.joined(separator: " or ")
  }

  /// The machines whose computer name starts with `prefix`.
  public static func startsWith(_ prefix: String) -> String {
    "startswith(computerDnsName,\(quoted(prefix.lowercased())))"
  }

  /// A string literal: single quotes, an inner quote doubled.
  public static func quoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
  }

  /// Whether `text` has the shape of a machine id (40 hexadecimal digits).
  static func isMachineID(_ text: String) -> Bool {
    text.count == 40 && text.allSatisfy(\.isHexDigit)
  }
}
