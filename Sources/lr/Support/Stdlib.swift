import DefenderEmulator
import Foundation

/// Where lr's standard library lives: `$LR_STDLIB`, else the folder holding the `stdlib/scripts`
/// that ``StdlibLocator`` finds walking up from the executable.
enum Stdlib {
  /// The stdlib folder (the `.lr` modules), if one can be found.
  static let directory: URL? = {
    if let env = ProcessInfo.processInfo.environment["LR_STDLIB"], !env.isEmpty {
      return URL(fileURLWithPath: env)
    }
    return StdlibLocator.scriptsDirectory()?.deletingLastPathComponent()
  }()

  /// The library scripts shipped with the stdlib (`stdlib/scripts`).
  static var scriptsDirectory: URL? { StdlibLocator.scriptsDirectory() }
}
