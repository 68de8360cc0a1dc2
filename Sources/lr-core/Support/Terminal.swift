import Foundation
import LRLanguage
import LRShell
import LRSystem

/// Facts about the terminal lr writes to, and the writes to standard output and error.
enum Terminal {
  /// Whether a file descriptor is a terminal.
  static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

  /// Whether stdout is a terminal.
  static var stdoutIsTerminal: Bool { isTerminal(STDOUT_FILENO) }

  /// Whether to colour output on a descriptor: a terminal, `NO_COLOR` unset, `TERM` not `dumb`.
  static func colors(_ fd: Int32) -> Bool { TerminalColors.enabled(on: fd) }

  /// Whether colour may be used on standard output.
  static var colorEnabled: Bool { colors(STDOUT_FILENO) }

  /// Makes service- or device-provided text safe to print (see ``Sanitizer``).
  static func sanitize(_ text: String, multiline: Bool = false) -> String {
    multiline ? Sanitizer.text(text) : Sanitizer.line(text)
  }

  /// Wraps text in an SGR colour when colour is enabled.
  static func styled(_ text: String, _ code: String) -> String {
    colorEnabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }

  /// Writes text to standard output (see ``StandardStreams``: a closed pipe ends lr, status 141).
  static func out(_ text: String) { StandardStreams.out(text) }

  /// Writes a line to standard output.
  static func line(_ text: String) { StandardStreams.out(text + "\n") }

  /// Writes text to standard error.
  static func err(_ text: String) { StandardStreams.err(text) }

  /// Writes a line to standard error.
  static func printError(_ line: String) { err(line + "\n") }
}
