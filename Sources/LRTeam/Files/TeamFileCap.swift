import Foundation

/// The largest saved file a team stores in its database (docs/team.md, "Saved files"): 512 MiB
/// unless `LR_TEAM_FILE_CAP` says otherwise (bytes, or with `K`, `M`, `G`, `KiB`, `MiB`, `GiB`;
/// `0` stores no file). A larger file stays on the disk of the host that saved it, and the
/// database records why it was not stored.
public struct TeamFileCap: Sendable, Equatable {
  /// The default: 512 MiB (GetFile's own limit is 3 GB).
  public static let standard = TeamFileCap(bytes: 512 << 20)

  /// The cap in bytes.
  public var bytes: Int64

  public init(bytes: Int64) { self.bytes = bytes }

  /// `LR_TEAM_FILE_CAP`, else the default; a value that is not a size is the default and `why`.
  public static func resolve(_ environment: [String: String]) -> (cap: TeamFileCap, why: String?) {
    guard let text = environment["LR_TEAM_FILE_CAP"], !text.isEmpty else { return (standard, nil) }
    guard let bytes = parse(text) else {
      return (standard, "LR_TEAM_FILE_CAP=\(text) is not a size (e.g. 512MiB); 512 MiB applies")
    }
    return (TeamFileCap(bytes: bytes), nil)
  }

  /// `123`, `64K`, `512M`, `2G` (or `KiB`, `MiB`, `GiB`, any case): bytes; nil otherwise.
  static func parse(_ text: String) -> Int64? {
    let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
    let units: [(String, Int64)] = [
      ("kib", 1 << 10), ("mib", 1 << 20), ("gib", 1 << 30), ("k", 1 << 10), ("m", 1 << 20),
      ("g", 1 << 30), ("b", 1),
    ]
    for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
      let number = trimmed.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)
      guard let value = Int64(number), value >= 0 else { return nil }
      return value.multipliedReportingOverflow(by: factor).overflow ? nil : value * factor
    }
    guard let value = Int64(trimmed), value >= 0 else { return nil }
    return value
  }

  /// The cap as people read it (`512 MiB`, `10 bytes`).
  public var description: String { Self.readable(bytes) }

  /// A size as people read it.
  public static func readable(_ bytes: Int64) -> String {
    if bytes >= 1 << 30, bytes % (1 << 30) == 0 { return "\(bytes >> 30) GiB" }
    if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
    if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
    return bytes == 1 ? "1 byte" : "\(bytes) bytes"
  }
}
