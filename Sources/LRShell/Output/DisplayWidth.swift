@preconcurrency import CEditLine

/// How many terminal columns text takes (`wcwidth` per scalar; control characters count 0).
enum DisplayWidth {
  /// The columns `text` occupies on one terminal row (the locale must be a UTF-8 one).
  static func of(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { $0 + max(0, Int(cedit_wcwidth($1.value))) }
  }
}
