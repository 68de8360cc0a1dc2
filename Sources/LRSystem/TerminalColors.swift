#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether lr colours what it writes to a descriptor.
public enum TerminalColors {
  /// Colour on a terminal, unless `NO_COLOR` is set (not empty) or `TERM` is `dumb`.
  public static func enabled(
    on fd: Int32, environment: [String: String] = ProcessEnvironment.variables("NO_COLOR", "TERM")
  ) -> Bool {
    if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
    if environment["TERM"] == "dumb" { return false }
    return isatty(fd) == 1
  }
}
