import Foundation
import LREngine

/// The REPL's input history for one profile, kept in memory and persisted as JSON lines (one
/// JSON string per entry, so multi-line statements stay one entry) under the XDG state folder.
public final class HistoryFile: Sendable {
  /// The file (nil: not persisted).
  public let url: URL?
  /// Entries kept, oldest dropped first.
  public let limit: Int
  private let state: Locked<[String]>

  /// Opens (and loads) the history at `url`.
  public init(url: URL?, limit: Int = 1000) {
    self.url = url
    self.limit = limit
    self.state = Locked(url.map(HistoryFile.load) ?? [])
  }

  /// `history-<profile>` in lr's state folder (``StateFolder``: `$XDG_STATE_HOME/lr`, else
  /// `$HOME/.local/state/lr`); nil, not persisted, when the environment names neither.
  public static func defaultURL(profile: String, environment: [String: String]) -> URL? {
    let safe = String(profile.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" })
    let named =
      environment["XDG_STATE_HOME"]?.hasPrefix("/") == true
      || environment["HOME"].map { !$0.isEmpty } == true
    guard named else { return nil }
    return StateFolder.url(environment: environment).appendingPathComponent(
      "history-\(safe.isEmpty ? "default" : safe)")
  }

  /// Every entry, oldest first.
  public var entries: [String] { state.withLock { $0 } }

  /// Adds an entry (not repeating the last one) and saves the file.
  public func add(_ entry: String) {
    let trimmed = entry.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !trimmed.isEmpty else { return }
    let snapshot: [String]? = state.withLock { entries in
      if entries.last == entry { return nil }
      entries.append(entry)
      if entries.count > limit { entries.removeFirst(entries.count - limit) }
      return entries
    }
    if let snapshot { save(snapshot) }
  }

  /// Reads a history file; a missing or unreadable file is an empty history.
  static func load(_ url: URL) -> [String] {
    guard let data = FileManager.default.contents(atPath: url.path) else { return [] }
    var entries: [String] = []
    for line in data.split(separator: UInt8(ascii: "\n")) {
      if let entry = try? JSONSerialization.jsonObject(with: Data(line), options: .fragmentsAllowed)
        as? String
      {
        entries.append(entry)
      }
    }
    return entries
  }

  /// Writes the whole history (private to the user: it may name hosts and paths).
  private func save(_ entries: [String]) {
    guard let url else { return }
    var text = Data()
    for entry in entries {
      if let line = try? JSONSerialization.data(withJSONObject: entry, options: .fragmentsAllowed) {
        text.append(line)
        text.append(UInt8(ascii: "\n"))
      }
    }
    let fm = FileManager.default
    try? fm.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
      attributes: [.posixPermissions: 0o700])
    let temporary = url.appendingPathExtension("tmp")
    guard
      fm.createFile(atPath: temporary.path, contents: text, attributes: [.posixPermissions: 0o600])
    else { return }
    if rename(temporary.path, url.path) != 0 { try? fm.removeItem(at: temporary) }
  }
}
