import Foundation

extension AuditLog {
  /// Renames the log at `url` to `audit-<UTC time>.jsonl` beside it (kept as evidence, still
  /// verifiable: its recorded head moves with it) so that the next append starts a new log.
  /// Returns the new name, or nil when there was no log and nothing recorded for its path.
  public static func rotate(url: URL, journal: Journal, at time: Date = Date()) throws -> URL? {
    let url = url.standardizedFileURL
    guard FileManager.default.fileExists(atPath: url.path) else {
      guard !(try journal.auditHeads(path: url.path)).isEmpty else { return nil }
      guard
        FileManager.default.createFile(
          atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
      else { throw AuditLogError(path: url.path, message: "the empty log could not be created") }
      return try rotate(url: url, journal: journal, at: time)
    }
    let file = try AuditLogFile(url: url)
    defer { file.release() }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
    let stem = url.deletingPathExtension().lastPathComponent + "-" + formatter.string(from: time)
    var archive = url.deletingLastPathComponent().appendingPathComponent(stem + ".jsonl")
    var counter = 1
    while FileManager.default.fileExists(atPath: archive.path) {
      counter += 1
      archive = url.deletingLastPathComponent().appendingPathComponent("\(stem)-\(counter).jsonl")
    }
    let identity = try file.firstLine().flatMap(identity(inLine:))
    guard rename(url.path, archive.path) == 0 else {
      throw AuditLogFile.failure("rename", url.path)
    }
    var moved = try journal.auditHeads(path: url.path).map(\.log)
    if let identity { moved.append(identity) }
    for log in Set(moved) { try journal.moveAuditHead(log: log, to: archive.path) }
    return archive
  }
}
