/// How many terminal columns text takes, and cutting a line to a number of columns: East Asian
/// wide characters and emoji take two, combining marks and format characters none, ANSI styling
/// sequences (`ESC[…m` and the like) none. Independent of the locale.
enum TerminalColumns {
  /// The columns `text` occupies on one row (styling sequences excluded).
  static func of(_ text: String) -> Int {
    var total = 0
    var inEscape = false
    for ch in text {
      if inEscape {
        if ch.isLetter { inEscape = false }
      } else if ch == "\u{1B}" {
        inEscape = true
      } else {
        total += of(ch)
      }
    }
    return total
  }

  /// The columns one character (grapheme cluster) occupies.
  static func of(_ ch: Character) -> Int {
    guard let first = ch.unicodeScalars.first else { return 0 }
    if ch.unicodeScalars.count > 1, ch.unicodeScalars.contains("\u{FE0F}") { return 2 }
    return of(first)
  }

  /// The columns one scalar occupies (what `wcwidth` answers in a UTF-8 locale).
  static func of(_ scalar: Unicode.Scalar) -> Int {
    let v = scalar.value
    if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return 0
    default: break
    }
    if scalar.properties.isEmojiPresentation { return 2 }
    return wide.contains { $0.contains(v) } ? 2 : 1
  }

  /// East Asian Wide and Fullwidth blocks (Hangul, CJK, kana, fullwidth forms, ideographs).
  private static let wide: [ClosedRange<UInt32>] = [
    0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
    0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF,
    0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
    0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
  ]

  /// `line` cut to at most `columns` columns, ending in `…` when cut; styling sequences are kept
  /// and do not count.
  static func clip(_ line: String, to columns: Int) -> String {
    let limit = max(1, columns)
    guard of(line) > limit else { return line }
    var out = ""
    var used = 0
    var inEscape = false
    for ch in line {
      if inEscape {
        out.append(ch)
        if ch.isLetter { inEscape = false }
        continue
      }
      if ch == "\u{1B}" {
        inEscape = true
        out.append(ch)
        continue
      }
      let width = of(ch)
      if used + width > limit - 1 { break }
      out.append(ch)
      used += width
    }
    return out + "…"
  }

  /// `text` followed by spaces up to `columns` columns.
  static func pad(_ text: String, _ columns: Int) -> String {
    let used = of(text)
    return used >= columns ? text : text + String(repeating: " ", count: columns - used)
  }
}
