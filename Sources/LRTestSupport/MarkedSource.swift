/// Source text with position markers (`1️⃣`, `2️⃣`, …) removed and their byte offsets recorded,
/// so tests state expected positions inside the text instead of counting lines and columns.
public struct MarkedSource: Sendable {
  public static let markers = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣"]

  /// The text without markers.
  public let text: String
  /// Byte offset of each marker in ``text``.
  public let offsets: [String: Int]

  public init(_ marked: String) {
    var text = ""
    var offsets: [String: Int] = [:]
    var rest = Substring(marked)
    outer: while !rest.isEmpty {
      for marker in MarkedSource.markers where rest.hasPrefix(marker) {
        offsets[marker] = text.utf8.count
        rest = rest.dropFirst(marker.count)
        continue outer
      }
      text.append(rest.removeFirst())
    }
    self.text = text
    self.offsets = offsets
  }

  /// The offset of a marker (crashes the test on a typo, which is what a test wants).
  public subscript(_ marker: String) -> Int {
    guard let offset = offsets[marker] else { fatalError("marker \(marker) not in source") }
    return offset
  }
}
