import Foundation

extension AuditLog {
  /// A problem `verify` found.
  public struct Problem: Sendable, Equatable, CustomStringConvertible {
    /// 1-based line number in the file.
    public var line: Int
    public var reason: String
    public var description: String { "line \(line): \(reason)" }
  }

  /// Checks every line's hash and the chain; `expectedHead`, when known (from the journal), also
  /// catches lines removed from the end, lines added after it, and a replaced last entry.
  public static func verify(text: String, expectedHead: (sequence: Int, hash: String)? = nil)
    -> [Problem]
  {
    var chain = ChainWalk()
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    for (index, raw) in lines.enumerated() where !raw.isEmpty {
      chain.check(String(raw), line: index + 1)
    }
    if let head = expectedHead, head.sequence > 0 { chain.compare(with: head) }
    return chain.problems
  }

  /// The log's identity: the `"log"` member of its first entry (nil: empty, or written before
  /// logs had one).
  public static func identity(in text: String) -> String? {
    text.split(separator: "\n", maxSplits: 1).first.flatMap { identity(inLine: String($0)) }
  }

  static func identity(inLine line: String) -> String? {
    guard let entry = parse(line),
      let object = try? JSONSerialization.jsonObject(with: Data(entry.body.utf8))
        as? [String: Any]
    else { return nil }
    return object["log"] as? String
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
}

/// One pass over a log's lines, collecting what breaks the chain.
private struct ChainWalk {
  var problems: [AuditLog.Problem] = []
  var hashes: [Int: String] = [0: AuditLog.genesis]
  var lines: [Int: Int] = [:]
  var highest = 0
  var lastLine = 0

  mutating func check(_ raw: String, line: Int) {
    lastLine = line
    guard let entry = AuditLog.parse(raw) else {
      report(line, "not a valid audit entry (edited?)")
      return
    }
    if AuditLog.sha256(entry.body) != entry.hash {
      report(line, "content does not match its hash (edited)")
    }
    if entry.sequence <= highest {
      report(
        line, "entry \(entry.sequence) appears after entry \(highest): reordered or duplicated")
    } else if entry.sequence > highest + 1 {
      let missing = entry.sequence - highest - 1
      report(
        line,
        "\(missing) entr\(missing == 1 ? "y" : "ies") (\(highest + 1)…\(entry.sequence - 1)) removed before this line"
      )
    } else if let expected = hashes[entry.sequence - 1], entry.previous != expected {
      report(line, "does not follow entry \(entry.sequence - 1) (inserted or replaced)")
    }
    hashes[entry.sequence] = entry.hash
    lines[entry.sequence] = lines[entry.sequence] ?? line
    highest = max(highest, entry.sequence)
  }

  /// The end of the chain against the head the journal recorded.
  mutating func compare(with head: (sequence: Int, hash: String)) {
    if highest < head.sequence {
      let range = AuditLogError.entries(highest + 1, head.sequence)
      report(
        lastLine + 1,
        "the journal recorded \(head.sequence) entries; \(range) \(highest + 1 == head.sequence ? "is" : "are") missing (truncated)"
      )
      return
    }
    if let recorded = hashes[head.sequence], recorded != head.hash {
      report(
        lines[head.sequence] ?? lastLine,
        "entry \(head.sequence) is not the one the journal recorded (replaced)")
    }
    if highest > head.sequence {
      let range = AuditLogError.entries(head.sequence + 1, highest)
      report(
        lines[head.sequence + 1] ?? lastLine,
        "\(range) follow\(head.sequence + 1 == highest ? "s" : "") the head the journal recorded (entry \(head.sequence)): not written by lr, or by a process that stopped before recording them"
      )
    }
  }

  mutating func report(_ line: Int, _ reason: String) {
    problems.append(AuditLog.Problem(line: line, reason: reason))
  }
}
