import Foundation

/// Finds lr's standard library: the `.lr` modules (`stdlib/`) and the library scripts
/// (`stdlib/scripts`) that seed the emulator's library and that `lr library sync` uploads.
public enum StdlibLocator {
  /// `$LR_STDLIB` (the `stdlib` folder or its `scripts` folder) if set, else the install
  /// layout's `../share/lr/stdlib/scripts` next to the executable's `bin/`, else the first
  /// `stdlib/scripts` found walking up from the executable's directory (a checkout); nil if none.
  public static func scriptsDirectory(
    environment: [String: String] = ProcessInfo.processInfo.environment,
    executablePath: String = StdlibLocator.executablePath
  ) -> URL? {
    if let env = environment["LR_STDLIB"], !env.isEmpty {
      let url = URL(fileURLWithPath: env)
      let nested = url.appendingPathComponent("scripts")
      return isDirectory(nested) ? nested : url
    }
    var dir = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath()
      .deletingLastPathComponent()
    let installed = dir.deletingLastPathComponent().appendingPathComponent(installedScripts)
    if isDirectory(installed) { return installed }
    for _ in 0..<10 {
      let candidate = dir.appendingPathComponent("stdlib/scripts")
      if isDirectory(candidate) { return candidate }
      let parent = dir.deletingLastPathComponent()
      if parent.path == dir.path { break }
      dir = parent
    }
    return nil
  }

  /// The install layout's scripts folder, relative to the prefix (`bin/lr`'s parent).
  public static let installedScripts = "share/lr/stdlib/scripts"

  /// The folder of the stdlib's `.lr` modules: `$LR_STDLIB` as given if set, else the folder
  /// holding the scripts folder ``scriptsDirectory(environment:executablePath:)`` finds; nil if
  /// none.
  public static func modulesDirectory(
    environment: [String: String] = ProcessInfo.processInfo.environment,
    executablePath: String = StdlibLocator.executablePath
  ) -> URL? {
    if let env = environment["LR_STDLIB"], !env.isEmpty {
      return URL(fileURLWithPath: env)
    }
    return scriptsDirectory(environment: environment, executablePath: executablePath)?
      .deletingLastPathComponent()
  }

  /// The running executable's real path: `/proc/self/exe` on Linux (never the bare name a shell
  /// found through `PATH`), else Foundation's, else `argv[0]`.
  public static var executablePath: String {
    if let real = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
      real.hasPrefix("/")
    {
      return real
    }
    return Bundle.main.executablePath ?? CommandLine.arguments.first ?? "."
  }

  static func isDirectory(_ url: URL) -> Bool {
    var flag: ObjCBool = false
    return FileManager.default.fileExists(atPath: url.path, isDirectory: &flag) && flag.boolValue
  }
}
