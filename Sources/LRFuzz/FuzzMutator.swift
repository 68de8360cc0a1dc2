/// Makes inputs: seeds changed by a few random edits (bytes, fragments, deletions, copies, splices
/// from other seeds), and token soup and random bytes from scratch.
public struct FuzzMutator: Sendable {
  /// Where inputs start from.
  public var seeds: FuzzSeeds

  /// A mutator over seeds.
  public init(seeds: FuzzSeeds) { self.seeds = seeds }

  static let lrFragments = [
    "on", "machine", "machines", "[", "]", ",", "tag", "name", "file", "filter", "<", ">", ";",
    "\n", "run", "get", "put", "let", "=", "def", "(", ")", "use", "comment", "if", "else", "and",
    "or", "not", "==", "!=", "<=", ">=", "+", "$x", "${x}", "x", "r.exit_code", "\"s\"", "'C:\\a'",
    "\"${r.output}\"", "\"\\u{41}\"", "\"\\q\"", "\"", "'", "#c\n", " ", "0", "é", "\u{1B}", "\\",
    "minidump.ps1", "WS-*", "{", "}", "$", "@", "contains", "matches", "true", "use \"windows\"\n",
    "def p(a) < get $a >\n", "p 'x'", "let r = ", "r.ok", "\r\n", "\t", "😀", "\u{0}",
  ]

  static let frameFragments = [
    "Content-Length: ", "content-length:", "\r\n", "\n", "\r\n\r\n", "\n\n", "\r", "0", "7", "12",
    "99999", "-1", "{", "}", "[", "]", "\"", "\\", ":", " ", "Content-Type: x\r\n", "\u{0}", "é",
  ]

  /// A new input of a kind.
  public func input(_ kind: FuzzKind, _ random: inout FuzzRandom) -> [UInt8] {
    let isFraming = kind == .framing
    let pool = isFraming ? seeds.streams : seeds.sources
    let fragments = isFraming ? FuzzMutator.frameFragments : FuzzMutator.lrFragments
    switch random.below(8) {
    case 0 where isFraming:
      return (0..<random.below(300)).map { _ in UInt8.random(in: 0...255, using: &random) }
    case 0:
      return Array(
        (0..<random.below(40)).map { _ in fragments[random.below(fragments.count)] }
          .joined(separator: " ").utf8)
    default:
      var bytes = pool[random.below(pool.count)]
      for _ in 0...random.below(8) {
        mutate(&bytes, fragments: fragments, pool: pool, &random)
      }
      return bytes
    }
  }

  /// One random edit.
  func mutate(
    _ bytes: inout [UInt8], fragments: [String], pool: [[UInt8]], _ random: inout FuzzRandom
  ) {
    let at = random.below(bytes.count + 1)
    let length = min(bytes.count - at, 1 + random.below(16))
    switch random.below(6) {
    case 0 where at < bytes.count:
      bytes[at] = UInt8.random(in: 0...255, using: &random)
    case 1:
      bytes.insert(contentsOf: Array(fragments[random.below(fragments.count)].utf8), at: at)
    case 2:
      bytes.removeSubrange(at..<(at + length))
    case 3:
      let copy = Array(bytes[at..<(at + length)])
      bytes.insert(contentsOf: copy, at: random.below(bytes.count + 1))
    case 4:
      let other = pool[random.below(pool.count)]
      let start = random.below(other.count + 1)
      let end = min(other.count, start + random.below(200))
      bytes.insert(contentsOf: other[start..<end], at: at)
    default:
      // A decimal number changed (a Content-Length, an exit code).
      guard let digit = bytes[at...].firstIndex(where: { $0 >= 48 && $0 <= 57 }) else { return }
      bytes[digit] = UInt8(48 + random.below(10))
      if random.below(2) == 0 { bytes.insert(UInt8(48 + random.below(10)), at: digit) }
    }
  }
}
