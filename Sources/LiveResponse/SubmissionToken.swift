/// The token lr puts in every action's comment (`… [lr:3f9a0c1d2e4b]`) so a submission whose
/// answer was lost can be recognised, and never submitted twice.
public enum SubmissionToken {
  /// A fresh random token (12 hex digits).
  public static func make() -> String {
    var generator = SystemRandomNumberGenerator()
    let hex = String(generator.next() & 0xFFFF_FFFF_FFFF, radix: 16)
    return String(repeating: "0", count: 12 - hex.count) + hex
  }

  /// The comment with the token appended.
  public static func tagged(_ comment: String, token: String) -> String {
    let tag = "[lr:\(token)]"
    return comment.isEmpty ? tag : comment + " " + tag
  }

  /// The token a comment carries (its last `[lr:…]`), if any.
  public static func find(in comment: String?) -> String? {
    guard let comment, let start = comment.ranges(of: "[lr:").last else { return nil }
    let rest = comment[start.upperBound...]
    guard let end = rest.firstIndex(of: "]") else { return nil }
    let token = String(rest[..<end])
    return token.isEmpty ? nil : token
  }
}
