#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's environment variables, read without Foundation.
public enum ProcessEnvironment {
  /// The named variables that are set, read with `getenv` (a cold `lr check` cannot afford to
  /// hash the whole environment into a dictionary for the two or three names it needs).
  public static func variables(_ names: String...) -> [String: String] {
    var variables: [String: String] = [:]
    for name in names {
      if let value = getenv(name) { variables[name] = String(cString: value) }
    }
    return variables
  }
}
