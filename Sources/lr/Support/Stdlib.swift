import Foundation

/// Where lr's standard library lives: `$LR_STDLIB`, `<prefix>/share/lr/stdlib` beside the
/// executable, or the repository's `stdlib/` found by walking up from the executable.
enum Stdlib {
  /// The stdlib folder, if one can be found.
  static let directory: URL? = {
    let fm = FileManager.default
    if let env = ProcessInfo.processInfo.environment["LR_STDLIB"], !env.isEmpty {
      return URL(fileURLWithPath: env)
    }
    let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var dir = executable.deletingLastPathComponent()
    let installed = dir.deletingLastPathComponent().appendingPathComponent("share/lr/stdlib")
    if fm.fileExists(atPath: installed.path) { return installed }
    for _ in 0..<6 {
      let candidate = dir.appendingPathComponent("stdlib")
      var isDirectory: ObjCBool = false
      if fm.fileExists(atPath: candidate.path, isDirectory: &isDirectory), isDirectory.boolValue {
        return candidate
      }
      dir.deleteLastPathComponent()
    }
    return nil
  }()

  /// The library scripts shipped with the stdlib (`stdlib/scripts`).
  static var scriptsDirectory: URL? {
    directory?.appendingPathComponent("scripts")
  }
}
