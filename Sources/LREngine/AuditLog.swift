import Crypto
import Foundation
import LRLanguage

/// An append-only, hash-chained JSON-lines log of every action, command and retrieved file.
///
/// Each line is a compact JSON object whose last member is `"hash"`: the SHA-256 (hex) of the
/// line's text without that member. Each line's `"prev"` is the previous line's hash and `"seq"`
/// counts from 1, so an edited, removed, inserted or reordered line breaks the chain.
public final class AuditLog: @unchecked Sendable {
  /// The log file.
  public let url: URL
  private let lock = NSLock()
  private var lastHash: String
  private var lastSequence: Int

  /// The hash that precedes the first line.
  public static let genesis = String(repeating: "0", count: 64)

  /// Opens (creating if needed) a log, reading its tail to continue the chain.
  public init(url: URL) throws {
    self.url = url
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    if !FileManager.default.fileExists(atPath: url.path),
      !FileManager.default.createFile(
        atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
    {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
    }
    let text = try String(contentsOf: url, encoding: .utf8)
    let last = text.split(separator: "\n").last.map(String.init)
    if let last, let entry = AuditLog.parse(last) {
      lastHash = entry.hash
      lastSequence = entry.sequence
    } else {
      lastHash = AuditLog.genesis
      lastSequence = 0
    }
  }

  /// The chain head: the last sequence number and hash written.
  public var head: (sequence: Int, hash: String) {
    lock.lock()
    defer { lock.unlock() }
    return (lastSequence, lastHash)
  }

  /// Appends one entry (`event` plus fields) and flushes it to disk; returns its hash.
  @discardableResult
  public func append(event: String, fields: [(String, JSONValue)], at time: Date = Date()) throws
    -> String
  {
    lock.lock()
    defer { lock.unlock() }
    let sequence = lastSequence + 1
    var members: [(String, JSONValue)] = [
      ("seq", .number(sequence)), ("time", .string(AuditLog.timestamp(time))),
      ("prev", .string(lastHash)), ("event", .string(event)),
    ]
    members += fields
    let body = JSONValue.object(members).serialized()
    let hash = AuditLog.sha256(body)
    let line = String(body.dropLast()) + ",\"hash\":\"\(hash)\"}\n"
    let handle = try FileHandle(forWritingTo: url)
    defer { try? handle.close() }
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(line.utf8))
    try handle.synchronize()
    lastSequence = sequence
    lastHash = hash
    return hash
  }

  /// A problem `verify` found.
  public struct Problem: Sendable, Equatable, CustomStringConvertible {
    /// 1-based line number in the file.
    public var line: Int
    public var reason: String
    public var description: String { "line \(line): \(reason)" }
  }

  /// Checks every line's hash and the chain; `head`, when known (from the journal), also catches
  /// lines removed from the end.
  public static func verify(text: String, expectedHead: (sequence: Int, hash: String)? = nil)
    -> [Problem]
  {
    var problems: [Problem] = []
    var hashes: [Int: String] = [0: genesis]
    var highest = 0
    var lastLine = 0
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    for (index, raw) in lines.enumerated() where !raw.isEmpty {
      let number = index + 1
      lastLine = number
      guard let entry = parse(String(raw)) else {
        problems.append(Problem(line: number, reason: "not a valid audit entry (edited?)"))
        continue
      }
      if sha256(entry.body) != entry.hash {
        problems.append(Problem(line: number, reason: "content does not match its hash (edited)"))
      }
      if entry.sequence <= highest {
        problems.append(
          Problem(
            line: number,
            reason:
              "entry \(entry.sequence) appears after entry \(highest): reordered or duplicated"))
      } else if entry.sequence > highest + 1 {
        let missing = entry.sequence - highest - 1
        problems.append(
          Problem(
            line: number,
            reason:
              "\(missing) entr\(missing == 1 ? "y" : "ies") (\(highest + 1)…\(entry.sequence - 1)) removed before this line"
          ))
      } else if let expected = hashes[entry.sequence - 1], entry.previous != expected {
        problems.append(
          Problem(
            line: number,
            reason: "does not follow entry \(entry.sequence - 1) (inserted or replaced)"))
      }
      hashes[entry.sequence] = entry.hash
      highest = max(highest, entry.sequence)
    }
    let previous = hashes[highest] ?? genesis
    let expectedSequence = highest + 1
    if let head = expectedHead, head.sequence > 0 {
      if expectedSequence - 1 < head.sequence {
        problems.append(
          Problem(
            line: lastLine + 1,
            reason:
              "the journal recorded \(head.sequence) entries; entries \(expectedSequence)–\(head.sequence) are missing (truncated)"
          ))
      } else if expectedSequence - 1 == head.sequence, previous != head.hash {
        problems.append(
          Problem(line: lastLine, reason: "the last entry is not the one the journal recorded"))
      }
    }
    return problems
  }

  struct Entry {
    var body: String
    var hash: String
    var sequence: Int
    var previous: String
  }

  static func parse(_ line: String) -> Entry? {
    guard let marker = line.range(of: ",\"hash\":\"", options: .backwards), line.hasSuffix("\"}")
    else {
      return nil
    }
    let hash = String(line[marker.upperBound..<line.index(line.endIndex, offsetBy: -2)])
    let body = String(line[..<marker.lowerBound]) + "}"
    guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
      let sequence = object["seq"] as? Int, let previous = object["prev"] as? String
    else { return nil }
    return Entry(body: body, hash: hash, sequence: sequence, previous: previous)
  }

  static func sha256(_ text: String) -> String {
    SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
  }

  static func timestamp(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.string(from: date)
  }
}
