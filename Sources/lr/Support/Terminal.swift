import Foundation

/// Facts about the terminal lr writes to, and plain writes that bypass buffering.
enum Terminal {
  /// Whether a file descriptor is a terminal.
  static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

  /// Whether to colour output on a descriptor: a terminal, and `NO_COLOR` unset.
  static func colors(_ fd: Int32) -> Bool {
    let env = ProcessInfo.processInfo.environment
    if let noColor = env["NO_COLOR"], !noColor.isEmpty { return false }
    if env["TERM"] == "dumb" { return false }
    return isTerminal(fd)
  }

  /// Writes text to standard output.
  static func out(_ text: String) { write(text, to: FileHandle.standardOutput) }

  /// Writes text to standard error.
  static func err(_ text: String) { write(text, to: FileHandle.standardError) }

  private static func write(_ text: String, to handle: FileHandle) {
    handle.write(Data(text.utf8))
  }
}
