extension Check {
  /// `lr check`'s words after `check`, read without swift-argument-parser: plain file words (or
  /// `-`) and at most one `--format human|json` (or `--format=…`). Anything else (help, another
  /// dash-led word, a bad or repeated format, `--`, no file) gives nil, and the full parser
  /// handles it, so help, errors and exit codes stay the parser's own.
  public init?(arguments: [String]) {
    var files: [String] = []
    var format: DiagnosticsFormat?
    var index = 0
    while index < arguments.count {
      let word = arguments[index]
      index += 1
      var value: String?
      if word == "--format" {
        guard index < arguments.count else { return nil }
        value = arguments[index]
        index += 1
      } else if word.hasPrefix("--format=") {
        value = String(word.dropFirst("--format=".count))
      } else if word == "-" || (!word.hasPrefix("-") && word != "help") {
        files.append(word)
        continue
      } else {
        return nil
      }
      guard format == nil, let value, let parsed = DiagnosticsFormat(rawValue: value) else {
        return nil
      }
      format = parsed
    }
    guard !files.isEmpty else { return nil }
    self.init(files: files, format: format ?? .human)
  }
}
